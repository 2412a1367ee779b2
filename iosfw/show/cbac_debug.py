"""`debug ip inspect` lines (all but smtp's, see smtp_debug.py) for what the engine did with one
packet (its Outcome) and for the events it reported. Texts without the timestamp prefix, in the
12.3T `CBAC …` style of the configuration guide's samples; the formats, and which of them we
designed, are in ../docs/formats.md.

Everything printed is a fact the engine holds: sessions (ids, ends, byte counts, deadlines), the
steps of the packet's path, events. What IOS prints and the engine does not model is derived
from those facts and documented as such: packet buffer ids (`pak`) from the packet's number,
timer ids from the session id, TCP sequence numbers from an initial number per session side
plus the bytes that side has sent."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.names import int_to_ip
from ..engine import events as ev
from ..engine.cbac import HEADER_BYTES
from ..engine.packet import ACK, FIN, ICMP, PSH, RST, SYN, TCP, UDP
from . import traffic
from .debugging import PROTOCOLS, turned

if TYPE_CHECKING:
    from ..engine.cbac import Session
    from ..engine.packet import Packet
    from ..engine.pipeline import Outcome

answer = turned         # what the flags answer (debugging.py), beside the lines they turn on

# The session protocols whose packets `debug ip inspect <flag>` reports at L7 (smtp and esmtp
# have their own lines; a udp session to port 53 is dns)
_L7_FLAGS = {p: (p,) for p in PROTOCOLS if p not in ("ftp-cmd", "ftp-tokens", "smtp")}
_L7_FLAGS["ftp"] = ("ftp-cmd", "ftp-tokens")
DNS_PORT = 53

PAK_FIRST, PAK_STEP, PAK_RING = 0x63C41E38, 0x2A0, 64   # packet buffers: a ring, reused
TIMER_OFFSET = 0x34                                      # a session's timer lives inside it
_SEQ = 0xFFFFFFFF

_REASONS = {"rst": "RST received", "idle": "idle timeout", "synwait": "SYN wait timeout",
            "finwait": "FIN wait timeout", "cleared": "cleared by clear ip inspect session",
            "aggressive": "aggressive mode, oldest half-open session"}


def pak_id(number: int) -> int:
    """The buffer the router's `number`th packet (from 1) was received into."""
    return PAK_FIRST + (number - 1) % PAK_RING * PAK_STEP


def _on(debug, flag: str) -> bool:
    return "ip inspect " + flag in debug


def _end(address: tuple[int, int]) -> str:
    return f"{int_to_ip(address[0])}:{address[1]}"


def _flow(s: Session) -> str:
    return f"({_end(s.initiator)})=>({_end(s.responder)})"


def _timer(s: Session) -> str:
    return f"sis {s.id:X} Timer: {s.id + TIMER_OFFSET:X}"


# ------------------------------------------------------------------ events
def event_lines(event, debug) -> list[str]:
    """The lines of one engine event under the flags that are on."""
    out = []
    if isinstance(event, ev.SessionEnded):
        s = event.session
        if _on(debug, "events"):
            out.append(f"CBAC EVENT: sis {s.id:X} {_flow(s)} {s.protocol} deleted -- "
                       f"{_reason(event)}")
        if _on(debug, "timers"):
            out.append(f"CBAC Timer Stop: {_timer(s)}")
        if _on(debug, "object-deletion"):
            out.append(f"CBAC OBJ_DELETE: delete sis {s.id:X}")
    elif _on(debug, "events"):
        text = _event_text(event)
        if text:
            out.append("CBAC EVENT: " + text)
    return out


def _reason(event: ev.SessionEnded) -> str:
    if event.reason == "host":
        return f"half-open limit of host {int_to_ip(event.session.responder[0])}"
    if event.reason == "reset":
        return f"reset by {event.session.protocol} inspection"
    return _REASONS.get(event.reason, event.reason)


def _event_text(event) -> str | None:
    if isinstance(event, ev.Alert):
        return (f"aggressive mode {'on' if event.on else 'off'}, half-open count "
                f"{event.count}, 1-min rate {event.rate}")
    if isinstance(event, ev.HostAlert):
        return f"half-open limit ({event.limit}) reached for host {int_to_ip(event.host)}"
    if isinstance(event, ev.HostBlocked):
        unit = "minute" if event.minutes == 1 else "minutes"
        return f"host {int_to_ip(event.host)} blocked for {event.minutes} {unit}"
    if isinstance(event, ev.HostUnblocked):
        return f"host {int_to_ip(event.host)} unblocked"
    return None


def before_packet(outcome: Outcome) -> int:
    """How many of the outcome's events came before inspection took the packet: access-list
    logging, and what the thresholds did to make room (alerts on hosts, blocks, other
    sessions deleted). The rest (the packet's own session ending, aggressive mode turning on or
    off, SMTP inspection) came after; the packet's lines go in between."""
    for n, e in enumerate(outcome.events):
        if not (isinstance(e, (ev.AclLogged, ev.HostAlert, ev.HostBlocked)) or
                isinstance(e, ev.SessionEnded) and e.session is not outcome.session):
            return n
    return len(outcome.events)


# ------------------------------------------------------------------ one packet
def packet_lines(outcome: Outcome, number: int, debug, now: float) -> list[str]:
    """The lines for the router's `number`th packet, whose path is `outcome`, at `now`."""
    s, pak = outcome.session, pak_id(number)
    seen = s is not None or any(step.phase == "inspection" for step in outcome.steps)
    out = _detailed(outcome, pak) if seen and _on(debug, "detailed") else []
    if s is None:
        if seen and _on(debug, "events"):
            out += [f"CBAC EVENT: Pak {pak:X} refused -- new TCP connections to host "
                    f"{int_to_ip(step.subject)} are blocked"
                    for step in outcome.steps if step.verdict == "blocked"]
        return out
    opened = outcome.from_initiator is None
    from_initiator = opened or outcome.from_initiator
    if opened and _on(debug, "object-creation"):
        out.append(_created(s, outcome, pak))
    if opened and _on(debug, "timers"):
        out.append(f"CBAC Timer Init Leaf: sis {s.id:X}")
    flag = {TCP: "tcp", UDP: "udp", ICMP: "icmp"}[s.ip_proto]
    if _on(debug, flag):
        out.append(_transport(s, outcome.packet, pak, from_initiator))
    l7 = _l7_name(s)
    if l7 and outcome.forwarded and _size(outcome.packet) > 0 and \
            any(_on(debug, f) for f in _L7_FLAGS[l7]):
        out.append(f"CBAC sis {s.id:X} {l7} L7 inspect result: PASS packet")
    if s.live and _on(debug, "timers"):
        out.append(f"CBAC Timer Start: {_timer(s)} Time: {round((s.deadline - now) * 1000)} "
                   "milisecs")
    return out


def _l7_name(s: Session) -> str | None:
    """The application protocol an L7 line names for the session, if it has one here."""
    if s.protocol in _L7_FLAGS:
        return s.protocol
    if s.ip_proto == UDP and s.responder[1] == DNS_PORT:
        return "dns"
    return None


def _size(p: Packet) -> int:
    return max(0, p.length - HEADER_BYTES[p.proto])


def _ends(p: Packet) -> tuple:
    if p.proto == ICMP:
        return (p.src, p.icmp_type), (p.dst, 0)
    return (p.src, p.sport), (p.dst, p.dport)


def _created(s: Session, outcome: Outcome, pak: int) -> str:
    """OBJ_CREATE with the session's own ends (the inside-local view) and the other view of
    the flow, the one on the far side of NAT (the same ends when nothing is translated)."""
    arrived = _ends(outcome.packet)
    alt = arrived if arrived != (s.initiator, s.responder) else _ends(outcome.out_packet)
    return (f"CBAC OBJ_CREATE: Pak {pak:X} sis {s.id:X} initiator_addr ({_end(s.initiator)}) "
            f"responder_addr ({_end(s.responder)}) initiator_alt_addr ({_end(alt[0])}) "
            f"responder_alt_addr ({_end(alt[1])})")


_FLAG_LETTERS = ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"), (ACK, "A"))


def _flags(bits: int) -> str:
    """Letters in the samples' order; a SYN-ACK reads `S` (its ack number shows the ACK)."""
    if bits & SYN:
        bits &= ~ACK
    return "".join(letter for bit, letter in _FLAG_LETTERS if bits & bit)


def isn(s: Session, initiator: bool) -> int:
    """A side's initial sequence number: the engine models none, so one is derived from the
    session id."""
    return (s.id * 0x9E3779B1 + (0 if initiator else 0x5BD1E995)) & _SEQ


def _transport(s: Session, p: Packet, pak: int, from_initiator: bool) -> str:
    size = _size(p)
    head = f"CBAC sis {s.id:X} pak {pak:X}"
    ends = f"({_end(s.initiator)}) {'=>' if from_initiator else '<='} ({_end(s.responder)})"
    if p.proto == TCP:
        sent, heard = (s.bytes_initiator, s.bytes_responder) if from_initiator else \
            (s.bytes_responder, s.bytes_initiator)
        mine = isn(s, from_initiator)
        seq = mine if p.tcp_flags & SYN else (mine + 1 + sent - size) & _SEQ
        ack = f"ack {(isn(s, not from_initiator) + 1 + heard) & _SEQ} " \
            if p.tcp_flags & ACK else ""
        letters = _flags(p.tcp_flags)
        return f"{head} TCP {letters + ' ' if letters else ''}{ack}seq {seq}(len {size}) {ends}"
    if p.proto == UDP:
        return f"{head} UDP (len {size}) {ends}"
    return f"{head} ICMP type {p.icmp_type} code {p.icmp_code} (len {size}) {ends}"


def _detailed(outcome: Outcome, pak: int) -> list[str]:
    """The packet's path as `simulate trace` explains it, one line per phase."""
    head = f"CBAC pak {pak:X} "
    p = outcome.packet
    return ([f"{head}arrives on {outcome.ingress}: {traffic.packet_text(p)}, {p.length} bytes"]
            + [head + traffic.step_text(step, outcome) for step in outcome.steps]
            + [head + "result: " + traffic.result_text(outcome)])

"""What the simulator prints (iosfw's own formats, documented in docs/formats.md) and the
session blocks of `show ip inspect sessions` (the router's format)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.names import int_to_ip
from ..engine.cbac import ICMP_REPLIES, ICMP_REQUESTS, OPENING
from ..engine.packet import ACK, FIN, ICMP, PSH, RST, SYN, TCP, UDP
from .acl_text import show_text

if TYPE_CHECKING:
    from ..engine.cbac import Session
    from ..engine.packet import Packet
    from ..engine.pipeline import Outcome, Step

_FLAG_NAMES = ((SYN, "S"), (FIN, "F"), (RST, "R"), (PSH, "P"), (ACK, "A"))


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def session_line(s: Session) -> str:
    (a, ap), (b, bp) = s.initiator, s.responder
    return (f" Session {s.id:X} ({int_to_ip(a)}:{ap})=>({int_to_ip(b)}:{bp}) "
            f"{s.protocol} {s.state}")


def session_lines(sessions, detail: bool, now: float) -> list[str]:
    """`Established Sessions` then `Half-open Sessions`, oldest first; nothing when empty."""
    out = []
    ordered = sorted(sessions, key=lambda s: s.id)
    for title, members in (("Established Sessions", [s for s in ordered if s.state != OPENING]),
                           ("Half-open Sessions", [s for s in ordered if s.state == OPENING])):
        if not members:
            continue
        out.append(title)
        for s in members:
            out.append(session_line(s))
            if detail:
                out.append(f"  Created {_hms(now - s.created)}, Last heard "
                           f"{_hms(now - s.last_heard)}")
                out.append(f"  Bytes sent (initiator:responder) "
                           f"[{s.bytes_initiator}:{s.bytes_responder}]")
    return out


def packet_text(p: Packet) -> str:
    if p.proto in (TCP, UDP):
        name = "tcp" if p.proto == TCP else "udp"
        text = f"{name} {int_to_ip(p.src)}:{p.sport} -> {int_to_ip(p.dst)}:{p.dport}"
        if p.proto == TCP:
            text += " " + ("".join(c for bit, c in _FLAG_NAMES if p.tcp_flags & bit) or "-")
        return text
    if p.proto == ICMP:
        text = f"icmp {int_to_ip(p.src)} -> {int_to_ip(p.dst)} type {p.icmp_type}"
        query = p.icmp_type in ICMP_REQUESTS or p.icmp_type in ICMP_REPLIES
        return f"{text} id {p.sport}" if query else text
    return f"ip proto {p.proto} {int_to_ip(p.src)} -> {int_to_ip(p.dst)}"


def _endpoint(address: tuple[int, int], entry) -> str:
    """An address, with its port when PAT changed the port."""
    if entry.inside_global[1] != entry.inside_local[1]:
        return f"{int_to_ip(address[0])}:{address[1]}"
    return int_to_ip(address[0])


def _nat_kind(entry) -> str:
    if entry.map_id == 0:
        return "static"
    return "dynamic" if entry.proto == 0 else "overload"


def step_text(step: Step, outcome: Outcome) -> str:
    s = step.subject
    if step.phase in ("inbound-acl", "outbound-acl"):
        where = "inbound" if step.phase == "inbound-acl" else "outbound"
        if step.verdict == "implicit-deny":
            return f"{where} access list {step.acl}: denied by the implicit deny at its end"
        if s is None:
            return f"{where} access list {step.acl}: not configured, so permitted"
        verb = "permitted" if step.verdict == "permit" else "denied"
        entry = show_text(s, s.dst is None, step.matches)
        return f'{where} access list {step.acl}: {verb} by "{entry}"'
    if step.phase == "nat-in":
        if s is None:
            return "NAT outside->inside: no translation for the destination"
        e = s.entry
        return (f"NAT outside->inside: destination {_endpoint(e.inside_global, e)} becomes "
                f"{_endpoint(e.inside_local, e)} ({_nat_kind(e)})")
    if step.phase == "nat-out":
        if step.verdict == "no-address":
            return f"NAT inside->outside: no address left in {s}, so the packet is dropped"
        if s is None:
            return "NAT inside->outside: no translation for the source"
        e = s.entry
        return (f"NAT inside->outside: source {_endpoint(e.inside_local, e)} becomes "
                f"{_endpoint(e.inside_global, e)} ({_nat_kind(e)})")
    if step.phase == "routing":
        if step.verdict == "no-route":
            return "routing: no route to the destination"
        net = f"{int_to_ip(s.prefix)}/{s.length}"
        if s.code == "C":
            return f"routing: {net} is directly connected, {s.interface}"
        return f"routing: {net} via {int_to_ip(s.next_hop)}" if s.next_hop is not None else \
            f"routing: {net} is directly connected, {s.interface}"
    if step.phase == "application":
        if step.verdict == "reset":
            return f"{s.protocol} inspection: session {s.id:X} reset"
        session, size, verdict = s
        text = f"{session.protocol} inspection: {size} bytes in, {len(verdict.forward)} forwarded"
        if verdict.forward.count(b"x") > outcome.packet.payload.count(b"x"):
            text += " (a command masked with x)"
        return text
    if step.phase == "thresholds":
        why = ("aggressive mode (half-open thresholds)" if step.verdict == "aggressive" else
               f"host {int_to_ip(s.responder[0])} is over its half-open limit")
        return f"thresholds: {why}: half-open session {s.id:X} deleted"
    if step.phase == "inspection" and step.verdict == "blocked":
        return (f"inspection: new TCP connections to host {int_to_ip(s)} are blocked "
                "(half-open limit per host)")
    if step.phase == "inspection":
        return (f"inspection {s.rule} {s.direction} on {s.interface}: session {s.id:X} opened, "
                f"{s.protocol} {s.state}")
    if step.phase == "session":
        what = "its initiator's packets pass" if outcome.from_initiator else \
            "return traffic passes"
        return (f"session {s.id:X} ({s.protocol}) {step.verdict}: {what} on the session "
                "table, not on an access list")
    return f"{step.phase}: {step.verdict}"


def quoted(data: bytes, limit: int = 80) -> str:
    """Bytes as a learner reads them: printable text, `\\r\\n` and `\\xHH` for the rest."""
    out = []
    for byte in data[:limit]:
        c = chr(byte)
        out.append({"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\", '"': '\\"'}.get(
            c, c if " " <= c <= "~" else f"\\x{byte:02x}"))
    return '"' + "".join(out) + ('..."' if len(data) > limit else '"')


def result_text(outcome: Outcome) -> str:
    if outcome.forwarded:
        text = (f"forwarded {outcome.ingress} -> {outcome.egress}: "
                f"{packet_text(outcome.out_packet)}")
        if outcome.out_packet.payload:
            text += " " + quoted(outcome.out_packet.payload)
        elif outcome.packet.payload:
            text += " (its bytes held by inspection)"
        return text
    last = outcome.steps[-1] if outcome.steps else None
    if last is None:
        return f"dropped on {outcome.ingress}"
    if last.phase.endswith("acl"):
        why = "its implicit deny" if last.verdict == "implicit-deny" else "a deny entry"
        return f"dropped on {outcome.ingress} by access list {last.acl} ({why})"
    return f"dropped on {outcome.ingress}: {step_text(last, outcome)}"


def trace_text(outcome: Outcome) -> str:
    lines = [f"Packet {packet_text(outcome.packet)}, {outcome.packet.length} bytes, "
             f"arrives on {outcome.ingress}"]
    lines += [f" {n} {step_text(step, outcome)}" for n, step in enumerate(outcome.steps, 1)]
    lines.append(f"Result: {result_text(outcome)}")
    return "\n".join(lines) + "\n"


"""CBAC's session table: which flows an inspection rule takes, their TCP/UDP/ICMP state and
timers on the virtual clock. The table decides; it prints nothing (renderers read it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..config import model as m
from .alarm import Alarm
from .interner import Interner
from .packet import ACK, FIN, ICMP, RST, SYN, TCP, UDP
from .serial import Serial
from .stats import InspectStats
from .timers import TimerHeap

OPENING, OPEN, CLOSING = "SIS_OPENING", "SIS_OPEN", "SIS_CLOSING"

# Application inspection by well-known port: (IP protocol, port) -> protocol keyword.
APPLICATION_PORTS = {
    (TCP, 25): ("smtp", "esmtp"), (TCP, 21): ("ftp",), (TCP, 80): ("http",),
    (UDP, 69): ("tftp",), (TCP, 1720): ("h323",), (TCP, 554): ("rtsp",),
    (UDP, 5060): ("sip",), (TCP, 5060): ("sip",), (TCP, 2000): ("skinny",),
    (TCP, 1521): ("sqlnet",), (TCP, 7070): ("realaudio",), (TCP, 1558): ("streamworks",),
    (TCP, 7000): ("vdolive",), (TCP, 1755): ("netshow",), (UDP, 7648): ("cuseeme",),
    (TCP, 512): ("rcmd",), (TCP, 513): ("rcmd",), (TCP, 514): ("rcmd",), (TCP, 111): ("rpc",),
    (UDP, 111): ("rpc",),
}
GENERIC = {TCP: "tcp", UDP: "udp", ICMP: "icmp"}
ICMP_REQUESTS = {8: 0, 13: 14, 15: 16, 17: 18}   # request type -> its reply type
ICMP_REPLIES = {reply: request for request, reply in ICMP_REQUESTS.items()}

FIRST_ID = 0x6155930C   # session ids look like the router's object addresses
ID_STEP = 0x1A0


# What `Bytes sent` (and the audit trail) leave out of a packet's length: the IP and TCP/UDP
# headers, so TCP and UDP count their payload; for ICMP only the IP header, so the ICMP message
# counts whole, header and data (a 100-byte ping counts 80 bytes, as on the router).
HEADER_BYTES = {TCP: 40, UDP: 28, ICMP: 20}


def flow_key(proto: int, a_ip: int, a_port: int, b_ip: int, b_port: int) -> int:
    """A flow as one integer (cheaper to keep and hash than nested tuples): protocol, both
    ports (ICMP: the request type and 0) and both addresses."""
    return proto | a_port << 8 | b_port << 25 | a_ip << 42 | b_ip << 74


def flow_keys(packet) -> tuple[int, int]:
    """The session key if this packet comes from an initiator, and if it is a reply. ICMP
    sessions are keyed by the request type, which the reply names through its own type."""
    if packet.proto == ICMP:
        request = ICMP_REPLIES.get(packet.icmp_type, 0x1FFFF)
        return (flow_key(ICMP, packet.src, packet.icmp_type, packet.dst, 0),
                flow_key(ICMP, packet.dst, request, packet.src, 0))
    proto, src, dst, sport, dport = packet.proto, packet.src, packet.dst, packet.sport, \
        packet.dport
    return (proto | sport << 8 | dport << 25 | src << 42 | dst << 74,
            proto | dport << 8 | sport << 25 | dst << 42 | src << 74)


@dataclass(frozen=True)
class Opener:
    """What opened a session, shared by all the sessions one rule line opens on one interface
    (100,000 sessions make every per-session field count)."""
    line: m.InspectProtocol            # the rule line
    rule: str
    interface: str
    direction: str                     # "in" or "out": where the rule is applied
    idle: int                          # the line's idle timeout
    audit: bool                        # audit trail on for the line
    alert: bool                        # alerts on for the line


@dataclass(slots=True)
class Session:
    id: int
    opener: Opener
    ip_proto: int
    initiator: tuple[int, int]         # (address, port); ICMP: (address, type)
    responder: tuple[int, int]
    created: float
    last_heard: float
    key: int                           # its table key (flow_key)
    state: str = OPENING
    bytes_initiator: int = 0
    bytes_responder: int = 0
    deadline: float = 0.0              # when it expires unless a packet comes
    armed: float = -1.0                # when its one timer-heap entry fires (-1: none)
    live: bool = True                  # still in the table
    inspector: object = None           # its application inspector, made at the first bytes

    def __lt__(self, other: "Session") -> bool:     # timers due at the same time: oldest first
        return self.id < other.id

    @property
    def protocol(self) -> str:         # the inspection protocol: tcp, udp, icmp, smtp, ...
        return self.opener.line.protocol

    @property
    def line(self) -> m.InspectProtocol:
        return self.opener.line

    @property
    def rule(self) -> str:
        return self.opener.rule

    @property
    def interface(self) -> str:
        return self.opener.interface

    @property
    def direction(self) -> str:
        return self.opener.direction

    @property
    def idle(self) -> int:
        return self.opener.idle

    @property
    def audit(self) -> bool:
        return self.opener.audit

    @property
    def alert(self) -> bool:
        return self.opener.alert


@dataclass(frozen=True)
class Closed:
    """A session the table removed, and why (audit trail, alerts and tests read it)."""
    session: Session
    reason: str                        # "fin", "rst", "idle", "synwait", "finwait", "cleared"


APPLICATION_INSPECTED = frozenset({"smtp", "esmtp"})   # protocols whose bytes are read


def inspector_for(line: m.InspectProtocol):
    """The application inspector a rule line asks for: SMTP command inspection for smtp and
    esmtp (max-data from the line, 20,000,000 bytes unless set)."""
    if line.protocol not in ("smtp", "esmtp"):
        return None
    from .smtp import SmtpInspector
    return SmtpInspector(esmtp=line.protocol == "esmtp",
                         max_data=line.max_data if line.max_data is not None else 20_000_000)


class SessionTable:
    def __init__(self, globals_: m.InspectGlobals, interner: Optional[Interner] = None,
                 alarm: Optional[Alarm] = None):
        self.globals = globals_
        self.shared = interner or Interner()
        self.alarm = alarm or Alarm()
        self._lines: dict = {}          # (rule, proto, port or ICMP type) -> its rule line
        self._openers: dict = {}        # (id(rule line), interface, direction) -> Opener
        self.sessions: dict[int, Session] = {}          # by flow key
        # half-open sessions, oldest first, and the TCP ones by responder address: the
        # thresholds count and delete them without scanning the table
        self.half_open: dict[int, Session] = {}
        self.half_open_by_host: dict[int, dict[int, Session]] = {}
        self._timers = TimerHeap(lambda s: s.deadline, self.alarm)
        self._ids = Serial()
        self.closing = 0                # sessions in SIS_CLOSING
        self.stats = InspectStats()

    # ------------------------------------------------------------------ which flows a rule takes
    def configured(self, globals_: m.InspectGlobals) -> None:
        """The configuration changed: new globals, and rule lines looked up afresh."""
        self.globals = globals_
        self._lines.clear()
        self._openers.clear()

    def protocol_for(self, rule: m.InspectRule, packet) -> Optional[m.InspectProtocol]:
        key = (rule.name, packet.proto, packet.dport if packet.proto != ICMP
               else packet.icmp_type)
        try:
            return self._lines[key]
        except KeyError:
            line = self._lines[key] = self.line_for(rule, packet)
            return line

    @staticmethod
    def line_for(rule: m.InspectRule, packet) -> Optional[m.InspectProtocol]:
        """The line of `rule` that inspects this first packet: the application protocol of its
        destination port when the rule names it, else the generic tcp/udp/icmp line."""
        names = {p.protocol: p for p in rule.protocols}
        for name in APPLICATION_PORTS.get((packet.proto, packet.dport), ()):
            if name in names:
                return names[name]
        generic = GENERIC.get(packet.proto)
        if generic == "icmp" and packet.icmp_type not in ICMP_REQUESTS:
            return None
        return names.get(generic) if generic else None

    # ------------------------------------------------------------------ lookups
    def find(self, packet) -> Optional[tuple[Session, bool]]:
        """The session this packet belongs to, and whether it comes from the initiator."""
        forward, reply = flow_keys(packet)
        found = self.sessions.get(forward)
        if found is not None:
            return found, True
        found = self.sessions.get(reply)
        return (found, False) if found is not None else None

    # ------------------------------------------------------------------ life cycle
    def open(self, packet, rule: m.InspectRule, line: m.InspectProtocol, interface: str,
             direction: str, now: float) -> Session:
        key = flow_keys(packet)[0]
        if packet.proto == ICMP:
            initiator, responder = (packet.src, packet.icmp_type), (packet.dst, 0)
        else:
            initiator, responder = (packet.src, packet.sport), (packet.dst, packet.dport)
        initiator, responder = self.shared(initiator), self.shared(responder)
        where = (id(line), interface, direction)
        opener = self._openers.get(where)
        if opener is None:
            g = self.globals
            opener = self._openers[where] = Opener(
                line, rule.name, interface, direction, g.timeout_for(line), g.audit_for(line),
                g.alert_for(line))
        session = Session(FIRST_ID + next(self._ids) * ID_STEP, opener, packet.proto, initiator,
                          responder, now, now, key)
        self.sessions[session.key] = session
        self.half_open[session.key] = session
        if session.ip_proto == TCP:
            self.half_open_by_host.setdefault(responder[0], {})[session.key] = session
        stats = self.stats
        stats.created += 1
        stats.last_created = now
        stats.max_half_open = max(stats.max_half_open, len(self.half_open))
        self.seen(session, packet, True, now)
        return session

    def seen(self, session: Session, packet, from_initiator: bool,
             now: float) -> Optional[Closed]:
        """Account a packet of the session; returns the closing when it ends the session."""
        session.last_heard = now
        proto = session.ip_proto
        size = packet.length - HEADER_BYTES[proto]
        if size > 0:
            if from_initiator:
                session.bytes_initiator += size
            else:
                session.bytes_responder += size
        if proto == TCP:
            flags = packet.tcp_flags
            if flags & RST:
                return self.close(session, "rst")
            if session.state == OPEN and not flags & FIN:
                # the common case: an established connection's data or ACK
                deadline = session.deadline = now + session.opener.idle
                if session.armed < 0 or deadline < session.armed:
                    self._timers.arm(session, deadline)
                return None
            self._tcp(session, packet, from_initiator)
        elif not from_initiator and session.state == OPENING:
            self._established(session)     # UDP/ICMP: open once the other side answers
        self._arm(session, now)
        return None

    def _established(self, session: Session, state: str = OPEN) -> None:
        before = session.state
        if before == state:
            return
        if before == OPENING:
            self._forget_half_open(session)
        elif before == CLOSING:
            self.closing -= 1
        session.state = state
        if state == CLOSING:
            self.closing += 1
        self.stats.counts(*self.counts())

    def _forget_half_open(self, session: Session) -> None:
        self.half_open.pop(session.key, None)
        per_host = self.half_open_by_host.get(session.responder[0])
        if per_host is not None:
            per_host.pop(session.key, None)
            if not per_host:
                del self.half_open_by_host[session.responder[0]]

    def _tcp(self, session: Session, packet, from_initiator: bool) -> str:
        flags = packet.tcp_flags
        if flags & RST:
            return "rst"
        if session.state == OPENING and from_initiator and flags & ACK and not flags & SYN:
            self._established(session)
        if flags & FIN:
            self._established(session, CLOSING)
        return ""

    def _arm(self, session: Session, now: float) -> None:
        g = self.globals
        if session.state == OPENING and session.ip_proto == TCP:
            wait = g.synwait
        elif session.state == CLOSING:
            wait = g.finwait
        elif session.ip_proto == UDP and session.responder[1] == 53:
            wait = g.dns_timeout
        else:
            wait = session.idle
        session.deadline = deadline = now + wait
        self._timers.arm(session, deadline)

    def close(self, session: Session, reason: str) -> Closed:
        self.sessions.pop(session.key, None)
        if session.state == OPENING:
            self._forget_half_open(session)
        elif session.state == CLOSING and session.live:
            self.closing -= 1
        session.live = False
        return Closed(session, reason)

    def next_deadline(self) -> Optional[float]:
        """When the next session timer runs out."""
        return self._timers.next_deadline()

    def clear(self) -> list[Closed]:
        """`clear ip inspect session`: every session goes."""
        return [self.close(s, "cleared") for s in list(self.sessions.values())]

    def expire(self, now: float) -> list[Closed]:
        """Remove the sessions whose timer ran out by `now`, in the order they ran out."""
        out = []
        while (session := self._timers.pop_due(now)) is not None:
            reason = {OPENING: "synwait", CLOSING: "finwait"}.get(session.state, "idle") \
                if session.ip_proto == TCP else "idle"
            out.append(self.close(session, reason))
        return out

    # ------------------------------------------------------------------ counts
    def counts(self) -> tuple[int, int, int]:
        """Sessions now (established, half-open, terminating), as statistics counts them."""
        half = len(self.half_open)
        return len(self.sessions) - half - self.closing, half, self.closing

    def half_open_to(self, host: int) -> list[Session]:
        """Half-open TCP sessions to `host`, oldest first."""
        return list(self.half_open_by_host.get(host, {}).values())

"""CBAC's session table: which flows an inspection rule takes, their TCP/UDP/ICMP state and
timers on the virtual clock. The table decides; it prints nothing (renderers read it)."""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Optional

from ..config import model as m
from .packet import ACK, FIN, ICMP, RST, SYN, TCP, UDP

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


def payload(packet) -> int:
    """Bytes after the IP and TCP/UDP/ICMP headers: what `Bytes sent` counts."""
    header = 40 if packet.proto == TCP else 28 if packet.proto in (UDP, ICMP) else 20
    return max(0, packet.length - header)


def flow_keys(packet) -> tuple[tuple, tuple]:
    """The session key if this packet comes from an initiator, and if it is a reply. ICMP
    sessions are keyed by the request type, which the reply names through its own type."""
    if packet.proto == ICMP:
        request = ICMP_REPLIES.get(packet.icmp_type, -1)
        return ((ICMP, (packet.src, packet.icmp_type), (packet.dst, 0)),
                (ICMP, (packet.dst, request), (packet.src, 0)))
    return ((packet.proto, (packet.src, packet.sport), (packet.dst, packet.dport)),
            (packet.proto, (packet.dst, packet.dport), (packet.src, packet.sport)))


@dataclass
class Session:
    id: int
    protocol: str                      # the inspection protocol: tcp, udp, icmp, smtp, ...
    ip_proto: int
    initiator: tuple[int, int]         # (address, port); ICMP: (address, type)
    responder: tuple[int, int]
    interface: str
    direction: str                     # "in" or "out": where the rule is applied
    rule: str
    created: float
    last_heard: float
    state: str = OPENING
    bytes_initiator: int = 0
    bytes_responder: int = 0
    fins: set = field(default_factory=set)   # who has sent FIN: "initiator", "responder"
    idle: int = 3600                   # the idle timeout of the rule line that opened it
    deadline: float = 0.0
    audit: bool = False                # audit trail on for the rule line that opened it

    @property
    def key(self) -> tuple:
        return (self.ip_proto, self.initiator, self.responder)


@dataclass(frozen=True)
class Closed:
    """A session the table removed, and why (audit trail, alerts and tests read it)."""
    session: Session
    reason: str                        # "fin", "rst", "idle", "synwait", "finwait", "cleared"


class SessionTable:
    def __init__(self, globals_: m.InspectGlobals):
        self.globals = globals_
        self.sessions: dict[tuple, Session] = {}
        # half-open sessions, oldest first, and the TCP ones by responder address: the
        # thresholds count and delete them without scanning the table
        self.half_open: dict[tuple, Session] = {}
        self.half_open_by_host: dict[int, dict[tuple, Session]] = {}
        self._timers: list = []        # (deadline, n, key): lazily cancelled when reset
        self._ids = itertools.count()
        self._order = itertools.count()

    # ------------------------------------------------------------------ which flows a rule takes
    @staticmethod
    def protocol_for(rule: m.InspectRule, packet) -> Optional[m.InspectProtocol]:
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
        _, initiator, responder = flow_keys(packet)[0]
        session = Session(
            id=FIRST_ID + next(self._ids) * ID_STEP, protocol=line.protocol, ip_proto=packet.proto,
            initiator=initiator, responder=responder, interface=interface,
            direction=direction, rule=rule.name, created=now, last_heard=now,
            idle=self.globals.timeout_for(line), audit=self.globals.audit_for(line))
        self.sessions[session.key] = session
        self.half_open[session.key] = session
        if session.ip_proto == TCP:
            self.half_open_by_host.setdefault(responder[0], {})[session.key] = session
        self.seen(session, packet, True, now)
        return session

    def seen(self, session: Session, packet, from_initiator: bool,
             now: float) -> Optional[Closed]:
        """Account a packet of the session; returns the closing when it ends the session."""
        session.last_heard = now
        if from_initiator:
            session.bytes_initiator += payload(packet)
        else:
            session.bytes_responder += payload(packet)
        if session.ip_proto == TCP:
            closed = self._tcp(session, packet, from_initiator)
            if closed:
                return self.close(session, closed)
        elif not from_initiator and session.state == OPENING:
            self._established(session)     # UDP/ICMP: open once the other side answers
        self._arm(session, now)
        return None

    def _established(self, session: Session, state: str = OPEN) -> None:
        if session.state == OPENING:
            self._forget_half_open(session)
        session.state = state

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
        side = "initiator" if from_initiator else "responder"
        if session.state == OPENING and from_initiator and flags & ACK and not flags & SYN:
            self._established(session)
        if flags & FIN:
            session.fins.add(side)
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
        session.deadline = now + wait
        heapq.heappush(self._timers, (session.deadline, next(self._order), session.key))

    def close(self, session: Session, reason: str) -> Closed:
        self.sessions.pop(session.key, None)
        if session.state == OPENING:
            self._forget_half_open(session)
        return Closed(session, reason)

    def next_deadline(self) -> Optional[float]:
        """When the next session timer runs out (stale timers dropped on the way)."""
        timers = self._timers
        while timers:
            deadline, _, key = timers[0]
            session = self.sessions.get(key)
            if session is not None and session.deadline == deadline:
                return deadline
            heapq.heappop(timers)
        return None

    def clear(self) -> list[Closed]:
        """`clear ip inspect session`: every session goes."""
        return [self.close(s, "cleared") for s in list(self.sessions.values())]

    def expire(self, now: float) -> list[Closed]:
        """Remove the sessions whose timer ran out by `now`, in the order they ran out."""
        out = []
        while self._timers and self._timers[0][0] <= now:
            deadline, _, key = heapq.heappop(self._timers)
            session = self.sessions.get(key)
            if session is None or session.deadline != deadline:
                continue           # a later packet re-armed it, or it already closed
            reason = {OPENING: "synwait", CLOSING: "finwait"}.get(session.state, "idle") \
                if session.ip_proto == TCP else "idle"
            out.append(self.close(session, reason))
        return out

    # ------------------------------------------------------------------ counts
    def half_open_to(self, host: int) -> list[Session]:
        """Half-open TCP sessions to `host`, oldest first."""
        return list(self.half_open_by_host.get(host, {}).values())

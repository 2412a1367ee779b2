"""A packet through the router in IOS order, leaving a trace of what each phase decided.

Inbound (the interface it arrives on): a packet of a known CBAC session bypasses both access
lists (Firewall ACL Bypass, 12.3(4)T); otherwise inbound ACL on the addresses as they arrive,
NAT outside->inside, routing, NAT inside->outside, outbound ACL, then inspection, which opens a
session for the first packet of a flow a rule inspects. Sessions are keyed by the inside-local
view of a flow (after outside->inside and before inside->outside translation), so that both
directions of a translated flow find the same session.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional

from ..config import model as m
from .acl import CompiledAcl
from .acllog import AclLog
from .cbac import Closed, Session, SessionTable
from .dos import DosGuard
from .events import SessionEnded
from .interner import Interner
from .nattable import NatTable, NoAddress
from .packet import ACK, SYN, TCP, Packet
from .routing import RouteEntry, lookup, table


@dataclass(frozen=True)
class Step:
    """One phase's decision; `subject` is what decided it (an ACL entry, a translation, a
    route, a session), for renderers to describe."""
    phase: str       # inbound-acl, nat-in, routing, nat-out, outbound-acl, inspection, session
    verdict: str     # permit, deny, implicit-deny, translated, route, no-route, opened,
    #                  blocked (host over its half-open limit), no-address (NAT pool empty)
    subject: Any = None
    acl: str = ""    # the access list's name for ACL phases


@dataclass
class Outcome:
    packet: Packet                     # as it arrived
    ingress: str
    forwarded: bool = False
    egress: str = ""
    out_packet: Optional[Packet] = None  # as it leaves
    steps: list[Step] = field(default_factory=list)
    session: Optional[Session] = None
    events: list = field(default_factory=list)   # what to log, in order (iosfw.engine.events)

    def step(self, phase: str, verdict: str, subject: Any = None, acl: str = "") -> None:
        self.steps.append(Step(phase, verdict, subject, acl))


class Engine:
    """The router's forwarding state, rebuilt from the model after every configuration change;
    sessions and translations survive a rebuild, as on the router."""

    def __init__(self, router: m.Router):
        self.router = router
        shared = Interner()     # flow ends shared by sessions and NAT entries
        self.sessions = SessionTable(router.inspect, shared)
        self.dos = DosGuard(self.sessions)
        self.nat = NatTable(router, shared)
        self.acl_log = AclLog()
        self.refresh()

    def refresh(self) -> None:
        r = self.router
        self.acls = {name: CompiledAcl(acl) for name, acl in r.access_lists.items()}
        self.nat.refresh(r)
        self.routes: list[RouteEntry] = table(r)
        self.sessions.globals = r.inspect

    # ------------------------------------------------------------------ timers
    def tick(self, now: float) -> list:
        """Everything due by `now`: sessions and translations that expire, blocks that end,
        the alert that calms down, the five-minute ACL log summaries."""
        events: list = []
        self._ended(self.sessions.expire(now), events)
        self.nat.expire(now)
        self.dos.tick(now, events)
        self.acl_log.tick(now, events)
        return events

    def next_deadline(self, now: float) -> Optional[float]:
        """When the next timer after `now` runs out (None: nothing pending)."""
        times = [t for t in (self.sessions.next_deadline(), self.nat.next_deadline(),
                             self.dos.next_deadline(now), self.acl_log.next_deadline())
                 if t is not None]
        return min(times) if times else None

    def clear_sessions(self) -> list:
        events: list = []
        self._ended(self.sessions.clear(), events)
        return events

    @staticmethod
    def _ended(closed: list[Closed], events: list) -> None:
        events.extend(SessionEnded(c.session, c.reason, c.session.audit) for c in closed)

    # ------------------------------------------------------------------ helpers
    def ingress_for(self, src: int) -> Optional[str]:
        """Where a packet from `src` arrives: the interface the routing table points to."""
        route = lookup(self.routes, src)
        return route.interface if route and route.interface else self._via(route)

    def _via(self, route: Optional[RouteEntry]) -> Optional[str]:
        if route is None or route.next_hop is None:
            return None
        hop = lookup(self.routes, route.next_hop)
        return hop.interface if hop and hop.code == "C" else None

    def _acl(self, outcome: Outcome, phase: str, name: str, packet: Packet, now: float) -> bool:
        acl = self.acls.get(name)
        if acl is None:
            outcome.step(phase, "permit", None, name)   # a missing list permits, as in IOS
            return True
        permitted, entry = acl.check(packet)
        outcome.step(phase, "permit" if permitted else ("deny" if entry else "implicit-deny"),
                     entry, name)
        if entry is not None and entry.log:
            logged = self.acl_log.hit(name, acl.acl.kind == "standard", entry, packet,
                                      outcome.ingress, now)
            if logged is not None:
                outcome.events.append(logged)
        return permitted

    def _permits(self, name: str, packet: Packet) -> bool:
        """Whether a NAT rule's access list takes this packet."""
        acl = self.acls.get(name)
        return acl is not None and acl.check(packet)[0]

    # ------------------------------------------------------------------ the path
    def forward(self, packet: Packet, ingress: str, now: float) -> Outcome:
        outcome = Outcome(packet, ingress)
        outcome.events = self.tick(now)
        r = self.router
        inside_in = r.interfaces.get(ingress)
        if inside_in is None:
            outcome.step("ingress", "no-interface")
            return outcome
        from_outside = inside_in.nat == "outside"
        local = self.nat.inside_view(packet) if from_outside else packet
        found = self.sessions.find(local)
        if found is None and inside_in.access_group_in and \
                not self._acl(outcome, "inbound-acl", inside_in.access_group_in, packet, now):
            return outcome
        if from_outside:
            translated = self.nat.to_inside(packet, now)
            outcome.step("nat-in", "translated" if translated else "none", translated)
        route = lookup(self.routes, local.dst)
        if route is None:
            outcome.step("routing", "no-route")
            return outcome
        egress = route.interface or self._via(route) or ""
        outcome.step("routing", "route", route)
        out_intf = r.interfaces.get(egress)
        leaving = local
        if out_intf is not None and inside_in.nat == "inside" and out_intf.nat == "outside":
            try:
                translated = self.nat.to_outside(local, now, self._permits)
            except NoAddress as err:
                outcome.step("nat-out", "no-address", str(err))
                return outcome
            if translated is not None:
                src, sport = translated.entry.inside_global
                leaving = replace(local, src=src, sport=sport)   # ICMP: the query id
            outcome.step("nat-out", "translated" if translated else "none", translated)
        if found is not None:
            session, from_initiator = found
            closed = self.sessions.seen(session, local, from_initiator, now)
            outcome.step("session", "closed" if closed else "matched", session)
            if closed:
                self._ended([closed], outcome.events)
            outcome.session = session
            self.dos.check(now, outcome.events)
        else:
            if out_intf is not None and out_intf.access_group_out and not self._acl(
                    outcome, "outbound-acl", out_intf.access_group_out, leaving, now):
                return outcome
            if not self._inspect(outcome, local, inside_in, out_intf, now):
                return outcome
        outcome.forwarded, outcome.egress, outcome.out_packet = True, egress, leaving
        return outcome

    def _inspect(self, outcome: Outcome, local: Packet, ingress: m.Interface,
                 egress: Optional[m.Interface], now: float) -> bool:
        """Open a session when a rule applied on the way inspects this first packet; False
        when the thresholds refuse it (a blocked host)."""
        if local.proto == TCP and (local.tcp_flags & (SYN | ACK)) != SYN:
            return True     # only a SYN opens a TCP session
        for intf, direction, name in ((ingress, "in", ingress.inspect_in),
                                      (egress, "out", egress.inspect_out if egress else "")):
            rule = self.router.inspect_rules.get(name) if name else None
            if rule is None:
                continue
            line = self.sessions.protocol_for(rule, local)
            if line is None:
                continue
            closed: list[Closed] = []
            admitted = self.dos.admit(local.proto, local.dst, now, outcome.events, closed)
            self._ended(closed, outcome.events)
            for gone in closed:
                outcome.step("thresholds", gone.reason, gone.session)
            if not admitted:
                outcome.step("inspection", "blocked", local.dst)
                return False
            session = self.sessions.open(local, rule, line, intf.name, direction, now)
            outcome.step("inspection", "opened", session)
            outcome.session = session
            self.dos.opened(now, outcome.events)
            return True
        return True

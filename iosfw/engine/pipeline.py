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
from .cbac import Closed, Session, SessionTable
from .nat import StaticNat
from .packet import ACK, SYN, TCP, Packet
from .routing import RouteEntry, lookup, table


@dataclass(frozen=True)
class Step:
    """One phase's decision; `subject` is what decided it (an ACL entry, a translation, a
    route, a session), for renderers to describe."""
    phase: str       # inbound-acl, nat-in, routing, nat-out, outbound-acl, inspection, session
    verdict: str     # permit, deny, implicit-deny, translated, route, no-route, opened, ...
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
    closed: list[Closed] = field(default_factory=list)

    def step(self, phase: str, verdict: str, subject: Any = None, acl: str = "") -> None:
        self.steps.append(Step(phase, verdict, subject, acl))


class Engine:
    """The router's forwarding state, rebuilt from the model after every configuration change;
    sessions survive a rebuild, as on the router."""

    def __init__(self, router: m.Router):
        self.router = router
        self.sessions = SessionTable(router.inspect)
        self.refresh()

    def refresh(self) -> None:
        r = self.router
        self.acls = {name: CompiledAcl(acl) for name, acl in r.access_lists.items()}
        self.nat = StaticNat(r)
        self.routes: list[RouteEntry] = table(r)
        self.sessions.globals = r.inspect

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

    def _acl(self, outcome: Outcome, phase: str, name: str, packet: Packet) -> bool:
        acl = self.acls.get(name)
        if acl is None:
            outcome.step(phase, "permit", None, name)   # a missing list permits, as in IOS
            return True
        permitted, entry = acl.check(packet)
        outcome.step(phase, "permit" if permitted else ("deny" if entry else "implicit-deny"),
                     entry, name)
        return permitted

    # ------------------------------------------------------------------ the path
    def forward(self, packet: Packet, ingress: str, now: float) -> Outcome:
        outcome = Outcome(packet, ingress)
        outcome.closed = self.sessions.expire(now)
        r = self.router
        inside_in = r.interfaces.get(ingress)
        if inside_in is None:
            outcome.step("ingress", "no-interface")
            return outcome
        local = packet
        if inside_in.nat == "outside":
            dst, dport, tr = self.nat.to_inside(packet.proto, packet.dst, packet.dport)
            local = replace(packet, dst=dst, dport=dport)
        found = self.sessions.find(local)
        if found is None and not self._acl_in(outcome, inside_in, packet):
            return outcome
        if inside_in.nat == "outside" and local is not packet:
            outcome.step("nat-in", "translated" if tr else "none", tr)
        route = lookup(self.routes, local.dst)
        if route is None:
            outcome.step("routing", "no-route")
            return outcome
        egress = route.interface or self._via(route) or ""
        outcome.step("routing", "route", route)
        out_intf = r.interfaces.get(egress)
        leaving = local
        if out_intf is not None and inside_in.nat == "inside" and out_intf.nat == "outside":
            src, sport, tr = self.nat.to_outside(local.proto, local.src, local.sport)
            leaving = replace(local, src=src, sport=sport)
            outcome.step("nat-out", "translated" if tr else "none", tr)
        if found is not None:
            session, from_initiator = found
            closed = self.sessions.seen(session, local, from_initiator, now)
            outcome.step("session", "closed" if closed else "matched", session)
            if closed:
                outcome.closed.append(closed)
            outcome.session = session
        else:
            if out_intf is not None and out_intf.access_group_out and \
                    not self._acl(outcome, "outbound-acl", out_intf.access_group_out, leaving):
                return outcome
            outcome.session = self._inspect(outcome, local, inside_in, out_intf, now)
        outcome.forwarded, outcome.egress, outcome.out_packet = True, egress, leaving
        return outcome

    def _acl_in(self, outcome: Outcome, intf: m.Interface, packet: Packet) -> bool:
        if not intf.access_group_in:
            return True
        return self._acl(outcome, "inbound-acl", intf.access_group_in, packet)

    def _inspect(self, outcome: Outcome, local: Packet, ingress: m.Interface,
                 egress: Optional[m.Interface], now: float) -> Optional[Session]:
        """Open a session when a rule applied on the way inspects this first packet."""
        if local.proto == TCP and (local.tcp_flags & (SYN | ACK)) != SYN:
            return None     # only a SYN opens a TCP session
        for intf, direction, name in ((ingress, "in", ingress.inspect_in),
                                      (egress, "out", egress.inspect_out if egress else "")):
            rule = self.router.inspect_rules.get(name) if name else None
            if rule is None:
                continue
            line = self.sessions.protocol_for(rule, local)
            if line is None:
                continue
            session = self.sessions.open(local, rule, line, intf.name, direction, now)
            outcome.step("inspection", "opened", session)
            return session
        return None

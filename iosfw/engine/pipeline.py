"""A packet through the router in IOS order, leaving a trace of what each phase decided.

Inbound (the interface it arrives on): a packet of a known CBAC session bypasses both access
lists (Firewall ACL Bypass, 12.3(4)T); otherwise inbound ACL on the addresses as they arrive,
NAT outside->inside, routing, NAT inside->outside, outbound ACL, then inspection, which opens a
session for the first packet of a flow a rule inspects. Sessions are keyed by the inside-local
view of a flow (after outside->inside and before inside->outside translation), so that both
directions of a translated flow find the same session.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from ..config import model as m
from .acl import CompiledAcl
from .acllog import AclLog
from .alarm import Alarm
from .cbac import APPLICATION_INSPECTED, Closed, Session, SessionTable, inspector_for
from .counters import ArpEntry, InterfaceCounters
from .dos import DosGuard
from .events import SessionEnded, SmtpInspected
from .interner import Interner
from .nattable import NatTable, NoAddress
from .packet import ACK, SYN, TCP, Packet
from .routing import RouteEntry, lookup, table

ROUTE_CACHE = 65536         # destinations remembered per configuration


class Step(NamedTuple):
    """One phase's decision; `subject` is what decided it (an ACL entry, a translation, a
    route, a session), for renderers to describe."""
    phase: str       # inbound-acl, nat-in, routing, nat-out, outbound-acl, inspection, session,
    #                  thresholds
    verdict: str     # permit, deny, implicit-deny, translated, route, no-route, opened,
    #                  blocked (host over its half-open limit), no-address (NAT pool empty)
    subject: Any = None
    acl: str = ""    # the access list's name for ACL phases
    matches: int = 0  # ACL phases: the deciding entry's hits, this packet's included


@dataclass(slots=True)
class Outcome:
    packet: Packet                     # as it arrived
    ingress: str
    forwarded: bool = False
    egress: str = ""
    out_packet: Optional[Packet] = None  # as it leaves
    steps: list[Step] = field(default_factory=list)
    session: Optional[Session] = None
    events: list = field(default_factory=list)   # what to log, in order (iosfw.engine.events)
    from_initiator: Optional[bool] = None        # for a packet of an existing session
    released: bytes = b""    # client bytes the inspector held and lets go to the server now

    def step(self, phase: str, verdict: str, subject: Any = None, acl: str = "",
             matches: int = 0) -> None:
        self.steps.append(Step(phase, verdict, subject, acl, matches))


@dataclass(slots=True)
class _Flow:
    """What the path decided for the packets of one established flow arriving on one
    interface, kept so that its next packets skip the lookups (the cache is emptied when the
    configuration changes; a record whose session or translation is gone is not used). It
    counts the packets that took the fast path, for both interfaces at once (they arrive and
    leave with the same length); the counts join the interfaces' when the record goes."""
    session: Session
    from_initiator: bool
    translation: Any              # the flow's NAT extended entry, or None
    to_inside: Optional[tuple]    # (address, port) the destination becomes, or None
    to_outside: Optional[tuple]   # (address, port) the source becomes, or None
    egress: str
    steps: tuple                  # the steps the full path recorded
    packets: int = 0              # fast-path packets, their bytes and the last one's time
    bytes: int = 0
    last: float = 0.0


LOCAL_MAC_PREFIX = 0x0200 << 32   # simulated stations' MACs: 0200.xxxx.xxxx (station_mac)
def _addressing(r: m.Router) -> tuple:
    """What of the interfaces the routing table and static NAT are built from."""
    return tuple((i.name, i.address, tuple(i.secondaries), i.shutdown)
                 for i in r.interfaces.values())


def _links(r: m.Router) -> dict[str, tuple]:
    """The (network, mask) pairs of each Ethernet that is up: the networks whose stations
    the router reaches by ARP."""
    return {i.name: tuple((ip & mask, mask) for ip, mask in
                          ([i.address] if i.address else []) + i.secondaries)
            for i in r.interfaces.values() if "Ethernet" in i.name and not i.shutdown}


def _flow_counts(flow: _Flow, ingress: bool) -> InterfaceCounters:
    """What `flow`'s fast path counted, for the interface it arrives on (`ingress`) or the
    one it leaves by."""
    if ingress:
        return InterfaceCounters(flow.packets, flow.bytes, 0, 0, flow.last, None)
    return InterfaceCounters(0, 0, flow.packets, flow.bytes, None, flow.last)


FAST_PROTOCOLS = (6, 17)          # TCP and UDP flows take the fast path
FLOW_CACHE = 2048                 # flows remembered; the oldest quarter goes when full


def station_mac(address: int) -> int:
    """The MAC address of a simulated station: 0200 then its IPv4 address (10.10.10.2 is
    0200.0a0a.0a02), stable, unique per address and locally administered (0x02 bit)."""
    return LOCAL_MAC_PREFIX | address


def _translated_source(packet: Packet, entry) -> Packet:
    """The packet with the inside global source of its NAT entry: an extended entry gives the
    port too (for ICMP the identifier), a pool address entry keeps the packet's own."""
    address, port = entry.inside_global
    return packet.with_source(address, port if entry.proto else packet.sport)


class Engine:
    """The router's forwarding state, rebuilt from the model after every configuration change;
    sessions and translations survive a rebuild, as on the router."""

    def __init__(self, router: m.Router):
        self.router = router
        self.alarm = Alarm()
        shared = Interner()     # flow ends shared by sessions and NAT entries
        self.sessions = SessionTable(router.inspect, shared, self.alarm)
        self.dos = DosGuard(self.sessions)
        self.nat = NatTable(router, shared, self.alarm)
        self.acl_log = AclLog(self.alarm)
        self.stats = self.sessions.stats
        self._process, self._fast_switched = self.stats.process, self.stats.fast
        self.acls: dict[str, CompiledAcl] = {}
        self._addressing: tuple = ()
        self._counters: defaultdict[str, InterfaceCounters] = defaultdict(InterfaceCounters)
        self._arp: dict[int, ArpEntry] = {}
        self._flows: dict[tuple, _Flow] = {}
        self.refresh()

    def refresh(self, slot: Optional[str] = None) -> None:
        """Follow the model after a change; `slot` (the running-config slot a configuration
        command touched) limits the work to what that command can affect: access lists are
        compiled again only when they changed, the routing and NAT tables are built again
        only after a route, NAT or interface command. None: after anything."""
        r = self.router
        self.acls = {name: self._compiled(acl) for name, acl in r.access_lists.items()}
        addressing = _addressing(r)
        interface = slot is None or (slot.startswith("interface:") and
                                     addressing != self._addressing)
        self._addressing = addressing
        if interface or slot == "nat":
            self.nat.refresh(r)
        if interface or slot in ("route", "ip"):
            self.routes: list[RouteEntry] = table(r)
        if interface:
            self._relink(r)
        self._route_cache: dict[int, Optional[RouteEntry]] = {}
        for key, flow in self._flows.items():
            self._retire(key, flow)
        self._flows = {}
        self.sessions.configured(r.inspect)
        self.alarm.set(0.0)         # timers may have changed: look at them on the next packet

    def _compiled(self, acl: m.AccessList) -> CompiledAcl:
        """The list compiled, again only if it changed since (a configuration command costs
        what it changes, not what the configuration holds), keeping the hits of its entries."""
        done = self.acls.get(acl.name)
        if done is not None and done.acl is acl and done.revision == acl.revision:
            return done
        return CompiledAcl(acl, done)

    # ------------------------------------------------------------------ ACL counters
    def acl_matches(self, acl: m.AccessList) -> list[int]:
        """The hits of each entry of `acl`, in its order, as `show access-lists` prints them."""
        compiled = self.acls.get(acl.name)
        return compiled.counts(acl.entries) if compiled else [0] * len(acl.entries)

    def clear_acl_counters(self, name: Optional[str] = None) -> None:
        """`clear access-list counters [NAME]`: every list's, or list NAME's."""
        for compiled in self.acls.values():
            if name is None or compiled.acl.name == name:
                compiled.clear_counts()

    def acl_permits(self, name: str, packet: Packet) -> Optional[bool]:
        """Whether list `name` permits `packet`, the hit counted (a connection to the router
        itself, matched as its SYN); None when there is no such list."""
        acl = self.acls.get(name)
        return acl.check(packet)[0] if acl is not None else None

    # ------------------------------------------------------------------ interfaces
    def interface_counters(self, name: str) -> InterfaceCounters:
        """What crossed interface `name` since boot (zeros when nothing did)."""
        found = self._counters.get(name)
        counters = found.copy() if found is not None else InterfaceCounters()
        for (ingress, _), flow in self._flows.items():
            if flow.packets:
                if ingress == name:
                    counters.add(_flow_counts(flow, True))
                if flow.egress == name:
                    counters.add(_flow_counts(flow, False))
        return counters

    def arp_entries(self) -> list[ArpEntry]:
        """The stations the router has exchanged frames with, by address."""
        return [self._arp[address] for address in sorted(self._arp)]

    def _retire(self, key: tuple, flow: _Flow) -> None:
        """The record of flow `key` goes: its counts join its interfaces'."""
        if flow.packets:
            self._counters[key[0]].add(_flow_counts(flow, True))
            self._counters[flow.egress].add(_flow_counts(flow, False))

    def _relink(self, r: m.Router) -> None:
        """After an addressing change: the networks reached by ARP, and the entries still on
        them (IOS drops an interface's entries when its address goes)."""
        self._links = _links(r)
        self._own = {ip for i in r.interfaces.values()
                     for ip, _ in ([i.address] if i.address else []) + i.secondaries}
        self._arp = {a: e for a, e in self._arp.items() if self._on_link(a, e.interface)}

    def _on_link(self, address: int, interface: str) -> bool:
        """Whether `address` is a station of `interface`'s networks (not the router)."""
        for net, mask in self._links.get(interface, ()):
            if address & mask == net:
                return address not in self._own
        return False

    def _learn(self, address: int, interface: str, now: float) -> None:
        """A station the router exchanged a frame with on `interface`, not yet in the table
        (the caller looked): an entry when it is on one of the interface's networks."""
        if self._on_link(address, interface):
            self._arp[address] = ArpEntry(address, station_mac(address), interface, now)

    # ------------------------------------------------------------------ timers
    def tick(self, now: float) -> list:
        """Everything due by `now`: sessions and translations that expire, blocks that end,
        the alert that calms down, the five-minute ACL log summaries."""
        events: list = []
        self._ended(self.sessions.expire(now), events)
        self.nat.expire(now)
        self.dos.tick(now, events)
        self.acl_log.tick(now, events)
        self.alarm.set(self.next_deadline(now))
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

    def clear_statistics(self, now: float) -> None:
        """`clear ip inspect statistics`: the counters start again from now."""
        self.stats.reset(now, *self.sessions.counts(), self.dos.rate(now))

    @staticmethod
    def _ended(closed: list[Closed], events: list) -> None:
        events.extend(SessionEnded(c.session, c.reason, c.session.audit) for c in closed)

    # ------------------------------------------------------------------ helpers
    def route(self, dst: int) -> Optional[RouteEntry]:
        """The route to `dst` (longest prefix), remembered until the configuration changes."""
        cache = self._route_cache
        try:
            return cache[dst]
        except KeyError:
            if len(cache) >= ROUTE_CACHE:
                cache.clear()
            found = cache[dst] = lookup(self.routes, dst)
            return found

    def ingress_for(self, src: int) -> Optional[str]:
        """Where a packet from `src` arrives: the interface the routing table points to."""
        route = self.route(src)
        return route.interface if route and route.interface else self._via(route)

    def _via(self, route: Optional[RouteEntry]) -> Optional[str]:
        if route is None or route.next_hop is None:
            return None
        hop = self.route(route.next_hop)
        return hop.interface if hop and hop.code == "C" else None

    def source_mac(self, src: int, ingress: str) -> Optional[int]:
        """The source MAC address of the frame that brought a packet from `src` (what
        `log-input` reports): on an Ethernet, the station's own when `src` is on the link, or
        the next hop's of the route back to `src` when a router stands between; None on links
        without MAC addresses (serial)."""
        if "Ethernet" not in ingress:
            return None
        route = self.route(src)
        hop = route.next_hop if route is not None and route.next_hop is not None else src
        return station_mac(hop)

    def inbound_acl(self, outcome: Outcome, name: str, packet: Packet, now: float) -> bool:
        """The inbound access-list phase alone, counted and logged as on the transit path: all
        of the path that a packet addressed to the router itself meets (engine/local.py)."""
        return self._acl(outcome, "inbound-acl", name, packet, now)

    def _acl(self, outcome: Outcome, phase: str, name: str, packet: Packet, now: float) -> bool:
        acl = self.acls.get(name)
        if acl is None:
            outcome.step(phase, "permit", None, name)   # a missing list permits, as in IOS
            return True
        rule = acl.hit(packet)
        if rule is None:
            outcome.step(phase, "implicit-deny", None, name)
            return False
        entry = rule.entry
        outcome.step(phase, "permit" if rule.permit else "deny", entry, name, rule.hits)
        if entry.log:
            mac = self.source_mac(packet.src, outcome.ingress) if entry.log == "log-input" \
                else None
            logged = self.acl_log.hit(name, acl.acl.kind == "standard", entry, packet,
                                      outcome.ingress, now, mac)
            if logged is not None:
                outcome.events.append(logged)
        return rule.permit

    def _permits(self, name: str, packet: Packet) -> bool:
        """Whether a NAT rule's access list takes this packet (a missing list takes none)."""
        return self.acl_permits(name, packet) is True

    # ------------------------------------------------------------------ the path
    def forward(self, packet: Packet, ingress: str, now: float) -> Outcome:
        outcome = Outcome(packet, ingress)
        if now >= self.alarm.at:
            outcome.events = self.tick(now)
        if packet.proto in FAST_PROTOCOLS:
            key = (ingress, packet.proto | packet.sport << 8 | packet.dport << 25 |
                   packet.src << 42 | packet.dst << 74)
            flow = self._flows.get(key)
            if flow is not None:
                if flow.session.live and (flow.translation is None or flow.translation.live):
                    if not (packet.payload and flow.session.protocol in APPLICATION_INSPECTED):
                        return self._fast(flow, outcome, packet, now)
                else:
                    self._retire(key, self._flows.pop(key))
            self._slow(outcome, packet, ingress, now)
            if outcome.forwarded and outcome.steps and outcome.steps[-1].verdict == "matched":
                self._remember(key, outcome)
            return outcome
        self._slow(outcome, packet, ingress, now)
        return outcome

    def _fast(self, flow: _Flow, outcome: Outcome, packet: Packet, now: float) -> Outcome:
        """An established flow's packet: the same effects as the full path, without its
        lookups (NAT and session accounting, timers, the thresholds while aggressive)."""
        flow.packets += 1
        flow.bytes += packet.length
        flow.last = now
        entry = flow.translation
        if entry is not None:
            self.nat.hits += 1
            self.nat._use(entry, packet, now)
        self._fast_switched[packet.proto] += 1
        session = flow.session
        closed = self.sessions.seen(session, packet, flow.from_initiator, now)
        outcome.steps = list(flow.steps)
        outcome.from_initiator = flow.from_initiator
        if closed:
            outcome.steps[-1] = Step("session", "closed", session)
            self._ended([closed], outcome.events)
        outcome.session = session
        if self.dos.aggressive:
            self.dos.check(now, outcome.events)
        leaving = packet
        if flow.to_inside is not None:
            leaving = leaving.with_destination(*flow.to_inside)
        if flow.to_outside is not None:
            leaving = leaving.with_source(*flow.to_outside)
        outcome.forwarded, outcome.egress, outcome.out_packet = True, flow.egress, leaving
        return outcome

    def _remember(self, key: tuple, outcome: Outcome) -> None:
        """Keep what the full path found for this established flow's next packets (those
        with bytes for an application inspector still take the full path)."""
        translation = to_inside = to_outside = None
        leaving = outcome.out_packet        # what every packet of the flow becomes
        for step in outcome.steps:
            if step.phase in ("nat-in", "nat-out") and step.subject is not None:
                if step.subject.created:
                    return                      # a new translation: next time, maybe
                translation = step.subject.entry
                if step.phase == "nat-in":
                    to_inside = (leaving.dst, leaving.dport)
                else:
                    to_outside = (leaving.src, leaving.sport)
        flows = self._flows
        if len(flows) >= FLOW_CACHE:
            for old in list(itertools.islice(flows, FLOW_CACHE // 4)):
                self._retire(old, flows.pop(old))
        self._flows[key] = _Flow(outcome.session, outcome.from_initiator, translation,
                                 to_inside, to_outside, outcome.egress, tuple(outcome.steps))

    def _slow(self, outcome: Outcome, packet: Packet, ingress: str, now: float) -> None:
        r = self.router
        inside_in = r.interfaces.get(ingress)
        if inside_in is None:
            outcome.step("ingress", "no-interface")
            return
        counters = self._counters[ingress]
        counters.packets_in += 1
        counters.bytes_in += packet.length
        counters.last_input = now
        if packet.src not in self._arp:
            self._learn(packet.src, ingress, now)
        from_outside = inside_in.nat == "outside"
        if from_outside:
            local, translation = self.nat.inside_view(packet)
        else:
            local = packet
        found = self.sessions.find(local)
        if found is None and inside_in.access_group_in and \
                not self._acl(outcome, "inbound-acl", inside_in.access_group_in, packet, now):
            return
        if from_outside:
            translated = self.nat.to_inside(packet, now, translation)
            outcome.step("nat-in", "translated" if translated else "none", translated)
        route = self.route(local.dst)
        if route is None:
            outcome.step("routing", "no-route")
            return
        egress = route.interface or self._via(route) or ""
        outcome.step("routing", "route", route)
        out_intf = r.interfaces.get(egress)
        leaving = local
        if out_intf is not None and inside_in.nat == "inside" and out_intf.nat == "outside":
            try:
                translated = self.nat.to_outside(local, now, self._permits)
            except NoAddress as err:
                outcome.step("nat-out", "no-address", str(err))
                return
            if translated is not None:
                leaving = _translated_source(local, translated.entry)
            outcome.step("nat-out", "translated" if translated else "none", translated)
        if found is not None:
            session, from_initiator = found
            outcome.from_initiator = from_initiator
            self._process[local.proto] += 1
            closed = self.sessions.seen(session, local, from_initiator, now)
            outcome.step("session", "closed" if closed else "matched", session)
            if closed:
                self._ended([closed], outcome.events)
            outcome.session = session
            if self.dos.aggressive:
                self.dos.check(now, outcome.events)
            if session.protocol in APPLICATION_INSPECTED and local.payload and not closed:
                leaving = self._application(outcome, session, from_initiator, local, leaving)
                if leaving is None:
                    return
        else:
            if out_intf is not None and out_intf.access_group_out and not self._acl(
                    outcome, "outbound-acl", out_intf.access_group_out, leaving, now):
                return
            if not self._inspect(outcome, local, inside_in, out_intf, now):
                return
        outcome.forwarded, outcome.egress, outcome.out_packet = True, egress, leaving
        counters = self._counters[egress]
        counters.packets_out += 1
        counters.bytes_out += leaving.length
        counters.last_output = now
        hop = leaving.dst if route.next_hop is None else route.next_hop
        if hop not in self._arp:
            self._learn(hop, egress, now)

    def _application(self, outcome: Outcome, session: Session, from_initiator: bool,
                     local: Packet, leaving: Packet) -> Optional[Packet]:
        """Application inspection of a segment's bytes (SMTP): what goes on, masked or held;
        None when the inspector resets the session."""
        inspector = session.inspector
        if inspector is None:
            inspector = session.inspector = inspector_for(session.line)
        verdict = (inspector.from_client if from_initiator else inspector.from_server)(
            local.payload)
        if verdict.events:
            outcome.events.append(SmtpInspected(session, from_initiator, verdict.events))
        if verdict.reset:
            closed = self.sessions.close(session, "reset")
            self._ended([closed], outcome.events)
            outcome.step("application", "reset", session)
            return None
        outcome.released = verdict.release
        outcome.step("application", "inspected", (session, len(local.payload), verdict))
        return leaving.with_payload(verdict.forward)

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
            if closed:
                self._ended(closed, outcome.events)
                for gone in closed:
                    outcome.step("thresholds", gone.reason, gone.session)
            if not admitted:
                outcome.step("inspection", "blocked", local.dst)
                return False
            session = self.sessions.open(local, rule, line, intf.name, direction, now)
            self._process[local.proto] += 1
            outcome.step("inspection", "opened", session)
            outcome.session = session
            self.dos.opened(now, outcome.events)
            return True
        return True

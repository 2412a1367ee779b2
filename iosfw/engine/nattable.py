"""The NAT translation table: static entries from the configuration, dynamic address entries
from pools, and an extended (per-flow) entry for every TCP, UDP and ICMP flow translated by any
of them, with IOS's timeouts on the virtual clock.

Inside->outside, a flow looks for its extended entry, then a static entry for its source, then
the first `ip nat inside source list` whose access list permits it: a pool address (one simple
entry per inside host) or, with `overload`, a port on the pool's or interface's address (PAT
keeps the inside port when it is free on that address, else takes the next free one in the same
range: 1-511, 512-1023, 1024-65535). Outside->inside, a packet finds the extended entry of its
flow, a static entry, or a dynamic simple entry for its destination.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Optional

from ..config import model as m
from .alarm import Alarm
from .interner import Interner
from .nat import StaticNat
from .packet import FIN, ICMP, RST, SYN, TCP, UDP, Packet
from .timers import TimerHeap

DEFAULT_TIMEOUTS = {"timeout": 86400, "tcp-timeout": 86400, "udp-timeout": 300,
                    "dns-timeout": 60, "finrst-timeout": 60, "icmp-timeout": 60,
                    "syn-timeout": 60}
PORT_RANGES = ((1, 511), (512, 1023), (1024, 65535))
ICMP_IDS = ((0, 65535),)
EXTENDED = (TCP, UDP, ICMP)

Endpoint = tuple[int, int]          # (address, port); port 0 in simple entries


@dataclass(eq=False, slots=True)
class Entry:
    seq: int
    proto: int                      # 0: a simple (address-only) entry
    inside_global: Endpoint
    inside_local: Endpoint
    outside_local: Endpoint         # = outside global: iosfw has no outside translation
    created: float
    used: float
    timeout: Optional[int]          # idle seconds it lives; None: never
    map_id: int = 0                 # the dynamic rule that made it (1-based); 0 for static
    parent: Optional["Entry"] = None
    children: int = 0
    tcp: str = ""                   # syn, open, finrst: which TCP timeout applies
    armed: float = -1.0             # when its one timer-heap entry fires (-1: none)
    live: bool = True               # still in the table

    def __lt__(self, other: "Entry") -> bool:       # timers due at the same time: oldest first
        return self.seq < other.seq

    @property
    def outside_global(self) -> Endpoint:
        return self.outside_local

    @property
    def static(self) -> bool:
        """A static entry of the configuration (not a flow, not a lease)."""
        return self.seq == 0

    @property
    def expires(self) -> Optional[float]:
        return None if self.timeout is None else self.used + self.timeout


@dataclass(frozen=True)
class Translated:
    """What a translation did to one packet: the entry used, and whether it was made now."""
    entry: Entry
    created: bool


class NoAddress(Exception):
    """The pool has no address (or port) left: IOS drops the packet."""


class NatTable:
    def __init__(self, router: m.Router, interner: Optional[Interner] = None,
                 alarm: Optional[Alarm] = None):
        self.shared = interner or Interner()
        self.alarm = alarm or Alarm()
        self.ext_in: dict[int, Entry] = {}           # _key(proto, inside local, outside)
        self.ext_out: dict[int, Entry] = {}          # _key(proto, inside global, outside)
        self.simple_local: dict[int, Entry] = {}     # dynamic simple entries
        self.simple_global: dict[int, Entry] = {}
        self.ports: dict[tuple[int, int], set[int]] = {}   # (proto, global ip) -> ports used
        self._timers = TimerHeap(lambda e: e.expires, self.alarm)
        self._seq = itertools.count(1)
        self.hits = self.misses = self.expired = 0
        self.pool_misses: dict[str, int] = {}         # allocations a pool could not make
        self.refresh(router)

    def refresh(self, router: m.Router) -> None:
        self.router = router
        self.static = StaticNat(router)
        t = dict(DEFAULT_TIMEOUTS)
        t.update(router.nat_timeouts)
        self.timeouts = t
        # per-packet lookups of the timeouts, by TCP state / protocol
        self._tcp_timeouts = {"syn": t["syn-timeout"], "finrst": t["finrst-timeout"],
                              "open": t["tcp-timeout"], "": t["tcp-timeout"]}

    # ------------------------------------------------------------------ the two directions
    def inside_view(self, p: Packet) -> tuple[Packet, object]:
        """The packet with its destination as inside local, and what translates it (an
        extended or address Entry, a static translation, or None), without making or touching
        entries: how the router finds the session of a packet from outside before its ACL."""
        entry = self.ext_out.get(_reply_key(p))
        if entry is not None:
            ip, port = entry.inside_local
            found = entry
        else:
            st = self.static.find(self.static.by_global, p.proto, p.dst, p.dport)
            if st is not None:
                ip, port = st.local_ip, st.local_port if st.protocol else _port(p, "dst")
                found = st
            else:
                found = self.simple_global.get(p.dst)
                if found is None:
                    return p, None
                ip, port = found.inside_local[0], _port(p, "dst")
        if p.proto == ICMP:
            return p.with_source(p.src, port).with_destination(ip, p.dport), found
        return p.with_destination(ip, port if p.proto in (TCP, UDP) else p.dport), found

    def to_inside(self, p: Packet, now: float, found: object = ...) -> Optional[Translated]:
        """Outside->inside: the inside local address (and port) for a packet's destination;
        `found` is what inside_view said, when the caller has it."""
        if found is ...:
            found = self.inside_view(p)[1]
        if found is None:
            return None
        if isinstance(found, Entry):
            if found.proto:                  # the flow's own extended entry
                self.hits += 1
                self._use(found, p, now)
                return Translated(found, False)
            local = (found.inside_local[0], _port(p, "dst"))      # a pool address lease
            return self._flow(p, local, (p.dst, _port(p, "dst")), found, found.map_id, now)
        st = found
        local = (st.local_ip, st.local_port if st.protocol else _port(p, "dst"))
        glob = (st.global_ip, st.global_port if st.protocol else _port(p, "dst"))
        return self._flow(p, local, glob, None, 0, now)

    def to_outside(self, p: Packet, now: float, permits) -> Optional[Translated]:
        """Inside->outside: the inside global address (and port) for a packet's source.
        `permits(acl_name, packet)` asks a dynamic rule's access list."""
        entry = self.ext_in.get(_key(p.proto, (p.src, _port(p, "src")), (p.dst, _port(p, "dst"))))
        if entry is not None:
            self.hits += 1
            self._use(entry, p, now)
            return Translated(entry, False)
        st = self.static.find(self.static.by_local, p.proto, p.src, p.sport)
        if st is not None:
            local = (p.src, _port(p, "src"))
            glob = (st.global_ip, st.global_port if st.protocol else _port(p, "src"))
            return self._flow(p, local, glob, None, 0, now, outbound=True)
        for map_id, rule in enumerate(self.router.nat_dynamics, 1):
            if not permits(rule.acl, p):
                continue
            if rule.overload:
                glob = self._pat(rule, p)
                return self._flow(p, (p.src, _port(p, "src")), glob, None, map_id, now,
                                  outbound=True)
            simple = self.simple_local.get(p.src) or self._lease(rule, map_id, p.src, now)
            return self._flow(p, (p.src, _port(p, "src")), (simple.inside_global[0],
                              _port(p, "src")), simple, map_id, now, outbound=True)
        return None

    # ------------------------------------------------------------------ making entries
    def _flow(self, p: Packet, local: Endpoint, glob: Endpoint, parent: Optional[Entry],
              map_id: int, now: float, outbound: bool = False) -> Translated:
        """The extended entry of a new flow (or, for protocols without ports, nothing new)."""
        self.misses += 1
        if parent is not None:
            self._touch(parent, now)
        if p.proto not in EXTENDED:
            return Translated(parent or _static_entry(local, glob), False)
        shared = self.shared
        outside = shared((p.dst, _port(p, "dst")) if outbound else (p.src, _port(p, "src")))
        if p.proto == ICMP and outside[1] != glob[1]:
            outside = shared((outside[0], glob[1]))    # the far end sees the global id
        local, glob = shared(local), shared(glob)
        entry = Entry(next(self._seq), p.proto, glob, local, outside, now, now, None, map_id,
                      parent)
        if parent is not None:
            parent.children += 1
        self.ext_in[_key(p.proto, local, outside)] = entry
        self.ext_out[_key(p.proto, glob, outside)] = entry
        if map_id:      # ports PAT may not hand out again (static ports are not allocated)
            self.ports.setdefault((p.proto, glob[0]), set()).add(glob[1])
        self._use(entry, p, now)
        return Translated(entry, True)

    def _lease(self, rule: m.NatDynamic, map_id: int, local_ip: int, now: float) -> Entry:
        """A pool address for an inside host: the lowest one not leased."""
        for address in self._pool_addresses(rule):
            if address not in self.simple_global and \
                    self.static.by_global.get((0, address, 0)) is None:
                entry = Entry(next(self._seq), 0, (address, 0), (local_ip, 0), (0, 0), now, now,
                              self.timeouts["timeout"], map_id)
                self.simple_local[local_ip] = entry
                self.simple_global[address] = entry
                self._arm(entry)
                return entry
        self.misses += 1
        self.pool_misses[rule.pool] = self.pool_misses.get(rule.pool, 0) + 1
        raise NoAddress(rule.pool)

    def _pat(self, rule: m.NatDynamic, p: Packet) -> Endpoint:
        """PAT: the inside port if free on the first address that has room, else the next
        free port of its range."""
        want = _port(p, "src")
        for address in self._pool_addresses(rule):
            used = self.ports.get((p.proto, address), set())
            port = _free_port(want, used, p.proto)
            if port is not None:
                return address, port
        raise NoAddress(rule.pool or rule.interface)

    def _pool_addresses(self, rule: m.NatDynamic) -> list[int]:
        if rule.interface:
            intf = self.router.interfaces.get(rule.interface)
            return [intf.address[0]] if intf is not None and intf.address else []
        pool = self.router.nat_pools.get(rule.pool)
        return list(range(pool.start, pool.end + 1)) if pool else []

    # ------------------------------------------------------------------ timers
    def _use(self, entry: Entry, p: Packet, now: float) -> None:
        """A packet of the flow: the entry's TCP state and idle timer move on."""
        t = self.timeouts
        if entry.proto == TCP:
            flags = p.tcp_flags
            state = entry.tcp
            if flags & (FIN | RST):
                entry.tcp = "finrst"
            elif state == "" and flags & SYN:
                entry.tcp = "syn"
            elif state != "finrst" and not flags & SYN:
                entry.tcp = "open"
            if entry.tcp != state or entry.timeout is None:
                entry.timeout = self._tcp_timeouts[entry.tcp]
        elif entry.proto == UDP:
            entry.timeout = t["dns-timeout" if 53 in (entry.outside_local[1],
                                                     entry.inside_local[1]) else "udp-timeout"]
        elif entry.proto == ICMP:
            entry.timeout = t["icmp-timeout"]
        entry.used = now
        if entry.timeout is not None and entry.live:
            expires = now + entry.timeout
            if entry.armed < 0 or expires < entry.armed:
                self._timers.arm(entry, expires)
        if entry.parent is not None:
            self._touch(entry.parent, now)

    def _touch(self, entry: Entry, now: float) -> None:
        entry.used = now
        self._arm(entry)

    def _arm(self, entry: Entry) -> None:
        expires = entry.expires
        if expires is not None and entry.live:
            self._timers.arm(entry, expires)

    def next_deadline(self) -> Optional[float]:
        return self._timers.next_deadline()

    def expire(self, now: float) -> list[Entry]:
        """Entries whose idle time ran out by `now`; an address entry waits for its flows."""
        gone = []
        while (entry := self._timers.pop_due(now)) is not None:
            if entry.children:
                continue                    # armed again when its last flow goes
            self._remove(entry)
            self.expired += 1
            gone.append(entry)
        return gone

    def _remove(self, entry: Entry) -> None:
        entry.live = False
        if entry.proto == 0:
            self.simple_local.pop(entry.inside_local[0], None)
            self.simple_global.pop(entry.inside_global[0], None)
            return
        self.ext_in.pop(_key(entry.proto, entry.inside_local, entry.outside_local), None)
        self.ext_out.pop(_key(entry.proto, entry.inside_global, entry.outside_local), None)
        used = self.ports.get((entry.proto, entry.inside_global[0]))
        if used is not None:
            used.discard(entry.inside_global[1])
        parent = entry.parent
        if parent is not None and parent.live:
            parent.children -= 1
            if not parent.children:
                self._arm(parent)

    def clear(self) -> int:
        """`clear ip nat translation *`: every dynamic and extended entry goes."""
        gone = list(self.entries.values())
        for entry in sorted(gone, key=lambda e: e.proto == 0):
            self._remove(entry)
        return len(gone)

    # ------------------------------------------------------------------ reading
    @property
    def entries(self) -> dict[int, Entry]:
        """Dynamic and extended entries by creation number, oldest first."""
        live = sorted((*self.ext_in.values(), *self.simple_local.values()), key=lambda e: e.seq)
        return {e.seq: e for e in live}

    def listing(self) -> list[Entry]:
        """All entries for `show ip nat translations`: each address entry after its flows,
        static address entries first in configuration order, then dynamic ones, then PAT."""
        out: list[Entry] = []
        by_parent: dict[int, list[Entry]] = {}
        loose: list[Entry] = []
        static_flows: dict[tuple, list[Entry]] = {}
        entries = self.entries
        for e in entries.values():
            if e.proto == 0:
                continue
            if e.parent is not None:
                by_parent.setdefault(e.parent.seq, []).append(e)
            elif e.map_id == 0:
                static_flows.setdefault((e.inside_global[0], e.inside_local[0]), []).append(e)
            else:
                loose.append(e)
        for t in self.static.by_local.values():
            flows = static_flows.pop((t.global_ip, t.local_ip), [])
            out.extend(flows)
            out.append(_static_entry((t.local_ip, t.local_port), (t.global_ip, t.global_port),
                                     t.protocol))
        for flows in static_flows.values():
            out.extend(flows)
        for e in entries.values():
            if e.proto == 0:
                out.extend(by_parent.get(e.seq, []))
                out.append(e)
        out.extend(loose)
        return out

    def counts(self) -> tuple[int, int, int]:
        """(static, dynamic, extended) entries, as `show ip nat statistics` totals them."""
        static = len(self.static.by_local)
        extended = len(self.ext_in)
        dynamic = extended + len(self.simple_local)
        return static, dynamic, extended


def _key(proto: int, a: Endpoint, b: Endpoint) -> int:
    """(protocol, one end, the other end) as one integer: cheaper to keep than tuples. An
    ICMP query id is one number for both ends, carried by the inside end (a)."""
    return proto | a[1] << 8 | (b[1] if proto != ICMP else 0) << 24 | a[0] << 40 | b[0] << 72


def _reply_key(p: Packet) -> int:
    """The key of a packet coming back from outside: its destination is the inside end."""
    return _key(p.proto, (p.dst, _port(p, "dst")), (p.src, _port(p, "src")))


def _port(p: Packet, side: str) -> int:
    """The port of one end; for ICMP the query identifier (in `sport`), the same both ways."""
    if p.proto == ICMP:
        return p.sport
    return p.sport if side == "src" else p.dport


def _free_port(want: int, used: set[int], proto: int) -> Optional[int]:
    if want not in used:
        return want
    for low, high in (ICMP_IDS if proto == ICMP else PORT_RANGES):
        if low <= want <= high:
            for port in itertools.chain(range(want + 1, high + 1), range(low, want)):
                if port not in used:
                    return port
    return None


def _static_entry(local: Endpoint, glob: Endpoint, proto: int = 0) -> Entry:
    return Entry(0, proto, glob, local, (0, 0), 0.0, 0.0, None)

"""The NAT translation table: static entries from the configuration, dynamic address entries
from pools, and an extended (per-flow) entry for every TCP, UDP and ICMP flow of a static
translation or of PAT, with IOS's timeouts on the virtual clock.

Inside->outside, a flow looks for its extended entry, then a static entry for its source, then
the first `ip nat inside source list` whose access list permits it: a pool address (one simple
`---` entry per inside host, which translates all its flows: no extended entries, as on the
router) or, with `overload`, a port on the pool's or interface's address (PAT keeps the inside
port when it is free on that address, else takes the lowest free port of the port's group,
0-511, 512-1023 or 1024-65535, as IOS does; an ICMP query's identifier plays the port, a taken
one becoming the lowest free from 1024). Outside->inside, a packet finds the extended entry of
its flow, a static entry, or a dynamic simple entry for its destination.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..config import model as m
from .alarm import Alarm
from .interner import Interner
from .nat import StaticNat
from .packet import FIN, ICMP, RST, SYN, TCP, UDP, Packet
from .serial import Serial
from .timers import TimerHeap

DEFAULT_TIMEOUTS = {"timeout": 86400, "tcp-timeout": 86400, "udp-timeout": 300,
                    "dns-timeout": 60, "finrst-timeout": 60, "icmp-timeout": 60,
                    "syn-timeout": 60}
PORT_GROUPS = ((0, 511), (512, 1023), (1024, 65535))     # IOS's PAT port groups
ICMP_ID_GROUP = (1024, 65535)   # where a taken ICMP identifier is replaced from (IOS: 1 -> 1024)
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
    tcp: str = ""                   # syn, open, finrst: which TCP timeout applies
    armed: float = -1.0             # when its one timer-heap entry fires (-1: none)
    live: bool = True               # still in the table

    def __lt__(self, other: "Entry") -> bool:       # timers due at the same time: oldest first
        return self.seq < other.seq

    @property
    def outside_global(self) -> Endpoint:
        """The outside end as the outside sees it: the same as inside, except that an ICMP
        query there carries the identifier PAT gave it (IOS lists `198.51.100.9:1` as outside
        local and `198.51.100.9:1024` as outside global)."""
        if self.proto == ICMP:
            return self.outside_local[0], self.inside_global[1]
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


class PortPool:
    """The ports (ICMP: identifiers) PAT gave out on one global address for one protocol.
    `floors` keeps, per group, a port below which the whole group is taken; the search for the
    lowest free port starts there, so a busy address is not scanned from the bottom for every
    new flow."""
    __slots__ = ("floors", "used")

    def __init__(self) -> None:
        self.used: set[int] = set()
        self.floors: dict[int, int] = {}     # a group's first port -> lowest port maybe free

    def choose(self, want: int, group: tuple[int, int]) -> Optional[int]:
        """`want` when it is free, else the lowest free port of `group` (None: all taken)."""
        used = self.used
        if want not in used:
            return want
        first, last = group
        port = self.floors.get(first, first)
        while port <= last and port in used:
            port += 1
        self.floors[first] = port
        return port if port <= last else None

    def give_back(self, port: int, group: tuple[int, int]) -> None:
        self.used.discard(port)
        first = group[0]
        if first <= port < self.floors.get(first, first):
            self.floors[first] = port


class NatTable:
    def __init__(self, router: m.Router, interner: Optional[Interner] = None,
                 alarm: Optional[Alarm] = None):
        self.shared = interner or Interner()
        self.alarm = alarm or Alarm()
        self.ext_in: dict[int, Entry] = {}           # _key(proto, inside local, outside)
        self.ext_out: dict[int, Entry] = {}          # _key(proto, inside global, outside)
        self.simple_local: dict[int, Entry] = {}     # dynamic simple entries
        self.simple_global: dict[int, Entry] = {}
        self.ports: dict[tuple[int, int], PortPool] = {}   # (proto, global ip) -> PAT's ports
        self._timers = TimerHeap(lambda e: e.expires, self.alarm)
        self._seq = Serial(1)
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
        if isinstance(found, Entry):         # the flow's extended entry, or a pool address
            self.hits += 1
            self._use(found, p, now)
            return Translated(found, False)
        st = found
        local = (st.local_ip, st.local_port if st.protocol else _port(p, "dst"))
        glob = (st.global_ip, st.global_port if st.protocol else _port(p, "dst"))
        return self._flow(p, local, glob, 0, now)

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
            return self._flow(p, local, glob, 0, now, outbound=True)
        for map_id, rule in enumerate(self.router.nat_dynamics, 1):
            if not permits(rule.acl, p):
                continue
            if rule.overload:
                glob = self._pat(rule, p)
                return self._flow(p, (p.src, _port(p, "src")), glob, map_id, now, outbound=True)
            return self._address(rule, map_id, p, now)
        return None

    # ------------------------------------------------------------------ making entries
    def _flow(self, p: Packet, local: Endpoint, glob: Endpoint, map_id: int, now: float,
              outbound: bool = False) -> Translated:
        """The extended entry of a new flow of a static translation or of PAT (protocols
        without ports get none: the translation alone)."""
        self.misses += 1
        if p.proto not in EXTENDED:
            return Translated(_static_entry(local, glob), False)
        shared = self.shared
        outside = shared((p.dst, _port(p, "dst")) if outbound else (p.src, _port(p, "src")))
        local, glob = shared(local), shared(glob)
        entry = Entry(next(self._seq), p.proto, glob, local, outside, now, now, None, map_id)
        self.ext_in[_key(p.proto, local, outside)] = entry
        self.ext_out[_key(p.proto, glob, outside)] = entry
        if map_id:      # ports PAT may not hand out again (static ports are not allocated)
            ports = self.ports.get((p.proto, glob[0]))
            if ports is None:
                ports = self.ports[(p.proto, glob[0])] = PortPool()
            ports.used.add(glob[1])
        self._use(entry, p, now)
        return Translated(entry, True)

    def _address(self, rule: m.NatDynamic, map_id: int, p: Packet, now: float) -> Translated:
        """A pool without overload: the inside host's address entry translates every flow of
        the host, both ways (leased by this packet when the host has none)."""
        lease = self.simple_local.get(p.src)
        if lease is None:
            return Translated(self._lease(rule, map_id, p.src, now), True)
        self.hits += 1
        self._use(lease, p, now)
        return Translated(lease, False)

    def _lease(self, rule: m.NatDynamic, map_id: int, local_ip: int, now: float) -> Entry:
        """A pool address for an inside host: the lowest one not leased."""
        self.misses += 1
        for address in self._pool_addresses(rule):
            if address not in self.simple_global and \
                    self.static.by_global.get((0, address, 0)) is None:
                entry = Entry(next(self._seq), 0, (address, 0), (local_ip, 0), (0, 0), now, now,
                              self.timeouts["timeout"], map_id)
                self.simple_local[local_ip] = entry
                self.simple_global[address] = entry
                self._arm(entry)
                return entry
        self.pool_misses[rule.pool] = self.pool_misses.get(rule.pool, 0) + 1
        raise NoAddress(rule.pool)

    def _pat(self, rule: m.NatDynamic, p: Packet) -> Endpoint:
        """PAT: the inside port (ICMP: identifier) on the first address where it is free, else
        the lowest free one of its group on the first address that has one."""
        want = _port(p, "src")
        group = port_group(p.proto, want)
        for address in self._pool_addresses(rule):
            ports = self.ports.get((p.proto, address))
            port = want if ports is None else ports.choose(want, group)
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
        """A packet of the flow (or of the host, for an address entry): the entry's TCP state
        and idle timer move on."""
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

    def _arm(self, entry: Entry) -> None:
        expires = entry.expires
        if expires is not None and entry.live:
            self._timers.arm(entry, expires)

    def next_deadline(self) -> Optional[float]:
        return self._timers.next_deadline()

    def expire(self, now: float) -> list[Entry]:
        """Entries whose idle time ran out by `now`, in the order it ran out."""
        gone = []
        while (entry := self._timers.pop_due(now)) is not None:
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
        if entry.map_id:                    # a PAT port: free for the next flow
            port = entry.inside_global[1]
            self.ports[(entry.proto, entry.inside_global[0])].give_back(
                port, port_group(entry.proto, port))

    def clear(self) -> int:
        """`clear ip nat translation *`: every dynamic and extended entry goes."""
        gone = list(self.entries.values())
        for entry in gone:
            self._remove(entry)
        return len(gone)

    # ------------------------------------------------------------------ reading
    @property
    def entries(self) -> dict[int, Entry]:
        """Dynamic and extended entries by creation number, oldest first."""
        live = sorted((*self.ext_in.values(), *self.simple_local.values()), key=lambda e: e.seq)
        return {e.seq: e for e in live}

    def listing(self) -> list[Entry]:
        """All entries for `show ip nat translations`: each static entry after its flows, in
        configuration order, then the dynamic address entries, then PAT's flows."""
        out: list[Entry] = []
        static_flows: dict[tuple, list[Entry]] = {}
        leases: list[Entry] = []
        pat: list[Entry] = []
        for e in self.entries.values():
            if e.proto == 0:
                leases.append(e)
            elif e.map_id == 0:
                static_flows.setdefault((e.inside_global[0], e.inside_local[0]), []).append(e)
            else:
                pat.append(e)
        for t in self.static.by_local.values():
            out.extend(static_flows.pop((t.global_ip, t.local_ip), []))
            out.append(_static_entry((t.local_ip, t.local_port), (t.global_ip, t.global_port),
                                     t.protocol))
        for flows in static_flows.values():
            out.extend(flows)
        return out + leases + pat

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


def port_group(proto: int, port: int) -> tuple[int, int]:
    """The first and last port PAT may give in place of a taken `port`: those of its group
    (port 0 is reserved and never given), or 1024-65535 for an ICMP identifier."""
    if proto == ICMP:
        return ICMP_ID_GROUP
    for low, high in PORT_GROUPS[:-1]:
        if port <= high:
            return max(low, 1), high
    return PORT_GROUPS[-1]


def _static_entry(local: Endpoint, glob: Endpoint, proto: int = 0) -> Entry:
    return Entry(0, proto, glob, local, (0, 0), 0.0, 0.0, None)

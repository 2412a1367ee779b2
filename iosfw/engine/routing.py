"""The routing table: connected networks and static routes, and the longest-prefix lookup."""
from __future__ import annotations

from dataclasses import dataclass

from ..config import model as m
from ..config.names import prefix_len


@dataclass(frozen=True)
class RouteEntry:
    code: str               # C, S
    prefix: int
    length: int
    interface: str = ""
    next_hop: int | None = None
    distance: int = 0

    @property
    def is_default(self) -> bool:
        return self.length == 0


def table(r: m.Router) -> list[RouteEntry]:
    """The routing table: connected networks of interfaces that are up, and static routes."""
    entries: dict[tuple, list[RouteEntry]] = {}
    for intf in r.interfaces.values():
        if intf.shutdown:
            continue
        for ip, mask in ([intf.address] if intf.address else []) + intf.secondaries:
            key = (ip & mask, prefix_len(mask))
            entries.setdefault(key, []).append(
                RouteEntry("C", ip & mask, prefix_len(mask), intf.name))
    for route in r.routes.values():
        key = (route.prefix, prefix_len(route.mask))
        distance = route.distance if route.distance is not None else 1
        if route.interface and route.interface not in r.interfaces and route.interface != "Null0":
            continue
        new = RouteEntry("S", route.prefix, prefix_len(route.mask), route.interface,
                         route.next_hop, distance)
        current = entries.get(key)
        if current and current[0].code == "C":
            continue
        if current and current[0].distance < distance:
            continue
        if current and current[0].distance == distance:
            current.append(new)
        else:
            entries[key] = [new]
    return [e for key in sorted(entries) for e in entries[key]]



def lookup(routes: list[RouteEntry], dst: int) -> RouteEntry | None:
    """The most specific route to `dst` (connected wins a tie, as its distance is 0)."""
    best = None
    for e in routes:
        mask = (0xFFFFFFFF << (32 - e.length)) & 0xFFFFFFFF if e.length else 0
        if dst & mask == e.prefix and (best is None or e.length > best.length):
            best = e
    return best

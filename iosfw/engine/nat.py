"""Static NAT as the router applies it: inside local <-> inside global, one-to-one or per port.

Addresses and ports go in and out as integers; the packet path decides when each direction
applies (outside->inside before routing, inside->outside after it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..config import model as m

PROTOCOLS = {"tcp": 6, "udp": 17}


@dataclass(frozen=True)
class Translation:
    """One static entry resolved to addresses: what `show ip nat translations` lists."""
    protocol: int            # 0 for a one-to-one entry
    local_ip: int
    local_port: int
    global_ip: int
    global_port: int
    rule: m.NatStatic


class StaticNat:
    """Indexes of the static entries, built once per configuration change."""

    def __init__(self, router: m.Router):
        self.by_global: dict[tuple, Translation] = {}
        self.by_local: dict[tuple, Translation] = {}
        for rule in router.nat_statics:
            glob = rule.global_ip
            if rule.global_interface:
                intf = router.interfaces.get(rule.global_interface)
                if intf is None or intf.address is None:
                    continue  # an interface without an address translates nothing yet
                glob = intf.address[0]
            proto = PROTOCOLS.get(rule.protocol, 0)
            t = Translation(proto, rule.local_ip, rule.local_port, glob, rule.global_port, rule)
            self.by_global[(proto, glob, rule.global_port)] = t
            self.by_local[(proto, rule.local_ip, rule.local_port)] = t

    def find(self, index: dict, proto: int, ip: int, port: int) -> Optional[Translation]:
        # a port entry is more specific than a one-to-one entry for the same address
        found = index.get((proto, ip, port)) if proto in (6, 17) else None
        return found or index.get((0, ip, 0))

    def to_inside(self, proto: int, ip: int, port: int) -> tuple[int, int, Optional[Translation]]:
        """Outside->inside: a destination global address (and port) to its inside local one."""
        t = self.find(self.by_global, proto, ip, port)
        if t is None:
            return ip, port, None
        return t.local_ip, (t.local_port if t.protocol else port), t

    def to_outside(self, proto: int, ip: int, port: int) -> tuple[int, int, Optional[Translation]]:
        """Inside->outside: a source inside local address (and port) to its global one."""
        t = self.find(self.by_local, proto, ip, port)
        if t is None:
            return ip, port, None
        return t.global_ip, (t.global_port if t.protocol else port), t

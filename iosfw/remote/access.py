"""Access lists applied to connections to the router itself: a vty's `access-class ACL in`
and the exemption list of quiet mode (`login quiet-mode access-class ACL`).

A connection is matched as the TCP SYN that opened it, from the client's address and port to
the router's address and port, by the same compiled access lists that filter forwarded
traffic, and the hit is counted in `show access-lists` as IOS counts it.
"""
from __future__ import annotations

import ipaddress
from typing import Optional

from ..config import model as m
from ..engine.acl import CompiledAcl
from ..engine.packet import Packet

Address = tuple[str, int]          # (host, port) as the socket gives it


def ipv4(host: str) -> Optional[int]:
    """The address as a number when it is IPv4 (an IPv4-mapped IPv6 address too), else None:
    IPv4 access lists say nothing about other connections."""
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        address = address.ipv4_mapped
    return int(address) if address is not None else None


def acl_permits(router: m.Router, name: str, peer: Address, local: Address,
                otherwise: bool) -> bool:
    """Whether list `name` permits the connection from `peer` to `local`; `otherwise` when the
    list does not exist or an address is not IPv4 (the caller knows which answer is safe)."""
    acl = router.access_lists.get(name)
    src, dst = ipv4(peer[0]), ipv4(local[0])
    if acl is None or src is None or dst is None:
        return otherwise
    permitted, _ = CompiledAcl(acl).check(Packet.tcp(src, dst, peer[1], local[1]))
    return permitted

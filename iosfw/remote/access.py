"""Access lists applied to connections to the router itself: a vty's `access-class ACL in`
and the exemption list of quiet mode (`login quiet-mode access-class ACL`).

A connection is matched as the TCP SYN that opened it, from the client's address and port to
the router's address and port, by the engine's compiled access lists that filter forwarded
traffic, and the hit is counted in `show access-lists` as IOS counts it.
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Optional

from ..engine.packet import Packet

if TYPE_CHECKING:
    from ..device import Device

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


def acl_permits(device: Device, name: str, peer: Address, local: Address,
                otherwise: bool) -> bool:
    """Whether list `name` permits the connection from `peer` to `local`; `otherwise` when the
    list does not exist or an address is not IPv4 (the caller knows which answer is safe)."""
    src, dst = ipv4(peer[0]), ipv4(local[0])
    if name not in device.router.access_lists or src is None or dst is None:
        return otherwise
    return device.engine.acl_permits(name, Packet.tcp(src, dst, peer[1], local[1]))

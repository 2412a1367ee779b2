"""Spelling rules IOS applies to names: interface types, line types, addresses."""
from __future__ import annotations

import ipaddress
import re
from typing import Optional

# Ordered so that the first prefix match is the one IOS picks (`int e2/0` is Ethernet).
INTERFACE_TYPES = (
    "Ethernet", "FastEthernet", "GigabitEthernet", "Serial", "ATM", "BRI", "Dialer", "Loopback",
    "Null", "Tunnel", "Vlan", "Virtual-Template", "Virtual-Access", "Async", "Multilink",
    "Port-channel", "BVI", "Group-Async", "CTunnel", "Cable", "POS", "Vif",
)

# Interfaces a chassis has (its network modules' ports) rather than ones configuration creates.
PHYSICAL_TYPES = ("Ethernet", "FastEthernet", "GigabitEthernet", "Serial", "ATM", "BRI", "Async",
                  "Cable", "POS")
SLOTS = 4                       # a 3640 has network-module slots 0 to 3

_IFNAME = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*([0-9][0-9/.:]*)$")


class BadName(ValueError):
    pass


def interface_name(text: str) -> str:
    """`e2/0`, `ethernet 2/0` or `Ethernet2/0` -> `Ethernet2/0`."""
    match = _IFNAME.match(text.strip())
    if not match:
        raise BadName(f"bad interface name {text!r}")
    typed, number = match.groups()
    lower = typed.lower()
    for kind in INTERFACE_TYPES:
        if kind.lower().startswith(lower):
            return kind + number
    raise BadName(f"unknown interface type {typed!r}")


def is_physical(name: str) -> bool:
    """A port of the hardware (`Ethernet2/0`), not a subinterface or a logical interface."""
    return "." not in name and name.rstrip("0123456789/:") in PHYSICAL_TYPES


def slot_of(name: str) -> Optional[int]:
    """The network-module slot of `Ethernet2/0` (2); None for a name without one."""
    number = name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
    return int(number.split("/")[0]) if "/" in number else None


def ip_to_int(text: str) -> int:
    """Dotted quad to integer; the grammar has already checked the form."""
    a, b, c, d = text.split(".")
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def int_to_ip(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


def mask_is_contiguous(mask: int) -> bool:
    inverted = ~mask & 0xFFFFFFFF
    return inverted & (inverted + 1) == 0


def prefix_len(mask: int) -> int:
    return bin(mask).count("1")


def len_to_mask(length: int) -> int:
    return (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF if length else 0


# `access-list 101 permit 6 any any` is stored and shown as tcp.
PROTOCOL_NAMES = {"1": "icmp", "2": "igmp", "4": "nos", "6": "tcp", "17": "udp", "47": "gre",
                  "50": "esp", "51": "ahp", "88": "eigrp", "89": "ospf", "94": "ipinip",
                  "103": "pim", "108": "pcp"}


# The burnt-in MAC addresses of the chassis' Ethernet ports: a 3600 hands each network-module
# slot 16 addresses of one Cisco block (Ethernet0/0 at the base, Ethernet1/0 at the base plus
# 0x10), so the address follows from the port's name alone.
CHASSIS_MAC_BASE = 0x0007_50C3_4A00     # 0007.50c3.4a00, in a Cisco OUI (00:07:50)


def interface_mac(name: str) -> Optional[int]:
    """The MAC address of an Ethernet port (`Ethernet2/1` -> 0007.50c3.4a21), its
    subinterfaces sharing it; None for an interface without one (serial, logical)."""
    port = name.split(".")[0]
    if not is_physical(port) or "Ethernet" not in port:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", port)]
    slot = numbers[0] if len(numbers) > 1 else 0
    return CHASSIS_MAC_BASE + (slot << 4) + numbers[-1]


def mac_text(mac: int) -> str:
    """A MAC address as IOS prints it: three dotted groups of four hex digits."""
    digits = f"{mac:012x}"
    return f"{digits[:4]}.{digits[4:8]}.{digits[8:]}"

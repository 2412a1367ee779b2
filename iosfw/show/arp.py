"""`show arp`: the router's ARP table, its own Ethernet addresses and the stations it talked to.

The columns are those of captured 12.x output (docs/formats.md): an own address has Age `-`;
a learned one its age in whole minutes since the engine learned it. Rows stand in address
order, as IOS lists them. Only an Ethernet interface that is up and has an address answers
ARP; a serial line or a loopback has no ARP entries.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..config import model as m
from ..config.names import int_to_ip, interface_mac, mac_text

HEADER = "Protocol  Address          Age (min)  Hardware Addr   Type   Interface"


class ArpRow(NamedTuple):
    address: int
    age: Optional[int]          # minutes; None for the router's own address
    mac: int
    interface: str


def rows(r: m.Router, learned, now: float) -> list[ArpRow]:
    """The table: each Ethernet address of the router's (secondaries too, as IOS keeps an
    alias entry for each), then the engine's `learned` entries (ArpEntry: address, mac,
    interface, learned at uptime `learned`), by address."""
    table: dict[int, ArpRow] = {}
    for intf in r.interfaces.values():
        mac = interface_mac(intf.name)       # None: a serial line or a logical interface
        if mac is not None and not intf.shutdown and intf.address is not None:
            for ip, _mask in [intf.address, *intf.secondaries]:
                table[ip] = ArpRow(ip, None, mac, intf.name)
    for entry in learned:
        age = max(0, int((now - entry.learned) / 60))
        table.setdefault(entry.address, ArpRow(entry.address, age, entry.mac, entry.interface))
    return [table[ip] for ip in sorted(table)]


def row_text(row: ArpRow) -> str:
    age = "-" if row.age is None else str(row.age)
    return (f"{'Internet':<10}{int_to_ip(row.address):<16}{age:>9}   "
            f"{mac_text(row.mac):<14}  {'ARPA':<6} {row.interface}")


def text(found: list[ArpRow]) -> str:
    return "".join(line + "\n" for line in [HEADER, *map(row_text, found)])


def facts(found: list[ArpRow]) -> list[dict]:
    return [{"protocol": "Internet", "address": int_to_ip(row.address), "age_min": row.age,
             "mac": mac_text(row.mac), "type": "ARPA", "interface": row.interface}
            for row in found]

"""`show ip interface [IF]`: each interface's IP settings in the 12.3 layout.

The layout follows 12.2/12.3 captures (docs/formats.md says which lines are sure): the two
spaces of `Inbound  access list`, `Probe proxy name replies` (gone in 12.4), the WCCP lines
before `BGP Policy Mapping` (12.4 moved it above them). What the model does not configure
(helper addresses, proxy ARP, ICMP settings, policy routing, WCCP, header compression) shows
IOS's default, as on a router that never set it. No link state is simulated: an interface is up
unless it is shut down, as in `show ip interface brief`.
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..config import model as m
from ..config.names import int_to_ip, prefix_len

BROADCAST = "255.255.255.255"
# the IP MTU by interface type; every other type says 1500
_MTU = {"Loopback": 1514, "Tunnel": 1476}
# how IOS names where an address came from, by the `method` show ip interface brief prints
_DETERMINED = {"NVRAM": "non-volatile memory", "manual": "setup command"}
_NEGOTIATED = {"negotiated": "IPCP", "dhcp": "DHCP"}

# the settings iosfw does not model, as an interface that never changed them prints them
_DEFAULTS_BEFORE_SWITCHING = (
    "Local Proxy ARP is disabled",
    "Security level is default",
    "Split horizon is enabled",
    "ICMP redirects are always sent",
    "ICMP unreachables are always sent",
    "ICMP mask replies are never sent",
    "IP fast switching is enabled",
    "IP fast switching on the same interface is disabled",
    "IP Flow switching is disabled",
)
_DEFAULTS_AFTER_SWITCHING = (
    "Router Discovery is disabled",
    "IP output packet accounting is disabled",
    "IP access violation accounting is disabled",
    "TCP/IP header compression is disabled",
    "RTP/IP header compression is disabled",
    "Probe proxy name replies are disabled",
    "Policy routing is disabled",
)
_WCCP_AND_BGP = (
    "WCCP Redirect outbound is disabled",
    "WCCP Redirect inbound is disabled",
    "WCCP Redirect exclude is disabled",
    "BGP Policy Mapping is disabled",
)


def mtu(name: str) -> int:
    kind = name.rstrip("0123456789/.:")
    return _MTU.get(kind, 1500)


def _address(pair: tuple[int, int]) -> dict:
    return {"ip_address": int_to_ip(pair[0]), "prefix_length": prefix_len(pair[1])}


def _facts(r: m.Router, intf: m.Interface) -> dict:
    """One interface; `ip_enabled` False when it has no address (nor one to negotiate)."""
    facts = {
        "interface": intf.name,
        "status": "administratively down" if intf.shutdown else "up",
        "protocol": "down" if intf.shutdown else "up",
        "ip_enabled": bool(intf.address or intf.address_dynamic),
    }
    if not facts["ip_enabled"]:
        return facts
    primary = _address(intf.address) if intf.address else {"ip_address": None,
                                                            "prefix_length": None}
    facts.update(primary)
    facts.update({
        "negotiated_by": _NEGOTIATED.get(intf.address_dynamic),
        "address_method": intf.method,
        "secondary_addresses": [_address(pair) for pair in intf.secondaries],
        "broadcast_address": BROADCAST,
        "mtu": mtu(intf.name),
        "helper_addresses": [],
        "outgoing_access_list": intf.access_group_out or None,
        "inbound_access_list": intf.access_group_in or None,
        "proxy_arp": True,
        "nat": intf.nat or None,
        "cef": r.ip_cef,
    })
    return facts


def facts(r: m.Router, names: Optional[Iterable[str]] = None) -> list[dict]:
    """The interfaces named (all of them, in the router's order, when None)."""
    chosen = r.interfaces.values() if names is None else (r.interfaces[n] for n in names)
    return [_facts(r, intf) for intf in chosen]


def _acl(name: Optional[str]) -> str:
    return name if name else "not set"


def _switching(f: dict) -> list[str]:
    if f["cef"]:
        return ["IP CEF switching is enabled", "IP CEF Fast switching turbo vector",
                "IP multicast fast switching is enabled",
                "IP multicast distributed fast switching is disabled",
                "IP route-cache flags are Fast, CEF"]
    return ["IP Fast switching turbo vector", "IP multicast fast switching is enabled",
            "IP multicast distributed fast switching is disabled",
            "IP route-cache flags are Fast"]


def _nat(f: dict) -> str:
    if f["nat"]:
        return f"Network address translation is enabled, interface in domain {f['nat']}"
    return "Network address translation is disabled"


def block(f: dict) -> list[str]:
    """The lines of one interface's facts."""
    head = f"{f['interface']} is {f['status']}, line protocol is {f['protocol']}"
    if not f["ip_enabled"]:
        return [head, "  Internet protocol processing disabled"]
    if f["ip_address"] is None:
        body = [f"Internet address will be negotiated using {f['negotiated_by']}",
                f"Broadcast address is {f['broadcast_address']}"]
    else:
        body = [f"Internet address is {f['ip_address']}/{f['prefix_length']}",
                f"Broadcast address is {f['broadcast_address']}",
                f"Address determined by {_DETERMINED.get(f['address_method'], 'setup command')}"]
    body += [f"MTU is {f['mtu']} bytes",
             "Helper address is not set",
             "Directed broadcast forwarding is disabled"]
    body += [f"Secondary address {a['ip_address']}/{a['prefix_length']}"
             for a in f["secondary_addresses"]]
    body += [f"Outgoing access list is {_acl(f['outgoing_access_list'])}",
             f"Inbound  access list is {_acl(f['inbound_access_list'])}",
             "Proxy ARP is enabled" if f["proxy_arp"] else "Proxy ARP is disabled",
             *_DEFAULTS_BEFORE_SWITCHING, *_switching(f), *_DEFAULTS_AFTER_SWITCHING,
             _nat(f), *_WCCP_AND_BGP]
    return [head] + ["  " + line for line in body]


def text(r: m.Router, names: Optional[Iterable[str]] = None) -> str:
    return "".join(line + "\n" for f in facts(r, names) for line in block(f))

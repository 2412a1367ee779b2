"""`show ip route`: connected and static routes, grouped under their classful networks; and
`show ip route A.B.C.D [MASK]`, one route's detail block (docs/formats.md)."""
from __future__ import annotations

from itertools import groupby

from ..config import model as m
from ..config.names import int_to_ip, len_to_mask, mask_is_contiguous, prefix_len
from ..engine.routing import RouteEntry, table

CODES = """Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area 
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route
"""


def classful_length(ip: int) -> int:
    first = ip >> 24
    return 8 if first < 128 else 16 if first < 192 else 24


def gateway(r: m.Router, routes: list[RouteEntry]) -> str:
    default = next((e for e in routes if e.is_default), None)
    if default is None:
        return "Gateway of last resort is not set"
    via = int_to_ip(default.next_hop) if default.next_hop is not None else "0.0.0.0"
    return f"Gateway of last resort is {via} to network 0.0.0.0"


def _describe(e: RouteEntry) -> str:
    if e.code == "C":
        return f"is directly connected, {e.interface}"
    if e.next_hop is None:
        return f"is directly connected, {e.interface}"
    text = f"[{e.distance}/0] via {int_to_ip(e.next_hop)}"
    return text + (f", {e.interface}" if e.interface else "")


def text(r: m.Router) -> str:
    routes = table(r)
    out = [CODES, gateway(r, routes), ""]
    networks = [e for e in routes if not e.is_default]

    def major(e: RouteEntry):
        length = classful_length(e.prefix)
        if e.length < length:
            return (e.prefix, e.length, True)
        mask = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
        return (e.prefix & mask, length, False)

    ordered = sorted(networks, key=lambda e: (major(e), e.prefix, e.length))
    for (net, length, supernet), group in groupby(ordered, key=major):
        group = list(group)
        if supernet or (len(group) == 1 and group[0].length == length):
            for e in group:
                code = e.code + ("*" if e.is_default else "")
                out.append(f"{code:<5}{int_to_ip(e.prefix)}/{e.length} {_describe(e)}")
            continue
        masks = sorted({e.length for e in group})
        subnets = len({(e.prefix, e.length) for e in group})
        if len(masks) == 1 and masks[0] != length:
            out.append(f"     {int_to_ip(net)}/{masks[0]} is subnetted, {subnets} subnets")
            for e in group:
                out.append(f"{e.code:<8}{int_to_ip(e.prefix)} {_describe(e)}")
        else:
            out.append(f"     {int_to_ip(net)}/{length} is variably subnetted, {subnets} "
                       f"subnets, {len(masks)} masks")
            for e in group:
                out.append(f"{e.code:<8}{int_to_ip(e.prefix)}/{e.length} {_describe(e)}")
    for e in routes:
        if e.is_default:
            out.append(f"{e.code + '*':<5}{int_to_ip(e.prefix)}/0 {_describe(e)}")
    return "\n".join(out) + "\n"


def facts(r: m.Router) -> list[dict]:
    return [{"protocol": e.code, "network": int_to_ip(e.prefix), "prefix_length": e.length,
             "distance": e.distance, "metric": 0,
             "next_hop": int_to_ip(e.next_hop) if e.next_hop is not None else None,
             "interface": e.interface or None} for e in table(r)]


# ------------------------------------------------------------------ show ip route A.B.C.D [M]
NETWORK_NOT_IN_TABLE = "% Network not in table"
SUBNET_NOT_IN_TABLE = "% Subnet not in table"
PROTOCOLS = {"C": "connected", "S": "static"}


def entry_for(routes: list[RouteEntry], address: int, mask: int | None) -> list[RouteEntry]:
    """The paths of the route `show ip route ADDRESS [MASK]` shows: with a mask, that exact
    prefix; without one, the longest prefix holding the address, the default route only for
    0.0.0.0 itself (IOS never answers an address with the default route)."""
    if mask is not None:
        if not mask_is_contiguous(mask):
            return []
        key = (address & mask, prefix_len(mask))
        return [e for e in routes if (e.prefix, e.length) == key]
    held = [e for e in routes if address & len_to_mask(e.length) == e.prefix
            and (not e.is_default or address == 0)]
    if not held:
        return []
    best = max(held, key=lambda e: e.length)
    return [e for e in held if (e.prefix, e.length) == (best.prefix, best.length)]


def missing(routes: list[RouteEntry], address: int) -> str:
    """`% Subnet not in table` when the address's classful network has subnets in the table,
    `% Network not in table` when it has none."""
    length = classful_length(address)
    major = address & len_to_mask(length)
    known = any(e.length >= length and e.prefix & len_to_mask(length) == major for e in routes)
    return SUBNET_NOT_IN_TABLE if known else NETWORK_NOT_IN_TABLE


def _entry_head(e: RouteEntry) -> str:
    if e.length < classful_length(e.prefix):
        return (f"Routing entry for {int_to_ip(e.prefix)} {int_to_ip(len_to_mask(e.length))}, "
                "supernet")
    return f"Routing entry for {int_to_ip(e.prefix)}/{e.length}"


def _known_via(paths: list[RouteEntry]) -> str:
    first = paths[0]
    if first.code == "C":
        return '  Known via "connected", distance 0, metric 0 (connected, via interface)'
    text = f'  Known via "static", distance {first.distance}, metric 0'
    if all(e.next_hop is None for e in paths):
        text += " (connected)"
    return text + (", candidate default path" if first.is_default else "")


def _path(e: RouteEntry) -> str:
    if e.next_hop is None:
        return f"directly connected, via {e.interface}"
    return int_to_ip(e.next_hop) + (f", via {e.interface}" if e.interface else "")


def entry_text(r: m.Router, address: int, mask: int | None) -> str:
    routes = table(r)
    paths = entry_for(routes, address, mask)
    if not paths:
        return missing(routes, address) + "\n"
    out = [_entry_head(paths[0]), _known_via(paths), "  Routing Descriptor Blocks:"]
    for n, e in enumerate(paths):
        out.append(("  * " if n == 0 else "    ") + _path(e))
        out.append("      Route metric is 0, traffic share count is 1")
    return "\n".join(out) + "\n"


def entry_facts(r: m.Router, address: int, mask: int | None) -> dict:
    routes = table(r)
    paths = entry_for(routes, address, mask)
    if not paths:
        return {"found": False, "message": missing(routes, address)}
    first = paths[0]
    return {"found": True, "network": int_to_ip(first.prefix), "prefix_length": first.length,
            "protocol": PROTOCOLS[first.code], "distance": first.distance, "metric": 0,
            "candidate_default": first.is_default,
            "paths": [{"next_hop": int_to_ip(e.next_hop) if e.next_hop is not None else None,
                       "interface": e.interface or None, "active": n == 0}
                      for n, e in enumerate(paths)]}

"""`show ip route`: connected and static routes, grouped under their classful networks."""
from __future__ import annotations

from itertools import groupby

from ..config import model as m
from ..config.names import int_to_ip
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

    for (net, length, supernet), group in groupby(sorted(networks, key=lambda e: (major(e), e.prefix, e.length)), key=major):
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

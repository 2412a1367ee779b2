"""Address translation and static routes as configured: `ip nat inside source`, the NAT pools
and timeouts, and `ip route` (grammar/nat_routes.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). It returns the running-config slot it changed.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..config import model as m
from ..config.errors import ConfigError
from ..config.names import int_to_ip, len_to_mask, mask_is_contiguous
from .registry import config_command, converter
from .values import IP, Interface, Name


class Side(NamedTuple):
    """Where translated or routed traffic goes: an address, an interface, or both (a route
    through an interface to a next hop)."""
    address: Optional[int]
    interface: str


class DynamicTarget(NamedTuple):
    """What a dynamic translation takes its global addresses from: a pool (by its name as
    typed, column kept) or an interface."""
    pool: str
    interface: str


class PoolMask(NamedTuple):
    mask: int
    prefix_form: bool           # written with prefix-length rather than netmask
    column: Optional[int]       # where the mask was typed: a bad one is refused there


def _options(option) -> tuple[str, ...]:
    return () if option is None else (str(option),)


# ------------------------------------------------------------------ static translations
@config_command("nat_static")
def nat_static(cfg, local, glob, option):
    entry = m.NatStatic(int(local), int(glob), options=_options(option))
    statics = cfg.router.nat_statics
    if cfg.no:
        statics.discard(entry)
        return "nat"
    if entry in statics:
        return "nat"
    _refuse_overlap(statics, int(local), int(glob))
    statics.add(entry)
    return "nat"


def _refuse_overlap(statics: m.NatStatics, local: int, glob: int) -> None:
    """One-to-one statics are a bijection: an address maps one way, on each side."""
    mapped = statics.by_local(local)
    if mapped is not None:
        raise ConfigError(f"% {int_to_ip(local)} already mapped "
                          f"({int_to_ip(local)} -> {int_to_ip(mapped.global_ip)})", slot="nat")
    taken = statics.by_global(glob)
    if taken is not None:
        raise ConfigError(f"% similar static entry ({int_to_ip(taken.local_ip)} -> "
                          f"{int_to_ip(glob)}) already exists", slot="nat")


@converter("nat_global_addr")
def nat_global_addr(value) -> Side:
    if isinstance(value, Interface):
        return Side(None, str(value))
    return Side(int(value), "")


@config_command("nat_static_port")
def nat_static_port(cfg, protocol, local, local_port, glob: Side, global_port, option):
    entry = m.NatStatic(int(local), glob.address, str(protocol), int(local_port),
                        int(global_port), glob.interface, _options(option))
    if cfg.no:
        cfg.router.nat_statics.discard(entry)
    else:
        cfg.router.nat_statics.add(entry)
    return "nat"


# ------------------------------------------------------------------ dynamic translations
@converter("nat_dynamic_target")
def nat_dynamic_target(value) -> DynamicTarget:
    if isinstance(value, Interface):
        return DynamicTarget("", str(value))
    return DynamicTarget(value, "")


@config_command("nat_dynamic")
def nat_dynamic(cfg, acl: Name, target: DynamicTarget, overload):
    acl_name = str(acl)
    dyn = cfg.router.nat_dynamics
    if cfg.no:
        cfg.router.nat_dynamics = [d for d in dyn if d.acl != acl_name]
        return "nat"
    entry = m.NatDynamic(acl_name, str(target.pool), target.interface, overload is not None)
    for i, d in enumerate(dyn):
        if d.acl == acl_name:
            dyn[i] = entry
            break
    else:
        dyn.append(entry)
    cfg.refers("access-list", acl_name, acl.start_pos, "nat")
    if target.pool:
        cfg.refers("pool", str(target.pool), target.pool.start_pos, "nat")
    return "nat"


# ------------------------------------------------------------------ pools and timeouts
@converter("nat_pool_mask")
def nat_pool_mask(value) -> PoolMask:
    """`netmask 255.255.255.0` (an IP) or `prefix-length 24` (a Number)."""
    if isinstance(value, IP):
        return PoolMask(int(value), False, value.start_pos)
    return PoolMask(len_to_mask(int(value)), True, value.start_pos)


@config_command("nat_pool", "no_nat_pool")
def nat_pool(cfg, name, start=None, end=None, mask: Optional[PoolMask] = None):
    name = str(name)
    if cfg.no:
        cfg.router.nat_pools.pop(name, None)
        return "nat"
    if not mask.prefix_form and not mask_is_contiguous(mask.mask):
        raise ConfigError("%Pool netmask is not contiguous", mask.column, "nat")
    start, end = int(start), int(end)
    if start > end:
        raise ConfigError("%End address less than start address", cfg.column, "nat")
    if (start & mask.mask) != (end & mask.mask):
        raise ConfigError("%Start and end addresses on different subnets", cfg.column, "nat")
    cfg.router.nat_pools[name] = m.NatPool(name, start, end, mask.mask, mask.prefix_form)
    cfg.defines("pool", name, cfg.column)
    return "nat"


@converter("nat_timeout_value")
def nat_timeout_value(value) -> Optional[int]:
    """Seconds, or None for `never`."""
    return None if value == "never" else int(value)


@config_command("nat_translation_timeout")
def nat_translation_timeout(cfg, which, seconds: Optional[int]):
    timeouts = cfg.router.nat_timeouts
    if cfg.no:
        timeouts.pop(str(which), None)
    else:
        timeouts[str(which)] = seconds
    return "nat"


# ------------------------------------------------------------------ static routes
@converter("route_target")
def route_target(first, next_hop=None) -> Side:
    """`10.0.0.1`, `Serial0/0` or `FastEthernet0/0 10.0.0.1`."""
    if isinstance(first, Interface):
        return Side(None if next_hop is None else int(next_hop), str(first))
    return Side(int(first), "")


@config_command("ip_route")
def ip_route(cfg, prefix, mask, target: Side, distance, *options):
    prefix, mask = int(prefix), int(mask)
    if not mask_is_contiguous(mask) or prefix & ~mask & 0xFFFFFFFF:
        raise ConfigError("%Inconsistent address and mask", cfg.column, "route")
    route = m.Route(prefix, mask, target.address, target.interface,
                    None if distance is None else int(distance), tuple(str(o) for o in options))
    key = (route.prefix, route.mask, route.next_hop, route.interface)
    cfg.router.routes.pop(key, None)
    if not cfg.no:
        cfg.router.routes[key] = route
    return "route"

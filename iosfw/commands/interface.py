"""Interfaces: `interface NAME` in global configuration, and the interface sub-mode's addresses,
access groups, NAT sides, inspection, descriptions and port settings (grammar/interface.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). The sub-mode's handlers change `cfg.context.target`, the
interface `interface` entered, and return None: the slot of the block they are in.
"""
from __future__ import annotations

from ..config import model as m
from ..config.errors import ConfigError
from ..config.names import SLOTS, is_physical, mask_is_contiguous, slot_of
from .configure import switch
from .registry import config_command
from .values import INVALID, IP, Interface, Name

# made by configuration, so `no interface` may remove them; a port stays with its hardware
_LOGICAL = ("Loopback", "Tunnel", "Dialer", "Virtual-Template")


@config_command("interface")
def interface(cfg, name: Interface, subif_type):
    # IOS refuses a port the chassis lacks under its number, not its type
    if not _chassis_has(cfg.router, name.split(".")[0]):
        raise ConfigError(INVALID, name.number_pos)
    name = str(name)
    interfaces = cfg.router.interfaces
    if cfg.no:
        if "." in name or name.startswith(_LOGICAL):
            interfaces.pop(name, None)
            return f"interface:{name}"
        raise ConfigError("% Removal of physical interfaces is not permitted")
    intf = interfaces.get(name)
    if intf is None:
        intf = interfaces[name] = m.Interface(name)
    if subif_type:
        intf.subif_type = str(subif_type)
    return cfg.enter("config-subif" if "." in name else "config-if", intf, f"interface:{name}")


def _chassis_has(router: m.Router, name: str) -> bool:
    """Whether the hardware has this interface: logical ones are made by configuration,
    ports are the network modules' (a 3640 has slots 0 to 3; the modules in them are known
    once the first configuration has booted)."""
    if not is_physical(name):
        return True
    slot = slot_of(name)
    if slot is not None and slot >= SLOTS:
        return False
    return router.chassis is None or name in router.chassis


def _side(prefix: str, direction) -> str:
    """The attribute of one direction: `access_group_in`, `inspect_out`."""
    return f"{prefix}_in" if direction == "in" else f"{prefix}_out"


# ------------------------------------------------------------------ addresses
@config_command("ip_address")
def ip_address(cfg, ip: IP, mask: IP, secondary):
    intf: m.Interface = cfg.context.target
    pair = (int(ip), int(mask))
    if cfg.no:
        if secondary:
            intf.secondaries = [a for a in intf.secondaries if a != pair]
        else:
            intf.address, intf.secondaries = None, []
        return
    if _bad_mask(*pair):
        raise ConfigError(f"Bad mask 0x{int(mask):X} for address {ip}")
    intf.method = "manual"
    if secondary:  # IOS writes secondaries before the primary, so it reads them so too
        if pair not in intf.secondaries:
            intf.secondaries.append(pair)
    else:
        intf.address = pair
        intf.address_dynamic = ""


def _bad_mask(ip: int, mask: int) -> bool:
    """A mask IOS refuses for this address: not contiguous, empty, or one that leaves the
    address the network or broadcast of its subnet (but /31 and /32, which have neither)."""
    if not mask_is_contiguous(mask) or mask == 0:
        return True
    host = ~mask & 0xFFFFFFFF
    return ip & host in (0, host) and mask not in (0xFFFFFFFF, 0xFFFFFFFE)


@config_command("ip_address_dynamic")
def ip_address_dynamic(cfg, method):
    intf: m.Interface = cfg.context.target
    intf.address_dynamic = "" if cfg.no else str(method)
    if not cfg.no:
        intf.address, intf.secondaries = None, []


@config_command("no_ip_address")
def no_ip_address(cfg):
    intf: m.Interface = cfg.context.target
    intf.address, intf.secondaries, intf.address_dynamic = None, [], ""


# ------------------------------------------------------------------ filtering, NAT, inspection
@config_command("ip_access_group")
def ip_access_group(cfg, acl: Name, direction):
    intf, attr = cfg.context.target, _side("access_group", direction)
    if not cfg.no:
        setattr(intf, attr, str(acl))
        cfg.refers("access-list", str(acl), acl.start_pos, f"access-group {direction}")
    elif getattr(intf, attr) == acl:
        # `no ip access-group 101 in` leaves another list applied in place
        setattr(intf, attr, "")


@config_command("no_access_group_dir")
def no_access_group_dir(cfg, direction):
    setattr(cfg.context.target, _side("access_group", direction), "")


@config_command("ip_nat_side")
def ip_nat_side(cfg, side):
    intf: m.Interface = cfg.context.target
    if not cfg.no:
        intf.nat = str(side)
    elif intf.nat == side:
        intf.nat = ""


@config_command("ip_inspect_apply")
def ip_inspect_apply(cfg, name, direction):
    intf: m.Interface = cfg.context.target
    attr = _side("inspect", direction)
    if cfg.no:
        setattr(intf, attr, "")
        return
    setattr(intf, attr, str(name))
    # the engine inspects only the sessions that start once a rule is applied
    cfg.router.inspect_stamp += 1
    intf.inspect_stamp = cfg.router.inspect_stamp
    cfg.refers("inspect", str(name), name.start_pos, f"inspect {direction}")


config_command("ip_virtual_reassembly")(switch("virtual_reassembly", of_target=True))


# ------------------------------------------------------------------ the port
# an interface's or a voice port's: both keep the flag under the same name
config_command("shutdown")(switch("shutdown", of_target=True))


@config_command("description", "no_description")
def description(cfg, text=None):
    cfg.context.target.description = "" if cfg.no else str(text)


@config_command("duplex")
def duplex(cfg, mode):
    _duplex(cfg.context.target, "" if cfg.no else str(mode), "")


@config_command("half_duplex")
def half_duplex(cfg):
    _duplex(cfg.context.target, "", "" if cfg.no else "half-duplex")


@config_command("full_duplex")
def full_duplex(cfg):
    _duplex(cfg.context.target, "", "" if cfg.no else "full-duplex")


def _duplex(intf: m.Interface, mode: str, command: str) -> None:
    """`duplex X` and the older `half-duplex`/`full-duplex` replace each other."""
    intf.duplex, intf.half_duplex_cmd = mode, command


@config_command("speed")
def speed(cfg, value):
    cfg.context.target.speed = "" if cfg.no else str(value)

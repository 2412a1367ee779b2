"""Access-list entries as IOS writes them: the text of an entry in running-config, and its
body (what follows the action word) as `show access-lists` prints it too."""
from __future__ import annotations

from . import model as m
from .names import int_to_ip
from .ports import icmp_names, port_text

_ICMP_BY_CODE = {}


def icmp_text(icmp: tuple) -> str:
    """By IOS's name where one has that type and code (`3 13` is administratively-prohibited)."""
    itype, code = icmp
    if not _ICMP_BY_CODE:
        for kw, key in icmp_names().items():
            _ICMP_BY_CODE.setdefault(key, kw)
    named = _ICMP_BY_CODE.get((itype, code))
    if named:
        return named
    return str(itype) if code is None else f"{itype} {code}"


def address_text(addr: m.Address, standard: bool, show: bool) -> str:
    if addr.is_any:
        return "any"
    if addr.is_host:
        return int_to_ip(addr.ip) if standard else f"host {int_to_ip(addr.ip)}"
    if standard and show:
        return f"{int_to_ip(addr.ip)}, wildcard bits {int_to_ip(addr.wildcard)}"
    return f"{int_to_ip(addr.ip)} {int_to_ip(addr.wildcard)}"


def ports_text(pm: m.PortMatch, family: str) -> str:
    return " ".join([pm.op] + [port_text(family, p) for p in pm.ports])


def entry_body(entry: m.AclEntry, standard: bool, show: bool) -> str:
    """Everything after the action word."""
    if entry.action in ("remark", "evaluate"):
        return entry.remark
    parts = []
    if standard:
        parts.append(address_text(entry.src, True, show))
    else:
        parts.append(entry.protocol)
        parts.append(address_text(entry.src, False, show))
        if entry.src_port:
            parts.append(ports_text(entry.src_port, entry.protocol))
        parts.append(address_text(entry.dst, False, show))
        if entry.dst_port:
            parts.append(ports_text(entry.dst_port, entry.protocol))
        if entry.icmp:
            parts.append(icmp_text(entry.icmp))
        parts.extend(entry.options)
    if entry.log:
        parts.append(entry.log)
    return " ".join(parts)


def config_text(entry: m.AclEntry, standard: bool) -> str:
    """`permit ...`, `deny   ...` (padded to the width of permit) or `remark ...`."""
    action = "deny  " if entry.action == "deny" else entry.action
    return f"{action} {entry_body(entry, standard, show=False)}"

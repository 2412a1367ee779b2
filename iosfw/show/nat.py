"""`show ip nat translations`: the static entries (dynamic ones come with the traffic engine)."""
from __future__ import annotations

from ..config import model as m
from ..config.names import int_to_ip

_STOPS = (0, 4, 23, 42, 61)


def columns(fields: list[str]) -> str:
    """Place fields at IOS's tab stops; a field that overruns the next stop gets one space."""
    line = ""
    for stop, value in zip(_STOPS, fields):
        if line:
            line += " " * max(1, stop - len(line))
        line += value
    return line


HEADER = columns(["Pro", "Inside global", "Inside local", "Outside local", "Outside global"])


def _global_ip(r: m.Router, s: m.NatStatic):
    if not s.global_interface:
        return s.global_ip
    intf = r.interfaces.get(s.global_interface)
    return intf.address[0] if intf and intf.address else None


def facts(r: m.Router) -> list[dict]:
    rows = []
    for s in r.nat_statics:
        gip = _global_ip(r, s)
        if gip is None:
            continue
        if s.protocol:
            inside_global = f"{int_to_ip(gip)}:{s.global_port}"
            inside_local = f"{int_to_ip(s.local_ip)}:{s.local_port}"
        else:
            inside_global, inside_local = int_to_ip(gip), int_to_ip(s.local_ip)
        rows.append({"protocol": s.protocol or "---", "inside_global": inside_global,
                     "inside_local": inside_local, "outside_local": "---",
                     "outside_global": "---", "static": True})
    return rows


def translations_text(r: m.Router) -> str:
    rows = facts(r)
    if not rows:
        return ""
    out = [HEADER] + [columns([f["protocol"], f["inside_global"], f["inside_local"],
                               f["outside_local"], f["outside_global"]]) for f in rows]
    return "\n".join(out) + "\n"

"""`show ip nat translations [verbose]` and `show ip nat statistics` from the translation
table (static entries, dynamic ones, and the extended entries of live flows)."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..config import model as m
from ..config.names import int_to_ip
from ..engine.packet import ICMP, TCP, UDP
from ..timestamps import uptime_stamp

if TYPE_CHECKING:
    from ..engine.nattable import Entry, NatTable

_STOPS = (0, 4, 23, 42, 61)
_PROTOCOLS = {TCP: "tcp", UDP: "udp", ICMP: "icmp"}


def columns(fields: list[str]) -> str:
    """Place fields at IOS's tab stops; a field that overruns the next stop gets one space."""
    line = ""
    for stop, value in zip(_STOPS, fields):
        if line:
            line += " " * max(1, stop - len(line))
        line += value
    return line


HEADER = columns(["Pro", "Inside global", "Inside local", "Outside local", "Outside global"])


def _end(endpoint: tuple[int, int], extended: bool) -> str:
    ip, port = endpoint
    return f"{int_to_ip(ip)}:{port}" if extended else int_to_ip(ip)


def row(e: Entry) -> dict:
    extended = e.proto != 0
    outside = e.outside_local != (0, 0)
    return {"protocol": _PROTOCOLS.get(e.proto, str(e.proto)) if extended else "---",
            "inside_global": _end(e.inside_global, extended),
            "inside_local": _end(e.inside_local, extended),
            "outside_local": _end(e.outside_local, extended) if outside else "---",
            "outside_global": _end(e.outside_global, extended) if outside else "---",
            "static": e.static}


def _hms(seconds: float) -> str:
    return uptime_stamp(max(0.0, seconds))


def _static_flows(entries: list[Entry]) -> Counter:
    """The extended entries of each static translation, by (inside global, inside local)
    address: a static entry's use_count (dynamic address entries have no flows: a pool
    without overload makes no extended entries)."""
    return Counter((e.inside_global[0], e.inside_local[0]) for e in entries
                   if e.proto and e.map_id == 0)


def _verbose(e: Entry, now: float, use_count: int) -> list[str]:
    """The two lines under an entry: ages, time left and what made it (iosfw's rendering of
    the 12.x verbose layout, see docs/formats.md)."""
    first = f"    create {_hms(now - e.created)}, use {_hms(now - e.used)}, "
    if e.expires is not None:
        first += f"left {_hms(e.expires - now)}, "
    if e.map_id:
        first += f"Map-Id(In): {e.map_id}, "
    flags = "static" if e.static else ("extended" if e.proto else "none")
    return [first, "    flags: ", f"{flags}, use_count: {use_count}"]


def facts(table: NatTable) -> list[dict]:
    return [row(e) for e in table.listing()]


def translations_text(table: NatTable, verbose: bool = False, now: float = 0.0) -> str:
    entries = table.listing()
    if not entries:
        return ""
    out = [HEADER]
    flows = _static_flows(entries) if verbose else Counter()
    for e in entries:
        f = row(e)
        out.append(columns([f["protocol"], f["inside_global"], f["inside_local"],
                            f["outside_local"], f["outside_global"]]))
        if verbose:
            uses = flows[(e.inside_global[0], e.inside_local[0])] if e.static else 0
            out += _verbose(e, now, uses)
    return "\n".join(out) + "\n"


def statistics_facts(r: m.Router, table: NatTable) -> dict:
    static, dynamic, extended = table.counts()
    return {"static": static, "dynamic": dynamic, "extended": extended,
            "hits": table.hits, "misses": table.misses, "expired": table.expired,
            "outside_interfaces": [i.name for i in r.interfaces.values() if i.nat == "outside"],
            "inside_interfaces": [i.name for i in r.interfaces.values() if i.nat == "inside"]}


def _mapping_lines(r: m.Router, table: NatTable) -> list[str]:
    out = []
    for map_id, rule in enumerate(r.nat_dynamics, 1):
        users = sum(1 for e in table.entries.values() if e.map_id == map_id)
        target = f"pool {rule.pool}" if rule.pool else f"interface {rule.interface}"
        out.append(f"[Id: {map_id}] access-list {rule.acl} {target} refcount {users}")
        pool = r.nat_pools.get(rule.pool) if rule.pool else None
        if pool is not None:
            total = pool.end - pool.start + 1
            used = sum(1 for ip in table.simple_global if pool.start <= ip <= pool.end)
            out.append(f" pool {pool.name}: netmask {int_to_ip(pool.mask)}")
            out.append(f"\tstart {int_to_ip(pool.start)} end {int_to_ip(pool.end)}")
            out.append(f"\ttype generic, total addresses {total}, allocated {used} "
                       f"({used * 100 // total}%), misses {table.pool_misses.get(pool.name, 0)}")
    return out


def statistics_text(r: m.Router, table: NatTable) -> str:
    f = statistics_facts(r, table)
    out = [f"Total active translations: {f['static'] + f['dynamic']} ({f['static']} static, "
           f"{f['dynamic']} dynamic; {f['extended']} extended)",
           "Outside interfaces:"]
    if f["outside_interfaces"]:
        out.append("  " + ", ".join(f["outside_interfaces"]))
    out.append("Inside interfaces:")
    if f["inside_interfaces"]:
        out.append("  " + ", ".join(f["inside_interfaces"]))
    out += [f"Hits: {f['hits']}  Misses: {f['misses']}",
            f"Expired translations: {f['expired']}",
            "Dynamic mappings:"]
    if r.nat_dynamics:
        out.append("-- Inside Source")
        out += _mapping_lines(r, table)
    return "\n".join(out) + "\n"

"""`show access-lists` and `show ip access-lists`.

The hit counts are the engine's: `matches(acl)` gives each entry's, in the list's order
(Device.acl_matches: zeros before the engine is built, which showing does not do)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Callable

from ..config import model as m
from ..config.render import acl_sort_key
from .acl_text import show_text

Matches = Callable[[m.AccessList], list[int]]


def _selected(r: m.Router, name: str | None) -> list[m.AccessList]:
    acls = sorted(r.access_lists.values(), key=acl_sort_key)
    return [a for a in acls if name is None or a.name == name]


def _shown(acl: m.AccessList, matches: Matches) -> list[tuple[m.AclEntry, int]]:
    """The entries `show access-lists` lists (not the remarks), with their hits."""
    return [(e, n) for e, n in zip(acl.entries, matches(acl)) if e.action != "remark"]


def text(r: m.Router, matches: Matches, name: str | None = None) -> str:
    out = []
    for acl in _selected(r, name):
        kind = "Standard" if acl.kind == "standard" else "Extended"
        out.append(f"{kind} IP access list {acl.name}")
        out += ["    " + show_text(e, acl.kind == "standard", n) for e, n in _shown(acl, matches)]
    if name is None:
        out += [f"Reflexive IP access list {n}" for n in reflexive_names(r)]
    return "".join(line + "\n" for line in out)


def reflexive_names(r: m.Router) -> list[str]:
    """Lists that `reflect NAME` entries create; empty until traffic fills them."""
    names = []
    for acl in r.access_lists.values():
        for e in acl.entries:
            for opt in e.options:
                if opt.startswith("reflect "):
                    names.append(opt.split()[1])
    return list(dict.fromkeys(names))


def facts(r: m.Router, matches: Matches, name: str | None = None) -> list[dict]:
    return [{"name": a.name, "type": a.kind,
             "entries": [{**asdict(e), "matches": n, "text": show_text(e, a.kind == "standard", n)}
                         for e, n in _shown(a, matches)]}
            for a in _selected(r, name)]

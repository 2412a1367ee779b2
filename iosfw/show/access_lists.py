"""`show access-lists` and `show ip access-lists`."""
from __future__ import annotations

from dataclasses import asdict

from ..config import model as m
from .acl_text import show_text
from .running_config import acl_sort_key


def _selected(r: m.Router, name: str | None) -> list[m.AccessList]:
    acls = sorted(r.access_lists.values(), key=acl_sort_key)
    return [a for a in acls if name is None or a.name == name]


def text(r: m.Router, name: str | None = None) -> str:
    out = []
    for acl in _selected(r, name):
        kind = "Standard" if acl.kind == "standard" else "Extended"
        out.append(f"{kind} IP access list {acl.name}")
        out += ["    " + show_text(e, acl.kind == "standard")
                for e in acl.entries if e.action != "remark"]
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


def facts(r: m.Router, name: str | None = None) -> list[dict]:
    return [{"name": a.name, "type": a.kind,
             "entries": [{**asdict(e), "text": show_text(e, a.kind == "standard")}
                         for e in a.entries if e.action != "remark"]}
            for a in _selected(r, name)]

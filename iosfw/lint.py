"""`iosfw lint`: the classic CBAC and access-list mistakes of a configuration, each with its
file, line and why it matters (docs/lint.md).

A lint reads what loading the configuration gave (the model, its diagnostics, and where the
applied lines define and name things) and reports mistakes that IOS itself accepts; it
changes nothing and needs no engine. Each check is one function returning its findings, so a
new check is one function and one line in CHECKS.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from .commands.loader import KIND_NAMES, LoadResult, Mention
from .config.names import int_to_ip


@dataclass
class Finding:
    path: str
    line: int
    column: Optional[int]
    code: str              # a short name of the mistake: `unapplied-rule`, `undefined-list`
    message: str           # what is wrong, with the names in it
    why: str               # why it matters on the router
    text: str              # the line, as the file has it

    def format(self) -> str:
        where = f"{self.path}:{self.line}" + ("" if self.column is None else f":{self.column + 1}")
        return f"{where}: {self.code}: {self.message}\n    {self.text.strip()}\n    why: {self.why}"

    def facts(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "code": self.code,
                "message": self.message, "why": self.why, "text": self.text.strip()}


def _first_definitions(result: LoadResult) -> dict[tuple[str, str], Mention]:
    """(kind, name) -> the first line that defines it."""
    found: dict[tuple[str, str], Mention] = {}
    for entry in result.definitions:
        found.setdefault((entry.kind, entry.name), entry)
    return found


def _finding(path: str, where: Mention, code: str, message: str, why: str) -> Finding:
    return Finding(path, where.line, where.column, code, message, why, where.text)


def unapplied_rules(result: LoadResult, path: str) -> list[Finding]:
    """An inspection rule no interface applies inspects nothing."""
    applied = {ref.name for ref in result.references if ref.kind == "inspect"}
    return [_finding(path, where, "unapplied-rule",
                     f"inspection rule {name} is applied on no interface",
                     f"a rule inspects only where `ip inspect {name} in|out` applies it")
            for (kind, name), where in _first_definitions(result).items()
            if kind == "inspect" and name not in applied]


def _close(a: str, b: str) -> bool:
    """The same name typed two ways: case, `-`/`_`, or one character more, less or other."""
    def norm(s: str) -> str:
        return s.lower().replace("_", "-")
    a, b = norm(a), norm(b)
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def undefined_names(result: LoadResult, path: str) -> list[Finding]:
    """A list, rule or pool the configuration names but never defines; when a defined one is
    spelt almost the same, that is most likely the one meant."""
    defined = _first_definitions(result)
    out = []
    for where in result.undefined():
        kind, name, what = where.kind, where.name, KIND_NAMES[where.kind]
        near = [(n, d) for (k, n), d in defined.items() if k == kind and _close(n, name)]
        if near:
            other, other_where = near[0]
            out.append(_finding(path, where, "name-typed-two-ways",
                                f"{what} {name} is not defined; {other} is (line "
                                f"{other_where.line})",
                                "IOS takes the two spellings as two names: this line uses one "
                                "that does not exist"))
        elif kind == "access-list":
            out.append(_finding(path, where, "undefined-list", f"{what} {name} is not defined",
                                "IOS applies a list that does not exist as one that permits "
                                "everything"))
        else:
            out.append(_finding(path, where, "undefined-name", f"{what} {name} is not defined",
                                "the command does nothing until it is defined"))
    return out


def acl_names_inside_local(result: LoadResult, path: str) -> list[Finding]:
    """An inbound list on an outside interface is applied before NAT turns the global
    address back into the inside one: an entry naming the inside local address of a static
    translation never matches the traffic meant for it."""
    r = result.router
    locals_ = {s.local_ip: s for s in r.nat_statics if s.global_ip is not None}
    out = []
    for where in result.references:
        if where.role != "access-group in":
            continue
        intf = next((i for i in r.interfaces.values()
                     if i.access_group_in == where.name and i.nat == "outside"), None)
        acl = r.access_lists.get(where.name)
        if intf is None or acl is None:
            continue
        for entry in acl.entries:
            dst = entry.dst
            if entry.action == "permit" and dst is not None and dst.wildcard == 0 \
                    and dst.ip in locals_:
                nat = locals_[dst.ip]
                out.append(_finding(
                    path, where, "acl-names-inside-local",
                    f"access list {acl.name}, inbound on the outside interface {intf.name}, "
                    f"permits {int_to_ip(dst.ip)}, the inside local address of a static "
                    f"translation to {int_to_ip(nat.global_ip)}",
                    "IOS applies the inbound list before NAT: the packets it sees are addressed "
                    f"to {int_to_ip(nat.global_ip)}"))
    return out


def no_blocking_acl(result: LoadResult, path: str) -> list[Finding]:
    """CBAC opens the way back for what it inspects going out; without an inbound list on that
    interface the way back is open to everything anyway."""
    r = result.router
    out = []
    for where in result.references:
        if where.role != "inspect out":
            continue
        for intf in r.interfaces.values():
            if intf.inspect_out == where.name and not intf.access_group_in:
                out.append(_finding(
                    path, where, "no-blocking-acl",
                    f"inspection rule {where.name} inspects traffic leaving {intf.name}, which has "
                    "no inbound access list",
                    "CBAC lets return traffic through an inbound list that blocks the rest; "
                    "with none, unsolicited traffic enters too"))
    return out


def smtp_and_esmtp(result: LoadResult, path: str) -> list[Finding]:
    """The router refuses the second of smtp and esmtp in one rule: the rule keeps the first."""
    return [Finding(path, d.line, d.column, "smtp-and-esmtp",
                    "smtp and esmtp in one inspection rule: the router refused this line",
                    "a rule inspects mail as smtp or as esmtp, never both; the rule kept the "
                    "first one", d.text)
            for d in result.diagnostics if "smtp and esmtp inspection cannot" in d.message]


def thresholds_reversed(result: LoadResult, path: str) -> list[Finding]:
    """A low threshold above its high one: the alarm goes off and stops in the wrong order."""
    g, defined = result.router.inspect, _first_definitions(result)
    out = []
    for what, low, high in (("max-incomplete", g.max_incomplete_low, g.max_incomplete_high),
                            ("one-minute", g.one_minute_low, g.one_minute_high)):
        if low > high:
            where = defined.get(("setting", f"{what} low")) or defined.get(("setting",
                                                                              f"{what} high"))
            if where is not None:
                out.append(_finding(
                    path, where, "thresholds-reversed",
                    f"ip inspect {what} low {low} is above high {high}",
                    "CBAC starts deleting half-open sessions above high and stops below low"))
    return out


CHECKS: tuple[Callable[[LoadResult, str], list[Finding]], ...] = (
    unapplied_rules, undefined_names, acl_names_inside_local, no_blocking_acl, smtp_and_esmtp,
    thresholds_reversed)


def lint(result: LoadResult, path: str) -> list[Finding]:
    """Every check's findings, in line order."""
    found = [f for check in CHECKS for f in check(result, path)]
    return sorted(found, key=lambda f: (f.line, f.code))

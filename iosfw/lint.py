"""`iosfw lint`: the classic CBAC and access-list mistakes of a configuration, each with its
file, line and why it matters (docs/lint.md).

A lint reads what loading the configuration gave (the model, its diagnostics, and where the
applied lines define and name things) and reports mistakes that IOS itself accepts; it
changes nothing and runs no engine (it reads the engine's tables of what inspection and
access lists match, so that the two never disagree). Each check is one function returning
its findings, so a new check is one function and one line in CHECKS.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from .commands.loader import KIND_NAMES, LoadResult, Mention
from .config import model as m
from .config.names import int_to_ip
from .engine.acl import ANY_PROTOCOL, port_range, protocol_number
from .engine.cbac import APPLICATION_PORTS, GENERIC, ICMP_REQUESTS
from .engine.packet import ICMP, TCP


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


def _entry_line(result: LoadResult, acl: str, address: str, fallback: Mention) -> Mention:
    """The line that wrote an entry of list `acl` naming `address`: the first line defining
    the list that has the address as a word (a numbered list's entries each define it); else
    `fallback` (a named list's entries, in its sub-mode, define nothing)."""
    return next((d for d in result.definitions if d.kind == "access-list" and d.name == acl
                 and address in d.text.split()), fallback)


def acl_names_inside_local(result: LoadResult, path: str) -> list[Finding]:
    """An inbound list on an outside interface is applied before NAT turns the global
    address back into the inside one: an entry naming the inside local address of a static
    translation never matches the traffic meant for it. Said at the entry's line when it can
    be found, else at the line applying the list."""
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
                    path, _entry_line(result, acl.name, int_to_ip(dst.ip), where),
                    "acl-names-inside-local",
                    f"access list {acl.name}, inbound on the outside interface {intf.name}, "
                    f"permits {int_to_ip(dst.ip)}, the inside local address of a static "
                    f"translation to {int_to_ip(nat.global_ip)}",
                    "IOS applies the inbound list before NAT: the packets it sees are addressed "
                    f"to {int_to_ip(nat.global_ip)}"))
    return out


def _applied_at(result: LoadResult, intf: m.Interface, role: str) -> Optional[Mention]:
    """The line that applied the interface's rule in `role` ("inspect in"): each `ip inspect
    NAME in|out` that applied counts the router's `inspect_stamp` up by one, so the
    interface's stamp numbers its last such line; else the last line applying that name so."""
    name = intf.inspect_in if role == "inspect in" else intf.inspect_out
    lines = [ref for ref in result.references if ref.kind == "inspect"]
    if len(lines) == result.router.inspect_stamp and 0 < intf.inspect_stamp <= len(lines):
        last = lines[intf.inspect_stamp - 1]
        if (last.name, last.role) == (name, role):
            return last
    same = [ref for ref in lines if (ref.name, ref.role) == (name, role)]
    return same[-1] if same else None


def no_blocking_acl(result: LoadResult, path: str) -> list[Finding]:
    """CBAC opens the way back for what it inspects going out; without an inbound list on that
    interface the way back is open to everything anyway."""
    out = []
    for intf in result.router.interfaces.values():
        if not intf.inspect_out or intf.access_group_in:
            continue
        where = _applied_at(result, intf, "inspect out")
        if where is not None:
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


# ------------------------------------------------------------------ wrong-direction
def _first_packets() -> dict[str, list[tuple[int, Optional[frozenset[int]]]]]:
    """Inspection protocol -> the first packets it takes, as (IP protocol, destination ports;
    None for any): the generic lines, and the engine's table of application ports."""
    found: dict[str, list[tuple[int, Optional[frozenset[int]]]]] = {
        name: [(number, None)] for number, name in GENERIC.items()}
    for (number, port), names in APPLICATION_PORTS.items():
        for name in names:
            found.setdefault(name, []).append((number, frozenset({port})))
    return found


_INSPECTS = _first_packets()


def _may_permit(entry: m.AclEntry, number: int, ports: Optional[frozenset[int]],
                ports_known: bool) -> bool:
    """Whether the entry could permit a first packet of IP protocol `number` to one of
    `ports`: a TCP SYN, any UDP datagram, an ICMP request. When in doubt, it could."""
    if entry.action == "evaluate":
        return True                     # a reflexive list: what it holds is not known here
    if entry.action != "permit":
        return False
    try:
        proto = protocol_number(entry.protocol)
    except (KeyError, ValueError):
        return True
    if "fragments" in entry.options:
        return False                    # it takes only non-initial fragments
    if proto == ANY_PROTOCOL:
        return True
    if proto != number:
        return False
    if number == TCP and "established" in entry.options:
        return False                    # a SYN has neither ACK nor RST
    if number == ICMP:
        return entry.icmp is None or entry.icmp[0] in ICMP_REQUESTS
    wanted = port_range(entry.dst_port)
    if wanted is None or ports is None or not ports_known:
        return True
    low, high, inside = wanted
    return any((low <= port <= high) == inside for port in ports)


def _stops_every_start(acl: m.AccessList, rule: m.InspectRule, ports_known: bool) -> bool:
    """True only when no permit of the list could let through the first packet of anything
    the rule inspects (a protocol this check does not know counts as let through)."""
    entries = [e for e in acl.entries if e.action != "remark"]
    if not entries or not rule.protocols:
        return False                    # an empty list permits everything
    for line in rule.protocols:
        starts = _INSPECTS.get(line.protocol)
        if starts is None or any(_may_permit(e, number, ports, ports_known)
                                 for number, ports in starts for e in entries):
            return False
    return True


def wrong_direction(result: LoadResult, path: str) -> list[Finding]:
    """A rule applied where the access list of the same direction, which IOS checks before
    inspection, lets no connection it inspects start: it never sees a first packet. Said only
    when no permit of the list could match one (ports are not trusted when a static
    translation of ports may change them between the list and the inspection)."""
    r = result.router
    ports_known = not any(s.protocol for s in r.nat_statics)
    out = []
    for intf in r.interfaces.values():
        for direction, name, acl_name in (("in", intf.inspect_in, intf.access_group_in),
                                          ("out", intf.inspect_out, intf.access_group_out)):
            rule, acl = r.inspect_rules.get(name), r.access_lists.get(acl_name)
            if rule is None or acl is None or not _stops_every_start(acl, rule, ports_known):
                continue
            where = _applied_at(result, intf, f"inspect {direction}")
            if where is None:
                continue
            side, other = ("inbound", "out") if direction == "in" else ("outbound", "in")
            what = ", ".join(p.protocol for p in rule.protocols)
            out.append(_finding(
                path, where, "wrong-direction",
                f"inspection rule {name}, applied {direction} on {intf.name}, sees no first "
                f"packet: its {side} access list {acl.name} permits none of {what}",
                f"IOS checks the {side} access list before inspection, so this rule never "
                f"sees a connection start; connections the other way are inspected "
                f"`{other}` on {intf.name} or `{direction}` on the interface they "
                f"{'leave by' if direction == 'out' else 'enter by'}"))
    return out


CHECKS: tuple[Callable[[LoadResult, str], list[Finding]], ...] = (
    unapplied_rules, undefined_names, acl_names_inside_local, no_blocking_acl, smtp_and_esmtp,
    thresholds_reversed, wrong_direction)


def lint(result: LoadResult, path: str) -> list[Finding]:
    """Every check's findings, in line order."""
    found = [f for check in CHECKS for f in check(result, path)]
    return sorted(found, key=lambda f: (f.line, f.code))

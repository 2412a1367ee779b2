"""A lab as a learner reads it: the story and tasks, the topology drawn in the terminal, and
the scorecard of a grading (a rich table, then what went wrong in each failed check). These
formats are iosfw's own (docs/labs.md shows them); in a router console they are plain ASCII,
as everything a router prints is."""
from __future__ import annotations

import io
import textwrap

from rich import box
from rich.console import Console
from rich.table import Table

from ..config import model as m
from ..config.names import int_to_ip, prefix_len
from ..engine.pipeline import Engine
from .definition import Lab
from .grade import Scorecard

WIDTH = 79
COLUMN = 36


def _wrap(text: str, indent: str = "  ", width: int = WIDTH) -> list[str]:
    out = []
    for para in text.split("\n\n"):
        out += textwrap.wrap(" ".join(para.split()), width, initial_indent=indent,
                             subsequent_indent=indent) or [""]
        out.append("")
    return out[:-1]


def introduction(lab: Lab) -> str:
    """What `iosfw lab start` prints first: title, story, tasks."""
    lines = [f"Lab {lab.name}: {lab.title} ({lab.level})", ""]
    lines += _wrap(lab.story) + [""]
    return "\n".join(lines) + "\n" + tasks(lab)


def tasks(lab: Lab) -> str:
    lines = ["Tasks:"]
    for t in lab.tasks:
        lines.append(f" {t.number}. {t.title}")
        lines += _wrap(t.text, "    ")
    lines.append("")
    lines += _wrap("`lab check` grades the running-config, `lab hint [TASK]` helps, "
                   "`write memory` saves your progress.", indent="")
    return "\n".join(lines) + "\n"


def hints(lab: Lab, number: int | None, findings: list[str]) -> str:
    """A task's hints (every task's when `number` is None), then what lint found; a task the
    lab does not have is a LookupError, for the command to refuse."""
    chosen = [lab.task(number)] if number is not None else lab.tasks
    lines = []
    for t in chosen:
        if t is None:
            raise LookupError(f"% (iosfw) the lab has tasks 1 to {len(lab.tasks)}\n")
        lines.append(f"Task {t.number}. {t.title}")
        lines += [x for h in t.hints for x in textwrap.wrap(
            h, WIDTH, initial_indent="  hint: ", subsequent_indent="        ",
            break_on_hyphens=False)] or ["  (no hint for this task)"]
    if findings:
        lines.append("iosfw lint on the running-config:")
        lines += [x for f in findings for x in textwrap.wrap(
            f, WIDTH, initial_indent="  ", subsequent_indent="    ")]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the topology
def _features(intf: m.Interface) -> list[str]:
    out = []
    if intf.nat:
        out.append(f"ip nat {intf.nat}")
    for word, acl, rule in (("in", intf.access_group_in, intf.inspect_in),
                            ("out", intf.access_group_out, intf.inspect_out)):
        if acl:
            out.append(f"access-group {acl} {word}")
        if rule:
            out.append(f"inspect {rule} {word}")
    return out


def topology(lab: Lab, router: m.Router) -> str:
    """The router, its interfaces with what is applied on them, and the lab's hosts under the
    interface the routing table reaches them by."""
    engine = Engine(router)
    used = [i for i in router.interfaces.values() if i.address and not i.shutdown]
    hosts: dict[str, list[str]] = {i.name: [] for i in used}
    for h in lab.hosts:
        where = engine.ingress_for(h.address)
        text = f"{h.name} {int_to_ip(h.address)}"
        if h.global_address is not None:
            text += f" (as {int_to_ip(h.global_address)})"
        hosts.setdefault(where or "unreachable", []).append(text)
    columns = []
    for intf in used:
        address, mask = intf.address
        col = [intf.name, f"{int_to_ip(address)}/{prefix_len(mask)}", *_features(intf), "|"]
        col += [f"+- {text}" for text in hosts[intf.name]] or ["(no lab host)"]
        columns.append(col)
    if hosts.get("unreachable"):
        columns.append(["(no route)", "|", *[f"+- {t}" for t in hosts["unreachable"]]])
    width = max([COLUMN] + [len(x) + 2 for col in columns for x in col])
    name = f"[ {router.hostname} ]"
    lines = [f"Topology{': ' + lab.topology_note if lab.topology_note else ''}", "",
             "  " + name, "  " + ("|".ljust(width) * len(columns)).rstrip()]
    for row in range(max(len(c) for c in columns)):
        lines.append("  " + "".join((c[row] if row < len(c) else "").ljust(width)
                                    for c in columns).rstrip())
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the scorecard
def scorecard(card: Scorecard, color: bool = False, ascii_only: bool = True) -> str:
    """The table of checks, then what went wrong in each failed one."""
    good, total = card.score
    table = Table(box=box.ASCII if ascii_only else box.ROUNDED, show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("task", justify="right")
    table.add_column("check")
    table.add_column("result")
    for r in card.results:
        table.add_row(str(r.check.number), str(r.check.task), r.check.title,
                      "[green]pass[/]" if r.passed else "[bold red]FAIL[/]")
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, force_terminal=color,
                      color_system="standard" if color else None, highlight=False)
    console.print(table)
    out = [f"Lab {card.lab.name}: {card.source}"]
    out += [line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n")]
    if card.load_errors:
        out.append("")
        out.append("The configuration did not load cleanly (graded as failing):")
        out += [f"  {e}" for line in card.load_errors for e in line.splitlines()]
    for r in card.results:
        if r.passed:
            continue
        out.append("")
        out.append(f"FAIL {r.check.number}. {r.check.title} (task {r.check.task})")
        out += _field("tried", r.tried) + _field("expected", r.expected) + \
            _field("happened", r.happened)
        if r.where:
            out += _field("where", r.where)
        for n, step in enumerate(r.path):
            out += _field("path" if n == 0 else "", step)
        for n, line in enumerate(r.log):
            out += _field("log" if n == 0 else "", line)
        hint = card.lab.hint_for(r.check)
        if hint:
            out += _field("hint", hint)
    out.append("")
    verdict = f"{good} of {total} checks pass."
    if card.passed:
        verdict = "all checks pass: lab done."
    elif card.load_errors:
        verdict += " The configuration did not load cleanly: not done."
    out.append(verdict)
    return "\n".join(out) + "\n"


def _field(name: str, text: str) -> list[str]:
    label = f"  {name + ':' if name else '':<10}"
    return textwrap.wrap(text, WIDTH, initial_indent=label,
                         subsequent_indent=" " * len(label), break_on_hyphens=False) or [label]


def listing(rows: list[tuple[Lab, bool, bool]], errors: list) -> str:
    """`iosfw lab list`: name, level, done, title; then the labs that do not read."""
    lines = [f"{'name':<18} {'level':<13} {'done':<5} title"]
    for lab, done, saved in rows:
        mark = "yes" if done else ("saved" if saved else "-")
        lines.append(f"{lab.name:<18} {lab.level:<13} {mark:<5} {lab.title}")
    for err in errors:
        lines.append(f"% cannot read a lab: {err}")
    return "\n".join(lines) + "\n"

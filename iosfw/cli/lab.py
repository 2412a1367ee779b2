"""`iosfw lab`: training labs (docs/labs.md). `list` them, `start` one in the console (the
learner's saved progress, or the lab's start), `check` a configuration against a lab (exit
status 0 when every check passes, 1 when one fails, 2 for bad input), show the `solution`,
`reset` a learner's progress, and `export` a check's SMTP exchange as a picture."""
from __future__ import annotations

import argparse
import json
import sys

BAD_INPUT = 2


def arguments(p: argparse.ArgumentParser) -> None:
    """`iosfw lab`'s actions and their options (iosfw/cli/main.py runs the sub-command)."""
    p.description = __doc__.split("\n\n")[0].replace("\n", " ")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=argparse.ArgumentParser)
    actions.add_parser("list", help="the labs: name, level, done, title")
    for name, summary in (("start", "the lab's console: story and tasks first"),
                          ("solution", "print the lab's reference solution (for instructors)"),
                          ("reset", "forget your saved progress in the lab")):
        actions.add_parser(name, help=summary).add_argument("name", metavar="NAME")
    check = actions.add_parser("check", help="grade a configuration: a scorecard, status 0 "
                                             "when every check passes")
    check.add_argument("name", metavar="NAME")
    check.add_argument("--config", metavar="FILE",
                       help="the configuration to grade (default: your saved progress, else "
                            "the lab's start)")
    check.add_argument("--json", action="store_true", help="the scorecard as JSON")
    export = actions.add_parser("export", help="a check's SMTP exchange as an SVG or HTML "
                                               "sequence diagram")
    export.add_argument("name", metavar="NAME")
    export.add_argument("--check", type=int, required=True, metavar="N",
                        help="the number of an smtp check of the lab")
    export.add_argument("--config", metavar="FILE",
                        help="the configuration to replay it on (default: the solution)")
    out = export.add_mutually_exclusive_group(required=True)
    out.add_argument("--svg", metavar="FILE")
    out.add_argument("--html", metavar="FILE")


def _say(text: str) -> None:
    print(f"iosfw lab: {text}", file=sys.stderr)


def run(args) -> int:
    from ..labs.catalog import UnknownLab, catalog, find
    from ..labs.definition import LabError

    if args.action == "list":
        return _list(catalog())
    try:
        lab = find(args.name)
    except (UnknownLab, LabError) as err:
        _say(str(err))
        return BAD_INPUT
    return ACTIONS[args.action](lab, args)


def _list(found) -> int:
    from ..labs import progress, render

    labs, errors = found
    rows = [(lab, progress.passed(lab) is not None, progress.saved(lab)) for lab in labs]
    print(render.listing(rows, errors), end="")
    return 1 if errors else 0


def _start(lab, args) -> int:
    from ..app import lab_device
    from ..labs import render
    from .session import Session
    from .shell import run_shell

    lab, box = lab_device(lab.name)
    print(render.introduction(lab))
    print(render.topology(lab, box.router))
    return run_shell(Session(box))


def _configuration(lab, args) -> tuple[str, str]:
    """(text, label) of what to grade: --config, else the saved progress, else the start."""
    from ..commands.loader import read_config_file
    from ..labs import progress

    if args.config:
        return read_config_file(args.config), args.config
    store = progress.store(lab)
    if store.path.exists():
        return store.read(), str(store.path)
    return lab.start_text, str(lab.folder / "start.cfg")


def _check(lab, args) -> int:
    from ..commands.loader import UnreadableConfig
    from ..labs import progress, render
    from ..labs.grade import grade_text

    try:
        text, label = _configuration(lab, args)
    except UnreadableConfig as err:
        _say(str(err))
        return BAD_INPUT
    card = grade_text(lab, text, label)
    if args.json:
        print(json.dumps(card.facts(), indent=2))
    else:
        tty = sys.stdout.isatty()
        print(render.scorecard(card, color=tty, ascii_only=not tty), end="")
    if card.passed and not args.config:
        progress.record_pass(lab, label, card.score)
    return 0 if card.passed else 1


def _solution(lab, args) -> int:
    print(lab.solution_text, end="")
    return 0


def _reset(lab, args) -> int:
    from ..labs import progress

    gone = progress.reset(lab)
    print(f"{lab.name}: " + ("removed " + ", ".join(map(str, gone)) if gone
                             else "nothing saved"))
    return 0


def _export(lab, args) -> int:
    from ..commands.loader import UnreadableConfig, load_text, read_config_file
    from ..labs.sequence import exchange

    check = next((c for c in lab.checks if c.number == args.check), None)
    if check is None or check.kind != "smtp":
        smtp = [str(c.number) for c in lab.checks if c.kind == "smtp"]
        _say(f"{lab.name}: --check {args.check} is not an smtp check (its smtp checks: "
             f"{', '.join(smtp) or 'none'})")
        return BAD_INPUT
    try:
        text = read_config_file(args.config) if args.config else lab.solution_text
    except UnreadableConfig as err:
        _say(str(err))
        return BAD_INPUT
    target = args.svg or args.html
    try:
        exchange(lab, check, load_text(text, args.config or "solution.cfg").router,
                 target, "svg" if args.svg else "html")
    except OSError as err:
        _say(f"{target}: {err.strerror or err}")
        return BAD_INPUT
    print(f"{target}: check {check.number} of {lab.name}, {check.title}")
    return 0


ACTIONS = {"start": _start, "check": _check, "solution": _solution, "reset": _reset,
           "export": _export}

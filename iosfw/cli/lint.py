"""`iosfw lint CONFIG [--json]`: the classic CBAC and ACL mistakes of a configuration file
(iosfw/lint.py, docs/lint.md). Exit status 0 when it finds none, 1 when it finds some, 2 when
the file cannot be read."""
from __future__ import annotations

import argparse
import json
import sys


def arguments(p: argparse.ArgumentParser) -> None:
    """`iosfw lint`'s options (iosfw/cli/main.py runs the sub-command)."""
    p.description = __doc__.split("\n\n")[0].replace("\n", " ")
    p.add_argument("config", metavar="CONFIG", help="the configuration file to check")
    p.add_argument("--json", action="store_true", help="the findings as a JSON list")


def run(args) -> int:
    from ..commands.loader import UnreadableConfig, load_text, read_config_file
    from ..lint import lint

    try:
        text = read_config_file(args.config)
    except UnreadableConfig as err:
        print(f"iosfw lint: {err}", file=sys.stderr)
        return 2
    result = load_text(text, args.config)
    for diag in result.everything():      # what loading said, as booting says it
        print(diag.format(), file=sys.stderr)
    found = lint(result, args.config)
    if args.json:
        print(json.dumps([f.facts() for f in found], indent=2))
    else:
        for finding in found:
            print(finding.format())
        print(f"{len(found)} finding{'' if len(found) == 1 else 's'} in {args.config}")
    return 1 if found else 0

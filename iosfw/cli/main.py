"""`iosfw`: the router on the command line (the console, one-shot `-c`, scripts and pipes), and
the sub-commands that put it on real sockets (`iosfw serve`, `iosfw proxy`).

Each sub-command is a module with `arguments(parser)` (its options) and `run(args)`. It is
imported only when it is named, so that the console and `-c` start without loading the network
front ends; the imports go one way, from here to them (they start from iosfw/app.py, as this
module does, and never import it back). A new sub-command (`lab`, `lint`, `replay`) is one
entry in COMMANDS.
"""
from __future__ import annotations

import argparse
import importlib
import io
import os
import sys

from ..app import boot, device
from .batch import run_commands, run_script

__all__ = ["boot", "main", "run_commands", "run_script"]   # what tests and bench/ drive

COMMANDS = {
    "serve": ("iosfw.remote.serve", "serve the router over telnet and SSH (docs/remote.md)"),
    "proxy": ("iosfw.remote.proxy", "inspect real SMTP connections through the router "
                                    "(docs/smtp.md)"),
    "lab": ("iosfw.cli.lab", "training labs graded by the traffic a configuration passes "
                              "(docs/labs.md)"),
    "lint": ("iosfw.cli.lint", "report the classic CBAC and ACL mistakes of a configuration "
                               "(docs/lint.md)"),
}


class _Command(argparse.ArgumentParser):
    """A sub-command's parser: its module adds the options when the sub-command is parsed
    (wherever its name stands among the arguments), not when `iosfw` starts."""

    def __init__(self, *args, module: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module

    def parse_known_args(self, args=None, namespace=None):
        if self.get_default("run") is None:
            command = importlib.import_module(self.module)
            command.arguments(self)
            self.set_defaults(run=command.run)
        parsed, extra = super().parse_known_args(args, namespace)
        if extra:   # said with the sub-command's usage, as `iosfw serve --bad` should be
            self.error("unrecognized arguments: " + " ".join(extra))
        return parsed, extra


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="iosfw",
        description="A Cisco 3640 on IOS 12.3(4)T with the IOS Firewall (CBAC): load a "
                    "running-config and talk to the router as on its console.")
    parser.add_argument("--config", metavar="FILE",
                        help="startup-config to boot from (default: the built-in 3640-123)")
    parser.add_argument("-c", dest="commands", action="append", metavar="COMMAND",
                        help="run COMMAND in privileged EXEC and print its output (repeatable)")
    parser.add_argument("--json", action="store_true",
                        help="print show commands as structured data")
    parser.add_argument("--script", metavar="SCENARIO",
                        help="replay SCENARIO (a file of shell lines) and print the transcript; "
                             "a line the router refuses stops the replay with status 1")
    parser.add_argument("--keep-going", action="store_true",
                        help="with --script: report refused lines and go on (status 1 at the "
                             "end)")
    parser.add_argument("--sequence", metavar="FILE",
                        help="with --script: draw the SMTP exchange as a sequence diagram in "
                             "FILE.svg or FILE.html (docs/formats.md)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="sub-commands",
                                     parser_class=_Command)
    for name, (module, summary) in COMMANDS.items():
        commands.add_parser(name, help=summary, module=module)
    args = parser.parse_args(argv)
    if args.sequence is not None and not args.script:
        parser.error("--sequence needs --script")
    if args.sequence is not None and not args.sequence.lower().endswith(SEQUENCE_KINDS):
        parser.error("--sequence: FILE.svg or FILE.html")
    return args


SEQUENCE_KINDS = (".svg", ".html", ".htm")


def _write_sequence(recorder, out: str, title: str, router: str) -> int:
    """The recorded exchange to `out`, SVG or HTML by its name, replaced in one step."""
    if not recorder.arrows:
        print(f"iosfw: --sequence: the script opened no SMTP connection; {out} not written",
              file=sys.stderr)
        return 1
    from pathlib import Path

    from .startup import replace_file

    draw = recorder.svg if out.lower().endswith(".svg") else recorder.html
    try:
        replace_file(Path(out), draw(title, router).encode("utf-8"), shared=True)
    except OSError as err:
        print(f"iosfw: {out}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


def _bytes_through() -> None:
    """Scripts, pipes and -c read and print bytes, as the router's console does: UTF-8, and
    any other byte as itself (surrogateescape, as configuration files are read), so `hostname
    caf\\xe9` from a pipe neither fails nor prints anything but the byte it got. Piped lines
    end at CR, LF or CR LF, as configuration lines do; a leading BOM is not a command."""
    if isinstance(sys.stdin, io.TextIOWrapper):   # not when a caller has replaced it
        sys.stdin.reconfigure(encoding="utf-8-sig", errors="surrogateescape", newline=None)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="surrogateescape")


def main(argv=None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else list(argv))
    if args.command:
        return args.run(args)
    from .session import Session  # the grammar and the engine: not for --help or `serve`

    batch = bool(args.commands or args.script or not sys.stdin.isatty())
    if batch:
        _bytes_through()
    box = device(args.config, live=not batch)
    if args.commands:
        return run_commands(Session(box, privileged=True, as_json=args.json), args.commands)
    if args.script:
        session = Session(box, privileged=True, as_json=args.json)
        try:
            stream = open(args.script, encoding="utf-8-sig", errors="surrogateescape")
        except OSError as err:
            print(f"iosfw: {args.script}: {err.strerror}", file=sys.stderr)
            return 1
        recorder = None
        if args.sequence:
            from ..show.sequence import Recorder

            recorder = Recorder()
            session.simulator.taps.append(recorder)
        with stream:
            status = run_script(session, stream, args.script, args.keep_going)
        if recorder is None:
            return status
        sys.stdout.flush()
        title = f"SMTP through {box.router.hostname}: {os.path.basename(args.script)}"
        return _write_sequence(recorder, args.sequence, title, box.router.hostname) or status
    if batch:
        return run_script(Session(box, privileged=True, as_json=args.json), sys.stdin)
    from .shell import run_shell
    return run_shell(Session(box, as_json=args.json))


if __name__ == "__main__":
    raise SystemExit(main())

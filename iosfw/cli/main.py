"""`iosfw`: the router on the command line (one-shot `-c`, scripts on stdin, or the shell)."""
from __future__ import annotations

import argparse
import io
import sys

BUILTIN_LABEL = "3640-123 (built-in)"


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
    return parser.parse_args(argv)


def boot(config: str | None):
    """Load the startup-config; returns (router, store, diagnostics) or exits 1 if unreadable."""
    from pathlib import Path

    from ..config.loader import UnreadableConfig, load_text, read_config_file
    from .startup import StartupStore

    store = StartupStore(Path(config)) if config else StartupStore.builtin()
    store.remove_stale()
    try:
        text = read_config_file(config) if config else store.read()
    except UnreadableConfig as err:
        print(f"iosfw: {err}", file=sys.stderr)
        raise SystemExit(1)
    label = config or (str(store.path) if store.path.exists() else BUILTIN_LABEL)
    result = load_text(text, label)
    for diag in result.diagnostics:
        print(diag.format(), file=sys.stderr)
    return result.router, store


def run_commands(session, commands) -> int:
    """`-c`: only the output; with --json and several commands, one JSON array of their facts."""
    status, documents = 0, []
    for command in commands:
        reply = session.execute(command)
        if reply.error and "^" in reply.output:
            sys.stdout.write(command + "\n" + _caret_from(session, command, reply.output))
        elif session.as_json and len(commands) > 1 and not reply.error:
            documents.append(reply.output)
        else:
            sys.stdout.write(reply.output)
        status |= int(reply.error)
    if documents:
        sys.stdout.write("[\n" + ",\n".join(d.rstrip("\n") for d in documents) + "\n]\n")
    return status


def _caret_from(session, command, output):
    """Re-aim a caret block at a bare command line (no prompt is printed in -c mode)."""
    first, _, rest = output.partition("\n")
    shift = len(session.prompt())
    return first[shift:] + "\n" + rest


def run_script(session, stream, name: str | None = None, keep_going: bool = True) -> int:
    """Replay shell lines and print what the console would show, prompt and command included.
    Piped in (no `name`), a refused command is part of the transcript, as on a console; from
    `--script`, it is reported as NAME:LINE on stderr and stops the replay unless
    `keep_going`. Questions (`[confirm]`) take the next line as their answer. Log messages
    appear where the router puts them: after the next prompt, on lines of their own."""
    from .session import Reply

    status, number, waiting = 0, 0, ""
    for raw in stream:
        number += 1
        line = raw.rstrip("\r\n")
        prompt = session.prompt()
        sys.stdout.write(prompt + session.after_prompt(waiting) + line + "\n")
        reply = session.execute(line)
        while reply.ask:
            sys.stdout.write(reply.output + reply.ask.prompt + "\n")
            typed = stream.readline()
            number += 1
            if not typed:
                reply = Reply()
                break
            reply = reply.ask.answer(typed.rstrip("\r\n"))
        sys.stdout.write(reply.body)
        waiting = reply.messages
        if reply.error and name is not None:
            status = 1
            sys.stdout.flush()
            where = f"{name}:{number}:{_caret_column(reply.output, prompt)}"
            print(f"{where} {_first_message(reply.output)}", file=sys.stderr)
            if not keep_going:
                break
        if reply.closed:
            break
    if waiting and not reply.closed:
        sys.stdout.write(session.prompt() + "\n" + waiting)
    return status


def _caret_column(output: str, prompt: str) -> str:
    """`COLUMN:` (1-based, in the script line) when the error has a caret, else ""."""
    for line in output.splitlines():
        if line.strip() == "^":
            return f"{line.index('^') - len(prompt) + 1}:"
    return ""


def _first_message(output: str) -> str:
    """The line that says what was wrong (`% Invalid input ...`), not the caret above it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return next((line for line in lines if line.startswith("%")), lines[0] if lines else "")


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
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        from ..remote.serve import main as serve
        return serve(argv[1:])
    if argv[:1] == ["proxy"]:
        from ..remote.proxy import main as proxy
        return proxy(argv[1:])
    args = _arguments(argv)
    from ..clock import Clock
    from ..device import Device
    from .session import Session

    if args.commands or args.script or not sys.stdin.isatty():
        _bytes_through()
    router, store = boot(args.config)
    if args.commands:
        session = Session(Device(router, store, Clock()), privileged=True, as_json=args.json)
        return run_commands(session, args.commands)
    if args.script:
        session = Session(Device(router, store, Clock()), privileged=True, as_json=args.json)
        try:
            stream = open(args.script, encoding="utf-8-sig", errors="surrogateescape")
        except OSError as err:
            print(f"iosfw: {args.script}: {err.strerror}", file=sys.stderr)
            return 1
        with stream:
            return run_script(session, stream, args.script, args.keep_going)
    if not sys.stdin.isatty():
        session = Session(Device(router, store, Clock()), privileged=True, as_json=args.json)
        return run_script(session, sys.stdin)
    from .shell import run_shell
    return run_shell(Session(Device(router, store, Clock(live=True)), as_json=args.json))


if __name__ == "__main__":
    raise SystemExit(main())

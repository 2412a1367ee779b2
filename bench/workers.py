"""Child processes of the benchmark: each measurement runs in a fresh interpreter.

A fresh process per measurement matters: iosfw's word parser memoises word classes and parser
states, so a second load in the same process runs on warm caches (about twice as fast as the
first). The router boots from one load per process, so that is what is measured.

    python bench/workers.py iosfw FILE      time one iosfw load_text of FILE
    python bench/workers.py ccp FILE        time one ciscoconfparse2.CiscoConfParse of FILE
    python bench/workers.py profile FILE    cProfile one iosfw load, top 15 by tottime
    python bench/workers.py phases          where `iosfw -c "show version"` spends its time

Timing workers print one JSON object on the last line of stdout.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

WARM_UP_LINE = "hostname bench-fw\n"   # loads the grammar outside the timing; also in the file


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _check_diagnostics(result) -> None:
    """Outside the timing: a line iosfw did not take means it did not really parse it."""
    if result.diagnostics:
        for diag in result.diagnostics[:10]:
            print(diag.format(), file=sys.stderr)
        print(f"bench: iosfw gave {len(result.diagnostics)} diagnostics on the generated "
              "config; the generator or the loader is wrong", file=sys.stderr)
        raise SystemExit(3)


def time_iosfw(path: str) -> dict:
    from iosfw.commands.loader import load_text

    text = _read(path)
    load_text(WARM_UP_LINE, "warm-up")     # grammar/table loading is start-up, not loading
    start = time.perf_counter()
    result = load_text(text, "bench")
    seconds = time.perf_counter() - start
    _check_diagnostics(result)
    return {"seconds": seconds, "lines": len(text.splitlines())}


def time_ccp(path: str) -> dict:
    import ciscoconfparse2  # imported before the timing

    lines = _read(path).splitlines()
    start = time.perf_counter()
    parse = ciscoconfparse2.CiscoConfParse(lines, syntax="ios")
    seconds = time.perf_counter() - start
    assert len(parse.objs) == len(lines), (len(parse.objs), len(lines))
    return {"seconds": seconds, "lines": len(lines)}


def profile_iosfw(path: str, top: int = 15) -> None:
    import cProfile
    import io
    import pstats

    from iosfw.commands.loader import load_text

    text = _read(path)
    load_text(WARM_UP_LINE, "warm-up")
    profiler = cProfile.Profile()
    profiler.enable()
    result = load_text(text, "bench")
    profiler.disable()
    _check_diagnostics(result)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(top)
    # drop pstats' preamble (blank lines, "Ordered by", "List reduced") but keep the totals
    lines = [ln for ln in out.getvalue().splitlines()
             if ln.strip() and not ln.strip().startswith(("Ordered by", "List reduced"))]
    print("\n".join(lines))


def phases() -> dict:
    """The phases of `iosfw -c "show version"` inside one process, in seconds. Uses iosfw
    internals, so any step may fail as the code changes; failures are reported, not raised."""
    import contextlib
    import io

    out: dict = {}
    mark = time.perf_counter()

    def step(name, fn):
        nonlocal mark
        try:
            value = fn()
        except Exception as err:  # noqa: BLE001 - report and keep going
            out[name] = f"n/a ({type(err).__name__}: {err})"
            value = None
        else:
            out[name] = time.perf_counter() - mark
        mark = time.perf_counter()
        return value

    def imports_of_main():
        import iosfw.cli.session  # noqa: F401
        import iosfw.clock  # noqa: F401
        import iosfw.commands.loader  # noqa: F401

    def grammar():
        from iosfw.parser.grammar import load_grammar
        return load_grammar()

    main = step("import iosfw.cli.main", lambda: __import__("iosfw.cli.main", fromlist=["x"]))
    step("import session/loader/clock (lazy in main)", imports_of_main)
    step("load_grammar()", grammar)
    booted = step("boot(): load the built-in startup-config", lambda: main.boot(None))

    def show_version():
        from iosfw.cli.session import Session
        from iosfw.clock import Clock
        from iosfw.device import Device
        router, store = booted
        session = Session(Device(router, store, Clock()), privileged=True)
        with contextlib.redirect_stdout(io.StringIO()):
            main.run_commands(session, ["show version"])

    if booted is not None:
        step('run "show version"', show_version)
    return out


def main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "iosfw":
        print(json.dumps(time_iosfw(argv[1])))
    elif kind == "ccp":
        print(json.dumps(time_ccp(argv[1])))
    elif kind == "profile":
        profile_iosfw(argv[1])
    elif kind == "phases":
        print(json.dumps(phases()))
    else:
        print(f"unknown worker {kind!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

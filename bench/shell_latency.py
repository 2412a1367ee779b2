"""Latency of `?` help and Tab completion on the Session, against running `show clock` on the
same Session (the cheapest real command) as the baseline measured in the same run."""
from __future__ import annotations

import statistics
import time

HELP_LINES = ["show ip inspect ", "", "show ", "ip inspect name X ", "access-list 101 permit tcp any eq "]
COMPLETE_LINES = ["sh ip in", "sh ip insp", "conf", "show run"]


def _median_ms(fn, arg, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def measure(rounds: int = 200) -> dict:
    import tempfile
    from pathlib import Path

    from iosfw.cli.session import Session
    from iosfw.cli.startup import StartupStore, builtin_text
    from iosfw.clock import Clock
    from iosfw.commands.loader import load_text
    from iosfw.device import Device

    router = load_text(builtin_text()).router
    store = StartupStore(Path(tempfile.mkdtemp()) / "startup-config")
    exec_session = Session(Device(router, store, Clock()), privileged=True)
    config_session = Session(Device(router, store, Clock()), privileged=True)
    config_session.execute("configure terminal")
    out = {"baseline_show_clock": _median_ms(exec_session.execute, "show clock", rounds)}
    for line in HELP_LINES:
        session = config_session if line.startswith(("ip ", "access-list")) else exec_session
        session.help(line)  # first call fills the per-state caches, as the first `?` does
        out[f"help {line!r}"] = _median_ms(session.help, line, rounds)
    for line in COMPLETE_LINES:
        exec_session.complete(line)
        out[f"tab {line!r}"] = _median_ms(exec_session.complete, line, rounds)
    return out

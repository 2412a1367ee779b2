"""Fairness and bounds: one line's long command must not stall the others, and a configuration
command must cost what it changes, not what the configuration holds.

    .venv/bin/python bench/fairness_bench.py [--flood N] [--lines N]

1. `iosfw serve` on 127.0.0.1 (ephemeral port): vty A runs `simulate flood` of N SYNs; vty B
   sends `show clock` again and again meanwhile; the worst and median latency of B's answers,
   against B's `show clock` latency on an idle router (the baseline, same run).
2. A generated N-line running-config (bench/configgen.py) loaded in-process: the time of one
   configuration command of each kind (global, access-list entry, interface sub-command)
   against the same command on the built-in seed router (the baseline, same run).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import configgen  # noqa: E402

from iosfw.cli.session import Session  # noqa: E402
from iosfw.cli.startup import StartupStore, builtin_text  # noqa: E402
from iosfw.clock import Clock  # noqa: E402
from iosfw.commands.loader import load_text  # noqa: E402
from iosfw.device import Device  # noqa: E402
from iosfw.remote.serve import ServerThread  # noqa: E402

PROMPT = b"3640-123#"


class Line:
    """A telnet client reduced to what the bench needs: send a line, wait for the prompt."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.buf = b""
        self.until(b"Password: ")
        self.command(b"cisco123", b"3640-123>")
        self.command(b"enable", b"Password: ")
        self.command(b"cisco123")
        self.command(b"terminal length 0")

    def until(self, pattern: bytes) -> bytes:
        while pattern not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise SystemExit(f"bench: connection closed waiting for {pattern!r}")
            self.buf += data
        cut = self.buf.index(pattern) + len(pattern)
        out, self.buf = self.buf[:cut], self.buf[cut:]
        return out

    def command(self, line: bytes, prompt: bytes = PROMPT) -> bytes:
        self.sock.sendall(line + b"\r")
        return self.until(prompt)

    def close(self) -> None:
        self.sock.close()


def _seed_device(live: bool = True) -> Device:
    router = load_text(builtin_text()).router
    return Device(router, StartupStore(Path(tempfile.mkdtemp()) / "startup"), Clock(live=live))


def clock_latencies(port: int, stop: threading.Event, out: list[float]) -> None:
    line = Line(port)
    try:
        while not stop.is_set():
            t = time.perf_counter()
            line.command(b"show clock")
            out.append(time.perf_counter() - t)
    finally:
        line.close()


def flood_figures(flood: int) -> dict:
    with ServerThread(_seed_device(), telnet=("127.0.0.1", 0), ssh=None) as served:
        port = served.addresses["telnet"][1]
        idle: list[float] = []
        stop = threading.Event()
        watcher = threading.Thread(target=clock_latencies, args=(port, stop, idle))
        watcher.start()
        time.sleep(1.0)
        stop.set()
        watcher.join()
        worker = Line(port)
        busy: list[float] = []
        stop = threading.Event()
        watcher = threading.Thread(target=clock_latencies, args=(port, stop, busy))
        watcher.start()
        time.sleep(0.3)
        t = time.perf_counter()
        worker.command(f"simulate flood tcp 203.0.113.99 172.22.1.110 25 count {flood} "
                       "rate 1000".encode())
        flood_seconds = time.perf_counter() - t
        stop.set()
        watcher.join()
        worker.close()
    return {"idle_median": statistics.median(idle), "busy_worst": max(busy),
            "busy_median": statistics.median(busy), "answers": len(busy),
            "flood_seconds": flood_seconds}


def command_seconds(session: Session, line: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        reply = session.execute(line)
        best = min(best, time.perf_counter() - t)
        if reply.error:
            raise SystemExit(f"bench: {line!r} refused: {reply.output}")
    return best


COMMANDS = (("global", None, "hostname bench-fw2"),
            ("access-list entry", None, "access-list 1 permit 192.0.2.77"),
            ("interface sub-command", "interface Ethernet2/0", "description bench"))


def config_figures(lines: int) -> dict:
    text = "\n".join(configgen.generate(lines, 1)) + "\n"
    big_router = load_text(text, "bench.cfg").router
    big = Session(Device(big_router, StartupStore(Path(tempfile.mkdtemp()) / "s"), Clock()),
                  privileged=True)
    seed = Session(_seed_device(live=False), privileged=True)
    figures = {}
    for session in (big, seed):
        session.execute("simulate tcp 198.51.100.7 40000 172.22.1.110 25")   # engine built
        session.execute("configure terminal")
    first_interface = next(iter(big_router.interfaces))
    for what, enter, command in COMMANDS:
        timings = []
        for session, name in ((big, first_interface), (seed, "Ethernet2/0")):
            if enter:
                session.execute(f"interface {name}")
            timings.append(command_seconds(session, command))
            if enter:
                session.execute("exit")
        figures[what] = tuple(timings)
    return figures


def report(figures: dict) -> list[str]:
    flood, lines = figures["sizes"]
    f = figures["flood"]
    out = [f"fairness: `show clock` on one vty while another floods {flood:,} SYN: worst "
           f"{f['busy_worst'] * 1000:,.0f} ms, median {f['busy_median'] * 1000:.1f} ms "
           f"({f['answers']} answers, the flood {f['flood_seconds']:.1f} s); idle router "
           f"median {f['idle_median'] * 1000:.1f} ms"]
    for what, (big, seed) in figures["config"].items():
        out.append(f"config cost: {what} on a {lines:,}-line config {big * 1000:,.1f} ms, on "
                   f"the seed router {seed * 1000:.2f} ms, ratio {big / seed:,.0f}x")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args(argv)
    figures = {"flood": flood_figures(args.flood), "config": config_figures(args.lines),
               "sizes": (args.flood, args.lines)}
    print("\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`show processes cpu` for the 3640 on 12.3(4)T.

The layout is the 12.x one of the captures (docs/formats.md): the utilization line, the header
with its trailing space, a row per process with the name cut to 16 characters and padded. No
router counts CPU time here, so the figures are ours: each process of a fixed list (what a 12.3
image of this feature set runs on a 3640) has the runs it made while booting, a period it
wakes up at once the router is up, and the time one run takes. Runtime and Invoked follow from
the uptime alone: the same uptime gives the same table, and the figures grow as the router
stays up, the percentages being each process's share of a second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

HEADER = " PID Runtime(ms)   Invoked      uSecs   5Sec   1Min   5Min TTY Process "


@dataclass(frozen=True)
class Process:
    name: str
    boot_runs: int                  # runs made while the router booted
    period: Optional[float]         # seconds between runs once up; None: runs on demand only
    usecs: int                      # microseconds one run takes
    tty: int = 0


# PID order; names as IOS prints them (cut at 16 characters by the table, not here)
PROCESSES = (
    Process("Chunk Manager", 2, None, 2000),
    Process("Load Meter", 1, 5, 9),
    Process("Exec", 12, None, 3400),
    Process("Check heaps", 1, 60, 19000),
    Process("Pool Manager", 1, None, 0),
    Process("Timers", 2, None, 0),
    Process("Serial Background", 2, None, 0),
    Process("ARP Input", 3, 20, 70),
    Process("DDR Timers", 2, None, 0),
    Process("Dialer event", 2, None, 0),
    Process("Entity MIB API", 1, None, 8000),
    Process("SERIAL A'detect", 1, None, 0),
    Process("Critical Bkgnd", 1, None, 0),
    Process("Net Background", 4, 3, 6),
    Process("Logger", 30, None, 160),
    Process("TTY Background", 1, 1, 4),
    Process("Per-Second Jobs", 1, 1, 12),
    Process("Net Input", 1, None, 0),
    Process("Compute load avgs", 1, 5, 45),
    Process("Per-minute Jobs", 1, 60, 1900),
    Process("IPC Zone Manager", 1, None, 0),
    Process("IPC Periodic Timer", 1, 1, 0),
    Process("IPC Deferred Port Closure", 1, 1, 0),
    Process("IPC Seat Manager", 1, None, 0),
    Process("CEF process", 2, None, 500),
    Process("CEF Scanner", 1, 60, 250),
    Process("IP Input", 6, 10, 90),
    Process("ICMP event handler", 1, None, 0),
    Process("IP Background", 1, 60, 300),
    Process("IP RIB Update", 1, None, 0),
    Process("TCP Timer", 1, 1, 3),
    Process("TCP Protocols", 1, 5, 20),
    Process("Socket Timers", 1, 1, 2),
    Process("HTTP CORE", 1, None, 0),
    Process("IP Cache Ager", 1, 60, 40),
    Process("IP NAT Ager", 1, 60, 35),
    Process("CDP Protocol", 1, 60, 380),
)


@dataclass(frozen=True)
class Row:
    pid: int
    runtime_ms: int
    invoked: int
    usecs: int                      # runtime per run, as the table computes it
    load: float                     # percent of the CPU, the same over 5 s, 1 min and 5 min
    tty: int
    name: str


def rows(uptime: float) -> list[Row]:
    found = []
    for pid, p in enumerate(PROCESSES, start=1):
        invoked = p.boot_runs + (int(uptime // p.period) if p.period else 0)
        runtime = invoked * p.usecs // 1000
        load = p.usecs / (p.period * 1e4) if p.period else 0.0
        found.append(Row(pid, runtime, invoked, runtime * 1000 // invoked if invoked else 0,
                         load, p.tty, p.name))
    return found


def utilization(found: list[Row]) -> int:
    """The whole CPU's load in percent: the processes' shares added up (no interrupt time:
    nothing is switched at interrupt level here)."""
    return round(sum(row.load for row in found))


def row_text(row: Row) -> str:
    loads = "".join(f"{row.load:6.2f}%" for _ in range(3))
    return (f"{row.pid:4d}{row.runtime_ms:12d}{row.invoked:10d}{row.usecs:11d}{loads}"
            f"{row.tty:4d} {row.name[:16]:<16} ")


def text(found: list[Row]) -> str:
    load = utilization(found)
    head = (f"CPU utilization for five seconds: {load}%/0%; one minute: {load}%; "
            f"five minutes: {load}%")
    return "\n".join([head, HEADER, *map(row_text, found)]) + "\n"


def facts(found: list[Row]) -> dict:
    load = utilization(found)
    return {"five_seconds": load, "five_seconds_interrupt": 0, "one_minute": load,
            "five_minutes": load,
            "processes": [{"pid": row.pid, "runtime_ms": row.runtime_ms, "invoked": row.invoked,
                           "usecs": row.usecs, "five_seconds": round(row.load, 2),
                           "one_minute": round(row.load, 2), "five_minutes": round(row.load, 2),
                           "tty": row.tty, "name": row.name[:16]} for row in found]}

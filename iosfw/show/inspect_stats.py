"""`show ip inspect statistics`: the layout recalled from 12.4 (ios-facts §3.7; 12.3(4)T may not
have the command, see ../docs/formats.md), with the engine's counters."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import model as m
from ..engine.packet import ICMP, TCP, UDP
from ..timestamps import uptime_stamp
from .inspect import inspected_interfaces

if TYPE_CHECKING:
    from ..engine.pipeline import Engine

_PROTOCOLS = (("tcp", TCP), ("udp", UDP), ("icmp", ICMP))


def _ago(when: float | None, now: float) -> str:
    return "never" if when is None else uptime_stamp(now - when)


def facts(r: m.Router, engine: Engine, now: float) -> dict:
    """The figures, for --json and for the text."""
    stats = engine.stats
    established, half_open, terminating = engine.sessions.counts()
    return {
        "packets": {name: {"process_switch": stats.process[proto],
                           "fast_switch": stats.fast[proto]} for name, proto in _PROTOCOLS},
        "interfaces_inspected": len(inspected_interfaces(r)),
        "sessions_created": stats.created,
        "current": {"established": established, "half_open": half_open,
                    "terminating": terminating},
        "maxever": {"established": stats.max_established, "half_open": stats.max_half_open,
                    "terminating": stats.max_terminating},
        "last_session_created": None if stats.last_created is None
        else now - stats.last_created,
        "last_statistic_reset": None if stats.reset_at is None else now - stats.reset_at,
        "creation_rate": engine.dos.rate_at(now),
        "maxever_creation_rate": stats.max_rate,
        "half_open_total": half_open,
    }


def text(r: m.Router, engine: Engine, now: float) -> str:
    f = facts(r, engine, now)
    stats = engine.stats

    def counts(c: dict) -> str:
        return f"[{c['established']}:{c['half_open']}:{c['terminating']}]"

    lines = ["Packet inspection statistics [process switch:fast switch]"]
    lines += [f"  {name} packets: [{p['process_switch']}:{p['fast_switch']}]"
              for name, p in f["packets"].items()]
    lines += [f"Interfaces configured for inspection {f['interfaces_inspected']}",
              f"Session creations since subsystem startup or last reset {f['sessions_created']}",
              f"Current session counts (estab/half-open/terminating) {counts(f['current'])}",
              f"Maxever session counts (estab/half-open/terminating) {counts(f['maxever'])}",
              f"Last session created {_ago(stats.last_created, now)}",
              f"Last statistic reset {_ago(stats.reset_at, now)}",
              f"Last session creation rate {f['creation_rate']}",
              f"Maxever session creation rate {f['maxever_creation_rate']}",
              f"Last half-open session total {f['half_open_total']}"]
    return "".join(line + "\n" for line in lines)

"""`show logging`: where messages go, how many went, and the buffer. No 12.3T capture is known;
the layout is a 12.4 router's (3745, 12.4(25d)), which has no message discriminator or
persistent logging lines yet; see docs/formats.md."""
from __future__ import annotations

from .. import syslog
from ..config import model as m

_XML = ", xml disabled,"
_FILTER = "filtering disabled"


def _destination(title: str, level, logged: int, indent: int) -> list[str]:
    if level is None:
        return [f"    {title}: disabled"]
    return [f"    {title}: level {syslog.LEVELS[level]}, {logged} messages logged{_XML}",
            " " * indent + _FILTER]


def facts(r: m.Router, log: syslog.Logger) -> dict:
    buffered = syslog.buffer_setting(r)
    return {"console_level": _name(syslog.console_level(r)), "console_logged": log.console_logged,
            "monitor_level": _name(syslog.monitor_level(r)), "monitor_logged": log.monitor_logged,
            "buffer_level": _name(buffered[1]) if buffered else None,
            "buffer_size": buffered[0] if buffered else None,
            "buffer_logged": log.buffer_logged, "trap_logged": log.trap_logged,
            "buffer": [msg.text for msg in log.buffer] if buffered else []}


def _name(level):
    return None if level is None else syslog.LEVELS[level]


def text(r: m.Router, log: syslog.Logger) -> str:
    buffered = syslog.buffer_setting(r)
    out = ["Syslog logging: enabled (0 messages dropped, 0 messages rate-limited,",
           "                0 flushes, 0 overruns, xml disabled, filtering disabled)"]
    out += _destination("Console logging", syslog.console_level(r), log.console_logged, 21)
    out += _destination("Monitor logging", syslog.monitor_level(r), log.monitor_logged, 21)
    if buffered is None:
        out += [f"    Buffer logging: disabled{_XML}", " " * 20 + _FILTER]
    else:
        out += _destination("Buffer logging", buffered[1], log.buffer_logged, 20)
    out += ["    Logging Exception size (4096 bytes)",
            "    Count and timestamp logging messages: disabled",
            "",
            "No active filter modules.",
            "",
            f"    Trap logging: level {syslog.DEFAULT_TRAP}, {log.trap_logged} message lines "
            "logged",
            " " * 10]
    for host in r.logging_hosts:
        out += [f"        Logging to {host}, {log.trap_logged} message lines logged{_XML}",
                " " * 15 + _FILTER]
    if buffered is not None:
        out += [f"Log Buffer ({buffered[0]} bytes):", ""]
        out += [msg.text for msg in log.buffer]
    return "\n".join(out) + "\n"

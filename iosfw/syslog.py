"""The router's logger: one stream of messages with their severities, the bounded buffer that
`logging buffered` keeps, and the counts `show logging` reports. Which line sees a message
(console, a vty with `terminal monitor`) is the line's business: lines read the stream from
their own cursor."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Optional

from .config.model import LOG_LEVELS as LEVELS

DEFAULT_BUFFER = 4096          # bytes, a 3640's default `logging buffered` size
DEFAULT_TRAP = "informational"
_SEVERITY = re.compile(r"%[A-Z0-9_]+-(\d)-[A-Z0-9_]+:")
_KEPT = 1024                   # messages kept for lines that have not read them yet


def severity_of(message: str) -> int:
    """`%FW-4-ALERT_ON: ...` is a warning (4); debug output has no tag and is debugging (7)."""
    found = _SEVERITY.search(message)
    return int(found.group(1)) if found else 7


def level_number(level: Optional[str], default: str = "debugging") -> int:
    return LEVELS.index(level or default)


@dataclass(frozen=True)
class Message:
    seq: int
    severity: int
    text: str                  # with its timestamp prefix, without a newline


@dataclass
class Logger:
    """What the router has logged since it booted."""
    recent: deque = field(default_factory=lambda: deque(maxlen=_KEPT))
    buffer: deque = field(default_factory=deque)
    buffer_bytes: int = 0
    seq: int = 0
    console_logged: int = 0
    monitor_logged: int = 0
    buffer_logged: int = 0
    trap_logged: int = 0

    def add(self, text: str, router, monitored: bool = False) -> Message:
        """Log one message as `router`'s logging configuration routes it; `monitored`: some
        line has `terminal monitor` on (monitor logging counts only what reached one)."""
        self.seq += 1
        msg = Message(self.seq, severity_of(text), text)
        self.recent.append(msg)
        console = console_level(router)
        if console is not None and msg.severity <= console:
            self.console_logged += 1
        monitor = monitor_level(router)
        if monitored and monitor is not None and msg.severity <= monitor:
            self.monitor_logged += 1
        if msg.severity <= level_number(DEFAULT_TRAP):
            self.trap_logged += 1
        buffered = buffer_setting(router)
        if buffered is not None and msg.severity <= buffered[1]:
            self.buffer_logged += 1
            self.buffer.append(msg)
            self.buffer_bytes += len(text) + 1
            while self.buffer_bytes > buffered[0] and self.buffer:
                self.buffer_bytes -= len(self.buffer.popleft().text) + 1
        return msg

    def since(self, seq: int) -> list[Message]:
        return [m for m in self.recent if m.seq > seq]

    def clear_buffer(self) -> None:
        self.buffer.clear()
        self.buffer_bytes = 0


def console_level(router) -> Optional[int]:
    if router.logging_console_off:
        return None
    return level_number(router.logging_console)


def monitor_level(router) -> Optional[int]:
    if router.logging_monitor_off:
        return None
    return level_number(router.logging_monitor)


def buffer_setting(router) -> Optional[tuple[int, int]]:
    """(size in bytes, level) when `logging buffered` is on."""
    if router.logging_buffered is None:
        return None
    size, level = router.logging_buffered
    return (size or DEFAULT_BUFFER, level_number(level))

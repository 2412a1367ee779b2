"""Router time: a virtual clock that starts, as a 3640 without a calendar does, at
00:00:00 UTC Mon Mar 1 1993, not authoritative until `clock set`."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

BOOT = datetime(1993, 3, 1, tzinfo=timezone.utc)


@dataclass
class Clock:
    """Uptime moves with the wall clock in live use, and only when told in scripts."""
    live: bool = False
    uptime_offset: float = 0.0         # seconds of uptime not measured by the wall clock
    set_at: datetime | None = None     # calendar time given by `clock set`, at set_uptime
    set_uptime: float = 0.0
    _started: float = field(default_factory=time.monotonic)

    def uptime(self) -> float:
        wall = time.monotonic() - self._started if self.live else 0.0
        return wall + self.uptime_offset

    def restart(self) -> None:
        """A reload: uptime starts again; the calendar is lost, as a 3640 has none."""
        self._started = time.monotonic()
        self.uptime_offset = 0.0
        self.set_at = None

    def advance(self, seconds: float) -> None:
        self.uptime_offset += seconds

    def advance_to(self, uptime: float) -> None:
        """Move on to exactly `uptime` (timers compare equal to their deadlines)."""
        if uptime > self.uptime():
            self.uptime_offset += uptime - self.uptime()
            if not self.live:
                self.uptime_offset = uptime

    @property
    def authoritative(self) -> bool:
        return self.set_at is not None

    def now(self) -> datetime:
        up = self.uptime()
        if self.set_at is None:
            return BOOT + timedelta(seconds=up)
        return self.set_at + timedelta(seconds=up - self.set_uptime)

    def set(self, when: datetime) -> None:
        self.set_uptime = self.uptime()
        self.set_at = when

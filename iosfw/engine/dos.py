"""CBAC's denial-of-service thresholds, on the session table's half-open counts.

* Total half-open sessions above `max-incomplete high`, or more new ones in the last minute than
  `one-minute high`: the router gets aggressive (`%FW-4-ALERT_ON`) and deletes the oldest
  half-open session for each new connection request, until both figures are below their `low`
  values (`%FW-4-ALERT_OFF`).
* Half-open TCP sessions to one host above `tcp max-incomplete host N`: with block-time 0 the
  oldest one to that host goes for each new request; with block-time M the router deletes all of
  them and refuses new connections to the host for M minutes.
"""
from __future__ import annotations

from collections import deque
from typing import Optional

from .cbac import Closed, SessionTable
from .events import Alert, HostAlert, HostBlocked, HostUnblocked
from .packet import TCP

WINDOW = 60.0      # seconds behind "one-minute"


class DosGuard:
    def __init__(self, table: SessionTable):
        self.table = table
        self.alarm = table.alarm
        self.aggressive = False
        self.created: deque[float] = deque()      # when recent half-open sessions were made
        self.blocked: dict[int, float] = {}       # host -> when its block ends
        self.alerted: set[int] = set()            # hosts over their limit, alert given

    @property
    def globals(self):
        return self.table.globals

    def rate(self, now: float) -> int:
        """New half-open sessions in the last minute."""
        while self.created and self.created[0] + WINDOW <= now:
            self.created.popleft()
        return len(self.created)

    def rate_at(self, now: float) -> int:
        """The same figure without dropping the old times: for renderers, which only read."""
        return sum(1 for when in self.created if when + WINDOW > now)

    # ------------------------------------------------------------------ before a new session
    def blocked_host(self, host: int, now: float) -> bool:
        if not self.blocked:
            return False
        until = self.blocked.get(host)
        return until is not None and now < until

    def admit(self, proto: int, host: int, now: float, events: list,
              closed: list[Closed]) -> bool:
        """Make room for a new session to `host`; False when the host is blocked now."""
        if self.blocked_host(host, now):
            return False
        g = self.globals
        if proto == TCP:
            waiting = self.table.half_open_by_host.get(host)
            if waiting and len(waiting) >= g.host_max_incomplete:
                if host not in self.alerted:
                    self.alerted.add(host)
                    events.append(HostAlert(host, g.host_max_incomplete))
                if g.host_block_time:
                    closed.extend(self.table.close(s, "host") for s in list(waiting.values()))
                    self.blocked[host] = until = now + 60 * g.host_block_time
                    self.alarm.at_most(until)
                    events.append(HostBlocked(host, g.host_block_time, g.host_max_incomplete))
                    return False
                closed.append(self.table.close(next(iter(waiting.values())), "host"))
            elif self.alerted:
                self.alerted.discard(host)
        if self.aggressive and self.table.half_open:
            oldest = next(iter(self.table.half_open.values()))
            closed.append(self.table.close(oldest, "aggressive"))
        return True

    # ------------------------------------------------------------------ after a new session
    def opened(self, now: float, events: list) -> None:
        self.created.append(now)
        self.check(now, events)

    def check(self, now: float, events: list) -> None:
        """Turn aggressive mode on or off by the current figures."""
        g = self.globals
        count, rate = len(self.table.half_open), self.rate(now)
        stats = self.table.stats
        stats.max_rate = max(stats.max_rate, rate)
        if not self.aggressive:
            if count > g.max_incomplete_high or rate > g.one_minute_high:
                self.aggressive = True
                events.append(Alert(True, count, g.max_incomplete_high, rate))
                if self.created:
                    self.alarm.at_most(self.created[0] + WINDOW)
        elif count < g.max_incomplete_low and rate < g.one_minute_low:
            self.aggressive = False
            events.append(Alert(False, count, g.max_incomplete_low, rate))

    def tick(self, now: float, events: list) -> None:
        for host, until in list(self.blocked.items()):
            if now >= until:
                del self.blocked[host]
                self.alerted.discard(host)
                events.append(HostUnblocked(host))
        self.check(now, events)

    def next_deadline(self, now: float) -> Optional[float]:
        """When a block ends, or (while aggressive) when the one-minute rate next drops."""
        times = list(self.blocked.values())
        if self.aggressive and self.created:
            self.rate(now)
            if self.created:
                times.append(self.created[0] + WINDOW)
        return min(times) if times else None

"""The watch for login attacks of IOS 12.3(4)T's Login Enhancements, for one router.

Failed logins on the vty lines, telnet and SSH alike, are counted in watch windows of
`within` seconds that follow one another from the router's boot and again from the end of
each quiet period (a new `login block-for` starts counting afresh in the window under way).
When one window counts `attempts` failures the router goes into quiet mode for `seconds`: new
connections are refused, except from hosts `login quiet-mode access-class` permits, and a line
still at its login prompt is closed at its next attempt. The console is never blocked
(iosfw's console has no login at all).

Every failure is remembered for `show login failures`; `login on-failure log` and `login
on-success log` log them. Time is the device's clock (uptime for the rules, the calendar for
the messages), so that `simulate clock advance` and tests on a virtual clock drive the watch
as the live clock does. Nothing here has a timer of its own: `tick()` (every vty's one-second
tick calls it), each connection and each attempt bring the watch up to date first, and
`watch()` reports it without changing anything, for `show login`.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Optional

from ..config import model as m
from ..show.login import (
    FAILURES_KEPT,
    FailureRow,
    LoginWatch,
    delay_seconds,
    quiet_acl,
    unwatched,
    when_text,
    whole_seconds,
)
from .access import Address, acl_permits

REASON = "Invalid login"


class LoginGuard:
    """One router's watch, shared by all its vty lines (VtyPool.guard)."""

    def __init__(self, device):
        self.device = device
        self.total = 0                      # failed logins since the router booted
        self.successes = 0                  # successful ones (for `on-success log every N`)
        self.rows: dict[tuple[str, str, int], FailureRow] = {}   # in order of first failure
        self._block: Optional[m.LoginBlock] = None   # the `login block-for` counted for
        self._anchor = 0.0                  # uptime the watch windows follow one another from
        self._window_start = 0.0            # the window the failures below were counted in
        self._window_failures = 0
        self._quiet_until: Optional[float] = None
        self._seen = device.clock.uptime()  # latest uptime seen (it goes back at a reload)

    @property
    def settings(self) -> m.LoginSettings:
        return self.device.router.login

    # ------------------------------------------------------------------ questions
    def admits(self, peer: Address, local: Address) -> bool:
        """Whether a login from `peer` is allowed now: always in normal mode; in quiet mode
        only when the quiet-mode access list permits it (no list, or a list that does not
        exist, exempts nobody)."""
        self.tick()
        if self._quiet_until is None:
            return True
        name = self.settings.quiet_acl
        return bool(name) and acl_permits(self.device, name, peer, local, otherwise=False)

    def delay(self) -> int:
        """Seconds a line waits after a failed attempt before it asks again."""
        return delay_seconds(self.settings)

    def watch(self) -> LoginWatch:
        """The watch as it stands now, computed without changing it."""
        now = self.device.clock.uptime()
        if now < self._seen:
            return unwatched(self.settings)        # reloaded, not yet brought up to date
        quiet, _, start, count = self._state_at(now)
        block = self.settings.block_for
        return LoginWatch(quiet_left=None if quiet is None else quiet - now,
                          window_left=start + block.within - now if block else 0.0,
                          window_failures=count, total=self.total,
                          rows=tuple(dataclasses.replace(r) for r in self.rows.values()))

    # ------------------------------------------------------------------ what happened
    def failed(self, user: str, peer: Address, local: Address) -> None:
        """A login attempt failed: counted, logged as `login on-failure log` asks, and
        perhaps the failure that starts quiet mode."""
        now = self._sync()
        when = self.device.clock.now()
        self.total += 1
        key = (user, peer[0], local[1])
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = FailureRow(user, peer[0], local[1], 0, when)
            while len(self.rows) > FAILURES_KEPT:
                del self.rows[next(iter(self.rows))]
        row.count += 1
        row.last = when
        who = _who(user, peer, local)
        every = self.settings.on_failure
        if every and self.total % every == 0:
            self._log(f"%SEC_LOGIN-4-LOGIN_FAILED: Login failed {who} [Reason: {REASON}] "
                      f"at {when_text(when)}")
        block = self._block
        if block is None or self._quiet_until is not None:
            return
        self._window_failures += 1
        if self._window_failures >= block.attempts:
            self._quiet_until = now + block.seconds
            left = whole_seconds(self._window_start + block.within - now)
            self._log(f"%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is "
                      f"{left} secs, {who} [Reason: {REASON}] "
                      f"[ACL: {quiet_acl(self.settings)}] at {when_text(when)}")

    def succeeded(self, user: str, peer: Address, local: Address) -> None:
        self._sync()
        self.successes += 1
        every = self.settings.on_success
        if every and self.successes % every == 0:
            self._log(f"%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success {_who(user, peer, local)} "
                      f"at {when_text(self.device.clock.now())}")

    def tick(self) -> None:
        """Bring the watch up to the current time: the end of quiet mode is logged here."""
        self._sync()

    # ------------------------------------------------------------------ the state over time
    def _state_at(self, now: float) -> tuple[Optional[float], float, float, int]:
        """(end of quiet mode or None, anchor of the windows, start of the window under way,
        failures counted in it) at `now`, from the state last recorded: what _sync makes of
        it."""
        block = self.settings.block_for
        quiet, anchor = self._quiet_until, self._anchor
        if block != self._block:
            quiet = None                           # a new `login block-for`: counting anew
        if quiet is not None:
            if now < quiet:
                return quiet, anchor, self._window_start, self._window_failures
            quiet, anchor = None, quiet            # the block period is over: a new window
        if block is None:
            return None, anchor, now, 0
        start = anchor + (now - anchor) // block.within * block.within
        same = block == self._block and start == self._window_start
        return None, anchor, start, self._window_failures if same else 0

    def _sync(self) -> float:
        now = self.device.clock.uptime()
        if now < self._seen:
            self._forget()                         # uptime went back: the router reloaded
        self._seen = now
        quiet, anchor, start, count = self._state_at(now)
        if self._quiet_until is not None and quiet is None and \
                self._block == self.settings.block_for:
            ended = self._calendar(self._quiet_until)
            self._log("%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period "
                      f"timed out at {when_text(ended)}")
        self._block = self.settings.block_for
        self._quiet_until, self._anchor = quiet, anchor
        self._window_start, self._window_failures = start, count
        return now

    def _forget(self) -> None:
        """A reload: what the router counted in memory is gone."""
        self.total = self.successes = 0
        self.rows.clear()
        self._quiet_until = None
        self._anchor = self._window_start = 0.0
        self._window_failures = 0

    def _calendar(self, uptime: float) -> datetime:
        clock = self.device.clock
        return clock.now() - timedelta(seconds=clock.uptime() - uptime)

    def _log(self, message: str) -> None:
        self.device.syslog(message)


def _who(user: str, peer: Address, local: Address) -> str:
    return f"[user: {user}] [Source: {peer[0]}] [localport: {local[1]}]"

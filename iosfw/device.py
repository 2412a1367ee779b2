"""The router as one box: its configuration, its saved copy, its clock, its forwarding state and
its log. The console and every vty session share one Device, so what one user configures or
sends through the router, another sees, and all of them read the same log."""
from __future__ import annotations

from typing import Iterable, Optional

from .clock import Clock
from .config import model as m
from .engine.packet import Packet
from .engine.pipeline import Engine, Outcome
from .show import syslog_text
from .syslog import Logger
from .timestamps import prefix


class Device:
    def __init__(self, router: m.Router, store, clock: Optional[Clock] = None):
        self.router = router
        self.store = store
        self.clock = clock or Clock()
        self.log = Logger()
        self.debug: set[str] = set()        # `debug ...` flags that are on
        self._engine: Optional[Engine] = None

    # ------------------------------------------------------------------ forwarding state
    @property
    def engine(self) -> Engine:
        """Built on first use, rebuilt after configuration changes (sessions survive)."""
        if self._engine is None:
            self._engine = Engine(self.router)
        return self._engine

    def configured(self) -> None:
        """A configuration command changed the model."""
        if self._engine is not None:
            self._engine.refresh()

    def reloaded(self) -> None:
        """A reload: forwarding state, sessions and translations start afresh."""
        self._engine = None
        self.clock.restart()

    def now(self) -> float:
        return self.clock.uptime()

    # ------------------------------------------------------------------ traffic
    def forward(self, packet: Packet, ingress: str) -> Outcome:
        outcome = self.engine.forward(packet, ingress, self.now())
        self.record(outcome.events)
        return outcome

    def tick(self) -> None:
        """Run the timers that are due at the current time (idle sessions, NAT, alerts)."""
        if self._engine is not None:
            self.record(self._engine.tick(self.now()))

    def advance(self, seconds: float) -> None:
        """Let virtual time pass, firing each timer at its own moment so that messages carry
        the time they happened at."""
        end = self.now() + seconds
        while self._engine is not None:
            due = self._engine.next_deadline(self.now())
            if due is None or due > end:
                break
            self.clock.advance_to(due)
            self.tick()
            if self._engine.next_deadline(self.now()) == due:
                break                       # nothing fired: do not spin
        self.clock.advance_to(end)
        self.tick()

    # ------------------------------------------------------------------ logging
    def record(self, events: Iterable) -> None:
        for event in events:
            for line in syslog_text.debug_lines(event, self.debug):
                self.syslog(line, "debug")
            for message in syslog_text.messages(event, self.router, self.debug):
                self.syslog(message)

    def syslog(self, message: str, kind: str = "log") -> None:
        """Log a message (`kind` "debug" stamps it as `service timestamps debug` says)."""
        stamp = prefix(self.router.timestamps.get(kind), self.clock, self.router.clock_timezone)
        self.log.add(stamp + message, self.router)

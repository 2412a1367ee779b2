"""What `show ip inspect statistics` reports, counted as the engine works: sessions created,
the most sessions ever in each state, and the packets inspection handled on the full path
(process switching) and on the fast path (fast switching), by IP protocol.

The session table and the pipeline update these counters where they already are (a session's
state changes, a packet of a session); nothing here is looked at per packet."""
from __future__ import annotations


class InspectStats:
    __slots__ = ("created", "fast", "last_created", "max_established", "max_half_open",
                 "max_rate", "max_terminating", "process", "reset_at")

    def __init__(self):
        self.created = 0                        # sessions opened since boot or the last reset
        self.last_created: float | None = None  # uptime of the last one
        self.reset_at: float | None = None      # uptime of `clear ip inspect statistics`
        self.max_established = self.max_half_open = self.max_terminating = 0
        self.max_rate = 0                       # the highest one-minute creation rate seen
        self.process = [0] * 256                # packets by IP protocol, full path
        self.fast = [0] * 256                   # packets by IP protocol, fast path

    def counts(self, established: int, half_open: int, terminating: int) -> None:
        """Keep the maxima up to date with the current session counts."""
        self.max_established = max(self.max_established, established)
        self.max_half_open = max(self.max_half_open, half_open)
        self.max_terminating = max(self.max_terminating, terminating)

    def reset(self, now: float, established: int, half_open: int, terminating: int,
              rate: int) -> None:
        """`clear ip inspect statistics`: counting starts again from what is there now (the
        lists are zeroed in place: the pipeline holds them)."""
        self.created, self.last_created, self.reset_at = 0, None, now
        self.max_established, self.max_half_open, self.max_terminating = \
            established, half_open, terminating
        self.max_rate = rate
        for counts in (self.process, self.fast):
            counts[:] = [0] * len(counts)

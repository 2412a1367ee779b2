"""One tuple object for equal (address, port) ends of flows: the CBAC session and the NAT entry
of a flow, and the many flows to one server, share it. With 100,000 sessions the ends are a
large part of the memory. Bounded: when full it starts afresh (sharing is only lost, never
wrong)."""
from __future__ import annotations

LIMIT = 4096


class Interner:
    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self._seen: dict = {}

    def __call__(self, value):
        seen = self._seen
        found = seen.get(value)
        if found is not None:
            return found
        if len(seen) >= self.limit:
            seen.clear()
        seen[value] = value
        return value

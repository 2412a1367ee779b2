"""Timers for many items (CBAC sessions, NAT entries) in one heap, one heap entry per item.

A packet usually moves an item's deadline later; pushing a new heap entry each time would grow
the heap with every packet. Instead an item keeps the one entry it has (`armed` is its time) and,
when that entry comes up, goes back in at its current deadline if that has moved on. Only an
earlier deadline pushes a new entry. Items carry `armed` (-1: not in the heap) and `live`."""
from __future__ import annotations

import heapq
from typing import Callable, Optional

from .alarm import Alarm


class TimerHeap:
    def __init__(self, deadline_of: Callable, alarm: Alarm):
        self.deadline_of = deadline_of      # an item's current deadline (None: never)
        self.alarm = alarm
        self._heap: list = []               # (when, item); items order ties by __lt__

    def __len__(self) -> int:
        return len(self._heap)

    def arm(self, item, when: float) -> None:
        if item.armed < 0 or when < item.armed:
            item.armed = when
            heapq.heappush(self._heap, (when, item))
            self.alarm.at_most(when)

    def due(self):
        """The item whose entry is on top and stands (stale entries dropped, moved deadlines
        pushed back in), or None."""
        heap = self._heap
        while heap:
            when, item = heap[0]
            if not item.live or when != item.armed:
                heapq.heappop(heap)           # gone, or superseded by an earlier entry
                continue
            current = self.deadline_of(item)
            if current is None or current > when:
                heapq.heappop(heap)
                item.armed = -1.0
                if current is not None:
                    self.arm(item, current)
                continue
            return item
        return None

    def next_deadline(self) -> Optional[float]:
        item = self.due()
        return None if item is None else item.armed

    def pop_due(self, now: float):
        """The next item due by `now`, taken out of the heap; None when nothing is due."""
        item = self.due()
        if item is None or item.armed > now:
            return None
        heapq.heappop(self._heap)
        item.armed = -1.0
        return item

"""The earliest moment any timer of the engine may be due. Components lower it when they arm a
timer; the engine runs its timers only when a packet's time reaches it, instead of asking every
timer on every packet."""
from __future__ import annotations

import math


class Alarm:
    __slots__ = ("at",)

    def __init__(self):
        self.at = 0.0           # due at once: the first packet recomputes it

    def at_most(self, when: float) -> None:
        if when < self.at:
            self.at = when

    def set(self, when: float | None) -> None:
        self.at = math.inf if when is None else when

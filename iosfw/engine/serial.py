"""Serial numbers for what the engine creates (session ids, translation ages)."""
from __future__ import annotations


class Serial:
    """`next(serial)` gives 0, 1, 2, ...: an itertools.count that a command's undo can put
    back (iosfw.undo restores objects' attributes; a C iterator has none)."""
    __slots__ = ("next_value",)

    def __init__(self, start: int = 0):
        self.next_value = start

    def __next__(self) -> int:
        value = self.next_value
        self.next_value += 1
        return value

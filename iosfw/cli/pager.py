"""` --More-- `: IOS's pager, as a small state machine the front ends feed with key presses."""
from __future__ import annotations


class Pager:
    PROMPT = " --More-- "

    def __init__(self, text: str, length: int):
        self.lines = text.splitlines(keepends=True)
        self.page = max(1, length - 1) if length else 0
        self.shown = 0
        self.done = False

    def _take(self, count: int) -> str:
        chunk = self.lines[self.shown:self.shown + count]
        self.shown += len(chunk)
        self.done = self.shown >= len(self.lines)
        return "".join(chunk)

    def first(self) -> str:
        """The first screenful; everything when paging is off (`terminal length 0`)."""
        return self._take(len(self.lines) if not self.page else self.page)

    def key(self, key: str) -> str:
        """Space: the next screenful; Return: one more line; anything else: stop."""
        if key == " ":
            return self._take(self.page)
        if key in ("\r", "\n"):
            return self._take(1)
        self.done = True
        return ""

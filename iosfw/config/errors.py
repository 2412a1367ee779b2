"""The refusal a configuration command gets from the model."""
from __future__ import annotations

from typing import Optional


class ConfigError(Exception):
    """IOS refuses the command; `column` points at the word it refuses (None: the whole line)."""

    def __init__(self, message: str, column: Optional[int] = None, slot: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.slot = slot        # where in running-config the refused command would have gone

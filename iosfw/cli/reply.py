"""What a line gets back from the router for one typed line."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass
class Ask:
    """A question the router asks before it can answer (`Password:`, `[confirm]`)."""
    prompt: str
    answer: Callable[[str], "Reply"]
    secret: bool = False         # read without echo


@dataclass
class Reply:
    output: str = ""
    error: bool = False
    ask: Optional[Ask] = None    # the front end prints ask.prompt, reads a line, calls ask.answer
    closed: bool = False         # the session ended (exit from EXEC)

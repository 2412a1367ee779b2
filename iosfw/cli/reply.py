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
    """`output` is all the line produced, the log messages that came up meanwhile last (as `-c`
    prints it); `messages` is that last part. A terminal shows them apart, as the router does:
    the command's output, the next prompt, then the messages (see Session.after_prompt)."""
    output: str = ""
    error: bool = False
    ask: Optional[Ask] = None    # the front end prints ask.prompt, reads a line, calls ask.answer
    closed: bool = False         # the session ended (exit from EXEC)
    messages: str = ""
    more: Optional[Callable[[], "Reply"]] = None  # not done: call for the next slice
    wait: bool = False           # not run: another line's long command holds the device;
    #                              type it again when that one is done (nothing changed)

    @property
    def body(self) -> str:
        """The command's own output, without the messages."""
        return self.output[:len(self.output) - len(self.messages)]

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
    the command's output, the next prompt, then the messages (see iosfw/cli/conversation.py).
    An error's `column` is where its `^` stands, counted from the start of the prompt the line
    was typed after (as IOS counts it), so that a front end that shows no prompt, or reports
    the column, never reads it back out of the text."""
    output: str = ""
    error: bool = False
    column: Optional[int] = None  # the caret's column, when the error has one
    ask: Optional[Ask] = None    # the front end prints ask.prompt, reads a line, calls ask.answer
    closed: bool = False         # the session ended (exit from EXEC)
    reloaded: bool = False       # the router reloaded (a vty goes down with it)
    messages: str = ""
    more: Optional[Callable[[], "Reply"]] = None  # not done: call for the next slice
    wait: bool = False           # not run: another line's long command holds the device;
    #                              type it again when that one is done (nothing changed)

    @property
    def body(self) -> str:
        """The command's own output, without the messages."""
        return self.output[:len(self.output) - len(self.messages)]

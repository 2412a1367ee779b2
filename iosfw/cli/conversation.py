"""One conversation with the router, whatever carries it: the local console, `-c`, a script or
a pipe, a telnet or SSH vty.

Each line typed gets a Reply (iosfw/commands/reply.py), and what happens next is the same on every
front end, so it is decided here, once: the output goes through the ` --More-- ` pager; a
question (`Password:`, `[confirm]`) takes the next line as its answer and Ctrl-C cancels it
with its command; `exit` hangs up; a reload is told to the front end (a vty goes down with the
router); the log messages that came up meanwhile follow the next prompt, on lines of their own,
the prompt drawn again after them only with `logging synchronous`. With a `schedule` (the
servers' event loop), a long command (a flood) runs a slice per turn of the loop while the
other lines go on, and a command that has to wait for another line's runs when the device is
free (`retry`).

A front end is a Terminal: it only does I/O. It writes what it is given, reads what the
conversation expects next (`expecting`: a command, an answer, a key at ` --More-- `) and feeds
it back (`enter`, `key`, `interrupt`, `ctrl_z`). What differs between front ends is what their
medium dictates, no more: the console's prompt-toolkit draws the prompt itself and a
transcript prints it with the line (hence `ready` hands over the prompt rather than printing
it); `-c` and `ssh router command` give whole commands with no prompt at all (`bare`), so a
refused command is echoed above its caret, a question is cancelled (nobody could answer it)
and the messages follow the output at once.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Protocol

from .pager import Pager

if TYPE_CHECKING:   # not imported for `iosfw --help` (dataclasses is slow to load)
    from ..commands.reply import Ask, Reply


class Terminal(Protocol):
    """The I/O a front end does for its Conversation. A front end that never pages, asks or
    hangs up may leave those methods as they are here (doing nothing)."""

    def write(self, text: str) -> None:
        """Show `text` (router text: lines end in "\\n")."""

    def erase_more(self) -> None:
        """Take ` --More-- ` off the screen again."""

    def ready(self, shown: str, prompt: str) -> None:
        """The next command may be typed: `shown` (the last prompt and the log messages
        after it, or nothing) goes out first, `prompt` stands before what is typed."""

    def question(self, prompt: str, secret: bool) -> None:
        """The router asks: `prompt` stands before the answer, not echoed when `secret`."""

    def hang_up(self) -> None:
        """The session ended (`exit`): the line closes."""

    def reloaded(self) -> None:
        """The router reloaded (a vty line goes down with it: IOS drops every vty)."""

    def resumed(self) -> None:
        """A command that ran in slices is done: what was typed meanwhile may go on."""


class Conversation:
    """A Session driven through its Replies for one front end (see the module docstring).

    `expecting` says what the next input is: "command" (a line at the prompt), "answer" (to
    the question; `secret` when not echoed), "key" (at ` --More-- `), "busy" (a long or
    waiting command: no input is taken) or "closed". `reply` is the last turn's Reply once the
    turn is over (None before the first), `column` where its caret stands in the typed line."""

    def __init__(self, session, terminal: Terminal, *,
                 schedule: Optional[Callable[[Callable[[], None]], None]] = None,
                 paged: bool = True, bare: bool = False):
        self.session = session
        self.terminal = terminal
        self.schedule = schedule        # run a callable soon on the front end's loop
        self.paged = paged and not bare
        self.bare = bare
        self.expecting = "command"
        self.secret = False
        self.reply: Optional[Reply] = None
        self._line = ""                 # the command of the turn under way
        self._typed_after = ""          # the prompt it was typed after
        self._ask: Optional[Ask] = None
        self._pager: Optional[Pager] = None
        self._paging: Optional[Reply] = None         # the reply whose output is at --More--
        self._next: Optional[Callable[[], Reply]] = None     # the long command's next slice
        self._waiting: Optional[Callable[[], Reply]] = None  # the line that waits for the device

    # ------------------------------------------------------------------ input
    def start(self) -> None:
        """The first prompt."""
        self._ready("")

    def enter(self, text: str) -> None:
        """A line: the command at the prompt, or the answer to the question."""
        if self.expecting == "command":
            self._line, self._typed_after = text, self.session.prompt()
            stepwise = self.schedule is not None
            self._run(lambda: self.session.execute(text, stepwise=stepwise))
        elif self.expecting == "answer":
            ask, self._ask = self._ask, None
            self._run(lambda: ask.answer(text))

    def key(self, key: str) -> None:
        """A key at ` --More-- `: Space a page, Return a line, any other stops (Pager.key)."""
        self.terminal.erase_more()
        self.terminal.write(self._pager.key(key))
        if not self._pager.done:
            self.terminal.write(Pager.PROMPT)
            return
        reply, self._paging, self._pager = self._paging, None, None
        self._finish(reply)

    def interrupt(self) -> None:
        """Ctrl-C: the typed line is dropped, a question is cancelled with its command, the
        output at ` --More-- ` stops."""
        if self.expecting == "key":
            self.key("\x03")
        elif self.expecting == "answer":
            self._ask = None
            self._shown(self.session.cancelled())
        elif self.expecting == "command":
            self._ready("")

    def ctrl_z(self, echo: str = "") -> bool:
        """Ctrl-Z at the prompt: `end` in the configuration modes (after `echo`, the key as the
        terminal shows it), nothing elsewhere. Whether it was `end`."""
        if self.expecting != "command" or not self.session.configuring:
            return False
        self.terminal.write(echo)
        self.enter("end")
        return True

    def arrived(self, messages: str, typed: str) -> None:
        """Log messages that came up while the line waits at its prompt with `typed` after it:
        shown at once, on lines of their own (see Session.after_prompt)."""
        self.terminal.write(self.session.after_prompt(messages, typed))

    def retry(self) -> bool:
        """The device may be free again: run the line that waited for it. Whether it ran."""
        if self._waiting is None or self.expecting != "busy" \
                or self.session.device.busy is not None:
            return False
        call, self._waiting = self._waiting, None
        self._run(call)
        return True

    def close(self) -> None:
        """The line went away: nothing more is shown (a long command still runs to its end,
        so that the device is never left half-changed)."""
        self.expecting = "closed"

    @property
    def column(self) -> Optional[int]:
        """Where the caret of the last turn's error stands in the typed line, from 0."""
        column = self.reply.column
        return None if column is None else column - len(self._typed_after)

    # ------------------------------------------------------------------ a turn
    def _run(self, call: Callable[[], Reply]) -> None:
        reply = call()
        if reply.wait:
            self._waiting, self.expecting = call, "busy"
        elif reply.more is not None:
            self._next, self.expecting = reply.more, "busy"
            self.schedule(self._slice)
        else:
            self._shown(reply)

    def _slice(self) -> None:
        """The long command goes on, a slice per turn of the loop, to its end."""
        reply = self._next()
        if reply.more is not None:
            self._next = reply.more
            self.schedule(self._slice)
            return
        self._next = None
        if self.expecting != "closed":
            self._shown(reply)
        self.terminal.resumed()

    def _shown(self, reply: Reply) -> None:
        """The reply's own output, through the pager; then _finish."""
        if reply.reloaded:
            self.terminal.reloaded()
            if self.expecting == "closed":
                return
        body = reply.body
        if self.bare and reply.column is not None:
            # no prompt stands before the line: echo it, so that the caret has it to point at
            shift = reply.column - len(self._typed_after)
            body = self._line + "\n" + " " * shift + body[reply.column:]
        if self.paged and body:
            self._pager = Pager(body, self.session.terminal_length)
            self.terminal.write(self._pager.first())
            if not self._pager.done:
                self._paging, self.expecting = reply, "key"
                self.terminal.write(Pager.PROMPT)
                return
            self._pager = None
        else:
            self.terminal.write(body)
        self._finish(reply)

    def _finish(self, reply: Reply) -> None:
        """After the output: the question, the hang-up or the next prompt, with the log
        messages where the router puts them (after the prompt, unless it is not shown)."""
        self.reply = reply
        if self.bare or reply.ask or reply.closed:
            self.terminal.write(reply.messages)
        if reply.ask and self.bare:
            self._shown(self.session.cancelled())
        elif reply.ask:
            self._ask, self.secret, self.expecting = reply.ask, reply.ask.secret, "answer"
            self.terminal.question(reply.ask.prompt, reply.ask.secret)
        elif reply.closed:
            self.expecting = "closed"
            self.terminal.hang_up()
        else:
            self.expecting = "command"
            if not self.bare:
                self._ready(reply.messages)

    def _ready(self, messages: str) -> None:
        prompt = self.session.prompt()
        if messages:
            self.terminal.ready(prompt + "\n" + messages,
                                prompt if self.session.synchronous else "")
        else:
            self.terminal.ready("", prompt)

"""The interactive console on a local terminal (prompt-toolkit): `?` help, Tab, Ctrl-Z and
history on the command line; the ` --More-- ` pager, questions and log messages as the one
Conversation (conversation.py) decides them for every front end."""
from __future__ import annotations

import getpass
import sys

from prompt_toolkit import PromptSession
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.key_binding import KeyBindings

from .conversation import Conversation, Terminal
from .pager import Pager

CTRL_Z = "\x1a"


def _bindings(session) -> KeyBindings:
    kb = KeyBindings()

    @kb.add("?")
    def _(event):
        buffer = event.app.current_buffer
        typed = buffer.document.text_before_cursor
        listing = session.help(typed)
        prompt = session.prompt()
        run_in_terminal(lambda: print(f"{prompt}{typed}?\n{listing}", end=""))

    @kb.add("tab")
    def _(event):
        buffer = event.app.current_buffer
        completed = session.complete(buffer.document.text_before_cursor)
        if completed is not None:
            buffer.text = completed + buffer.document.text_after_cursor
            buffer.cursor_position = len(completed)

    @kb.add("c-z")
    def _(event):
        event.app.exit(result=CTRL_Z)

    return kb


def _read_key() -> str:
    """One key press, unbuffered, for the pager."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        return sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)


class Console(Terminal):
    """The terminal's side of the conversation: prompt-toolkit draws the prompt it is given,
    the pager's ` --More-- ` is erased with a carriage return, and every write is flushed
    (a question is read by getpass, which writes to the terminal itself)."""

    def __init__(self):
        self.prompt = ""
        self.asked = ("", False)

    def write(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def erase_more(self) -> None:
        self.write("\r" + " " * len(Pager.PROMPT) + "\r")

    def ready(self, shown: str, prompt: str) -> None:
        self.write(shown)
        self.prompt = prompt

    def question(self, prompt: str, secret: bool) -> None:
        self.asked = (prompt, secret)


def run_shell(session) -> int:
    """The console loop: read what the conversation expects next, as this terminal reads it."""
    lines = PromptSession(key_bindings=_bindings(session))
    console = Console()
    conversation = Conversation(session, console)
    print(f"\n{session.router.hostname} con0 is now available\n\n\n\nPress RETURN to get started.\n")
    conversation.start()
    while True:
        expecting = conversation.expecting
        if expecting == "command":
            try:
                line = lines.prompt(console.prompt)
            except KeyboardInterrupt:
                conversation.interrupt()
                continue
            except EOFError:
                if not conversation.ctrl_z():
                    return 0
                continue
            if line != CTRL_Z:
                conversation.enter(line)
            elif not conversation.ctrl_z():
                conversation.enter("")     # prompt-toolkit has ended the line, as Return does
        elif expecting == "answer":
            prompt, secret = console.asked
            try:
                # IOS echoes nothing of a password, not even stars
                typed = getpass.getpass(prompt) if secret else input(prompt)
            except (KeyboardInterrupt, EOFError):
                print()
                conversation.interrupt()   # Ctrl-C abandons the question and its command
                continue
            conversation.enter(typed)
        elif expecting == "key":
            try:
                key = _read_key()
            except KeyboardInterrupt:
                key = "q"  # Ctrl-C at --More-- stops the output, as any key but space/return
            conversation.key(key)
        else:
            return 0

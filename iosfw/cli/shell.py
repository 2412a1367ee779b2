"""The interactive console on a local terminal (prompt-toolkit): `?` help, Tab, Ctrl-Z, history
and the ` --More-- ` pager, all answered by the same Session as every other front end."""
from __future__ import annotations

import getpass
import sys

from prompt_toolkit import PromptSession
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.key_binding import KeyBindings

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


def show(session, text: str) -> None:
    pager = Pager(text, session.terminal_length)
    sys.stdout.write(pager.first())
    while not pager.done:
        sys.stdout.write(Pager.PROMPT)
        sys.stdout.flush()
        try:
            key = _read_key()
        except KeyboardInterrupt:
            key = "q"  # Ctrl-C at --More-- stops the output, as any other key but space/return
        sys.stdout.write("\r" + " " * len(Pager.PROMPT) + "\r")
        sys.stdout.write(pager.key(key))
    sys.stdout.flush()


def run_shell(session) -> int:
    """The console loop. Log messages come after the prompt that follows a command, on lines
    of their own; the prompt is drawn again after them only with `logging synchronous` (the
    typed line then starts at the left margin, as on the router)."""
    prompt = PromptSession(key_bindings=_bindings(session))
    print(f"\n{session.router.hostname} con0 is now available\n\n\n\nPress RETURN to get started.\n")
    waiting = ""
    while True:
        shown = session.prompt()
        if waiting:
            sys.stdout.write(shown + "\n" + waiting)
            sys.stdout.flush()
            shown = shown if session.synchronous else ""
            waiting = ""
        try:
            line = prompt.prompt(shown)
        except KeyboardInterrupt:
            continue
        except EOFError:
            if not session.configuring:
                return 0
            line = CTRL_Z
        if line == CTRL_Z:
            line = "end" if session.configuring else ""
        reply = session.execute(line)
        while reply.ask:
            show(session, reply.output)
            try:
                if reply.ask.secret:
                    typed = getpass.getpass(reply.ask.prompt)  # IOS echoes nothing, not even stars
                else:
                    typed = input(reply.ask.prompt)
            except (KeyboardInterrupt, EOFError):
                print()
                reply = session.cancelled()  # Ctrl-C abandons the question and its command
                break
            reply = reply.ask.answer(typed)
        show(session, reply.body)
        waiting = reply.messages
        if reply.closed:
            return 0

"""The interactive console on a local terminal (prompt-toolkit)."""
from __future__ import annotations

import getpass

from prompt_toolkit import PromptSession

from .main import guarded


def run_shell(session) -> int:
    prompt = PromptSession()
    print(f"\n{session.router.hostname} con0 is now available\n\n\n\nPress RETURN to get started.\n")
    while True:
        try:
            line = prompt.prompt(session.prompt())
        except KeyboardInterrupt:
            continue
        except EOFError:
            if session.configuring:
                line = "end"
            else:
                return 0
        reply = guarded(session, line)
        while reply.ask_password:
            try:
                typed = getpass.getpass("Password: ")  # IOS echoes nothing, not even stars
            except (KeyboardInterrupt, EOFError):
                typed = ""
            reply = session.check_enable_password(typed)
        print(reply.output, end="")
        if reply.closed:
            return 0

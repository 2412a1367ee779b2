"""The interactive console on a local terminal (prompt-toolkit)."""
from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.output import create_output


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
        reply = session.execute(line)
        while reply.ask_password:
            try:
                typed = prompt.prompt("Password: ", is_password=True)
            except (KeyboardInterrupt, EOFError):
                typed = ""
            reply = session.check_enable_password(typed)
        print(reply.output, end="")
        if reply.closed:
            return 0

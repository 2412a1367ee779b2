"""The router fed lines that nobody types at a terminal: `-c` commands, and scripts and pipes
read as a console transcript. Two Terminals for the one Conversation (conversation.py): they
only print, and read the next line when the conversation expects one."""
from __future__ import annotations

import sys

from .conversation import Conversation, Terminal


class _Output(Terminal):
    """`-c`: what each command printed, taken a turn at a time (for --json's array)."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def run_commands(session, commands) -> int:
    """`-c`: only the output; with --json and several commands, one JSON array of their facts.
    Status 1 when any command was refused."""
    output = _Output()
    conversation = Conversation(session, output, bare=True)
    status, documents = 0, []
    for command in commands:
        conversation.enter(command)
        text, reply = output.take(), conversation.reply
        if session.as_json and len(commands) > 1 and not reply.error:
            documents.append(text)
        else:
            sys.stdout.write(text)
        status |= int(reply.error)
        if conversation.expecting == "closed":
            break
    if documents:
        sys.stdout.write("[\n" + ",\n".join(d.rstrip("\n") for d in documents) + "\n]\n")
    return status


class _Transcript(Terminal):
    """A console transcript on stdout: each line printed after its prompt, as if typed; the
    answer to a question is not (it might be a password), only the line's end."""

    def __init__(self):
        self.shown = ""
        self.prompt = ""

    def write(self, text: str) -> None:
        sys.stdout.write(text)

    def ready(self, shown: str, prompt: str) -> None:
        self.shown, self.prompt = shown, prompt

    def question(self, prompt: str, secret: bool) -> None:
        sys.stdout.write(prompt + "\n")

    def typed(self, line: str) -> None:
        sys.stdout.write(self.shown + self.prompt + line + "\n")
        self.shown = ""


def run_script(session, stream, name: str | None = None, keep_going: bool = True) -> int:
    """Replay shell lines and print what the console would show, prompt and command included.
    Piped in (no `name`), a refused command is part of the transcript, as on a console; from
    `--script`, it is reported as NAME:LINE[:COLUMN] on stderr and stops the replay unless
    `keep_going`. A question takes the next line as its answer. The messages still waiting at
    the end are shown after a last prompt."""
    transcript = _Transcript()
    conversation = Conversation(session, transcript, paged=False)
    conversation.start()
    status, number = 0, 0
    while conversation.expecting in ("command", "answer"):
        raw = stream.readline()
        if not raw:
            break
        number += 1
        line = raw.rstrip("\r\n")
        if conversation.expecting == "command":
            transcript.typed(line)
        conversation.enter(line)
        reply = conversation.reply
        if conversation.expecting == "answer" or not reply.error or name is None:
            continue
        status = 1
        sys.stdout.flush()
        column = conversation.column
        where = f"{name}:{number}:" + ("" if column is None else f"{column + 1}:")
        print(f"{where} {_first_message(reply.output)}", file=sys.stderr)
        if not keep_going:
            break
    if conversation.expecting != "closed":
        sys.stdout.write(transcript.shown)
    return status


def _first_message(output: str) -> str:
    """The line that says what was wrong (`% Invalid input ...`), not the caret above it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return next((line for line in lines if line.startswith("%")), lines[0] if lines else "")

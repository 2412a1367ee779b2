"""What the Config Logger prints (docs/formats.md says from which captures): `show archive log
config` as a table under ` idx   sess           user@line      Logged command`, each row the
entry's index, its configuration session, `user@line` and, after a bar, the command as typed,
indented by the depth of the mode it was typed in; and the `%PARSER-5-CFGLOG_LOGGEDCMD` line
of `notify syslog`, which names the user and the command without its indentation."""
from __future__ import annotations

from dataclasses import dataclass

HEADER = " idx   sess           user@line      Logged command"


@dataclass(frozen=True)
class Entry:
    """One logged command: its index (counted from boot), the configuration session it was
    typed in, who typed it on which line, the depth of its mode and its text (keys hidden
    when `hidekeys` was on)."""
    index: int
    session: int
    user: str
    line: str
    depth: int
    command: str


def row(entry: Entry) -> str:
    return (f"{entry.index:5d} {entry.session:5d} {entry.user:>14}@{entry.line:<8} |"
            + " " * entry.depth + entry.command)


def text(entries: list[Entry]) -> str:
    return "\n".join([HEADER, *map(row, entries)]) + "\n"


def facts(entries: list[Entry]) -> list[dict]:
    return [{"index": e.index, "session": e.session, "user": e.user, "line": e.line,
             "depth": e.depth, "command": e.command} for e in entries]


def syslog_line(entry: Entry) -> str:
    return f"%PARSER-5-CFGLOG_LOGGEDCMD: User:{entry.user}  logged command:{entry.command}"

"""Terminal lines: `line con|aux|vty N [M]` (or `line N [M]`) in global configuration, and the
line sub-mode's password, login, transports, timeouts and access class (grammar/line.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). The sub-mode's handlers change `cfg.context.target`, the
line `line` entered.
"""
from __future__ import annotations

from typing import NamedTuple

from ..config import model as m
from ..config.errors import ConfigError
from .configure import switch
from .registry import config_command, converter
from .values import INVALID, Name

# the highest number of each kind of line a router has; absolute numbers go by the grammar's
_LAST_LINE = {"con": 0, "aux": 0, "vty": 15}


class LineRange(NamedTuple):
    kind: str                   # con, aux, vty, or "" for absolute numbers
    first: int
    last: int | None
    start_pos: int              # where the range was typed: IOS refuses it whole


@converter("line_range")
def line_range(*values) -> LineRange:
    """`vty 0 4` or `0 4`: the kind is there or not, so the numbers move."""
    kind, first, last = values if len(values) == 3 else (None, *values)
    start = (kind if kind is not None else first).start_pos
    kind = "" if kind is None else "con" if kind == "console" else str(kind)
    return LineRange(kind, int(first), None if last is None else int(last), start)


@config_command("line")
def line(cfg, lines: LineRange):
    limit = _LAST_LINE.get(lines.kind)
    highest = lines.first if lines.last is None else max(lines.first, lines.last)
    if (limit is not None and highest > limit) or \
            (lines.last is not None and lines.last < lines.first):
        raise ConfigError(INVALID, lines.start_pos)
    new = m.Line(lines.kind, lines.first, lines.last)
    existing = cfg.router.lines.get(new.key)
    if existing is None:
        if lines.kind == "vty":
            new.login = "login"     # IOS asks a password on vty lines from the start
        existing = cfg.router.lines[new.key] = new
    return cfg.enter("config-line", existing, f"line:{existing.key}")


# ------------------------------------------------------------------ line sub-mode
@config_command("line_password", "no_line_password")
def line_password(cfg, kind=None, word=None):
    cfg.context.target.password = None if cfg.no else cfg.stored(cfg.password(kind, word))


@config_command("line_login")
def line_login(cfg, local):
    cfg.context.target.login = "" if cfg.no else ("local" if local else "login")


@config_command("line_transport_input")
def line_transport_input(cfg, *transports):
    cfg.context.target.transport_input = () if cfg.no else tuple(str(t) for t in transports)


config_command("line_exec")(switch("exec_", of_target=True))


config_command("line_logging_synchronous")(switch("logging_synchronous", of_target=True))


@config_command("line_exec_timeout", "no_exec_timeout")
def line_exec_timeout(cfg, minutes=None, seconds=None):
    cfg.context.target.exec_timeout = None if cfg.no else \
        (int(minutes), 0 if seconds is None else int(seconds))


@config_command("line_access_class")
def line_access_class(cfg, acl: Name, direction):
    line_: m.Line = cfg.context.target
    attr = "access_class_in" if direction == "in" else "access_class_out"
    if not cfg.no:
        setattr(line_, attr, str(acl))
        cfg.refers("access-list", str(acl), acl.start_pos, f"access-class {direction}")
    elif getattr(line_, attr) == acl:
        # `no access-class 5 in` leaves another list in place
        setattr(line_, attr, "")


@config_command("line_timeout_login", "no_line_timeout_login")
def line_timeout_login(cfg, seconds=None):
    cfg.context.target.login_response = None if cfg.no else int(seconds)


@config_command("line_length", "no_line_length")
def line_length(cfg, length=None):
    """The screen length sessions on the line start with (`terminal length` changes one
    session's); `length 0` turns the pager off."""
    cfg.context.target.length = None if cfg.no else int(length)

"""`debug`, `undebug`, `clear` and `clock set` (grammar/clear_debug.lark, grammar/exec.lark):
the EXEC commands that change the device rather than the line.

Each handler is `handler(session, *values)`. The session keeps its undo point before they run:
`clear` resets forwarding state (sessions, counters, translations), so it keeps the engine's
too; `debug` and the clock change only the device.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from ..show import debugging
from .registry import DEVICE, ENGINE, converter, exec_command
from .reply import Reply
from .values import Number


# ------------------------------------------------------------------ debug
@exec_command("debug_ip_inspect", changes=DEVICE)
def debug_ip_inspect(session, what) -> Reply:
    session.device.debug.add(f"ip inspect {what}")
    return Reply(debugging.turned(str(what), True) + "\n")


@exec_command("undebug_ip_inspect", changes=DEVICE)
def undebug_ip_inspect(session, what) -> Reply:
    session.device.debug.discard(f"ip inspect {what}")
    return Reply(debugging.turned(str(what), False) + "\n")


@exec_command("undebug_all", changes=DEVICE)
def undebug_all(session) -> Reply:
    session.device.debug.clear()
    return Reply(debugging.ALL_OFF + "\n")


# ------------------------------------------------------------------ clear
@exec_command("clear_access_list_counters", changes=ENGINE)
def clear_access_list_counters(session, acl: Optional[str]) -> Reply:
    """One list's hit counts, or every list's."""
    session.engine.clear_acl_counters(None if acl is None else str(acl))
    return Reply()


@exec_command("clear_ip_inspect_session", changes=ENGINE)
def clear_ip_inspect_session(session) -> Reply:
    """Their ends are recorded as any session's end is (audit trail, debug lines)."""
    session.device.record(session.engine.clear_sessions())
    return Reply()


@exec_command("clear_ip_inspect_statistics", changes=ENGINE)
def clear_ip_inspect_statistics(session) -> Reply:
    session.engine.clear_statistics(session.clock.uptime())
    return Reply()


@exec_command("clear_ip_nat_translation", changes=ENGINE)
def clear_ip_nat_translation(session, _all) -> Reply:
    session.engine.nat.clear()
    return Reply()


@exec_command("clear_logging", changes=ENGINE)
def clear_logging(session) -> Reply:
    """The buffer is cleared only once the question is confirmed."""
    def confirm(answer: str) -> Reply:
        if answer.strip().lower() in ("", "y", "yes"):
            session.device.log.clear_buffer()
        return Reply()
    return Reply(ask=session.ask("Clear logging buffer [confirm]", confirm))


# ------------------------------------------------------------------ clock
@converter("clock_date")
def clock_date(first, second, year) -> tuple[int, int, int]:
    """(year, month, day) of `1 jan 2005` or `jan 1 2005`: IOS takes the day on either side
    of the month; the month is the one that is not a number."""
    day, month = (first, second) if isinstance(first, Number) else (second, first)
    return int(year), datetime.strptime(str(month)[:3].title(), "%b").month, int(day)


@exec_command("clock_set", changes=DEVICE)
def clock_set(session, time, date: tuple[int, int, int]) -> Reply:
    """The calendar, on UTC; a day the month lacks (`31 feb`) is refused here, not by the
    grammar."""
    hh, mm, ss = (int(x) for x in str(time).split(":"))
    try:
        session.clock.set(datetime(*date, hh, mm, ss, tzinfo=timezone.utc))
    except ValueError:
        return Reply("% Invalid date\n", error=True)
    return Reply()

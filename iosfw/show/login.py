"""`show login` and `show login failures`: the Login Enhancements of 12.3(4)T as the router
reports them.

The renderers take a LoginWatch, a snapshot of the router's watch for login attacks made by
iosfw.remote.login_guard (a router that nobody has connected to over the network has the
snapshot of `unwatched`). Lines of `show login` are indented five spaces, as in the Cisco
feature guide's examples; docs/formats.md says which lines a reference fixes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from ..config import model as m

DEFAULT_DELAY = 1            # seconds between attempts once `login block-for` is set
DEFAULT_QUIET_ACL = "sl_def_acl"   # the list IOS applies in quiet mode when none is named
FAILURES_KEPT = 50           # rows of `show login failures`


@dataclass
class FailureRow:
    """Failed logins of one user name from one address to one local port."""
    user: str
    source: str
    port: int
    count: int
    last: datetime


@dataclass(frozen=True)
class LoginWatch:
    """The watch as it stands: seconds of quiet mode left (None in normal mode), of the watch
    window left and the failures counted in it, and the failures since the router booted."""
    quiet_left: float | None = None
    window_left: float = 0.0
    window_failures: int = 0
    total: int = 0
    rows: tuple[FailureRow, ...] = field(default=())


def unwatched(settings: m.LoginSettings) -> LoginWatch:
    """A router that no login was tried on: a full first window, nothing counted."""
    block = settings.block_for
    return LoginWatch(window_left=float(block.within) if block else 0.0)


def when_text(when: datetime) -> str:
    """`16:17:23 UTC Wed Feb 26 2003`, as the %SEC_LOGIN messages and the failure table
    write a moment."""
    return f"{when:%H:%M:%S} UTC {when:%a %b} {when.day} {when.year}"


def whole_seconds(seconds: float) -> int:
    """Whole seconds left, rounded up: a window that has just begun has all of it left."""
    return max(0, math.ceil(seconds - 1e-9))


def delay_seconds(settings: m.LoginSettings) -> int:
    """The delay between login attempts: `login delay`, or 1 s once `login block-for` is
    set, else none."""
    if settings.delay is not None:
        return settings.delay
    return DEFAULT_DELAY if settings.block_for else 0


def quiet_acl(settings: m.LoginSettings) -> str:
    return settings.quiet_acl or DEFAULT_QUIET_ACL


def _logging_line(every: int | None, what: str) -> str:
    if every is None:
        return f"No logging of {what} logins."
    if every == 1:
        return f"All {what} login is logged."
    return f"Every {every} {what} login is logged."


def lines(settings: m.LoginSettings, watch: LoginWatch) -> list[str]:
    block = settings.block_for
    if settings.delay is not None:
        delay = f"A login delay of {settings.delay} seconds is applied."
    elif block:
        delay = f"A default login delay of {DEFAULT_DELAY} seconds is applied."
    else:
        delay = "No login delay has been applied."
    out = [delay,
           f"Quiet-Mode access list {settings.quiet_acl} is applied." if settings.quiet_acl
           else "No Quiet-Mode access list has been configured.",
           _logging_line(settings.on_success, "successful"),
           _logging_line(settings.on_failure, "failed")]
    if block is None:
        return out + ["Router NOT enabled to watch for login Attacks"]
    out += ["", "Router enabled to watch for login Attacks.",
            f"If more than {block.attempts} login failures occur in {block.within} seconds "
            "or less,",
            f"  logins will be disabled for {block.seconds} seconds.", ""]
    if watch.quiet_left is not None:
        out += ["Router presently in Quiet-Mode.",
                f"Will remain in Quiet-Mode for {whole_seconds(watch.quiet_left)} seconds.",
                f"Restricted logins filtered by applied ACL {quiet_acl(settings)}."]
    else:
        out += ["Router presently in Normal-Mode.", "Current Watch Window",
                f"  Time remaining: {whole_seconds(watch.window_left)} seconds.",
                f"  Login failures for current window: {watch.window_failures}."]
    return out + [f"Total login failures: {watch.total}."]


def text(settings: m.LoginSettings, watch: LoginWatch) -> str:
    return "".join(("     " + line if line else "") + "\n" for line in lines(settings, watch))


def facts(settings: m.LoginSettings, watch: LoginWatch) -> dict:
    block = settings.block_for
    return {"delay": delay_seconds(settings), "quiet_mode_acl": settings.quiet_acl,
            "log_success_every": settings.on_success, "log_failure_every": settings.on_failure,
            "block_for": None if block is None else {
                "seconds": block.seconds, "attempts": block.attempts, "within": block.within},
            "mode": "quiet" if watch.quiet_left is not None else "normal",
            "quiet_left": None if watch.quiet_left is None else whole_seconds(watch.quiet_left),
            "window_left": whole_seconds(watch.window_left),
            "window_failures": watch.window_failures, "total_failures": watch.total}


def failures_text(watch: LoginWatch) -> str:
    rows = "".join(f"{r.user:<15} {r.source:<15} {r.port:<5} {r.count:<5} {when_text(r.last)}\n"
                   for r in watch.rows)
    return (f"Total failed logins: {watch.total}\n"
            f"Detailed information about last {FAILURES_KEPT} failures\n\n"
            "Username        SourceIPAddr    lPort Count TimeStamp\n" + rows)


def failures_facts(watch: LoginWatch) -> dict:
    return {"total": watch.total,
            "failures": [{"user": r.user, "source": r.source, "port": r.port, "count": r.count,
                          "last": when_text(r.last)} for r in watch.rows]}

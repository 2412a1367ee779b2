"""`show users`: the lines in use, as IOS 12.3 lists them.

A served router's Device has its vty lines as `device.vtys` (iosfw/remote's pool, whose rows()
are the busy ones); without them (None: the local console, `-c`, scripts) only the console is
in use.
Absolute line numbers are a 3640's: con 0 is line 0, the four slots take 32 lines each
(1-128), aux 0 is line 129 and vty 0 is line 130.
"""
from __future__ import annotations

VTY_BASE = 130
HEADER = "    Line       User       Host(s)              Idle       Location\n"
FOOTER = "\n  Interface    User               Mode         Idle     Peer Address\n"


def idle_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    if hours >= 100:
        days, hours = divmod(hours, 24)
        return f"{days}d{hours:02d}h"
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def row_text(mine: bool, absolute: int, name: str, user: str, idle: float, location: str) -> str:
    """One line in use; an empty location keeps the space before it, as the router's row does
    (the console's row ends in a space)."""
    return f"{'*' if mine else ' '}{absolute:>3} {name:<9} {user:<10} {'idle':<20} " \
           f"{idle_text(idle):>8} {location}\n"


def text(session) -> str:
    pool = session.device.vtys
    rows = []
    if pool is None or session.line_name == "console":
        rows.append(row_text(True, 0, "con 0", "", 0, ""))
    if pool is not None:
        for row in pool.rows():
            absolute = VTY_BASE + row.number if row.kind == "vty" else 0
            rows.append(row_text(row.session is session, absolute, f"{row.kind} {row.number}",
                                 row.user, row.idle, row.location))
    return HEADER + "".join(rows) + FOOTER


def facts(session) -> list[dict]:
    """The same lines as data, for --json."""
    pool = session.device.vtys
    out = []
    if pool is None or session.line_name == "console":
        out.append({"line": "con 0", "absolute": 0, "user": "", "idle": "00:00:00",
                    "location": "", "mine": True})
    if pool is not None:
        for row in pool.rows():
            out.append({"line": f"{row.kind} {row.number}", "absolute": VTY_BASE + row.number,
                        "user": row.user, "idle": idle_text(row.idle), "location": row.location,
                        "mine": row.session is session})
    return out

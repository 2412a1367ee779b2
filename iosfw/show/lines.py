"""`show line`: every terminal line of the router, in use or not, one row each.

The layout is the one 12.x and later routers print (the header and the column ends as in
captured output, see ../docs/formats.md; no 12.3(4)T capture is known). A 3640 without async
modules has the console (line 0), the aux port (line 129) and the vty lines (130 on, five
unless configuration adds more), numbered as `show users` numbers them. iosfw has no modems,
rotary groups or serial line counters: those columns show what an idle router shows.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..config import model as m
from .users import VTY_BASE

AUX_LINE = VTY_BASE - 1
HEADER = "   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int\n"


class LineRow(NamedTuple):
    absolute: int                   # the line's absolute number (the Tty column)
    kind: str                       # CTY, AUX or VTY
    number: int                     # its number within its kind (vty 3 is 3)
    speed: str                      # "9600/9600" for the aux port, else ""
    active: bool                    # someone is on it
    access_out: str                 # `access-class ACL out`
    access_in: str                  # `access-class ACL in`
    uses: int                       # sessions it has had since the router booted


def rows(router: m.Router, console_active: bool, vty_active: set[int],
         uses: Optional[dict[int, int]] = None) -> list[LineRow]:
    """The router's lines; `vty_active` the vty numbers in use, `uses` their session counts."""
    uses = uses or {}

    def access(kind: str, number: int) -> tuple[str, str]:
        line = router.line_of(kind, number)
        return (line.access_class_out, line.access_class_in) if line else ("", "")

    out = [LineRow(0, "CTY", 0, "", console_active, *access("con", 0), 0),
           LineRow(AUX_LINE, "AUX", 0, "9600/9600", False, *access("aux", 0), 0)]
    for n in router.vty_numbers():
        out.append(LineRow(VTY_BASE + n, "VTY", n, "", n in vty_active, *access("vty", n),
                           uses.get(n, 0)))
    return out


def row_text(row: LineRow) -> str:
    return (f"{'*' if row.active else ' '}{row.absolute:>6} {row.kind}{row.speed:>12}"
            f"{'-':>3}{'-':>5}{'-':>7}{row.access_out or '-':>5}{row.access_in or '-':>5}"
            f"{row.uses:>7}{0:>8}{'0/0':>8}{'-':>8}\n")


def text(found: list[LineRow]) -> str:
    return HEADER + "".join(row_text(row) for row in found)


def facts(found: list[LineRow]) -> list[dict]:
    """The same rows as data, for --json."""
    return [{"tty": row.absolute, "type": row.kind, "line": f"{row.kind.lower()} {row.number}"
             if row.kind == "VTY" else {"CTY": "con 0", "AUX": "aux 0"}[row.kind],
             "tx_rx": row.speed, "active": row.active, "access_class_out": row.access_out,
             "access_class_in": row.access_in, "uses": row.uses} for row in found]

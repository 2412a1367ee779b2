"""What `debug`/`undebug` answer and `show debugging` lists (the texts of the seed document where
it gives them; `show debugging`'s layout is ours, after IOS's `<FACILITY>:` blocks)."""
from __future__ import annotations

from . import smtp_debug

ALL_OFF = smtp_debug.ALL_OFF

_ANSWERS = {"smtp": (smtp_debug.DEBUG_ON, smtp_debug.DEBUG_OFF)}


def turned(what: str, on: bool) -> str:
    return _ANSWERS[what][0 if on else 1]


def text(flags: list[str]) -> str:
    inspect = [f.split()[-1] for f in flags if f.startswith("ip inspect ")]
    if not inspect:
        return ""
    return "INSPECT:\n" + "".join(f"  {turned(w, True)}\n" for w in inspect)

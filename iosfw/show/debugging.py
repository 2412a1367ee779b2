"""What `debug`/`undebug` answer and `show debugging` lists (the SMTP answer is the seed
document's; the others follow its pattern, see cbac_debug.py; `show debugging`'s layout is ours,
after IOS's `<FACILITY>:` blocks)."""
from __future__ import annotations

from . import cbac_debug, smtp_debug

ALL_OFF = smtp_debug.ALL_OFF


def turned(what: str, on: bool) -> str:
    return cbac_debug.answer(what, on)


def text(flags: list[str]) -> str:
    inspect = sorted((f.split()[-1] for f in flags if f.startswith("ip inspect ")),
                     key=cbac_debug.ORDER.__getitem__)
    if not inspect:
        return ""
    return "INSPECT:\n" + "".join(f"  {turned(w, True)}\n" for w in inspect)

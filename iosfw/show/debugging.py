"""What `debug`/`undebug` answer and `show debugging` lists (the texts of the seed document where
it gives them; `show debugging`'s layout is ours, after IOS's `<FACILITY>:` blocks)."""
from __future__ import annotations

ALL_OFF = "All possible debugging has been turned off"
_NAMES = {"smtp": "INSPECT SMTP Inspection"}


def turned(what: str, on: bool) -> str:
    return f"{_NAMES[what]} debugging is {'on' if on else 'off'}"


def text(flags: list[str]) -> str:
    inspect = [f.split()[-1] for f in flags if f.startswith("ip inspect ")]
    if not inspect:
        return ""
    return "INSPECT:\n" + "".join(f"  {turned(w, True)}\n" for w in inspect)

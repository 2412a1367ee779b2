"""Access-list entries as `show access-lists` and the packet traces print them, with their
hit counts (their text in running-config is iosfw.config.acl_text's)."""
from __future__ import annotations

from ..config import model as m
from ..config.acl_text import config_text as config_text  # the entry as configured, beside
from ..config.acl_text import entry_body


def show_text(entry: m.AclEntry, standard: bool, matches: int) -> str:
    """`10 permit ... (5 matches)` with the engine's hit count `matches`; standard lists pad
    deny, extended lists do not."""
    action = "deny  " if entry.action == "deny" and standard else entry.action
    text = f"{entry.seq} {action} {entry_body(entry, standard, show=True)}"
    if matches:
        text += f" ({matches} match{'es' if matches != 1 else ''})"
    return text

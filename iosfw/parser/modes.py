"""The CLI modes, once: the start rule each reads its lines with, and what the router calls
the block a sub-mode command belongs to (for the loader's "belongs in a sub-mode" warning).

The parser compiles one start rule per mode, `?` and Tab read the mode's start rule, the
session prompts with the mode's name and the command layer unwraps a line's tree down from
its start rule; all of them take it from here."""
from __future__ import annotations

from typing import NamedTuple, Optional


class Mode(NamedTuple):
    name: str                       # as the prompt shows it: `Router(config-if)#`
    start: str                      # the grammar's start rule for lines read in this mode
    block: Optional[str] = None     # a sub-mode's block, as a misplaced line is told


MODES = {mode.name: mode for mode in (
    Mode("user", "user_cmd"),
    Mode("exec", "exec_cmd"),
    Mode("config", "config_cmd"),
    Mode("config-if", "if_cmd", "interface"),
    Mode("config-subif", "if_cmd"),
    Mode("config-line", "line_cmd", "line"),
    Mode("config-ext-nacl", "ext_nacl_cmd", "access-list"),
    Mode("config-std-nacl", "std_nacl_cmd", "access-list"),
    Mode("config-controller", "controller_cmd", "controller"),
    Mode("config-voiceport", "voiceport_cmd"),
    Mode("config-voicecard", "voicecard_cmd"),
    Mode("config-cp", "cp_cmd"),
    Mode("config-archive", "archive_cmd", "archive"),
    Mode("config-archive-log-cfg", "archive_log_cmd", "log config"),
)}

START_RULES = {mode.name: mode.start for mode in MODES.values()}
START_SYMBOLS = frozenset(START_RULES.values())
# the sub-modes a line refused in global configuration is tried in, to say where it belongs
SUB_MODE_BLOCKS = {mode.start: mode.block for mode in MODES.values() if mode.block}

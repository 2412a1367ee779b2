"""Every family of commands, imported once so that each registers its handlers and converters
(iosfw/commands/registry.py). A new family is a module here and a line below."""
from __future__ import annotations

from . import (  # noqa: F401 - imported for what they register
    acl,
    blocks,
    debug,
    exec,
    inspect,
    interface,
    lab,
    line,
    nat,
    show,
    simulate,
    system,
)

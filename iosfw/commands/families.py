"""Every family of commands, imported once so that each registers its handlers and converters
(iosfw/commands/registry.py). A new family is a module here and a line below."""
from __future__ import annotations

from . import (  # noqa: F401 - imported for what they register
    acl,
    archive,
    archive_log,
    blocks,
    debug,
    exec,
    files,
    inspect,
    interface,
    lab,
    line,
    nat,
    ping,
    show,
    show_interfaces,
    show_ip,
    show_neighbors,
    show_system,
    simulate,
    system,
)

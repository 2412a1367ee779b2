"""Where every way of running iosfw starts: the router booted from its startup-config as one
Device, and the `[HOST:]PORT` addresses that the network front ends take.

The console, `-c` and scripts (iosfw/cli) and `iosfw serve` and `iosfw proxy` (iosfw/remote)
all begin here, so that no front end needs another one's entry point: `iosfw.cli.main` names
the sub-commands and imports the one that is run, and nothing in iosfw/remote imports
`iosfw.cli.main` back. Importing this module is cheap (argument parsing needs only
parse_address); the loader, the engine and the clock are imported when a router is booted.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional

BUILTIN_LABEL = "3640-123 (built-in)"


def boot(config: Optional[str]):
    """Load the startup-config, FILE or the built-in 3640-123's saved one: (router, store);
    diagnostics go to stderr, and an unreadable file exits with status 1."""
    from pathlib import Path

    from .cli.startup import StartupStore
    from .commands.loader import UnreadableConfig, load_text, read_config_file

    store = StartupStore(Path(config)) if config else StartupStore.builtin()
    store.remove_stale()
    try:
        text = read_config_file(config) if config else store.read()
    except UnreadableConfig as err:
        print(f"iosfw: {err}", file=sys.stderr)
        raise SystemExit(1)
    label = config or (str(store.path) if store.path.exists() else BUILTIN_LABEL)
    result = load_text(text, label)
    for diag in result.everything():
        print(diag.format(), file=sys.stderr)
    return result.router, store


def device(config: Optional[str], live: bool = False):
    """The router booted from `config` (see boot) as one Device: on the wall clock when `live`
    (the console, the servers), else on a virtual clock that moves only when told (`-c`,
    scripts, so that their transcripts do not depend on how fast they run)."""
    from .clock import Clock
    from .device import Device

    router, store = boot(config)
    return Device(router, store, Clock(live=live))


def parse_address(text: str) -> tuple[str, int]:
    """`PORT`, `HOST:PORT` or `[V6HOST]:PORT`; the host defaults to 127.0.0.1."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host = ""
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port: {port!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range: {number}")
    return host, number

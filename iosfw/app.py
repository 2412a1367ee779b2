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
    from .commands.loader import read_config_file

    store = StartupStore(Path(config)) if config else StartupStore.builtin()
    label = config or (str(store.path) if store.path.exists() else BUILTIN_LABEL)
    read = (lambda: read_config_file(config)) if config else store.read
    return _load(store, read, label), store


def boot_store(store, label: str):
    """The router `store` holds (its saved text, or its fallback while nothing is saved),
    loaded as the file `label` (a lab's saved progress or its start)."""
    return _load(store, store.read, label)


def _load(store, read, label: str):
    from .commands.loader import UnreadableConfig, load_text

    store.remove_stale()
    try:
        text = read()
    except UnreadableConfig as err:
        print(f"iosfw: {err}", file=sys.stderr)
        raise SystemExit(1)
    result = load_text(text, label)
    for diag in result.everything():
        print(diag.format(), file=sys.stderr)
    return result.router


def device(config: Optional[str], live: bool = False):
    """The router booted from `config` (see boot) as one Device: on the wall clock when `live`
    (the console, the servers), else on a virtual clock that moves only when told (`-c`,
    scripts, so that their transcripts do not depend on how fast they run)."""
    from .clock import Clock
    from .device import Device

    router, store = boot(config)
    return Device(router, store, Clock(live=live))


def lab_device(name: str, live: bool = True):
    """(lab, Device) for a lab console: the learner's saved progress, or the lab's start, with
    the lab's `lab` commands on it. catalog.UnknownLab or definition.LabError when the lab
    cannot be had."""
    from .clock import Clock
    from .device import Device
    from .labs import catalog, progress
    from .labs.console import LabConsole

    lab = catalog.find(name)
    store = progress.store(lab)
    label = str(store.path) if store.path.exists() else str(lab.folder / "start.cfg")
    box = Device(boot_store(store, label), store, Clock(live=live))
    box.lab = LabConsole(lab)
    return lab, box


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

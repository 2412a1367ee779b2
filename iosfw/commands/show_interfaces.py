"""`show interfaces [IF]` and `show interfaces summary`: the interfaces' status, hardware and
the traffic counters the engine keeps (zeros while no packet has made it build one).

The renderer is imported when the command runs, as the other renderers of engine state are
(iosfw/commands/show.py), so that a line that never shows interfaces never loads it."""
from __future__ import annotations

from typing import Optional

from .registry import exec_command
from .reply import Reply
from .show import out
from .values import Interface, existing_interface


@exec_command("show_interfaces")
def show_interfaces(session, name: Optional[Interface]) -> Reply:
    """One interface, or all of them; a name the router lacks is refused under its number,
    as `interface` refuses a port the chassis lacks."""
    from ..show import interface_detail

    r, device = session.router, session.device
    names = None if name is None else [existing_interface(r, name)]
    now = device.now()
    return out(session, interface_detail.text(r, device.interface_counters, now, names),
               lambda: interface_detail.facts(r, device.interface_counters, now, names))


@exec_command("show_interfaces_summary")
def show_interfaces_summary(session) -> Reply:
    from ..show import interface_detail

    r = session.router
    return out(session, interface_detail.summary_text(r),
               lambda: interface_detail.summary_facts(r))

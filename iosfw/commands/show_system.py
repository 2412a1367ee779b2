"""The show commands automation tools send for a router's state and its facts: `show
privilege` (Ansible's network_cli asks it after `enable`), `show processes cpu` and `show
memory statistics` (napalm's get_environment, Ansible's hardware facts), `show inventory`,
`show running-config full` (Ansible's `defaults: yes`) and `show ip route A.B.C.D [MASK]`
(napalm's get_route_to). Each only reads.
"""
from __future__ import annotations

from typing import Optional

from .registry import exec_command
from .reply import Reply
from .show import out
from .values import IP


@exec_command("show_privilege")
def show_privilege(session) -> Reply:
    """A session is at level 1 in user EXEC and 15 once enabled: iosfw has no other levels."""
    level = 15 if session.privileged else 1
    return out(session, f"Current privilege level is {level}\n", lambda: {"privilege": level})


@exec_command("show_processes_cpu")
def show_processes_cpu(session) -> Reply:
    from ..show import processes

    found = processes.rows(session.clock.uptime())
    return out(session, processes.text(found), lambda: processes.facts(found))


@exec_command("show_memory_statistics")
def show_memory_statistics(session) -> Reply:
    from ..show import memory

    found = memory.pools()
    return out(session, memory.text(found), lambda: memory.facts(found))


@exec_command("show_inventory")
def show_inventory(session) -> Reply:
    from ..show import inventory

    found = inventory.entities()
    return out(session, inventory.text(found), lambda: inventory.facts(found))


@exec_command("show_running_config_full")
def show_running_config_full(session) -> Reply:
    r = session.router
    from ..show import running_config

    return out(session, running_config.render_full(r),
               lambda: {"text": "\n".join(running_config.full_lines(r)) + "\n"})


@exec_command("show_ip_route_address")
def show_ip_route_address(session, address: IP, mask: Optional[IP]) -> Reply:
    from ..show import routes

    r, where = session.router, int(address)
    netmask = None if mask is None else int(mask)
    return out(session, routes.entry_text(r, where, netmask),
               lambda: routes.entry_facts(r, where, netmask))

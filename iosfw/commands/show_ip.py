"""`show ip interface [IF]`, `show arp` and `show hosts`: what automation tools read of a
router's addresses (napalm's get_interfaces_ip and get_arp_table, Ansible's ios_facts).

`show arp` lists the stations the engine has talked to; a router whose engine was never built
(no traffic yet) has only its own addresses, and showing them does not build it.
"""
from __future__ import annotations

from typing import Optional

from .registry import exec_command
from .reply import Reply
from .show import out
from .values import Interface, existing_interface


@exec_command("show_ip_interface")
def show_ip_interface(session, iface: Optional[Interface]) -> Reply:
    r = session.router
    names = None if iface is None else [existing_interface(r, iface)]
    from ..show import ip_interface

    return out(session, ip_interface.text(r, names), lambda: ip_interface.facts(r, names))


@exec_command("show_arp")
def show_arp(session) -> Reply:
    from ..show import arp

    found = arp.rows(session.router, session.device.arp_entries(), session.clock.uptime())
    return out(session, arp.text(found), lambda: arp.facts(found))


@exec_command("show_hosts")
def show_hosts(session) -> Reply:
    r = session.router
    from ..show import hosts

    return out(session, hosts.text(r), lambda: hosts.facts(r))

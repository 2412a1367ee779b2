"""`show cdp`, `show cdp neighbors [detail]` and `show ipv6 interface [IF]`: what the
router says of protocols it runs but the simulated network does not answer (no CDP neighbor,
no IPv6 address: IOS prints no interface that IPv6 is not enabled on). Automation tools ask
for them while gathering facts (Ansible's ios_facts)."""
from __future__ import annotations

from ..show import cdp
from .registry import exec_command
from .reply import Reply
from .show import out


@exec_command("show_cdp")
def show_cdp(session) -> Reply:
    return out(session, cdp.GLOBAL, cdp.facts)


@exec_command("show_cdp_neighbors")
def show_cdp_neighbors(session, detail) -> Reply:
    """The detail form of an empty table prints nothing at all, the plain form its header."""
    return out(session, "" if detail is not None else cdp.NEIGHBORS, lambda: [])


@exec_command("show_ipv6_interface")
def show_ipv6_interface(session, interface) -> Reply:
    return out(session, "", lambda: {})

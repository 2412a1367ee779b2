"""The router's own traffic (`ping` from the router): where a packet the router makes leaves,
and what the answer meets on its way in.

IOS treats a packet it makes itself apart from one it forwards. It leaves by the interface the
routing table gives, with that interface's address as its source unless told otherwise, and
nothing of the transit path touches it: no outbound access list (interface lists filter what
the router forwards, never what it originates), no NAT (it comes from no inside interface),
and, in 12.3(4)T, no CBAC inspection (inspecting router-generated traffic came with
12.3(14)T's `router-traffic`), so it opens no session either. The answer is an arriving packet
like any other: the inbound access list of the interface it comes in on decides it, with no
session to bypass it; NAT outside->inside translates it when an entry claims its destination,
which makes it an inside host's packet on the transit path (Engine.forward), no longer the
router's. A packet addressed to the router goes no further: no routing, no outbound list, no
inspection."""
from __future__ import annotations

from typing import Optional

from ..config import model as m
from .packet import Packet
from .pipeline import Engine, Outcome


def owner(router: m.Router, address: int) -> Optional[m.Interface]:
    """The interface that is up and holds `address` (primary or secondary): the router's own
    address, which it answers itself."""
    for intf in router.interfaces.values():
        held = ([intf.address] if intf.address else []) + intf.secondaries
        if not intf.shutdown and any(ip == address for ip, _ in held):
            return intf
    return None


def egress(engine: Engine, dst: int) -> Optional[m.Interface]:
    """The interface a packet the router sends to `dst` leaves by (the routing table's), None
    when it cannot leave: no route, a route to Null0, or an interface without an address."""
    name = engine.ingress_for(dst)        # the interface the routing table points to for dst
    intf = engine.router.interfaces.get(name) if name else None
    return intf if intf is not None and intf.address is not None else None


def to_router(engine: Engine, packet: Packet, ingress: str, now: float) -> Optional[Outcome]:
    """`packet`, addressed to the router, arriving on `ingress`: forwarded in the Outcome means
    it reached the router, else the inbound list's step says why not. None when NAT
    outside->inside claims it: then it is transit traffic, for Engine.forward."""
    intf = engine.router.interfaces[ingress]
    if intf.nat == "outside" and engine.nat.inside_view(packet)[1] is not None:
        return None
    outcome = Outcome(packet, ingress)
    listed = intf.access_group_in
    # the inbound phase of the transit path, shared: counting, logging, the step it records
    if listed and not engine.inbound_acl(outcome, listed, packet, now):
        return outcome
    outcome.forwarded = True
    return outcome

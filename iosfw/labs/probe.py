"""Traffic for a check, on a fresh copy of the learner's router with its own virtual clock: a
check never changes the learner's session, and no check sees what another one left behind
(a flood's blocked host, a half-open session).

The probe drives the same Simulator as `simulate` (so a check and a learner's own `simulate
connect` go through the router alike) and keeps what the text leaves out: every packet's
Outcome, with the engine's trace, and every event the router recorded.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Optional

from ..clock import Clock
from ..commands.simulate import Connection, Simulator
from ..config import model as m
from ..device import Device
from ..engine.packet import Packet

FIRST_PORT = 40001          # the client ports of a probe's connections count up from here
UDP_BYTES = 32


class _Device(Device):
    """A Device that also keeps every event it records, for the checks to read."""

    def __init__(self, router: m.Router):
        super().__init__(router, store=None, clock=Clock())
        self.seen: list = []

    def record(self, events: list) -> None:
        self.seen.extend(events)
        super().record(events)


class _Simulator(Simulator):
    """The Simulator, keeping each packet's Outcome in the order they went through."""

    def __init__(self, device: Device):
        super().__init__(device)
        self.outcomes: list = []

    def send(self, packet: Packet, trace: bool, out: list, ingress: str = ""):
        outcome = super().send(packet, trace, out, ingress)
        if outcome is not None:
            self.outcomes.append(outcome)
        return outcome


@dataclass
class Attempt:
    """One connection or exchange tried: the packet that started it and what became of each
    of its packets (`legs`, in order)."""
    first: Packet
    legs: list = field(default_factory=list)
    connection: Optional[Connection] = None
    expected_legs: int = 3

    @property
    def opened(self) -> bool:
        return len(self.legs) >= self.expected_legs and \
            all(o.forwarded for o in self.legs[:self.expected_legs])

    @property
    def stopped(self):
        """The first packet the router did not forward (None: all went through)."""
        return next((o for o in self.legs if not o.forwarded), None)


class Probe:
    def __init__(self, router: m.Router):
        self.device = _Device(copy.deepcopy(router))
        self.sim = _Simulator(self.device)
        self._port = FIRST_PORT - 1

    def port(self) -> int:
        self._port += 1
        return self._port

    def tcp(self, src: int, dst: int, dport: int) -> Attempt:
        """The three-way handshake (and the mail server's greeting for port 25)."""
        key = (src, self.port(), dst, dport)
        start = len(self.sim.outcomes)
        self.sim.connect(key, False)
        return Attempt(Simulator.client(key, 0x02), self.sim.outcomes[start:],
                       self.sim.connections.get(key))

    def udp(self, src: int, dst: int, dport: int) -> Attempt:
        """A datagram and the server's answer to it."""
        first = Packet.udp(src, dst, self.port(), dport, length=28 + UDP_BYTES)
        attempt = Attempt(first, expected_legs=2)
        out = self.sim.send(first, False, [])
        if out is None:
            return attempt
        attempt.legs.append(out)
        if out.forwarded:
            p = out.out_packet
            answer = Packet.udp(p.dst, p.src, p.dport, p.sport, length=28 + UDP_BYTES)
            back = self.sim.send(answer, False, [], out.egress)
            if back is not None:
                attempt.legs.append(back)
        return attempt

    def open(self, protocol: str, src: int, dst: int, dport: int) -> Attempt:
        return self.udp(src, dst, dport) if protocol == "udp" else self.tcp(src, dst, dport)

    def sessions(self) -> list:
        return list(self.device.engine.sessions.sessions.values())

    def session_of(self, attempt: Attempt):
        """The CBAC session of an attempt's flow, if inspection opened one."""
        for leg in attempt.legs:
            if leg.session is not None and leg.session.live:
                return leg.session
        return None

    def ingress(self, src: int) -> Optional[str]:
        return self.device.engine.ingress_for(src)

    def flood(self, src: int, dst: int, dport: int, count: int, rate: int, ingress: str):
        for _ in self.sim.flood(src, dst, dport, count, rate, ingress):
            pass

    def log(self) -> list[str]:
        """What the router logged, as it logged it."""
        return [msg.text for msg in self.device.log.since(0)]

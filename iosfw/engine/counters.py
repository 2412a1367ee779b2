"""What the router's interfaces saw of the traffic the engine forwarded: packets and bytes each
way (`show interfaces`), and the stations it exchanged frames with (`show arp`).

Kept by the engine because only the packet path knows where a packet came in and went out;
the renderers add what belongs to the link (its header bytes, the router's own addresses)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(slots=True)
class InterfaceCounters:
    """Since boot: every packet that arrived on the interface counts as input, forwarded or
    dropped; output counts the packets forwarded out of it. Bytes are those of the IP packets
    (without the link's header); the times are the router's uptime, None before the first."""
    packets_in: int = 0
    bytes_in: int = 0
    packets_out: int = 0
    bytes_out: int = 0
    last_input: Optional[float] = None
    last_output: Optional[float] = None

    def copy(self) -> InterfaceCounters:
        return InterfaceCounters(self.packets_in, self.bytes_in, self.packets_out,
                                 self.bytes_out, self.last_input, self.last_output)

    def add(self, other: InterfaceCounters) -> None:
        """Count what `other` counted too (a port's subinterfaces, a flow's fast path)."""
        self.packets_in += other.packets_in
        self.bytes_in += other.bytes_in
        self.packets_out += other.packets_out
        self.bytes_out += other.bytes_out
        self.last_input = _latest(self.last_input, other.last_input)
        self.last_output = _latest(self.last_output, other.last_output)


def _latest(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return b if a is None else a if b is None else max(a, b)


@dataclass(frozen=True, slots=True)
class ArpEntry:
    """A simulated station on a directly connected network the router exchanged frames with:
    its IPv4 address and MAC, the interface it is on, and when (uptime) it was learnt."""
    address: int
    mac: int
    interface: str
    learned: float

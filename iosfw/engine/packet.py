"""An IPv4 packet as the engine sees it: header fields as integers, nothing more.

Immutable, so one packet can be looked up, logged and kept in a session without copies."""
from __future__ import annotations

from dataclasses import dataclass

TCP, UDP, ICMP = 6, 17, 1

# TCP header flag bits (tcp_flags)
FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


@dataclass(slots=True, unsafe_hash=True)
class Packet:
    """`tos` is the whole IP TOS byte: precedence is tos >> 5, DSCP tos >> 2 and IOS's `tos`
    value (tos >> 1) & 0xF. Ports are 0 unless TCP or UDP (an ICMP query carries its identifier
    in `sport`); `fragment_offset` 0 is an unfragmented packet or a first fragment. `payload`
    holds the bytes after the headers when they matter (application inspection); otherwise
    only `length` says how many there are. Nothing changes a packet once made (translations
    make new ones); it is not `frozen` only because a frozen dataclass's __init__ costs a third
    of the time of a packet on the fast path."""
    proto: int
    src: int
    dst: int
    sport: int = 0
    dport: int = 0
    icmp_type: int | None = None
    icmp_code: int | None = None
    tcp_flags: int = 0
    tos: int = 0
    fragment_offset: int = 0
    more_fragments: bool = False
    length: int = 20
    payload: bytes = b""

    @classmethod
    def tcp(cls, src: int, dst: int, sport: int, dport: int, flags: int = SYN,
            **fields) -> Packet:
        """A TCP segment; a SYN (a new connection) unless `flags` says otherwise."""
        fields.setdefault("length", 40 + len(fields.get("payload", b"")))
        return cls(TCP, src, dst, sport, dport, tcp_flags=flags, **fields)

    @classmethod
    def udp(cls, src: int, dst: int, sport: int, dport: int, **fields) -> Packet:
        fields.setdefault("length", 28)
        return cls(UDP, src, dst, sport, dport, **fields)

    @classmethod
    def icmp(cls, src: int, dst: int, icmp_type: int, icmp_code: int = 0, **fields) -> Packet:
        fields.setdefault("length", 28)
        return cls(ICMP, src, dst, icmp_type=icmp_type, icmp_code=icmp_code, **fields)

    # Translations build the new packet directly: dataclasses.replace is slow on the hot path.
    def with_source(self, src: int, sport: int) -> Packet:
        return Packet(self.proto, src, self.dst, sport, self.dport, self.icmp_type,
                      self.icmp_code, self.tcp_flags, self.tos, self.fragment_offset,
                      self.more_fragments, self.length, self.payload)

    def with_destination(self, dst: int, dport: int) -> Packet:
        return Packet(self.proto, self.src, dst, self.sport, dport, self.icmp_type,
                      self.icmp_code, self.tcp_flags, self.tos, self.fragment_offset,
                      self.more_fragments, self.length, self.payload)

    def with_payload(self, payload: bytes) -> Packet:
        """The same segment carrying other bytes (what inspection forwards)."""
        return Packet(self.proto, self.src, self.dst, self.sport, self.dport, self.icmp_type,
                      self.icmp_code, self.tcp_flags, self.tos, self.fragment_offset,
                      self.more_fragments, self.length - len(self.payload) + len(payload),
                      payload)

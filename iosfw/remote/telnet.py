"""Telnet (RFC 854) for the vty lines: a small asyncio protocol, as much as a router speaks.

The server offers WILL ECHO and WILL SUPPRESS-GO-AHEAD (character mode, the router echoes)
and refuses every other option; subnegotiations are skipped. IAC IAC is a data byte 255, and
the router's own 255 bytes are doubled. Interrupt Process, Erase Character and Erase Line
become Ctrl-C, DEL and Ctrl-U; Are You There is answered `[Yes]`.
"""
from __future__ import annotations

import asyncio
import socket
import struct

from .vty import Vty, guarded

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
NOP, DM, BRK, IP, AO, AYT, EC, EL, GA = 241, 242, 243, 244, 245, 246, 247, 248, 249
ECHO, SGA = 1, 3
MAX_SUBNEG = 1024
WRITE_HIGH = 256 * 1024          # bytes queued for a client that does not read: reading pauses

GREETING = bytes([IAC, WILL, ECHO, IAC, WILL, SGA])


class TelnetDecoder:
    """Telnet commands out of the byte stream: returns (data bytes, bytes to answer with)."""

    def __init__(self):
        self.state = "data"
        self.verb = 0
        self.subneg = 0
        self.answered: set[tuple[int, int]] = set()

    def decode(self, data: bytes) -> tuple[bytes, bytes]:
        out, reply = bytearray(), bytearray()
        for b in data:
            state = self.state
            if state == "data":
                if b == IAC:
                    self.state = "iac"
                else:
                    out.append(b)
            elif state == "iac":
                self.state = "data"
                if b == IAC:
                    out.append(IAC)
                elif b in (WILL, WONT, DO, DONT):
                    self.verb, self.state = b, "option"
                elif b == SB:
                    self.state, self.subneg = "sb", 0
                elif b == IP:
                    out.append(0x03)
                elif b == EC:
                    out.append(0x7F)
                elif b == EL:
                    out.append(0x15)
                elif b == AYT:
                    reply += b"\r\n[Yes]\r\n"
            elif state == "option":
                self.state = "data"
                reply += self._negotiate(self.verb, b)
            elif state in ("sb", "sb-iac"):
                self.subneg += 1
                if state == "sb-iac":
                    self.state = "data" if b == SE else "sb"
                elif b == IAC:
                    self.state = "sb-iac"
                if self.subneg > MAX_SUBNEG:
                    self.state = "data"      # a runaway subnegotiation: give up on it
        return bytes(out), bytes(reply)

    def _negotiate(self, verb: int, option: int) -> bytes:
        """We do ECHO and SGA and nothing else; each refusal is said once (no loops)."""
        if verb == DO and option in (ECHO, SGA):
            return b""
        if verb in (WONT, DONT):
            return b""
        answer = WONT if verb == DO else DONT
        if (answer, option) in self.answered:
            return b""
        self.answered.add((answer, option))
        return bytes([IAC, answer, option])


def escape(data: bytes) -> bytes:
    return data.replace(b"\xff", b"\xff\xff")


def linger_zero(sock) -> None:
    """Make closing the socket send a TCP reset instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass


def refuse(sock: socket.socket) -> None:
    """Close with a TCP reset, as a router does to a connection it has no line for."""
    linger_zero(sock)
    sock.close()


def reset(transport) -> None:
    """refuse() for a connection a transport already holds."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        linger_zero(sock)
    transport.abort()


class TelnetProtocol(asyncio.Protocol):
    def __init__(self, server, number: int):
        self.server = server
        self.number = number
        self.decoder = TelnetDecoder()
        self.transport = None
        self.vty = None

    # Link, for the vty
    def send(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(escape(data))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    # asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername") or ("", 0)
        local = transport.get_extra_info("sockname") or ("", 0)
        if not self.server.pool.admits(self.number, peer[:2], local[:2]):
            reset(transport)        # access-class or quiet mode: refused before any byte
            return
        transport.set_write_buffer_limits(high=WRITE_HIGH)
        self.vty = Vty(self.server.pool, self.number, self, peer[0], "telnet",
                       self.server.schedule, local=local[:2], peer_port=peer[1])
        transport.write(GREETING)
        self._guarded(self.vty.start_telnet)

    def data_received(self, data: bytes) -> None:
        self._guarded(lambda: self._received(data))

    def _received(self, data: bytes) -> None:
        plain, answer = self.decoder.decode(data)
        if answer:
            self.transport.write(answer)
        if plain:
            self.vty.data_received(plain)

    def _guarded(self, call) -> None:
        """A fault on this line closes this line only."""
        guarded(self.server.report, f"telnet vty{self.number}", call, self.vty.close)

    def pause_writing(self) -> None:
        self.transport.pause_reading()
        self.vty.pause()

    def resume_writing(self) -> None:
        if not self.transport.is_closing():
            self.transport.resume_reading()
        self.vty.resume()

    def connection_lost(self, exc) -> None:
        if self.vty is not None:
            self.vty.lost()
        else:
            self.server.pool.release(self.number)

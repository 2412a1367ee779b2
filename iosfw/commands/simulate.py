"""The `simulate` commands (iosfw's own, grammar/simulate.lark): packets, TCP connections and
SYN floods from simulated hosts, put through the shared Device on its virtual clock.

A host arrives on the interface the routing table points to for its address. For a connection
the server's side is what the client's first packet became on the way through (after NAT), so
`simulate send ... reply` and `close` answer from the server's real address.

Each handler is `handler(session, *values)`; a line's open connections are its Simulator's
(`session.simulator`), which the session's undo point keeps with the engine. What the router
decided is rendered by show/traffic.py, imported when traffic first runs (it loads the engine's
inspection module)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..config.names import int_to_ip
from ..engine.packet import ACK, FIN, PSH, RST, SYN, Packet
from .registry import ENGINE, converter, exec_command
from .reply import Reply

if TYPE_CHECKING:     # a mail server is built only when a connection to port 25 opens
    from ..engine.mta import MailServer

TCP_FLAGS = {"syn": SYN, "syn-ack": SYN | ACK, "ack": ACK, "fin": FIN | ACK, "rst": RST,
             "psh-ack": PSH | ACK}
DEFAULT_ICMP_ID = 1         # an echo's identifier unless `id N` says (Windows ping sends 1)
MAX_FLOOD = 1_000_000
FLOOD_SLICE = 1_000         # packets between two chances for other lines to be answered
FIRST_FLOOD_PORT = 1024
SMTP_PORT = 25
KEYSTROKE = 0.2             # seconds of virtual time between typed characters
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|[rnt\\])")
_ESCAPES = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}


def _traffic():
    from ..show import traffic
    return traffic


# ------------------------------------------------------------------ one packet
def _payload(size) -> int:
    return 0 if size is None else int(size)


@converter("sim_tcp")
def tcp_packet(src, sport, dst, dport, flags, size) -> Packet:
    """`simulate tcp A P B Q [flags] [bytes N]`: a SYN unless the flags say otherwise."""
    return Packet.tcp(int(src), int(dst), int(sport), int(dport),
                      TCP_FLAGS[str(flags or "syn")], length=40 + _payload(size))


@converter("sim_udp")
def udp_packet(src, sport, dst, dport, size) -> Packet:
    return Packet.udp(int(src), int(dst), int(sport), int(dport), length=28 + _payload(size))


@converter("sim_icmp")
def icmp_packet(src, dst, kind, ident, size) -> Packet:
    """An echo or echo reply; its identifier travels in `sport`, as the engine reads it."""
    return Packet.icmp(int(src), int(dst), 8 if kind == "echo" else 0,
                       sport=DEFAULT_ICMP_ID if ident is None else int(ident),
                       length=28 + _payload(size))


@exec_command("sim_packet", changes=ENGINE)
def sim_packet(session, trace, packet: Packet) -> Reply:
    out: list[str] = []
    outcome = session.simulator.send(packet, trace is not None, out)
    return Reply("".join(out), error=outcome is None)


@exec_command("sim_clock_advance", changes=ENGINE)
def sim_clock_advance(session, seconds) -> Reply:
    session.device.advance(int(seconds))
    return Reply()


# ------------------------------------------------------------------ connections
@dataclass
class Connection:
    """Both ends of a simulated TCP connection: the client's packet as sent, and the server's
    view of it (where its answers start, and on which interface they arrive). A connection to
    port 25 has a simulated mail server at its far end."""
    client: Packet
    client_ingress: str
    server: Packet          # the client's SYN as it reached the server
    server_ingress: str     # the interface the server's answers arrive on
    mail: Optional["MailServer"] = None


def _key(a, ap, b, bp) -> tuple[int, int, int, int]:
    """A connection by its client's address and port and its server's, as typed."""
    return int(a), int(ap), int(b), int(bp)


def text_bytes(text: str) -> bytes:
    r"""A typed line as bytes: `\r`, `\n`, `\t`, `\\` and `\xHH` escapes decoded, then CR LF
    unless the text already ends a line."""
    decoded = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1)) or chr(int(m.group(1)[1:], 16)),
                          text)
    data = decoded.encode("latin-1", "replace")
    return data if data.endswith(b"\n") else data + b"\r\n"


class Simulator:
    """One line's simulated hosts: the TCP connections it has open, and how their packets go
    through the device."""

    def __init__(self, device):
        self.device = device
        self.connections: dict[tuple, Connection] = {}
        # who watches the application data: each is called as tap(now, conn, from_client,
        # sent, arrived) for every segment of data, `arrived` being what the router let go on
        # (None: dropped; b"" with `sent`: held; `sent` b"": held bytes let go now)
        self.taps: list = []

    def _tap(self, conn: Connection, from_client: bool, sent: bytes, outcome) -> None:
        if self.taps:
            arrived = outcome.out_packet.payload if outcome.forwarded else None
            for tap in self.taps:
                tap(self.device.now(), conn, from_client, sent, arrived)

    def send(self, packet: Packet, trace: bool, out: list[str], ingress: str = ""):
        """One packet through the router, from `ingress` or where its source is routed; what
        the router decided goes to `out`. None when no interface leads back to the source."""
        ingress = ingress or self.device.engine.ingress_for(packet.src)
        if ingress is None:
            out.append(f"% (iosfw) no interface leads to {int_to_ip(packet.src)}: "
                       "no route back to that source\n")
            return None
        outcome = self.device.forward(packet, ingress)
        traffic = _traffic()
        out.append(traffic.trace_text(outcome) if trace else traffic.result_text(outcome) + "\n")
        return outcome

    @staticmethod
    def client(key: tuple, flags: int, size: int = 0, payload: bytes = b"") -> Packet:
        a, ap, b, bp = key
        return Packet.tcp(a, b, ap, bp, flags, length=40 + (len(payload) or size),
                          payload=payload)

    @staticmethod
    def answer(conn: Connection, flags: int, size: int = 0, payload: bytes = b"") -> Packet:
        s = conn.server
        return Packet.tcp(s.dst, s.src, s.dport, s.sport, flags,
                          length=40 + (len(payload) or size), payload=payload)

    def from_client(self, key: tuple, conn: Connection, flags: int, trace: bool, out: list,
                    size: int = 0):
        return self.send(self.client(key, flags, size), trace, out, conn.client_ingress)

    def from_server(self, conn: Connection, flags: int, trace: bool, out: list, size: int = 0):
        return self.send(self.answer(conn, flags, size), trace, out, conn.server_ingress)

    def connect(self, key: tuple, trace: bool) -> Reply:
        """The three-way handshake; a connection to port 25 is greeted by its mail server."""
        out: list[str] = []
        syn = self.client(key, SYN)
        first_leg = self.send(syn, trace, out)
        if first_leg is None or not first_leg.forwarded:
            return Reply("".join(out))
        conn = Connection(syn, first_leg.ingress, first_leg.out_packet, first_leg.egress)
        self.connections[key] = conn
        if self.from_server(conn, SYN | ACK, trace, out).forwarded:
            done = self.from_client(key, conn, ACK, trace, out)
            if done.forwarded and conn.server.dport == SMTP_PORT:
                from ..engine.mta import MailServer

                conn.mail = MailServer(personality="seed")   # the document's server
                self.server_says(conn, conn.mail.greeting(), trace, out)
        return Reply("".join(out))

    def close(self, key: tuple, trace: bool) -> Reply:
        """FIN from the client, FIN from the server, the last ACK: each only if the one
        before went through."""
        conn = self.connections.pop(key, None)
        if conn is None:
            return unknown(key)
        out: list[str] = []
        if self.from_client(key, conn, FIN | ACK, trace, out).forwarded \
                and self.from_server(conn, FIN | ACK, trace, out).forwarded:
            self.from_client(key, conn, ACK, trace, out)
        return Reply("".join(out))

    # ------------------------------------------------------------------ application data
    def server_says(self, conn: Connection, data: bytes, trace: bool, out: list) -> None:
        """The server's bytes back through the router; what the router lets go to the server
        meanwhile (held client bytes) is answered in turn."""
        while data:
            answer = self.send(self.answer(conn, PSH | ACK, payload=data), trace, out,
                               conn.server_ingress)
            self._tap(conn, False, data, answer)
            data = b""
            if answer.forwarded and answer.released and conn.mail is not None:
                for tap in self.taps:
                    tap(self.device.now(), conn, True, b"", answer.released)
                data = conn.mail.feed(answer.released)

    def client_says(self, key: tuple, conn: Connection, data: bytes, trace: bool,
                    out: list, quiet: bool = False) -> Optional[bytes]:
        """One segment from the client; the bytes that reached the server (None: dropped)."""
        outcome = self.send(self.client(key, PSH | ACK, payload=data), trace,
                            [] if quiet else out, conn.client_ingress)
        self._tap(conn, True, data, outcome)
        if not outcome.forwarded:
            if quiet:
                out.append(_traffic().result_text(outcome) + "\n")
            return None
        delivered = outcome.out_packet.payload
        if conn.mail is not None:
            reply = conn.mail.feed(delivered)
            if reply:
                self.server_says(conn, reply, trace, out)
        return delivered

    # ------------------------------------------------------------------ floods
    def flood(self, src: int, dst: int, dport: int, count: int, rate: int, ingress: str):
        """The flood as a generator that yields between slices and returns its Reply."""
        verdicts: dict[str, int] = {}
        forwarded, start = 0, self.device.now()
        for n in range(count):
            if n:
                if n % FLOOD_SLICE == 0:
                    yield
                self.device.advance(start + n / rate - self.device.now())
            sport = FIRST_FLOOD_PORT + n % (65536 - FIRST_FLOOD_PORT)
            outcome = self.device.forward(Packet.tcp(src, dst, sport, dport, SYN), ingress)
            if outcome.forwarded:
                forwarded += 1
            else:
                why = _traffic().result_text(outcome)
                verdicts[why] = verdicts.get(why, 0) + 1
        text = (f"flood: {count} SYN to {int_to_ip(dst)}:{dport} from {int_to_ip(src)} at "
                f"{rate}/s over {(count - 1) / rate:.3f} s: {forwarded} forwarded, "
                f"{count - forwarded} dropped\n")
        text += "".join(f"  {n} {why}\n" for why, n in verdicts.items())
        return Reply(text)


def unknown(key: tuple) -> Reply:
    a, ap, b, bp = key
    return Reply(f"% (iosfw) no connection {int_to_ip(a)}:{ap} -> {int_to_ip(b)}:{bp}: "
                 "open it with simulate connect\n", error=True)


_VERBS = {"connect": Simulator.connect, "close": Simulator.close}


def _connection(session, a, ap, b, bp) -> tuple[tuple, Optional[Connection]]:
    """The line's open connection between these ends (None: not open), with its key."""
    key = _key(a, ap, b, bp)
    return key, session.simulator.connections.get(key)


@exec_command("sim_connection", changes=ENGINE)
def sim_connection(session, trace, verb, a, ap, b, bp) -> Reply:
    return _VERBS[str(verb)](session.simulator, _key(a, ap, b, bp), trace is not None)


@exec_command("sim_send", changes=ENGINE)
def sim_send(session, trace, a, ap, b, bp, size, reply) -> Reply:
    """`size` bytes of data from the client, or with `reply` from the server."""
    sim, (key, conn) = session.simulator, _connection(session, a, ap, b, bp)
    if conn is None:
        return unknown(key)
    out: list[str] = []
    if reply is not None:
        sim.from_server(conn, PSH | ACK, trace is not None, out, int(size))
    else:
        sim.from_client(key, conn, PSH | ACK, trace is not None, out, int(size))
    return Reply("".join(out))


@exec_command("sim_send_line", changes=ENGINE)
def sim_send_line(session, trace, a, ap, b, bp, text) -> Reply:
    sim, (key, conn) = session.simulator, _connection(session, a, ap, b, bp)
    if conn is None:
        return unknown(key)
    out: list[str] = []
    sim.client_says(key, conn, text_bytes(str(text)), trace is not None, out)
    return Reply("".join(out))


@exec_command("sim_type", changes=ENGINE)
def sim_type(session, a, ap, b, bp, text) -> Reply:
    """A person typing in a telnet to the port: one segment per character, the line end
    (CR LF) in one, KEYSTROKE seconds apart."""
    sim, device, (key, conn) = session.simulator, session.device, \
        _connection(session, a, ap, b, bp)
    if conn is None:
        return unknown(key)
    data = text_bytes(str(text))
    keys = _keystrokes(data)
    delivered = bytearray()
    replies: list[str] = []
    start = device.now()
    for n, stroke in enumerate(keys):
        if n:
            device.advance(start + n * KEYSTROKE - device.now())
        got = sim.client_says(key, conn, stroke, False, replies, quiet=True)
        if got is None:
            break
        delivered += got
    traffic = _traffic()
    return Reply(f"typed {traffic.quoted(data)} in {len(keys)} segments; the server received "
                 f"{traffic.quoted(bytes(delivered))}\n" + "".join(replies))


def _keystrokes(data: bytes) -> list[bytes]:
    """The segments of typed bytes: one per character, the line end (CR LF) in one."""
    body = data.rstrip(b"\r\n")
    return [k for k in [data[i:i + 1] for i in range(len(body))] + [data[len(body):]] if k]


# ------------------------------------------------------------------ floods
@exec_command("sim_flood", changes=ENGINE)
def sim_flood(session, src, dst, dport, count, rate) -> Reply:
    """N SYNs from one host (source ports counting up from 1024) at R per second of virtual
    time; one summary line, then whatever the router logged meanwhile. Done a slice of
    FLOOD_SLICE packets at a time (Reply.more), so that a line serving other users can answer
    them between slices."""
    if count > MAX_FLOOD:
        return Reply(f"% (iosfw) at most {MAX_FLOOD} packets per flood\n", error=True)
    ingress = session.device.engine.ingress_for(int(src))
    if ingress is None:
        return Reply(f"% (iosfw) no interface leads to {int_to_ip(int(src))}: "
                     "no route back to that source\n", error=True)
    return sliced(session.simulator.flood(int(src), int(dst), int(dport), int(count),
                                           int(rate), ingress))


def sliced(work) -> Reply:
    """The Reply of a generator that yields between slices and returns its Reply at the end:
    the first slice done now, the next one each time `more` is called."""
    def step() -> Reply:
        try:
            next(work)
        except StopIteration as done:
            return done.value
        return Reply(more=step)
    return step()

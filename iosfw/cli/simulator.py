"""The `simulate` commands (iosfw's own): packets, TCP connections and SYN floods from simulated
hosts, put through the shared Device on its virtual clock.

A host arrives on the interface the routing table points to for its address. For a connection
the server's side is what the client's first packet became on the way through (after NAT), so
`simulate send ... reply` and `close` answer from the server's real address."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..config.apply import first, tokens
from ..config.names import int_to_ip, ip_to_int
from ..engine.packet import ACK, FIN, PSH, RST, SYN, Packet
from ..parser.tree import Token
from ..show import traffic
from .reply import Reply

if TYPE_CHECKING:     # a mail server is built only when a connection to port 25 opens
    from ..engine.mta import MailServer

TCP_FLAGS = {"syn": SYN, "syn-ack": SYN | ACK, "ack": ACK, "fin": FIN | ACK, "rst": RST,
             "psh-ack": PSH | ACK}
DEFAULT_ICMP_ID = 1         # an echo's identifier unless `id N` says (Windows ping sends 1)
MAX_FLOOD = 1_000_000
FLOOD_SLICE = 1_000         # packets between two chances for other lines to be answered
FIRST_FLOOD_PORT = 1024


def packet_of(t) -> Packet:
    """The packet a `simulate tcp|udp|icmp ...` command describes."""
    ips = [ip_to_int(str(x)) for x in tokens(t, "IPADDR")]
    payload = int(first(t, "COUNT") or 0)
    if t.data == "sim_icmp":
        kind = 8 if first(t, "ICMP_KIND") == "echo" else 0
        ident = int(first(t, "ICMP_ID") or DEFAULT_ICMP_ID)
        return Packet.icmp(ips[0], ips[1], kind, sport=ident, length=28 + payload)
    ports = [int(x) for x in tokens(t, "PORT_NUM")]
    if t.data == "sim_udp":
        return Packet.udp(ips[0], ips[1], ports[0], ports[1], length=28 + payload)
    flags = TCP_FLAGS[first(t, "TCP_FLAGS") or "syn"]
    return Packet.tcp(ips[0], ips[1], ports[0], ports[1], flags, length=40 + payload)


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


SMTP_PORT = 25
KEYSTROKE = 0.2             # seconds of virtual time between typed characters
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|[rnt\\])")
_ESCAPES = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}


def text_bytes(text: str) -> bytes:
    r"""A typed line as bytes: `\r`, `\n`, `\t`, `\\` and `\xHH` escapes decoded, then CR LF
    unless the text already ends a line."""
    decoded = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1)) or chr(int(m.group(1)[1:], 16)),
                          text)
    data = decoded.encode("latin-1", "replace")
    return data if data.endswith(b"\n") else data + b"\r\n"


def _sliced(work) -> Reply:
    """The Reply of a generator that yields between slices and returns its Reply at the end:
    the first slice done now, the next one each time `more` is called."""
    def step() -> Reply:
        try:
            next(work)
        except StopIteration as done:
            return done.value
        return Reply(more=step)
    return step()


def _traced(t) -> bool:
    head = t.children[0] if t.children else None
    return isinstance(head, Token) and head.type == "SIM_TRACE"


class Simulator:
    def __init__(self, device):
        self.device = device
        self.connections: dict[tuple, Connection] = {}

    # ------------------------------------------------------------------ one packet
    def _send(self, packet: Packet, trace: bool, out: list[str], ingress: str = ""):
        ingress = ingress or self.device.engine.ingress_for(packet.src)
        if ingress is None:
            out.append(f"% (iosfw) no interface leads to {int_to_ip(packet.src)}: "
                       "no route back to that source\n")
            return None
        outcome = self.device.forward(packet, ingress)
        out.append(traffic.trace_text(outcome) if trace else traffic.result_text(outcome) + "\n")
        return outcome

    def sim_packet(self, t) -> Reply:
        out: list[str] = []
        outcome = self._send(packet_of(t.children[-1]), _traced(t), out)
        return Reply("".join(out), error=outcome is None)

    def sim_clock_advance(self, t) -> Reply:
        self.device.advance(int(first(t, "SECONDS")))
        return Reply()

    # ------------------------------------------------------------------ connections
    @staticmethod
    def _ends(t) -> tuple:
        (a, b), (ap, bp) = [ip_to_int(str(x)) for x in tokens(t, "IPADDR")], \
            [int(x) for x in tokens(t, "PORT_NUM")]
        return a, ap, b, bp

    def _client(self, key: tuple, flags: int, size: int = 0, payload: bytes = b"") -> Packet:
        a, ap, b, bp = key
        return Packet.tcp(a, b, ap, bp, flags, length=40 + (len(payload) or size),
                          payload=payload)

    @staticmethod
    def _answer(conn: Connection, flags: int, size: int = 0, payload: bytes = b"") -> Packet:
        s = conn.server
        return Packet.tcp(s.dst, s.src, s.dport, s.sport, flags,
                          length=40 + (len(payload) or size), payload=payload)

    def sim_connection(self, t) -> Reply:
        verb = str(t.children[1 if _traced(t) else 0].children[0])
        key, trace, out = self._ends(t), _traced(t), []
        if verb == "connect":
            syn = self._client(key, SYN)
            first_leg = self._send(syn, trace, out)
            if first_leg is None or not first_leg.forwarded:
                return Reply("".join(out))
            conn = Connection(syn, first_leg.ingress, first_leg.out_packet, first_leg.egress)
            self.connections[key] = conn
            answer = self._send(self._answer(conn, SYN | ACK), trace, out, conn.server_ingress)
            if answer.forwarded:
                done = self._send(self._client(key, ACK), trace, out, conn.client_ingress)
                if done.forwarded and conn.server.dport == SMTP_PORT:
                    from ..engine.mta import MailServer

                    conn.mail = MailServer(personality="seed")   # the document's server
                    self._server_says(conn, conn.mail.greeting(), trace, out)
            return Reply("".join(out))
        conn = self.connections.pop(key, None)
        if conn is None:
            return self._unknown(key)
        closing = self._send(self._client(key, FIN | ACK), trace, out, conn.client_ingress)
        if closing.forwarded:
            answer = self._send(self._answer(conn, FIN | ACK), trace, out, conn.server_ingress)
            if answer.forwarded:
                self._send(self._client(key, ACK), trace, out, conn.client_ingress)
        return Reply("".join(out))

    def sim_send(self, t) -> Reply:
        key, trace, out = self._ends(t), _traced(t), []
        size = int(first(t, "COUNT"))
        conn = self.connections.get(key)
        if conn is None:
            return self._unknown(key)
        if first(t, "SIM_REPLY"):
            self._send(self._answer(conn, PSH | ACK, size), trace, out, conn.server_ingress)
        else:
            self._send(self._client(key, PSH | ACK, size), trace, out, conn.client_ingress)
        return Reply("".join(out))

    # ------------------------------------------------------------------ application data
    def _server_says(self, conn: Connection, data: bytes, trace: bool, out: list) -> None:
        """The server's bytes back through the router; what the router lets go to the server
        meanwhile (held client bytes) is answered in turn."""
        while data:
            answer = self._send(self._answer(conn, PSH | ACK, payload=data), trace, out,
                                conn.server_ingress)
            data = b""
            if answer.forwarded and answer.released and conn.mail is not None:
                data = conn.mail.feed(answer.released)

    def _client_says(self, key: tuple, conn: Connection, data: bytes, trace: bool,
                     out: list, quiet: bool = False) -> Optional[bytes]:
        """One segment from the client; the bytes that reached the server (None: dropped)."""
        outcome = self._send(self._client(key, PSH | ACK, payload=data), trace,
                             [] if quiet else out, conn.client_ingress)
        if not outcome.forwarded:
            if quiet:
                out.append(traffic.result_text(outcome) + "\n")
            return None
        delivered = outcome.out_packet.payload
        if conn.mail is not None:
            reply = conn.mail.feed(delivered)
            if reply:
                self._server_says(conn, reply, trace, out)
        return delivered

    def sim_send_line(self, t) -> Reply:
        key, trace, out = self._ends(t), _traced(t), []
        conn = self.connections.get(key)
        if conn is None:
            return self._unknown(key)
        self._client_says(key, conn, text_bytes(first(t, "REST")), trace, out)
        return Reply("".join(out))

    def sim_type(self, t) -> Reply:
        """A person typing in a telnet to the port: one segment per character, the line end
        (CR LF) in one, KEYSTROKE seconds apart."""
        key, out = self._ends(t), []
        conn = self.connections.get(key)
        if conn is None:
            return self._unknown(key)
        data = text_bytes(first(t, "REST"))
        keys = [data[i:i + 1] for i in range(len(data.rstrip(b"\r\n")))]
        keys.append(data[len(data.rstrip(b"\r\n")):])
        delivered = bytearray()
        replies: list[str] = []
        start = self.device.now()
        for n, stroke in enumerate(k for k in keys if k):
            if n:
                self.device.advance(start + n * KEYSTROKE - self.device.now())
            got = self._client_says(key, conn, stroke, False, replies, quiet=True)
            if got is None:
                break
            delivered += got
        out.append(f"typed {traffic.quoted(data)} in {len([k for k in keys if k])} segments; "
                   f"the server received {traffic.quoted(bytes(delivered))}\n")
        return Reply("".join(out + replies))

    @staticmethod
    def _unknown(key: tuple) -> Reply:
        a, ap, b, bp = key
        return Reply(f"% (iosfw) no connection {int_to_ip(a)}:{ap} -> {int_to_ip(b)}:{bp}: "
                     "open it with simulate connect\n", error=True)

    # ------------------------------------------------------------------ floods
    def sim_flood(self, t) -> Reply:
        """N SYNs from one host (source ports counting up from 1024) at R per second of
        virtual time; one summary line, then whatever the router logged meanwhile. Done a
        slice of FLOOD_SLICE packets at a time (Reply.more), so that a line serving other
        users can answer them between slices."""
        src, dst = (ip_to_int(str(x)) for x in tokens(t, "IPADDR"))
        dport, count, rate = int(first(t, "PORT_NUM")), int(first(t, "COUNT")), \
            int(first(t, "RATE"))
        if count > MAX_FLOOD:
            return Reply(f"% (iosfw) at most {MAX_FLOOD} packets per flood\n", error=True)
        ingress = self.device.engine.ingress_for(src)
        if ingress is None:
            return Reply(f"% (iosfw) no interface leads to {int_to_ip(src)}: "
                         "no route back to that source\n", error=True)
        return _sliced(self._flood(src, dst, dport, count, rate, ingress))

    def _flood(self, src: int, dst: int, dport: int, count: int, rate: int, ingress: str):
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
                why = traffic.result_text(outcome)
                verdicts[why] = verdicts.get(why, 0) + 1
        text = (f"flood: {count} SYN to {int_to_ip(dst)}:{dport} from {int_to_ip(src)} at "
                f"{rate}/s over {(count - 1) / rate:.3f} s: {forwarded} forwarded, "
                f"{count - forwarded} dropped\n")
        text += "".join(f"  {n} {why}\n" for why, n in verdicts.items())
        return Reply(text)

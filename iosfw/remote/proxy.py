"""`iosfw proxy`: the router's SMTP inspection on real sockets.

    iosfw proxy [--config FILE] --listen [HOST:]PORT --server [HOST:]PORT
                [--as ADDR[:PORT]] [--from ADDR] [--max-sessions N] [-c COMMAND ...]

Each accepted TCP connection is a client on the router's outside network (`--from`, by default
192.0.2.7, with the real client's source port unless an earlier session still holds it)
connecting to the mail server's global address (`--as`; by default the global address of the
configuration's first static translation, port 25). Its SYN goes through the same packet path
as `simulate` (access lists, NAT, inspection) and must open a new smtp or esmtp inspection
session; otherwise the connection is closed at once. Admitted, iosfw connects to the real
server (`--server`) and relays: every segment read from either socket is put through the router
as one TCP segment, and what the router's inspection of that session forwards (commands masked
with x, bytes held and released) is written on. The proxy is strict: when the session ends
(idle timeout, max-data, a reset) both sockets close, so no byte ever passes uninspected. Debug
and syslog lines are printed live on stdout, as on the router's console, with the proxy's own
lines (`iosfw proxy: ...`) between them.
"""
from __future__ import annotations

import argparse
import asyncio
import sys

from ..app import device, parse_address
from ..cli.batch import run_commands
from ..cli.session import Session
from ..config.names import int_to_ip, ip_to_int
from ..engine.cbac import APPLICATION_INSPECTED
from ..engine.packet import ACK, FIN, PSH, RST, SYN, Packet

DEFAULT_CLIENT = "192.0.2.7"
SMTP = 25
READ = 65536
MAX_SESSIONS = 100
WATCH = 1.0                          # seconds at most between two runs of the router's timers
FIRST_PORT, PORTS = 1024, 65536 - 1024   # the simulated client's source ports
TOO_MANY = b"421 4.3.2 Too many sessions, try again later\r\n"
TIMED_OUT = b"421 4.4.2 Session timed out, closing connection\r\n"


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {number}")
    return number


def arguments(p: argparse.ArgumentParser) -> None:
    """`iosfw proxy`'s options (iosfw/cli/main.py runs the sub-command)."""
    p.description = __doc__.split("\n\n")[0]
    p.add_argument("--config", metavar="FILE", help="startup-config (default: the built-in "
                   "3640-123)")
    p.add_argument("--listen", required=True, type=parse_address, metavar="[HOST:]PORT")
    p.add_argument("--server", required=True, type=parse_address, metavar="[HOST:]PORT")
    p.add_argument("--as", dest="as_", metavar="ADDR[:PORT]",
                   help="the server's address as clients reach it through the router")
    p.add_argument("--from", dest="from_", default=DEFAULT_CLIENT, metavar="ADDR",
                   help=f"the clients' simulated outside address (default {DEFAULT_CLIENT})")
    p.add_argument("--max-sessions", type=_positive, default=MAX_SESSIONS, metavar="N",
                   help=f"connections relayed at once; more get 421 (default {MAX_SESSIONS})")
    p.add_argument("-c", dest="commands", action="append", default=[], metavar="COMMAND",
                   help="run COMMAND in privileged EXEC before serving (repeatable)")


def _arguments(argv):
    """The options parsed on their own, as `iosfw proxy` parses them (tests build a proxy in
    their own process from them)."""
    parser = argparse.ArgumentParser(prog="iosfw proxy")
    arguments(parser)
    return parser.parse_args(argv)


def published_address(router) -> int | None:
    """The global address of the first static translation: the seed's mail server."""
    for rule in router.nat_statics:
        if rule.global_ip is not None:
            return rule.global_ip
    return None


def _opened(outcome) -> bool:
    """Whether this first packet opened a session (rather than joining a live one)."""
    return any(step.phase == "inspection" and step.verdict == "opened" for step in outcome.steps)


def _reset_by_inspection(outcome) -> bool:
    return any(step.phase == "application" and step.verdict == "reset" for step in outcome.steps)


class Relay:
    """One proxied connection: the client's and the server's sockets and the router between,
    which sees one TCP connection of the simulated client with a session of its own."""

    def __init__(self, proxy: Proxy, reader, writer):
        self.proxy = proxy
        self.client_reader, self.client_writer = reader, writer
        host, self.client_port = writer.get_extra_info("peername")[:2]
        self.peer = f"{host}:{self.client_port}"
        self.sport = 0                               # the simulated client's source port
        self.session = None                          # its inspection session
        self.server_view: Packet | None = None       # the SYN as it reached the server
        self.client_ingress = self.server_ingress = ""
        self.server_writer = None
        self.done = False                            # nothing is relayed any more
        self.client_fin = False                      # the client's FIN has been passed on
        self._replied = asyncio.Event()              # a server segment was handled

    @property
    def label(self) -> str:
        return f"{self.peer} as {int_to_ip(self.proxy.client_ip)}:{self.sport}"

    # ------------------------------------------------------------------ the router between
    def _client_packet(self, flags: int, data: bytes = b"") -> Packet:
        p = self.proxy
        return Packet.tcp(p.client_ip, p.as_ip, self.sport, p.as_port, flags, payload=data)

    def _server_packet(self, flags: int, data: bytes = b"") -> Packet:
        s = self.server_view
        return Packet.tcp(s.dst, s.src, s.dport, s.sport, flags, payload=data)

    def _router(self, packet: Packet, ingress: str):
        outcome = self.proxy.device.forward(packet, ingress)
        self.proxy.echo()
        return outcome

    def open(self) -> bool:
        """The handshake through the router, at once (the client is connected already, and a
        session left half-open while the server is reached would count against the router's
        half-open thresholds). True when the SYN opened a new session that the SMTP inspector
        reads: a SYN that joins a live session (a reused or shared source port) or that no
        smtp/esmtp rule inspects would let bytes pass uninspected."""
        proxy = self.proxy
        sport = proxy.client_port(self.client_port)
        if sport is None:
            return self._refused("no free source port for the simulated client")
        self.sport = sport
        if sport != self.client_port:
            proxy.note(f"{self.label}: port {self.client_port} still has a session")
        self.client_ingress = proxy.device.engine.ingress_for(proxy.client_ip) or ""
        syn = self._router(self._client_packet(SYN), self.client_ingress)
        if not syn.forwarded:
            return self._refused("the router does not forward its SYN")
        if not _opened(syn) or syn.session.protocol not in APPLICATION_INSPECTED:
            return self._refused("its SYN opens no new smtp or esmtp inspection session")
        self.session = proxy.ports[sport] = syn.session
        self.server_view, self.server_ingress = syn.out_packet, syn.egress
        self._router(self._server_packet(SYN | ACK), self.server_ingress)
        self._router(self._client_packet(ACK), self.client_ingress)
        return True

    def _refused(self, why: str) -> bool:
        self.done = True
        self.proxy.note(f"{self.label}: refused, {why}; connection closed")
        return False

    async def _connect(self):
        """The real server's connection: its reader, or None when it cannot be reached (the
        router then sees the server reset the connection)."""
        host, port = self.proxy.server
        try:
            reader, self.server_writer = await asyncio.open_connection(host, port)
        except OSError as err:
            self._router(self._server_packet(RST | ACK), self.server_ingress)
            self.done = True
            self.proxy.note(f"{self.label}: cannot reach the server {host}:{port} "
                            f"({err.strerror or err}); connection closed")
            return None
        return reader

    def _inspected(self, packet: Packet, ingress: str):
        """The router's verdict on a segment with bytes, or None (and the relay ends) when
        this connection's inspection did not take it: its session has gone (the timer ran out
        first, and the router forwards a permitted packet without a session uninspected) or
        the inspector reset it."""
        out = self._router(packet, ingress)
        if out.forwarded and out.session is self.session and self.session.live and \
                any(step.phase == "application" for step in out.steps):
            return out
        if _reset_by_inspection(out):
            self.end("the inspection reset the session")
        else:
            self._gone()
        return None

    def check(self) -> None:
        """After the router's timers ran: a connection whose session has gone ends now."""
        if not self.done and not self.session.live:
            self._gone()

    def _gone(self) -> None:
        """The session left the router's table: its timer ran out (the client gets the 421 an
        MTA's own timeout gives), or it was cleared."""
        if self.session.deadline <= self.proxy.device.now():
            self.end("the session timed out", TIMED_OUT)
        else:
            self.end("the router removed the session")

    def _answered(self) -> bool:
        inspector = self.session.inspector
        return inspector is None or inspector.answered

    # ------------------------------------------------------------------ the ends
    def end(self, why: str, farewell: bytes = b"") -> None:
        """Stop relaying for good, say why on the proxy's output and close both sockets at
        once: nothing more reaches either side but `farewell`, a last reply to the client."""
        if self.done:
            return
        self.done = True
        self.proxy.note(f"{self.label}: {why}; connection closed")
        if farewell:
            self.client_writer.write(farewell)
            self.client_writer.close()
        else:
            self.client_writer.transport.abort()
        if self.server_writer is not None:
            self.server_writer.transport.abort()
        self._replied.set()

    def _reset(self, side: str, err: OSError) -> None:
        """`side` reset its connection: the router sees the RST (which ends the session) and
        the other side is closed at once."""
        if self.done:
            return
        packet = self._client_packet(RST | ACK) if side == "client" else \
            self._server_packet(RST | ACK)
        self._router(packet, self.client_ingress if side == "client" else self.server_ingress)
        self.end(f"reset by the {side} ({err.strerror or type(err).__name__})")

    def _finish(self) -> None:
        """The server closed: the router sees its FIN (and the client's, unless passed on
        already), and the client gets every reply before the close."""
        self.done = True
        self._router(self._server_packet(FIN | ACK), self.server_ingress)
        if not self.client_fin:
            self._router(self._client_packet(FIN | ACK), self.client_ingress)
        self.client_writer.close()
        self.server_writer.close()
        self._replied.set()

    async def _half_close(self) -> None:
        """The client shut its sending side. Its FIN is passed on once every byte held for a
        reply has been inspected and delivered and the server has answered everything (a
        server that stops at end of file would drop pipelined commands otherwise); the
        server's replies still reach the client. A line the client never finished is never
        forwarded."""
        while not self.done and not self._answered():
            self._replied.clear()
            await self._replied.wait()
        if self.done:
            return
        self.client_fin = True
        self._router(self._client_packet(FIN | ACK), self.client_ingress)
        try:
            self.server_writer.write_eof()
        except OSError as err:
            self._reset("server", err)

    # ------------------------------------------------------------------ the sockets
    async def run(self) -> None:
        try:
            if not self.open():
                return
            reader = await self._connect()
            if reader is not None:
                await asyncio.gather(self._pump_client(), self._pump_server(reader))
        finally:
            for writer in (self.client_writer, self.server_writer):
                if writer is not None:
                    writer.close()

    async def _read(self, reader, side: str) -> bytes:
        """The next bytes from `side`: b"" at its end, after a reset and once the relay ended."""
        if self.done:
            return b""
        try:
            data = await reader.read(READ)
        except OSError as err:
            self._reset(side, err)
            return b""
        return b"" if self.done else data

    async def _send(self, writer, data: bytes, side: str) -> None:
        if not data or self.done:
            return
        try:
            writer.write(data)
            await writer.drain()
        except OSError as err:
            self._reset(side, err)

    async def _pump_client(self) -> None:
        while data := await self._read(self.client_reader, "client"):
            out = self._inspected(self._client_packet(PSH | ACK, data), self.client_ingress)
            if out is None:
                return
            await self._send(self.server_writer, out.out_packet.payload, "server")
        if not self.done:
            await self._half_close()

    async def _pump_server(self, reader) -> None:
        while data := await self._read(reader, "server"):
            out = self._inspected(self._server_packet(PSH | ACK, data), self.server_ingress)
            if out is None:
                return
            # released bytes first: written before anything awaits, they stay ahead of
            # the client's next bytes, which the inspector put after them
            await self._send(self.server_writer, out.released, "server")
            await self._send(self.client_writer, out.out_packet.payload, "client")
            self._replied.set()
        if not self.done:
            self._finish()


class Proxy:
    """The listening side: admits connections up to --max-sessions, runs the router's timers
    between packets and prints what the console shows."""

    def __init__(self, session, listen, server, as_ip: int, as_port: int, client_ip: int,
                 max_sessions: int = MAX_SESSIONS, out=None):
        self.session = session
        self.device = session.device
        self.listen, self.server = listen, server
        self.as_ip, self.as_port, self.client_ip = as_ip, as_port, client_ip
        self.max_sessions = max_sessions
        self.out = out or sys.stdout        # the console: router lines and the proxy's own
        self.relays: set[Relay] = set()
        self.ports: dict = {}               # simulated source port -> the session that has it

    def echo(self) -> None:
        """What the console shows now: debug and syslog lines."""
        text = self.session.pending_messages()
        if text:
            self.out.write(text)
            self.out.flush()

    def note(self, text: str) -> None:
        """One line of the proxy's own about a connection."""
        self.out.write(f"iosfw proxy: {text}\n")
        self.out.flush()

    def client_port(self, wanted: int) -> int | None:
        """The simulated client's source port for a new connection: the real client's own,
        unless the session of an earlier connection still holds it (a reconnection from the
        same port, or another client address with the same port, must never join that
        session), then the next free one; None when every port is held."""
        taken = self.ports
        for port in [p for p, session in taken.items() if not session.live]:
            del taken[port]
        for step in range(PORTS):
            port = FIRST_PORT + (wanted - FIRST_PORT + step) % PORTS
            if port not in taken:
                return port
        return None

    async def handle(self, reader, writer) -> None:
        if len(self.relays) >= self.max_sessions:
            self._refuse(writer)
            return
        relay = Relay(self, reader, writer)
        self.relays.add(relay)
        try:
            await relay.run()
        finally:
            self.relays.discard(relay)

    def _refuse(self, writer) -> None:
        """Over --max-sessions: the client gets the 421 an MTA sends when busy, and retries."""
        host, port = writer.get_extra_info("peername")[:2]
        self.note(f"{host}:{port}: refused, {len(self.relays)} sessions open "
                  f"(--max-sessions {self.max_sessions}); sent 421")
        writer.write(TOO_MANY)
        writer.close()

    def tick(self) -> None:
        """The router's timers between packets too, so that an idle session ends on time, and
        with it its connection."""
        self.device.tick()
        self.echo()
        for relay in list(self.relays):
            relay.check()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._until_due())
            self.tick()

    def _until_due(self) -> float:
        now = self.device.now()
        due = self.device.engine.next_deadline(now)
        return WATCH if due is None else min(WATCH, max(0.0, due - now) + 0.01)

    async def serve(self, ready=None) -> None:
        host, port = self.listen
        server = await asyncio.start_server(self.handle, host, port)
        bound = server.sockets[0].getsockname()
        self.out.write(f"iosfw: proxy on {bound[0]}:{bound[1]} for {int_to_ip(self.as_ip)}:"
                       f"{self.as_port} -> {self.server[0]}:{self.server[1]}\n")
        self.out.flush()
        if ready is not None:
            ready(bound)
        watcher = asyncio.ensure_future(self._watch())
        try:
            async with server:
                await server.serve_forever()
        finally:
            watcher.cancel()


def build(args, out=None):
    """The proxy for parsed arguments (the router booted, -c commands run and printed)."""
    session = Session(device(args.config, live=True), privileged=True)
    if args.commands and run_commands(session, args.commands):
        raise SystemExit(1)
    if args.as_:
        addr, _, port = args.as_.partition(":")
        as_ip, as_port = ip_to_int(addr), int(port or SMTP)
    else:
        as_ip, as_port = published_address(session.router), SMTP
        if as_ip is None:
            raise SystemExit("iosfw proxy: no static translation to publish; give --as ADDR")
    return Proxy(session, args.listen, args.server, as_ip, as_port, ip_to_int(args.from_),
                 args.max_sessions, out)


def run(args) -> int:
    try:
        proxy = build(args)
    except (ValueError, OSError) as err:
        print(f"iosfw proxy: {err}", file=sys.stderr)
        return 1
    try:
        asyncio.run(proxy.serve())
    except KeyboardInterrupt:
        pass
    except OSError as err:
        print(f"iosfw proxy: {err}", file=sys.stderr)
        return 1
    return 0

"""`iosfw proxy`: the router's SMTP inspection on real sockets.

    iosfw proxy [--config FILE] --listen [HOST:]PORT --server [HOST:]PORT
                [--as ADDR[:PORT]] [--from ADDR] [-c COMMAND ...]

Each accepted TCP connection is a client on the router's outside network (`--from`, by default
192.0.2.7, with the real client's source port) connecting to the mail server's global address
(`--as`; by default the global address of the configuration's first static translation, port
25). Its SYN goes through the same packet path as `simulate` (access lists, NAT, inspection);
refused, the connection is closed at once. Admitted, iosfw connects to the real server
(`--server`) and relays: every segment read from either socket is put through the router as one
TCP segment, and what the router forwards (commands masked with x, bytes held and released) is
written on. Debug and syslog lines are printed live on stdout, as on the router's console.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Optional

from ..config.names import int_to_ip, ip_to_int
from ..engine.packet import ACK, FIN, PSH, SYN, Packet
from .serve import parse_address

DEFAULT_CLIENT = "192.0.2.7"
SMTP = 25
READ = 65536


def _arguments(argv):
    p = argparse.ArgumentParser(prog="iosfw proxy", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", metavar="FILE", help="startup-config (default: the built-in "
                   "3640-123)")
    p.add_argument("--listen", required=True, type=parse_address, metavar="[HOST:]PORT")
    p.add_argument("--server", required=True, type=parse_address, metavar="[HOST:]PORT")
    p.add_argument("--as", dest="as_", metavar="ADDR[:PORT]",
                   help="the server's address as clients reach it through the router")
    p.add_argument("--from", dest="from_", default=DEFAULT_CLIENT, metavar="ADDR",
                   help=f"the clients' simulated outside address (default {DEFAULT_CLIENT})")
    p.add_argument("-c", dest="commands", action="append", default=[], metavar="COMMAND",
                   help="run COMMAND in privileged EXEC before serving (repeatable)")
    return p.parse_args(argv)


def published_address(router) -> Optional[int]:
    """The global address of the first static translation: the seed's mail server."""
    for rule in router.nat_statics:
        if rule.global_ip is not None:
            return rule.global_ip
    return None


class Relay:
    """One proxied connection: the client's and the server's sockets and the router between."""

    def __init__(self, proxy: "Proxy", reader, writer, sport: int):
        self.proxy = proxy
        self.client_reader, self.client_writer = reader, writer
        self.sport = sport
        self.server_view: Optional[Packet] = None    # the SYN as it reached the server
        self.client_ingress = self.server_ingress = ""
        self.server_writer = None

    # ------------------------------------------------------------------ the router between
    def _client_packet(self, flags: int, data: bytes = b"") -> Packet:
        p = self.proxy
        return Packet.tcp(p.client_ip, p.as_ip, self.sport, p.as_port, flags, payload=data)

    def _server_packet(self, flags: int, data: bytes = b"") -> Packet:
        s = self.server_view
        return Packet.tcp(s.dst, s.src, s.dport, s.sport, flags, payload=data)

    def open(self) -> bool:
        """The handshake through the router; False when it does not let the SYN through."""
        device = self.proxy.device
        self.client_ingress = device.engine.ingress_for(self.proxy.client_ip) or ""
        syn = device.forward(self._client_packet(SYN), self.client_ingress)
        if not syn.forwarded:
            self.proxy.echo()
            return False
        self.server_view, self.server_ingress = syn.out_packet, syn.egress
        device.forward(self._server_packet(SYN | ACK), self.server_ingress)
        device.forward(self._client_packet(ACK), self.client_ingress)
        self.proxy.echo()
        return True

    def from_client(self, data: bytes) -> tuple[bytes, bool]:
        out = self.proxy.device.forward(self._client_packet(PSH | ACK, data), self.client_ingress)
        self.proxy.echo()
        return (out.out_packet.payload if out.forwarded else b""), not out.forwarded

    def from_server(self, data: bytes) -> tuple[bytes, bytes, bool]:
        out = self.proxy.device.forward(self._server_packet(PSH | ACK, data), self.server_ingress)
        self.proxy.echo()
        if not out.forwarded:
            return b"", b"", True
        return out.out_packet.payload, out.released, False

    def close(self) -> None:
        if self.server_view is not None:
            device = self.proxy.device
            device.forward(self._client_packet(FIN | ACK), self.client_ingress)
            device.forward(self._server_packet(FIN | ACK), self.server_ingress)
            self.proxy.echo()

    # ------------------------------------------------------------------ the sockets
    async def run(self) -> None:
        try:
            if not self.open():
                return
            host, port = self.proxy.server
            try:
                server_reader, self.server_writer = await asyncio.open_connection(host, port)
            except OSError as err:
                print(f"iosfw proxy: cannot reach the server {host}:{port}: {err}",
                      file=sys.stderr)
                return
            await asyncio.gather(self._pump_client(), self._pump_server(server_reader))
        finally:
            self.close()
            for writer in (self.client_writer, self.server_writer):
                if writer is not None:
                    writer.close()

    async def _pump_client(self) -> None:
        while data := await self.client_reader.read(READ):
            forward, reset = self.from_client(data)
            if forward:
                self.server_writer.write(forward)
                await self.server_writer.drain()
            if reset:
                break
        self._shut()

    async def _pump_server(self, reader) -> None:
        while data := await reader.read(READ):
            forward, released, reset = self.from_server(data)
            if forward:
                self.client_writer.write(forward)
                await self.client_writer.drain()
            if released:
                self.server_writer.write(released)
                await self.server_writer.drain()
            if reset:
                break
        self._shut()

    def _shut(self) -> None:
        """One side finished or the router reset the session: end both."""
        for writer in (self.client_writer, self.server_writer):
            if writer is not None and not writer.is_closing():
                writer.close()


class Proxy:
    def __init__(self, session, listen, server, as_ip: int, as_port: int, client_ip: int):
        self.session = session
        self.device = session.device
        self.listen, self.server = listen, server
        self.as_ip, self.as_port, self.client_ip = as_ip, as_port, client_ip

    def echo(self) -> None:
        """What the console shows now: debug and syslog lines."""
        text = self.session.pending_messages()
        if text:
            sys.stdout.write(text)
            sys.stdout.flush()

    async def handle(self, reader, writer) -> None:
        sport = writer.get_extra_info("peername")[1]
        await Relay(self, reader, writer, sport).run()

    async def serve(self, ready=None) -> None:
        host, port = self.listen
        server = await asyncio.start_server(self.handle, host, port)
        bound = server.sockets[0].getsockname()
        print(f"iosfw: proxy on {bound[0]}:{bound[1]} for {int_to_ip(self.as_ip)}:"
              f"{self.as_port} -> {self.server[0]}:{self.server[1]}", flush=True)
        if ready is not None:
            ready(bound)
        async with server:
            await server.serve_forever()


def build(args):
    """The proxy for parsed arguments (the router booted, -c commands run and printed)."""
    from ..cli.main import boot, run_commands
    from ..cli.session import Session
    from ..clock import Clock
    from ..device import Device

    router, store = boot(args.config)
    session = Session(Device(router, store, Clock(live=True)), privileged=True)
    if args.commands and run_commands(session, args.commands):
        raise SystemExit(1)
    if args.as_:
        addr, _, port = args.as_.partition(":")
        as_ip, as_port = ip_to_int(addr), int(port or SMTP)
    else:
        as_ip, as_port = published_address(router), SMTP
        if as_ip is None:
            raise SystemExit("iosfw proxy: no static translation to publish; give --as ADDR")
    return Proxy(session, args.listen, args.server, as_ip, as_port, ip_to_int(args.from_))


def main(argv) -> int:
    args = _arguments(argv)
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

"""`iosfw serve`: the router on telnet and SSH, every connection a vty of one shared router.

    iosfw serve [--config FILE] [--telnet [HOST:]PORT] [--ssh [HOST:]PORT] [--host-key FILE]

Both listen on 127.0.0.1 unless a host is given. While all vty lines are in use the
listeners are closed, so that a further connection is refused (TCP RST to its SYN:
"Connection refused"), as a router without a free vty refuses it; they open again as soon
as a line is free. The bound addresses are printed on stdout, one line per protocol:
`iosfw: telnet on 127.0.0.1:2323`.
"""
from __future__ import annotations

import asyncio
import signal
import socket
import sys
import threading
import time
from typing import Callable, Optional

from ..app import device, lab_device, parse_address
from .telnet import TelnetProtocol, refuse
from .vty import VtyPool, guarded

DEFAULT_TELNET = ("127.0.0.1", 2323)
DEFAULT_SSH = ("127.0.0.1", 2222)
BACKLOG = 16


class Listener:
    """One listening socket, closed while no vty is free and opened again on the same port."""

    def __init__(self, server: "RemoteServer", kind: str, host: str, port: int):
        self.server = server
        self.kind = kind
        self.host = host
        self.port = port
        self.sock: Optional[socket.socket] = None
        self.task: Optional[asyncio.Task] = None

    @property
    def open(self) -> bool:
        return self.sock is not None

    def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(BACKLOG)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self.sock = sock
        self.task = asyncio.get_running_loop().create_task(self._accept())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        sock = self.sock
        while True:
            try:
                conn, addr = await loop.sock_accept(sock)
            except asyncio.CancelledError:
                raise
            except OSError as err:
                if self.sock is not sock:
                    return
                self.server.report(f"{self.kind} accept: {err}")
                await asyncio.sleep(0.1)
                continue
            guarded(self.server.report, f"{self.kind} connection",
                    lambda: self.server.accepted(self.kind, conn, addr), lambda: refuse(conn))


class RemoteServer:
    """The served router: one Device, its vty pool, and the telnet and SSH listeners."""

    def __init__(self, device, telnet: Optional[tuple[str, int]] = None,
                 ssh: Optional[tuple[str, int]] = None, host_key=None,
                 report: Callable[[str], None] = lambda msg: print(f"iosfw: {msg}",
                                                                   file=sys.stderr)):
        self.device = device
        self.pool = VtyPool(device, on_change=self._pool_changed)
        self.listeners: list[Listener] = []
        self.telnet_address = telnet
        self.ssh_address = ssh
        self.host_key = host_key
        self.report = report
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._ticker: Optional[asyncio.Task] = None
        self._update_pending = False
        self._tasks: set[asyncio.Task] = set()
        self._ssh_options: Optional[dict] = None
        self.stopping = False

    # ------------------------------------------------------------------ life
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        if self.ssh_address is not None:
            from .ssh import load_host_key, ssh_options

            self._ssh_options = ssh_options(self.host_key or load_host_key())
            self.listeners.append(Listener(self, "ssh", *self.ssh_address))
        if self.telnet_address is not None:
            self.listeners.insert(0, Listener(self, "telnet", *self.telnet_address))
        for listener in self.listeners:
            listener.start()
        self._ticker = self.loop.create_task(self._tick())

    def addresses(self) -> dict[str, tuple[str, int]]:
        return {lst.kind: (lst.host, lst.port) for lst in self.listeners}

    async def stop(self) -> None:
        self.stopping = True
        for listener in self.listeners:
            listener.stop()
        if self._ticker is not None:
            self._ticker.cancel()
        for vty in self.pool.vtys():
            vty.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.sleep(0.05)

    def schedule(self, callback: Callable[[], None]) -> None:
        """Run `callback` soon on the server's loop; its faults are reported, not raised."""
        self.loop.call_soon(guarded, self.report, "", callback)

    # ------------------------------------------------------------------ connections
    def accepted(self, kind: str, conn: socket.socket, addr) -> None:
        number = self.pool.reserve()
        if number is None or not self.pool.allows(number, kind):
            self.pool.release(number)
            refuse(conn)
            return
        conn.setblocking(False)
        peer = addr[0] if addr else ""
        if kind == "telnet":
            coro = self.loop.connect_accepted_socket(
                lambda: TelnetProtocol(self, number), conn)
        else:
            coro = self._ssh(conn, number, peer)
        task = self.loop.create_task(self._run(coro, number, conn))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, coro, number: int, conn: socket.socket) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - a failed handshake frees its line
            if self.pool.busy.get(number, "gone") is None:
                self.pool.release(number)
            try:
                conn.close()
            except OSError:
                pass
            if not isinstance(err, (OSError, EOFError)) and "asyncssh" not in type(err).__module__:
                self.report(f"connection on vty{number}: {type(err).__name__}: {err}")

    async def _ssh(self, conn: socket.socket, number: int, peer: str) -> None:
        import asyncssh

        from .ssh import VtySSHServer

        await asyncssh.run_server(conn, server_factory=lambda: VtySSHServer(self, number, peer),
                                  **self._ssh_options)

    # ------------------------------------------------------------------ refusing when full
    def _pool_changed(self) -> None:
        if self.loop is not None and not self._update_pending:
            self._update_pending = True
            self.loop.call_soon(self._update_listeners)

    def _update_listeners(self) -> None:
        self._update_pending = False
        if self.stopping:
            return
        full = self.pool.full
        for listener in self.listeners:
            if full and listener.open:
                listener.stop()
            elif not full and not listener.open:
                try:
                    listener.start()
                except OSError as err:
                    self.report(f"cannot listen again on {listener.host}:{listener.port} "
                                f"({err}); retrying")

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for vty in self.pool.vtys():
                guarded(self.report, f"vty{vty.number} timer", lambda: vty.tick(now))
            guarded(self.report, "timers", self._timers)
            self._update_listeners()

    def _timers(self) -> None:
        self.pool.device.tick()     # the router's own timers, on its live clock
        self.pool.deliver()


# ------------------------------------------------------------------ in a thread (tests, tools)
class ServerThread:
    """A RemoteServer on its own event loop in a background thread:

        with ServerThread(device, telnet=("127.0.0.1", 0)) as served:
            port = served.addresses["telnet"][1]
    """

    def __init__(self, device, **options):
        self.server = RemoteServer(device, **options)
        self.addresses: dict[str, tuple[str, int]] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="iosfw-serve", daemon=True)
        self._started = threading.Event()
        self._error: Optional[BaseException] = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.server.start())
            self.addresses = self.server.addresses()
        except BaseException as err:  # noqa: BLE001
            self._error = err
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.server.stop())
        self._loop.close()

    def start(self) -> "ServerThread":
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error
        return self

    def call(self, function, timeout: float = 10):
        """Run function() on the server's loop and return its result (for tests)."""
        done = threading.Event()
        box: list = []

        def run():
            try:
                box.append(function())
            finally:
                done.set()
        self._loop.call_soon_threadsafe(run)
        done.wait(timeout)
        return box[0] if box else None

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ------------------------------------------------------------------ command line
def arguments(parser) -> None:
    """`iosfw serve`'s options (iosfw/cli/main.py runs the sub-command)."""
    parser.description = ("Serve the router over telnet and SSH: every connection is a vty "
                          "session on one shared router (vty 0 4: five at a time).")
    parser.add_argument("--config", metavar="FILE",
                        help="startup-config to boot from (default: the built-in 3640-123)")
    parser.add_argument("--lab", metavar="NAME",
                        help="serve a training lab (iosfw lab list): its start, or the "
                             "progress saved in it, with the `lab` commands (docs/labs.md)")
    parser.add_argument("--telnet", metavar="[HOST:]PORT", type=parse_address,
                        help="serve telnet here (default 127.0.0.1:2323 when neither "
                             "--telnet nor --ssh is given; port 0 picks a free one)")
    parser.add_argument("--ssh", metavar="[HOST:]PORT", type=parse_address,
                        help="serve SSH here (default 127.0.0.1:2222 when neither is given)")
    parser.add_argument("--host-key", metavar="FILE",
                        help="SSH host key (default $XDG_DATA_HOME/iosfw/ssh_host_rsa_key, "
                             "made on first start)")


def _served(args):
    """The Device to serve: a lab's, or the router booted from --config (or the built-in)."""
    if not args.lab:
        return device(args.config, live=True)
    from ..labs.catalog import UnknownLab
    from ..labs.definition import LabError
    if args.config:
        print("iosfw serve: --lab and --config: a lab boots from its own start or your "
              "saved progress", file=sys.stderr)
        return None
    try:
        return lab_device(args.lab)[1]
    except (UnknownLab, LabError) as err:
        print(f"iosfw serve: {err}", file=sys.stderr)
        return None


def run(args) -> int:
    telnet, ssh = args.telnet, args.ssh
    if telnet is None and ssh is None:
        telnet, ssh = DEFAULT_TELNET, DEFAULT_SSH
    served = _served(args)
    if served is None:
        return 2
    host_key = None
    if ssh is not None and args.host_key:
        from pathlib import Path

        from .ssh import load_host_key
        host_key = load_host_key(Path(args.host_key))
    server = RemoteServer(served, telnet=telnet, ssh=ssh, host_key=host_key)

    async def serve() -> None:
        try:
            await server.start()
        except OSError as err:
            print(f"iosfw: cannot listen: {err}", file=sys.stderr)
            raise SystemExit(1)
        for kind, (host, port) in server.addresses().items():
            shown = f"[{host}]" if ":" in host else host
            print(f"iosfw: {kind} on {shown}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        await stop.wait()
        await server.stop()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0

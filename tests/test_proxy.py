"""`iosfw proxy` on real sockets (127.0.0.1 only): real SMTP clients (smtplib, raw sockets)
and real servers (aiosmtpd recording what it executes, a byte-recording server) with the
router's ACL, NAT and SMTP inspection between them. Also the recording server and the proxy
fixtures that tests/test_smtp_attacks.py shares."""
import asyncio
import functools
import itertools
import os
import re
import smtplib
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import kit
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from iosfw.engine.smtp import SMTP_VERBS, SmtpInspector
from iosfw.remote import proxy as proxy_module

ROOT = Path(__file__).resolve().parents[1]
LEGAL = frozenset(SMTP_VERBS)           # what an `smtp` rule lets a server execute
SEED_RULE = "ip inspect name OUT-IN smtp\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < end
        time.sleep(0.02)


def seed_config(directory: Path, rule: str = SEED_RULE, *lines: str) -> str:
    """The built-in 3640-123 with another OUT-IN rule line and extra global lines."""
    path = directory / "router.cfg"
    path.write_text(kit.seed_text().replace(SEED_RULE, rule + "\n" + "".join(
        line + "\n" for line in lines)))
    return str(path)


# ------------------------------------------------------------------ the recording server
class Recorder:
    """What a recording aiosmtpd server executed, per connection in the order it ran the
    commands, the bytes it received and the mail it accepted."""

    def __init__(self):
        self.executed = defaultdict(list)       # connection -> [(VERB, argument)]
        self.received = defaultdict(bytearray)  # connection -> bytes as they arrived
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def verbs(self) -> list:
        return [verb for commands in list(self.executed.values()) for verb, _ in commands]

    def conversation(self, name: str) -> list:
        """The verbs of the connection whose first command was `HELO name`."""
        for commands in list(self.executed.values()):
            if commands[:1] == [("HELO", name)]:
                return [verb for verb, _ in commands]
        return []


class RecordingSMTP(SMTP):
    """aiosmtpd's server, recording every command it executes. It also runs BDAT, TURN and
    ATRN (502), so that one reaching it would be recorded. `lenient` makes it the server SMTP
    smuggling exploits: a bare CR or LF counts as CRLF and blanks before a verb are skipped,
    so a smuggled end of data or a padded verb that got through would be executed."""

    _connections = itertools.count(1)

    def __init__(self, handler, lenient: bool, **kwargs):
        super().__init__(handler, **kwargs)
        self.lenient = lenient
        self.connection = next(self._connections)
        self._cr = False                     # a CR ended the last bytes (lenient)
        self._smtp_methods = {verb: self._recording(verb, method)
                              for verb, method in self._smtp_methods.items()}

    def _recording(self, verb, method):
        @functools.wraps(method)
        async def run(arg):
            self.event_handler.executed[self.connection].append((verb, arg))
            await method(arg)
        return run

    async def smtp_BDAT(self, arg):
        await self.push("502 BDAT not implemented")

    async def smtp_TURN(self, arg):
        await self.push("502 TURN not implemented")

    async def smtp_ATRN(self, arg):
        await self.push("502 ATRN not implemented")

    def data_received(self, data: bytes) -> None:
        self.event_handler.received[self.connection] += data
        super().data_received(self._crlf(data) if self.lenient else data)

    def _crlf(self, data: bytes) -> bytes:
        if self._cr:
            data = b"\r" + data
        self._cr = data.endswith(b"\r")
        if self._cr:
            data = data[:-1]
        return re.sub(rb"\r\n|\r|\n", b"\r\n", data)

    def _cb_client_connected(self, reader, writer):
        super()._cb_client_connected(reader, writer)
        if self.lenient:
            read = reader.readuntil

            async def readuntil(separator=b"\n"):
                line = await read(separator)
                return line.lstrip(b" \t") if separator == b"\n" else line   # command lines
            reader.readuntil = readuntil


class RecordingController(Controller):
    def __init__(self, handler, lenient: bool, **kwargs):
        super().__init__(handler, **kwargs)
        self.lenient = lenient

    def factory(self):
        return RecordingSMTP(self.handler, self.lenient, **self.SMTP_kwargs)


@contextmanager
def recording_server(lenient: bool = False):
    """A recording aiosmtpd server on 127.0.0.1; yields (port, recorder)."""
    recorder, port = Recorder(), free_port()
    controller = RecordingController(recorder, lenient, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, recorder
    finally:
        controller.stop()


@contextmanager
def raw_server():
    """A minimal SMTP server that records every byte it receives and answers 250 to HELO and
    QUIT and 500 to anything else."""
    received = bytearray()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"220 recorder ready\r\n")
            buffer = b""
            while chunk := conn.recv(4096):
                received.extend(chunk)
                buffer += chunk
                while b"\r\n" in buffer:
                    line, buffer = buffer.split(b"\r\n", 1)
                    verb = line[:4].upper()
                    conn.sendall(b"221 bye\r\n" if verb == b"QUIT" else
                                 b"250 ok\r\n" if verb == b"HELO" else b"500 unrecognized\r\n")
                    if verb == b"QUIT":
                        return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], received
    finally:
        listener.close()


# ------------------------------------------------------------------ the proxy
class Running:
    """A proxy in a subprocess: its port, the lines it printed so far (a list that fills
    while it runs) and, once stopped, its stderr."""

    def __init__(self, port: int, lines: list):
        self.port, self.lines, self.stderr = port, lines, ""

    def text(self) -> str:
        return "".join(self.lines)


@contextmanager
def proxy(directory: Path, server_port: int, *args):
    """`iosfw proxy` in a subprocess, stopped on exit."""
    env = dict(os.environ, XDG_DATA_HOME=str(directory / "data"),
               XDG_CACHE_HOME=str(directory / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "iosfw", "proxy", "--listen", "127.0.0.1:0",
                             "--server", f"127.0.0.1:{server_port}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)
    running, errors = Running(0, []), []
    stderr = threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True)
    stderr.start()
    try:
        while not running.port:
            line = proc.stdout.readline()
            if not line:
                proc.wait(timeout=10)
                stderr.join(timeout=10)
                raise AssertionError("the proxy did not start: " + "".join(errors))
            running.lines.append(line)
            found = re.match(r"iosfw: proxy on 127\.0\.0\.1:(\d+) ", line)
            running.port = int(found.group(1)) if found else 0
        threading.Thread(target=lambda: running.lines.extend(proc.stdout), daemon=True).start()
        yield running
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        stderr.join(timeout=10)
        running.stderr = "".join(errors)


class Console:
    """The in-process proxy's stdout."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return "".join(self.parts)


@contextmanager
def proxy_in_process(server_port: int, *argv):
    """The proxy on an event loop of its own in a thread, for tests that drive the router's
    clock; yields (proxy, port, console, call) where call(fn) runs fn on that loop."""
    args = proxy_module._arguments(["--listen", "127.0.0.1:0",
                                    "--server", f"127.0.0.1:{server_port}", *argv])
    console = Console()
    instance = proxy_module.build(args, console)
    loop = asyncio.new_event_loop()
    bound: list = []
    ready = threading.Event()
    serving = loop.create_task(instance.serve(lambda address: (bound.append(address[1]),
                                                               ready.set())))

    def run():
        try:
            loop.run_until_complete(serving)
        except asyncio.CancelledError:
            pass
        finally:
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def call(fn):
        async def on_loop():
            return fn()
        return asyncio.run_coroutine_threadsafe(on_loop(), loop).result(timeout=10)

    try:
        assert ready.wait(timeout=10)
        yield instance, bound[0], console, call
    finally:
        loop.call_soon_threadsafe(serving.cancel)
        thread.join(timeout=10)


# ------------------------------------------------------------------ raw clients
def client(port: int, source=("127.0.0.1", 0)) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(source)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


def reply(sock) -> bytes:
    """One whole reply (every line of a multi-line one); b"" at the end of the stream."""
    data = b""
    while not re.search(rb"(^|\n)\d{3} [^\n]*\n\Z", data):
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    return data


def command(sock, line: bytes) -> bytes:
    sock.sendall(line + b"\r\n")
    return reply(sock)


def reset(sock) -> None:
    """Close with an RST instead of a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def until_closed(sock) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def open_transaction(sock, name: str) -> None:
    """Greeted, HELO, MAIL, RCPT and DATA answered 354: the client is in its data phase."""
    assert reply(sock).startswith(b"220")
    assert command(sock, b"HELO " + name.encode()).startswith(b"250")
    assert command(sock, b"MAIL FROM:<a@example.org>").startswith(b"250")
    assert command(sock, b"RCPT TO:<b@example.net>").startswith(b"250")
    assert command(sock, b"DATA").startswith(b"354")


# ------------------------------------------------------------------ what worked before
def test_a_legal_mail_is_delivered_intact(tmp_path):
    body = "Subject: lab\r\n\r\nline one\r\n.leading dot\r\nDATA inside the body\r\n"
    with recording_server() as (server_port, recorder), proxy(tmp_path, server_port) as px:
        with smtplib.SMTP("127.0.0.1", px.port, timeout=10) as smtp:
            smtp.helo("client.example")
            smtp.sendmail("a@example.org", ["b@example.net"], body)
        wait_for(lambda: recorder.messages)
    assert recorder.messages == [("a@example.org", ["b@example.net"], body.encode())]


def test_an_illegal_command_reaches_the_server_as_xs_and_the_client_gets_500(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port) as px, \
            smtplib.SMTP("127.0.0.1", px.port, timeout=10) as smtp:
        assert smtp.helo("client")[0] == 250
        assert smtp.docmd("EXPN", "staff") == (500, b"unrecognized")
        smtp.quit()
        wait_for(lambda: b"quit" in received)          # smtplib sends its verbs in lower case
        wait_for(lambda: "SMTP_INVALID_COMMAND" in px.text())
    assert bytes(received) == b"helo client\r\nxxxxxxxxxx\r\nquit\r\n"
    assert "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.0.2.7:" \
        in px.text()


def test_a_client_typing_one_character_at_a_time_gives_the_documents_debug_lines(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port, "-c", "debug ip inspect smtp") as px:
        with socket.create_connection(("127.0.0.1", px.port), timeout=10) as typist:
            assert typist.recv(100) == b"220 recorder ready\r\n"
            for key in [b"H", b"E", b"L", b"O", b" ", b"a", b"\r\n"]:
                typist.sendall(key)
                time.sleep(0.05)
            assert typist.recv(100) == b"250 ok\r\n"
        wait_for(lambda: "End Of Command Line" in px.text())
    assert "INSPECT SMTP Inspection debugging is on\n" in px.text()
    debug = [line.split(": ", 1)[1].rstrip("\n") for line in px.lines if "CBAC SMTP:" in line]
    commands = [line for line in debug if "VERB" in line or "CMD PARAM" in line or
                "Command Line" in line]
    assert commands[:4] == [f"CBAC SMTP: VERB - Cmd len:{n}, match_len:1, cmd_re_state:{s}"
                            for n, s in ((1, 9), (2, 24), (3, 40), (4, 56))]
    assert "CBAC SMTP: VERB - match id:5" in commands
    assert commands[-1] == "CBAC SMTP: End Of Command Line - index:1, len:8"
    assert bytes(received) == b"HELO a\r\n"


def test_a_connection_the_access_list_denies_is_refused(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port, "--as", "172.22.1.111") as px:
        with socket.create_connection(("127.0.0.1", px.port), timeout=10) as sock:
            assert sock.recv(100) == b""        # closed at once, never relayed
        wait_for(lambda: "refused, the router does not forward its SYN" in px.text())
    assert bytes(received) == b""


def test_a_config_whose_rule_does_not_inspect_smtp_is_refused_not_relayed(tmp_path):
    config = seed_config(tmp_path, "ip inspect name OUT-IN tcp\n")
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port, "--config", config) as px:
        with socket.create_connection(("127.0.0.1", px.port), timeout=10) as sock:
            assert sock.recv(100) == b""
        wait_for(lambda: "opens no new smtp or esmtp inspection session" in px.text())
    assert bytes(received) == b""


# ------------------------------------------------------------------ the session's end
def test_after_an_idle_timeout_the_client_gets_421_and_the_server_executes_nothing_more(
        tmp_path):
    """The issue's case: `smtp timeout 5`, HELO, EXPN (masked), 7 s of silence, EXPN. The
    router's clock is driven rather than waited for; the proxy's timers end the session."""
    config = seed_config(tmp_path, "ip inspect name OUT-IN smtp timeout 5")
    with recording_server() as (server_port, recorder), \
            proxy_in_process(server_port, "--config", config) as (px, port, console, call):
        sock = client(port)
        assert reply(sock).startswith(b"220")
        assert command(sock, b"HELO a").startswith(b"250")
        assert command(sock, b"EXPN root").startswith(b"500")
        call(lambda: (px.device.clock.advance(7), px.tick()))
        assert until_closed(sock) == proxy_module.TIMED_OUT
        sock.close()
        wait_for(lambda: "the session timed out; connection closed" in console.text())
    assert recorder.verbs() == ["HELO"]


def test_a_segment_after_the_timeout_is_not_forwarded_even_before_the_timers_run(tmp_path):
    """The same, with the proxy's own timer run switched off: the client's next segment finds
    no session; the router would forward it uninspected, the proxy closes both sides."""
    config = seed_config(tmp_path, "ip inspect name OUT-IN smtp timeout 5")
    with recording_server() as (server_port, recorder), \
            proxy_in_process(server_port, "--config", config) as (px, port, console, call):
        px.tick = lambda: None
        sock = client(port)
        assert reply(sock).startswith(b"220")
        assert command(sock, b"HELO a").startswith(b"250")
        call(lambda: px.device.clock.advance(7))
        sock.sendall(b"EXPN root\r\n")
        assert until_closed(sock) == proxy_module.TIMED_OUT
        sock.close()
        wait_for(lambda: "the session timed out; connection closed" in console.text())
    assert recorder.verbs() == ["HELO"]
    assert b"EXPN" not in b"".join(recorder.received.values())


def test_clearing_the_session_closes_both_sides(tmp_path):
    with recording_server() as (server_port, recorder), \
            proxy_in_process(server_port, "--config", seed_config(tmp_path)) as \
            (px, port, console, call):
        sock = client(port)
        assert reply(sock).startswith(b"220")
        assert command(sock, b"HELO a").startswith(b"250")
        call(lambda: (px.session.execute("clear ip inspect session"), px.tick()))
        assert until_closed(sock) == b""
        sock.close()
        wait_for(lambda: "the router removed the session; connection closed" in console.text())
    assert recorder.verbs() == ["HELO"]


def test_a_max_data_reset_closes_both_sides_and_nothing_more_is_delivered(tmp_path):
    config = seed_config(tmp_path, "ip inspect name OUT-IN smtp max-data 1000")
    with recording_server() as (server_port, recorder), \
            proxy(tmp_path, server_port, "--config", config) as px:
        sock = client(px.port)
        open_transaction(sock, "big")
        sock.sendall(b"Subject: big\r\n\r\n" + b"a" * 2000 + b"\r\n.\r\nEXPN root\r\n")
        try:
            assert until_closed(sock) == b""
        except ConnectionResetError:
            pass                                     # the RST may come first
        sock.close()
        wait_for(lambda: "the inspection reset the session; connection closed" in px.text())
        assert "%FW-4-SMTP_MAX_DATA" in px.text()
    assert recorder.messages == [] and recorder.verbs() == ["HELO", "MAIL", "RCPT", "DATA"]


def test_a_reconnection_from_a_reset_port_is_a_new_session(tmp_path):
    with recording_server() as (server_port, recorder), proxy(tmp_path, server_port) as px:
        source = ("127.0.0.1", free_port())
        first = client(px.port, source)
        open_transaction(first, "first")
        reset(first)
        wait_for(lambda: "reset by the client" in px.text())
        second = client(px.port, source)
        assert reply(second).startswith(b"220")
        assert command(second, b"EXPN root").startswith(b"500")
        assert command(second, b"QUIT").startswith(b"221")
        second.close()
    assert "EXPN" not in recorder.verbs()
    assert recorder.conversation("first") == ["HELO", "MAIL", "RCPT", "DATA"]


def test_two_clients_with_the_same_source_port_get_a_session_each(tmp_path):
    port = free_port()
    with recording_server() as (server_port, recorder), proxy(tmp_path, server_port) as px:
        sending = client(px.port, ("127.0.0.2", port))
        open_transaction(sending, "sending")
        other = client(px.port, ("127.0.0.3", port))
        assert reply(other).startswith(b"220")
        assert command(other, b"EXPN root").startswith(b"500")
        assert command(other, b"QUIT").startswith(b"221")
        other.close()
        assert command(sending, b"Subject: s\r\n\r\nbody\r\n.").startswith(b"250")
        assert command(sending, b"QUIT").startswith(b"221")
        sending.close()
    assert "EXPN" not in recorder.verbs()
    assert recorder.messages == [("a@example.org", ["b@example.net"], b"Subject: s\r\n\r\nbody\r\n")]
    assert f"127.0.0.3:{port} as 192.0.2.7:{port + 1}: port {port} still has a session" \
        in px.text()


def test_a_half_closed_pipelined_conversation_is_delivered_and_answered(tmp_path):
    """`printf 'HELO…QUIT\\r\\n' | nc -N`: everything in one go, then the sending side shut."""
    conversation = (b"HELO nc\r\nEXPN root\r\nMAIL FROM:<a@example.org>\r\n"
                    b"RCPT TO:<b@example.net>\r\nDATA\r\nSubject: nc\r\n\r\nhello\r\n.\r\n"
                    b"QUIT\r\n")
    with recording_server() as (server_port, recorder), proxy(tmp_path, server_port) as px:
        sock = client(px.port)
        sock.sendall(conversation)
        sock.shutdown(socket.SHUT_WR)
        replies = until_closed(sock)
        sock.close()
    codes = [line[:3] for line in replies.split(b"\r\n") if line]
    assert codes == [b"220", b"250", b"500", b"250", b"250", b"354", b"250", b"221"]
    assert recorder.messages == [("a@example.org", ["b@example.net"],
                                  b"Subject: nc\r\n\r\nhello\r\n")]
    assert recorder.verbs() == ["HELO", "MAIL", "RCPT", "DATA", "QUIT"]


def test_the_inspector_is_answered_only_when_nothing_waits_for_the_server():
    """What the proxy waits for before passing a half-close on."""
    inspector = SmtpInspector()
    steps = [(inspector.from_server, b"220 ready\r\n", True),
             (inspector.from_client, b"HELO a\r\nMAIL FROM:<a@b>\r\n", False),
             (inspector.from_server, b"250 hi\r\n", False),
             (inspector.from_server, b"250 ok\r\n", True),
             (inspector.from_client, b"RCPT TO:<c@d>\r\nDATA\r\nbody\r\n.\r\n", False),
             (inspector.from_server, b"250 ok\r\n354 go\r\n", False),    # message released
             (inspector.from_server, b"250 queued\r\n", True)]
    assert [(feed(data), inspector.answered)[1] for feed, data, _ in steps] == \
        [answered for _, _, answered in steps]


def test_a_half_close_drops_an_unfinished_line(tmp_path):
    with recording_server() as (server_port, recorder), proxy(tmp_path, server_port) as px:
        sock = client(px.port)
        assert reply(sock).startswith(b"220")
        sock.sendall(b"HELO a\r\nEXP")
        sock.shutdown(socket.SHUT_WR)
        assert until_closed(sock).startswith(b"250")
        sock.close()
    assert recorder.verbs() == ["HELO"]
    assert b"EXP" not in b"".join(recorder.received.values())


def test_a_client_reset_is_one_line_and_no_traceback(tmp_path):
    with recording_server() as (server_port, recorder):
        with proxy(tmp_path, server_port) as px:
            sock = client(px.port)
            assert reply(sock).startswith(b"220")
            assert command(sock, b"HELO a").startswith(b"250")
            reset(sock)
            wait_for(lambda: "reset by the client" in px.text())
            with smtplib.SMTP("127.0.0.1", px.port, timeout=10) as smtp:   # still serving
                smtp.helo("after")
                smtp.sendmail("a@example.org", ["b@example.net"], "Subject: after\r\n\r\n")
        assert "Traceback" not in px.stderr, px.stderr
    assert len(recorder.messages) == 1
    assert re.search(r"iosfw proxy: 127\.0\.0\.1:\d+ as 192\.0\.2\.7:\d+: reset by the client "
                     r"\(Connection reset by peer\); connection closed\n", px.text())


def test_logging_console_6_prints_alerts_and_audit_trail_and_mail_flows(tmp_path):
    config = seed_config(tmp_path, "ip inspect name OUT-IN smtp", "logging console 6",
                         "ip inspect audit-trail", "ip inspect tcp finwait-time 1")
    with recording_server() as (server_port, recorder), \
            proxy(tmp_path, server_port, "--config", config) as px:
        with smtplib.SMTP("127.0.0.1", px.port, timeout=10) as smtp:
            smtp.helo("six")
            assert smtp.docmd("EXPN", "root")[0] == 500
            smtp.sendmail("a@example.org", ["b@example.net"], "Subject: six\r\n\r\n")
        wait_for(lambda: "%FW-6-SESS_AUDIT_TRAIL: smtp session" in px.text())
    assert "%FW-4-SMTP_INVALID_COMMAND" in px.text()
    assert len(recorder.messages) == 1 and "EXPN" not in recorder.verbs()


def test_the_session_limit_refuses_the_next_client_with_421(tmp_path):
    with recording_server() as (server_port, _), \
            proxy(tmp_path, server_port, "--max-sessions", "2") as px:
        admitted = [client(px.port) for _ in range(2)]
        for sock in admitted:
            assert reply(sock).startswith(b"220")
        third = client(px.port)
        assert until_closed(third) == proxy_module.TOO_MANY
        third.close()
        wait_for(lambda: "refused, 2 sessions open (--max-sessions 2); sent 421" in px.text())
        assert command(admitted[0], b"QUIT").startswith(b"221")
        assert until_closed(admitted[0]) == b""
        admitted[0].close()
        time.sleep(0.2)                          # the proxy lets the finished relay go
        fourth = client(px.port)
        assert reply(fourth).startswith(b"220")
        for sock in (fourth, admitted[1]):
            assert command(sock, b"QUIT").startswith(b"221")
            sock.close()

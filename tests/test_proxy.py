"""`iosfw proxy` on real sockets (127.0.0.1 only): real SMTP clients (smtplib, a raw socket
typing one character at a time) and real servers (aiosmtpd, a recording server) with the
router's ACL, NAT and SMTP inspection between them."""
import os
import re
import smtplib
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def proxy(tmp_path, server_port, *args):
    """`iosfw proxy` in a subprocess; yields (port, the lines it printed so far: a list that
    fills while it runs)."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "iosfw", "proxy", "--listen", "127.0.0.1:0",
                             "--server", f"127.0.0.1:{server_port}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)
    lines: list[str] = []
    try:
        while True:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line)
            found = re.match(r"iosfw: proxy on 127\.0\.0\.1:(\d+) ", line)
            if found:
                break
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        yield int(found.group(1)), lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Recording:
    """aiosmtpd handler keeping the messages it accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@contextmanager
def aiosmtpd_server():
    handler, port = Recording(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
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


def wait_for(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < end
        time.sleep(0.02)


def test_a_legal_mail_is_delivered_intact(tmp_path):
    body = "Subject: lab\r\n\r\nline one\r\n.leading dot\r\nDATA inside the body\r\n"
    with aiosmtpd_server() as (server_port, handler), proxy(tmp_path, server_port) as (port, _):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.helo("client.example")
            client.sendmail("a@example.org", ["b@example.net"], body)
        wait_for(lambda: handler.messages)
    assert handler.messages == [("a@example.org", ["b@example.net"], body.encode())]


def test_an_illegal_command_reaches_the_server_as_xs_and_the_client_gets_500(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port) as (port, lines), \
            smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        assert client.helo("client")[0] == 250
        assert client.docmd("EXPN", "staff") == (500, b"unrecognized")
        client.quit()
        wait_for(lambda: b"quit" in received)          # smtplib sends its verbs in lower case
        wait_for(lambda: any("SMTP_INVALID_COMMAND" in line for line in lines))
    assert bytes(received) == b"helo client\r\nxxxxxxxxxx\r\nquit\r\n"
    assert "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.0.2.7:" \
        in "".join(lines)


def test_a_client_typing_one_character_at_a_time_gives_the_documents_debug_lines(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port, "-c", "debug ip inspect smtp") as (port, lines):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as typist:
            assert typist.recv(100) == b"220 recorder ready\r\n"
            for key in [b"H", b"E", b"L", b"O", b" ", b"a", b"\r\n"]:
                typist.sendall(key)
                time.sleep(0.05)
            assert typist.recv(100) == b"250 ok\r\n"
        wait_for(lambda: any("End Of Command Line" in line for line in lines))
    text = "".join(lines)
    assert "INSPECT SMTP Inspection debugging is on\n" in text
    debug = [line.split(": ", 1)[1].rstrip("\n") for line in lines if "CBAC SMTP:" in line]
    commands = [line for line in debug if "VERB" in line or "CMD PARAM" in line or
                "Command Line" in line]
    assert commands[:4] == [f"CBAC SMTP: VERB - Cmd len:{n}, match_len:1, cmd_re_state:{s}"
                            for n, s in ((1, 9), (2, 24), (3, 40), (4, 56))]
    assert "CBAC SMTP: VERB - match id:5" in commands
    assert commands[-1] == "CBAC SMTP: End Of Command Line - index:1, len:8"
    assert bytes(received) == b"HELO a\r\n"


def test_a_connection_the_access_list_denies_is_refused(tmp_path):
    with raw_server() as (server_port, received), \
            proxy(tmp_path, server_port, "--as", "172.22.1.111") as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            assert client.recv(100) == b""        # closed at once, never relayed
    assert bytes(received) == b""

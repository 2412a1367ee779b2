"""`iosfw serve`: telnet and SSH vty lines on one shared router (issue 6).

Real sockets on 127.0.0.1 with ephemeral ports; each test serves its own router from a temp
config in a background thread (iosfw.remote.serve.ServerThread) and stops it at the end.
"""
from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import kit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit import configure

from iosfw.cli.main import boot
from iosfw.remote.lineedit import LineEditor
from iosfw.remote.serve import ServerThread
from iosfw.remote.ssh import load_host_key
from iosfw.remote.telnet import GREETING, TelnetDecoder

ROOT = Path(__file__).resolve().parent.parent
LINE_PASSWORD = "cisco123"          # type 7 121A0C0411045D5679 in the built-in config
ENABLE_PASSWORD = "cisco123"        # enable password 7 02050D4808095E731F
VTY_BLOCK = "line vty 0 4\n password 7 121A0C0411045D5679\n login\n"


def make_config(path: Path, vty: str = "line vty 0 4\n login local\n",
                users: str = "username admin privilege 15 password 0 cisco\n"
                             "username oper password 7 121A0C0411045D5679\n") -> Path:
    text = kit.seed_text()
    assert VTY_BLOCK in text
    text = text.replace(VTY_BLOCK, vty)
    text = text.replace("enable password 7 02050D4808095E731F\n",
                        "enable password 7 02050D4808095E731F\n" + users)
    path.write_text(text)
    return path


@pytest.fixture(autouse=True)
def _xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def host_key(tmp_path_factory):
    return load_host_key(tmp_path_factory.mktemp("key") / "ssh_host_rsa_key")


@pytest.fixture
def serve(tmp_path, host_key):
    """serve(config_path) -> a running ServerThread (telnet and SSH); all stopped at the end."""
    started = []

    def start(config: Path | None = None) -> ServerThread:
        config = config or make_config(tmp_path / "router.cfg")
        router, store = boot(str(config))
        server = ServerThread(kit.device(router, store=store, live=True),
                              telnet=("127.0.0.1", 0), ssh=("127.0.0.1", 0), host_key=host_key)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def port(server: ServerThread, kind: str = "telnet") -> int:
    return server.addresses[kind][1]


class Raw:
    """A bare telnet client: bytes on a socket, the server's greeting taken off."""

    def __init__(self, server_port: int, timeout: float = 5.0):
        self.sock = socket.create_connection(("127.0.0.1", server_port), timeout=timeout)
        self.buf = b""
        self.seen = b""          # everything ever received (after the greeting)
        self.eof = False

    def _recv(self, timeout: float) -> bool:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            self.eof = True
            return False
        if not self.seen and not self.buf and data.startswith(GREETING):
            data = data[len(GREETING):]
        self.buf += data
        self.seen += data
        return True

    def until(self, pattern: bytes, timeout: float = 5.0) -> bytes:
        end = time.monotonic() + timeout
        while pattern not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or (not self._recv(left) and self.eof):
                raise AssertionError(f"{pattern!r} not received; got {self.buf!r}")
        cut = self.buf.index(pattern) + len(pattern)
        out, self.buf = self.buf[:cut], self.buf[cut:]
        return out

    def rest(self, timeout: float = 0.3) -> bytes:
        """Whatever else arrives within `timeout` (the prompt must have been the last thing)."""
        while self._recv(timeout):
            pass
        out, self.buf = self.buf, b""
        return out

    def until_eof(self, timeout: float = 5.0) -> bytes:
        end = time.monotonic() + timeout
        while not self.eof and time.monotonic() < end:
            self._recv(end - time.monotonic())
        assert self.eof, f"connection still open; got {self.buf!r}"
        out, self.buf = self.buf, b""
        return out

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def login(self, user: str = "admin", password: str = "cisco") -> bytes:
        self.until(b"Username: ")
        self.send(user.encode() + b"\r\n")
        self.until(b"Password: ")
        self.send(password.encode() + b"\r\n")
        return self.until(b"3640-123#")

    def command(self, line: str, prompt: bytes = b"3640-123#") -> str:
        """Send a line; the output between its echo and the next prompt, as text."""
        self.send(line.encode() + b"\r")
        got = self.until(prompt)
        echo = line.encode() + b"\r\n"
        assert got.startswith(echo), got[:200]
        return got[len(echo):-len(prompt)].decode("latin-1")

    def close(self) -> None:
        self.sock.close()


def one_shot(config: Path, command: str) -> str:
    return subprocess.run([sys.executable, "-m", "iosfw", "--config", str(config), "-c", command],
                          capture_output=True, text=True, cwd=ROOT, env=os.environ,
                          check=True).stdout


# ------------------------------------------------------------------ netmiko
@pytest.mark.parametrize("device_type", ["cisco_ios_telnet", "cisco_ios"])
def test_netmiko_drives_the_router(serve, tmp_path, device_type):
    import netmiko
    config = make_config(tmp_path / "router.cfg")
    expected = one_shot(config, "show ip inspect all")
    server = serve(config)
    kind = "telnet" if device_type.endswith("telnet") else "ssh"
    conn = netmiko.ConnectHandler(device_type=device_type, host="127.0.0.1",
                                  port=port(server, kind), username="admin", password="cisco",
                                  timeout=20)
    try:
        assert conn.find_prompt() == "3640-123#"
        assert conn.send_command("show ip inspect all").strip("\n") == expected.strip("\n")
        entry = "access-list 101 permit tcp any host 172.22.1.111 eq www"
        out = conn.send_config_set([entry])
        assert "3640-123(config)#" in out
        assert not conn.check_config_mode()
        assert "20 permit tcp any host 172.22.1.111 eq www" in conn.send_command(
            "show access-lists")
        assert entry not in config.read_text()
        saved = conn.save_config()
        assert "Building configuration..." in saved and "[OK]" in saved
        assert entry in config.read_text()
    finally:
        conn.disconnect()


# ------------------------------------------------------------------ ntc-templates
def test_show_outputs_parse_with_ntc_templates():
    from ntc_templates.parse import parse_output
    router, store = boot(None)
    session = kit.session(on=kit.device(router, store=store))

    def parsed(command):
        return parse_output(platform="cisco_ios", command=command,
                            data=session.execute(command).output)

    version = parsed("show version")[0]
    assert version["version"] == "12.3(4)T"
    assert version["hostname"] == "3640-123"
    assert version["hardware"] == ["3640"]
    assert version["running_image"] == "c3640-ik9o3s-mz.123-4.T.bin"
    assert version["config_register"] == "0x2102"
    assert version["software_image"] == "C3640-IK9O3S-M"

    brief = {row["interface"]: row for row in parsed("show ip interface brief")}
    assert brief["Ethernet2/0"]["ip_address"] == "172.22.1.16"
    assert brief["Ethernet2/0"]["status"] == "up" and brief["Ethernet2/0"]["proto"] == "up"
    assert brief["Serial2/0"]["status"] == "administratively down"

    acl = parsed("show access-lists")[0]
    assert (acl["name"], acl["type"], acl["sn"], acl["action"], acl["protocol"]) == \
        ("101", "Extended", "10", "permit", "tcp")
    ip_acl = [row for row in parsed("show ip access-lists") if row["line_num"]][0]
    assert (ip_acl["acl_name"], ip_acl["src_any"], ip_acl["dst_host"], ip_acl["dst_port_match"],
            ip_acl["dst_port"]) == ("101", "any", "172.22.1.110", "eq", "smtp")

    nat = parsed("show ip nat translations")
    assert {(r["inside_global_ip"], r["inside_local_ip"]) for r in nat} == \
        {("172.22.1.110", "10.10.10.2"), ("172.22.1.111", "10.10.10.5")}

    routes = {(r["protocol"], r["network"], r["prefix_length"]): r for r in parsed("show ip route")}
    assert routes[("C", "10.10.10.0", "24")]["nexthop_if"] == "Ethernet2/1"
    assert routes[("S", "0.0.0.0", "0")]["nexthop_ip"] == "172.22.1.1"

    clock = parsed("show clock")[0]
    assert (clock["time"], clock["timezone"], clock["dayweek"], clock["month"], clock["day"],
            clock["year"]) == ("00:00:00.000", "UTC", "Mon", "Mar", "1", "1993")


# ------------------------------------------------------------------ login
def test_line_password_three_bad_tries_close(serve, tmp_path):
    server = serve(make_config(tmp_path / "r.cfg", vty=VTY_BLOCK))
    c = Raw(port(server))
    assert c.until(b"Password: ") == b"\r\n\r\nUser Access Verification\r\n\r\nPassword: "
    for _ in range(2):
        c.send(b"wrong\r\n")
        assert c.until(b"Password: ") == b"\r\nPassword: "
    c.send(b"wrong\r\n")
    assert c.until_eof() == b"\r\n% Bad passwords\r\n\r\n"
    assert b"wrong" not in c.seen
    # the right password opens user EXEC; enable asks the enable password, not echoed
    c = Raw(port(server))
    c.until(b"Password: ")
    c.send(LINE_PASSWORD.encode() + b"\r\n")
    assert c.until(b"3640-123>") == b"\r\n3640-123>"
    c.send(b"enable\r")
    assert c.until(b"Password: ") == b"enable\r\nPassword: "
    c.send(ENABLE_PASSWORD.encode() + b"\r")
    assert c.until(b"3640-123#") == b"\r\n3640-123#"
    assert ENABLE_PASSWORD.encode() not in c.seen
    c.send(b"exit\r")
    assert c.until_eof() == b"exit\r\n"


def test_login_local_three_bad_tries_close(serve):
    c = Raw(port(serve()))
    assert c.until(b"Username: ").endswith(b"User Access Verification\r\n\r\nUsername: ")
    for attempt in range(3):
        c.send(b"admin\r\n")
        assert c.until(b"Password: ") == b"admin\r\nPassword: "
        c.send(b"nope\r\n")
        if attempt < 2:
            assert c.until(b"Username: ") == b"\r\n\r\n% Login invalid\r\n\r\nUsername: "
    assert c.until_eof() == b"\r\n\r\n% Login invalid\r\n\r\n"


def test_login_local_user_levels(serve):
    server = serve()
    c = Raw(port(server))
    c.until(b"Username: ")
    c.send(b"oper\r\n")
    c.until(b"Password: ")
    c.send(b"cisco123\r\n")                      # a type 7 user password, decoded
    assert c.until(b"3640-123>") == b"\r\n3640-123>"   # no privilege 15: user EXEC
    c.close()
    c = Raw(port(server))
    assert c.login() == b"\r\n3640-123#"          # privilege 15: privileged EXEC at once
    c.close()


def test_login_without_password_is_refused(serve, tmp_path):
    server = serve(make_config(tmp_path / "r.cfg", vty="line vty 0 4\n login\n"))
    c = Raw(port(server))
    assert c.until_eof() == b"\r\nPassword required, but none set\r\n"


def test_no_login_goes_straight_to_exec(serve, tmp_path):
    server = serve(make_config(tmp_path / "r.cfg", vty="line vty 0 4\n no login\n"))
    c = Raw(port(server))
    assert c.until(b"3640-123>") == b"\r\n3640-123>"
    c.send(b"enable\r")                            # the built-in enable password still asks
    assert c.until(b"Password: ") == b"enable\r\nPassword: "


def test_ssh_password_authentication(serve, tmp_path):
    import paramiko
    server = serve(make_config(tmp_path / "r.cfg", vty=VTY_BLOCK))

    def connect(user, password):
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect("127.0.0.1", port=port(server, "ssh"), username=user, password=password,
                       look_for_keys=False, allow_agent=False, timeout=10)
        return client

    # `login` with a line password: any user name, the line password
    client = connect("whoever", LINE_PASSWORD)
    shell = client.invoke_shell()
    shell.settimeout(5)
    got = b""
    while not got.endswith(b"3640-123>"):
        got += shell.recv(4096)
    shell.send(b"show users\r")
    while not got.endswith(b"3640-123>") or b"Peer Address" not in got:
        got += shell.recv(4096)
    assert b"*130 vty 0     whoever    idle" in got
    client.close()
    with pytest.raises(paramiko.AuthenticationException):
        connect("whoever", "wrong")

    # password authentication only: no keyboard-interactive, no public keys (IOS 12.3)
    transport = paramiko.Transport(("127.0.0.1", port(server, "ssh")))
    transport.start_client(timeout=10)
    with pytest.raises(paramiko.BadAuthenticationType) as refused:
        transport.auth_none("whoever")
    assert refused.value.allowed_types == ["password"]
    transport.close()

    # three failures close the connection (`ip ssh authentication-retries 3`), counted with a
    # client that keeps trying on one connection; `ip ssh authentication-retries 2` allows two
    assert ssh_attempts(port(server, "ssh")) == 3
    device = server.server.device
    server.call(lambda: configure(kit.session(on=device), "ip ssh authentication-retries 2"))
    assert ssh_attempts(port(server, "ssh")) == 2


def ssh_attempts(ssh_port: int) -> int:
    """How many passwords one SSH connection lets a client try before the router closes it."""
    import asyncssh
    tried = []

    class Guesser(asyncssh.SSHClient):
        def password_auth_requested(self):
            tried.append(None)
            return f"wrong{len(tried)}" if len(tried) <= 10 else None

    async def guess():
        with pytest.raises(asyncssh.DisconnectError):
            await asyncssh.connect("127.0.0.1", ssh_port, username="whoever", known_hosts=None,
                                   client_factory=Guesser, client_keys=None, agent_path=None,
                                   preferred_auth="password")
    asyncio.run(guess())
    return len(tried)


def test_ssh_exec_request_runs_one_command(serve):
    import paramiko
    server = serve()
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=port(server, "ssh"), username="admin", password="cisco",
                   look_for_keys=False, allow_agent=False, timeout=10)
    _, stdout, _ = client.exec_command("show clock")
    assert stdout.read().decode().endswith("UTC Mon Mar 1 1993\r\n")
    client.close()


# ------------------------------------------------------------------ the wire
def test_character_mode_wire(serve):
    server = serve()
    c = Raw(port(server))
    c.login()
    # each of CR, CR LF, CR NUL and LF is one Enter: an empty line is answered by the prompt
    for enter in (b"\r", b"\r\n", b"\r\x00", b"\n"):
        c.send(enter)
        assert c.until(b"3640-123#") == b"\r\n3640-123#"
        assert c.rest(0.15) == b""
    # the prompt is the last thing sent, with no newline after it
    c.send(b"show clock\r\n")
    got = c.until(b"3640-123#")
    assert got.startswith(b"show clock\r\n") and b"\r\n" in got and b"\n\n" not in got
    assert all(b"\r\n" == got[i - 1:i + 1] for i in range(len(got)) if got[i:i + 1] == b"\n")
    assert c.rest(0.2) == b""
    # `?`: the listing, then prompt and the line as typed
    c.send(b"show ip ?")
    listing = c.until(b"3640-123#show ip ")
    assert listing.startswith(b"show ip ?\r\n") and b"  route" in listing
    # Tab completes; backspace erases; Ctrl-U erases the line
    c.send(b"\x15sh\tcl\t")
    assert c.until(b"clock ").endswith(b"show clock ")
    c.send(b"x\x7f\r")
    assert c.until(b"3640-123#").startswith(b"x\x08 \x08\r\n*00:00:")
    # Ctrl-C cancels the line; Ctrl-Z leaves configuration mode
    c.send(b"show junk\x03")
    assert c.until(b"3640-123#") == b"show junk\r\n3640-123#"
    c.send(b"configure terminal\r")
    assert c.until(b"3640-123(config)#").endswith(
        b"End with CNTL/Z.\r\n3640-123(config)#")
    c.send(b"interface Ethernet2/0\r")
    c.until(b"3640-123(config-if)#")
    c.send(b"\x1a")
    assert c.until(b"3640-123#") == b"^Z\r\n3640-123#"
    assert c.command("write memory") == "Building configuration...\r\n[OK]\r\n"
    # the pager at `terminal length 24`: space for a page, q stops
    c.send(b"show running-config\r")
    page = c.until(b" --More-- ")
    assert page.count(b"\r\n") == 24            # the echoed line, then 23 of output
    c.send(b" ")
    c.until(b" --More-- ")
    c.send(b"q")
    assert c.until(b"3640-123#") == b"\b" * 10 + b" " * 10 + b"\b" * 10 + b"3640-123#"
    # an arrow key (an escape sequence from the client) recalls history, never echoes ESC
    c.send(b"\x1b[A")
    assert c.until(b"show running-config") == b"show running-config"
    c.send(b"\x15logout\r")
    c.until_eof()
    assert b"\x1b" not in c.seen


def test_show_users_and_shared_router(serve):
    server = serve()
    first, second = Raw(port(server)), Raw(port(server))
    first.login()
    second.login()
    second.send(b"configure terminal\rhostname edge\rend\r")
    second.until(b"edge#")
    first.send(b"\r")
    first.until(b"edge#")                      # what one user configures, another sees
    out = first.command("show users", b"edge#")
    lines = out.split("\r\n")
    assert lines[0] == "    Line       User       Host(s)              Idle       Location"
    assert re.fullmatch(r"\*130 vty 0     admin      idle                 00:00:\d\d 127\.0\.0\.1",
                        lines[1])
    assert re.fullmatch(r" 131 vty 1     admin      idle                 00:00:\d\d 127\.0\.0\.1",
                        lines[2])
    assert lines[3:] == ["", "  Interface    User               Mode         Idle     Peer Address",
                         ""]          # no blank line after the last table
    first.close()
    second.close()


def test_show_users_on_the_console():
    router, store = boot(None)
    out = kit.session(on=kit.device(router, store=store), privileged=False).execute(
        "show users").output
    assert out == ("    Line       User       Host(s)              Idle       Location\n"
                   "*  0 con 0                idle                 00:00:00 \n"
                   "\n"
                   "  Interface    User               Mode         Idle     Peer Address\n")


# ------------------------------------------------------------------ limits and abuse
def _refused(server_port: int) -> bool:
    """True when a connection gets no line: refused (RST) or closed before any prompt."""
    try:
        c = Raw(server_port, timeout=2)
    except ConnectionRefusedError:
        return True
    try:
        c.until(b": ", timeout=2)
    except (AssertionError, ConnectionResetError):
        return True
    finally:
        c.close()
    return False


def test_sixth_session_is_refused(serve):
    server = serve()
    held = [Raw(port(server)) for _ in range(5)]
    for c in held:
        c.until(b"Username: ")                 # a line sitting at the login holds its vty
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port(server)), timeout=2)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port(server, "ssh")), timeout=2)
    held.pop().close()
    deadline = time.monotonic() + 5
    while True:                               # the freed line takes the next connection
        try:
            c = Raw(port(server))
            break
        except ConnectionRefusedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert c.login() == b"\r\n3640-123#"
    for c in held:
        c.close()


def test_garbage_floods_and_hangups_do_not_hurt_the_server(serve):
    server = serve()
    rng = random.Random(6)
    # garbage, telnet commands included, then a hang-up
    c = Raw(port(server))
    c.send(bytes(rng.randrange(256) for _ in range(20000)))
    c.send(b"\xff\xfa" + b"x" * 5000)        # a subnegotiation that never ends
    c.close()
    # garbage after login, at every prompt and question
    c = Raw(port(server))
    c.login()
    c.send(b"enable\rconfigure terminal\r" + bytes(rng.randrange(256) for _ in range(20000)))
    c.close()
    # a flood of input that never reads its output
    c = Raw(port(server))
    c.login()
    c.send(b"terminal length 0\r")
    try:
        for _ in range(40):
            c.send(b"show running-config\r" * 500)
    except OSError:
        pass
    c.close()
    # a line much longer than any command, and one cut off in the middle
    c = Raw(port(server))
    c.login()
    c.send(b"a" * 300000)
    c.close()
    c = Raw(port(server))
    c.login()
    c.send(b"show running-con")
    c.close()
    # SSH garbage instead of the protocol
    s = socket.create_connection(("127.0.0.1", port(server, "ssh")))
    s.sendall(bytes(rng.randrange(256) for _ in range(5000)))
    s.close()
    # the server still works, the router is intact and every line is free again
    time.sleep(0.3)                          # the last connections may still be coming in
    deadline = time.monotonic() + 10
    while server.call(lambda: len(server.server.pool.busy)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.call(lambda: len(server.server.pool.busy)) == 0
    c = Raw(port(server))
    c.login()
    assert "hostname 3640-123" in c.command("show running-config | include hostname")
    c.close()


def test_twenty_concurrent_clients_get_unmixed_output(serve):
    server = serve()
    router, store = boot(None)
    reference = kit.session(on=kit.device(router, store=store))
    commands = ["show ip inspect all", "show ip route", "show access-lists",
                "show ip interface brief", "show ip nat translations"]
    expected = {cmd: reference.execute(cmd).output.replace("\n", "\r\n") for cmd in commands}
    results, errors, refusals = {}, [], []

    def client(i: int) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                c = Raw(port(server))
                c.login()
            except (ConnectionRefusedError, ConnectionResetError, AssertionError):
                refusals.append(i)                       # refused: all five lines busy
                time.sleep(random.uniform(0.01, 0.05))
                continue
            try:
                time.sleep(0.2)                          # hold the line a while
                c.command("terminal length 0")
                got = {cmd: c.command(cmd) for cmd in commands[i % 5:] + commands[:i % 5]}
                c.send(b"exit\r")
                c.until_eof()
                results[i] = got
            except Exception as err:  # noqa: BLE001
                errors.append((i, err))
            finally:
                c.close()
            return
        errors.append((i, "never got a line"))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(results) == 20
    for got in results.values():
        assert got == expected
    assert server.call(lambda: server.server.pool.peak) == 5     # never more than vty 0 4
    assert refusals


# ------------------------------------------------------------------ host key and the command
def test_host_key_is_made_once_with_mode_0600(tmp_path):
    path = tmp_path / "data" / "iosfw" / "ssh_host_rsa_key"
    key = load_host_key()                        # under $XDG_DATA_HOME/iosfw/
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_host_key().public_data == key.public_data


def test_iosfw_serve_command(tmp_path):
    config = make_config(tmp_path / "r.cfg")
    proc = subprocess.Popen([sys.executable, "-m", "iosfw", "serve", "--config", str(config),
                             "--telnet", "127.0.0.1:0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=os.environ)
    try:
        line = proc.stdout.readline()
        match = re.fullmatch(r"iosfw: telnet on 127\.0\.0\.1:(\d+)\n", line)
        assert match, line + proc.stderr.read()
        c = Raw(int(match.group(1)))
        c.login()
        assert c.command("show clock").endswith("UTC Mon Mar 1 1993\r\n")
        c.send(b"logout\r")
        assert c.until_eof() == b"logout\r\n"
    finally:
        proc.terminate()
        assert proc.wait(10) == 0


# ------------------------------------------------------------------ the line editor
def run_editor(editor: LineEditor, data: bytes):
    editor.feed(data)
    out, events = b"", []
    while True:
        echo, event = editor.step()
        out += echo
        if event is None:
            return out, events
        events.append((event.kind, event.text))


def test_editor_enter_keys():
    out, events = run_editor(LineEditor(), b"abc\r\x00def\r\nghi\njkl\r\r\n")
    assert events == [("line", "abc"), ("line", "def"), ("line", "ghi"), ("line", "jkl"),
                      ("line", "")]
    assert out == b"abc\r\ndef\r\nghi\r\njkl\r\n\r\n"


def test_editor_erasing():
    editor = LineEditor()
    out, events = run_editor(editor, b"ab\x7fc\x08d\r")
    assert events == [("line", "ad")]
    assert out == b"ab\b \bc\b \bd\r\n"
    out, events = run_editor(editor, b"show ip\x17x\x15y\r")
    assert events == [("line", "y")]
    assert out == b"show ip" + b"\b \b" * 2 + b"x" + b"\b \b" * 6 + b"y\r\n"
    out, _ = run_editor(editor, b"\x7f\x7f")        # nothing to erase: nothing sent
    assert out == b""


def test_editor_help_and_tab():
    editor = LineEditor(help=lambda typed: "  clock  Display the system clock\n\n",
                        complete=lambda typed: "show " if typed == "sh" else None,
                        prompt=lambda: "R1>")
    out, events = run_editor(editor, b"sh\t")
    assert out == b"show " and editor.buffer == "show "
    out, events = run_editor(editor, b"cl?")
    assert events == []
    assert out == b"cl?\r\n  clock  Display the system clock\r\n\r\nR1>show cl"
    out, events = run_editor(editor, b"\t\r")            # no completion: nothing changes
    assert events == [("line", "show cl")]


def test_editor_passwords_and_questions():
    editor = LineEditor(help=lambda typed: "HELP")
    editor.echo, editor.commands = False, False
    out, events = run_editor(editor, b"se?cr\x7fet\r")
    assert events == [("line", "se?cet")]
    assert out == b"\r\n"
    editor.single_key = True
    out, events = run_editor(editor, b"\r\n ")
    assert events == [("key", "\r")]
    assert editor.pending is True or out == b""


def test_editor_control_keys():
    out, events = run_editor(LineEditor(), b"abc\x03def\x1a\x01\x02\x1b[1;5Dx\r")
    assert events == [("interrupt", ""), ("ctrl-z", ""), ("line", "x")]
    assert b"\x1b" not in out


@settings(max_examples=300)
@given(st.binary(max_size=400), st.booleans(), st.booleans())
def test_editor_never_raises_nor_sends_escapes(data, echo, commands):
    editor = LineEditor(help=lambda typed: "\x1b[2J" + typed + "\n",
                        complete=lambda typed: typed + "\x1b" if typed else None,
                        prompt=lambda: "R1#")
    editor.echo, editor.commands = echo, commands
    editor.history = ["show \x1b version"]
    out, _ = run_editor(editor, data)
    assert b"\x1b" not in out


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_telnet_decoder_never_raises(data):
    decoder = TelnetDecoder()
    plain, _ = decoder.decode(data)
    assert len(plain) <= len(data)

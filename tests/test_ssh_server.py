"""SSH as a 12.3 router serves it (issue 14): an exec request's exit status, password-only
authentication with `ip ssh authentication-retries` tries and `ip ssh time-out`, sftp and scp
refused as IOS refuses them. docs/remote.md says what a client sees.

Real sockets on 127.0.0.1 (ephemeral ports): each test serves its own router in a background
thread (iosfw.remote.serve.ServerThread) and stops it at the end. Clients: paramiko and
asyncssh, and OpenSSH's own `ssh`, `scp` and `sftp` where they are installed (the password
given through SSH_ASKPASS, which also counts the prompts).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import kit
import paramiko
import pytest

from iosfw.cli.main import boot
from iosfw.remote.serve import ServerThread
from iosfw.remote.ssh import scp_far_end

SEED_VTY = "line vty 0 4\n password 7 121A0C0411045D5679\n login\n"
SEED_ENABLE = "enable password 7 02050D4808095E731F\n"
USER, PASSWORD = "admin", "cisco"


pytestmark = pytest.mark.usefixtures("data_home")


@pytest.fixture
def serve(tmp_path, ssh_host_key):
    """serve(*global_lines) -> the seed router with `login local` and user admin (privilege
    15, password cisco) plus `global_lines`, served over SSH; all stopped at the end."""
    started = []

    def start(*lines: str) -> ServerThread:
        text = kit.seed_text()
        assert SEED_VTY in text and SEED_ENABLE in text
        text = text.replace(SEED_VTY, "line vty 0 4\n login local\n").replace(
            SEED_ENABLE, SEED_ENABLE + f"username {USER} privilege 15 password 0 {PASSWORD}\n"
            + "".join(line + "\n" for line in lines))
        config = tmp_path / f"router{len(started)}.cfg"
        config.write_text(text)
        router, store = boot(str(config))
        server = ServerThread(kit.device(router, store=store, live=True),
                              ssh=("127.0.0.1", 0), host_key=ssh_host_key)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


def ssh_port(server: ServerThread) -> int:
    return server.addresses["ssh"][1]


def client(server: ServerThread) -> paramiko.SSHClient:
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port=ssh_port(server), username=USER, password=PASSWORD,
              look_for_keys=False, allow_agent=False, timeout=10)
    return c


def run(server: ServerThread, command: str) -> tuple[bytes, int]:
    """`ssh router COMMAND` with paramiko: what it printed and its exit status."""
    c = client(server)
    try:
        _, stdout, _ = c.exec_command(command, timeout=10)
        return stdout.read(), stdout.channel.recv_exit_status()
    finally:
        c.close()


def vtys_in_use(server: ServerThread) -> int:
    return server.call(lambda: len(server.server.pool.busy))


def all_lines_free(server: ServerThread, timeout: float = 5) -> bool:
    end = time.monotonic() + timeout
    while vtys_in_use(server):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


# ------------------------------------------------------------------ exit status
def test_exec_exit_status_says_whether_the_router_refused_the_command(serve):
    server = serve()
    out, status = run(server, "show clock")
    assert status == 0 and out.endswith(b"UTC Mon Mar 1 1993\r\n")
    out, status = run(server, "show bogus")
    assert status == 1
    assert out == b"show bogus\r\n     ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    out, status = run(server, "show")                       # incomplete
    assert status == 1 and out.startswith(b"% ")
    out, status = run(server, "show ip route")              # a command with its output
    assert status == 0 and b"Gateway of last resort" in out
    assert all_lines_free(server)


def test_an_exec_request_runs_at_the_level_the_login_gave(serve):
    """A `privilege 15` user's `ssh router "show running-config"` runs in privileged EXEC, as
    its shell would; a level-1 user's is refused as user EXEC refuses it."""
    server = serve("username viewer password 0 look")
    out, status = run(server, "show running-config")
    assert status == 0 and b"hostname 3640-123" in out
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect("127.0.0.1", port=ssh_port(server), username="viewer", password="look",
              look_for_keys=False, allow_agent=False, timeout=10)
    try:
        _, stdout, _ = c.exec_command("show running-config", timeout=10)
        assert b"% Invalid input detected" in stdout.read()
        assert stdout.channel.recv_exit_status() == 1
    finally:
        c.close()


def test_shell_ends_with_status_zero(serve):
    server = serve()
    c = client(server)
    shell = c.invoke_shell()
    shell.settimeout(5)
    got = b""
    while not got.endswith(b"3640-123#"):
        got += shell.recv(4096)
    shell.send(b"show bogus\rexit\r")
    assert shell.recv_exit_status() == 0
    c.close()


# ------------------------------------------------------------------ authentication
def refused_methods(server: ServerThread, method: str, *args) -> list[str]:
    """What the router answers a first authentication request of `method` (paramiko's
    auth_METHOD): the methods it allows instead."""
    transport = paramiko.Transport(("127.0.0.1", ssh_port(server)))
    try:
        transport.start_client(timeout=10)
        with pytest.raises(paramiko.BadAuthenticationType) as refused:
            getattr(transport, f"auth_{method}")(USER, *args)
        return refused.value.allowed_types
    finally:
        transport.close()


def test_only_password_authentication_is_offered(serve):
    server = serve()
    assert refused_methods(server, "none") == ["password"]
    assert refused_methods(server, "publickey", paramiko.RSAKey.generate(1024)) == ["password"]
    assert run(server, "show clock")[1] == 0                # and the password opens


def test_keyboard_interactive_is_not_offered(serve):
    """A client that would answer keyboard-interactive prompts with the right password is
    never asked (OpenSSH falls back to it where a server offers it)."""
    import asyncssh
    server = serve()
    asked = []

    class Answerer(asyncssh.SSHClient):
        def kbdint_auth_requested(self):
            asked.append(None)
            return ""

        def kbdint_challenge_received(self, name, instructions, lang, prompts):
            return [PASSWORD for _ in prompts]

    async def connect():
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect("127.0.0.1", ssh_port(server), username=USER,
                                   known_hosts=None, client_factory=Answerer, client_keys=None,
                                   agent_path=None, password=None,
                                   preferred_auth="keyboard-interactive")
    asyncio.run(connect())
    assert asked == []


def password_tries(port: int) -> tuple[int, str]:
    """How many wrong passwords one connection lets a client try (the client would go on to
    ten), and how the router ended it: its disconnect reason."""
    import asyncssh
    tried = []

    class Guesser(asyncssh.SSHClient):
        def password_auth_requested(self):
            tried.append(None)
            return f"wrong{len(tried)}" if len(tried) <= 10 else None

    async def guess() -> str:
        try:
            await asyncssh.connect("127.0.0.1", port, username=USER, known_hosts=None,
                                   client_factory=Guesser, client_keys=None, agent_path=None,
                                   preferred_auth="password")
        except asyncssh.DisconnectError as err:
            return err.reason
        return "not disconnected"
    reason = asyncio.run(guess())
    return len(tried), reason


@pytest.mark.parametrize("lines, tries", [
    ((), 3),                                                  # IOS's default
    (("ip ssh authentication-retries 2",), 2),
    (("ip ssh authentication-retries 5",), 5),
    (("ip ssh authentication-retries 5", "no ip ssh authentication-retries"), 3),
    (("ip ssh authentication-retries 0",), 1),                # the first try is always given
])
def test_authentication_retries_tries_then_disconnect(serve, lines, tries):
    server = serve(*lines)
    assert password_tries(ssh_port(server)) == (tries, "Authentication failed")
    assert all_lines_free(server)


def test_retries_changed_while_serving_apply_to_the_next_connection(serve):
    server = serve()
    device = server.server.device
    server.call(lambda: kit.configure(kit.session(on=device), "ip ssh authentication-retries 1"))
    assert password_tries(ssh_port(server)) == (1, "Authentication failed")


def read_banner(sock: socket.socket) -> bytes:
    got = b""
    while b"\n" not in got:
        data = sock.recv(256)
        assert data, got
        got += data
    return got


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except socket.timeout:
        return False
    except ConnectionResetError:
        pass
    return True


def test_ip_ssh_time_out_ends_a_silent_connection_on_the_router_clock(serve):
    server = serve("ip ssh time-out 5")
    clock = server.server.device.clock
    sock = socket.create_connection(("127.0.0.1", ssh_port(server)), timeout=5)
    try:
        assert read_banner(sock) == b"SSH-2.0-Cisco-1.25\r\n"
        assert not closed_within(sock, 0.3)       # the router's clock has not moved 5 s yet
        server.call(lambda: clock.advance(5))
        assert closed_within(sock, 5)
    finally:
        sock.close()
    assert all_lines_free(server)


def test_without_ip_ssh_time_out_the_login_timeout_ends_a_silent_connection(serve):
    server = serve()
    clock = server.server.device.clock
    sock = socket.create_connection(("127.0.0.1", ssh_port(server)), timeout=5)
    try:
        read_banner(sock)
        server.call(lambda: clock.advance(20))
        assert not closed_within(sock, 1.5)       # 120 s (time-out) and 30 s (login) ahead
        server.call(lambda: clock.advance(10))
        assert closed_within(sock, 5)
    finally:
        sock.close()


# ------------------------------------------------------------------ sftp and scp
def test_sftp_drops_the_connection(serve):
    server = serve()
    c = client(server)
    transport = c.get_transport()
    with pytest.raises((paramiko.SSHException, EOFError, OSError)):
        c.open_sftp()
    end = time.monotonic() + 5
    while transport.is_active():
        assert time.monotonic() < end, "the connection is still up"
        time.sleep(0.05)
    c.close()
    assert all_lines_free(server)


@pytest.mark.parametrize("command", ["scp -t flash:x", "scp -f flash:x", "scp -v -t -- x",
                                     "scp -pt nvram:startup-config", "scp -r -d -t flash:"])
def test_scp_is_answered_as_without_ip_scp_server_enable(serve, command):
    server = serve()
    assert run(server, command) == (b"\x01Administratively disabled.\n", 1)
    assert all_lines_free(server)


def test_which_exec_requests_are_an_scp_far_end():
    assert scp_far_end("scp -t flash:x") and scp_far_end("scp -f running-config")
    assert scp_far_end("scp -v -p -t -- flash:")
    for command in ("scp", "scp flash:x", "scp -v x -t", "show scp", "", "scpx -t y"):
        assert not scp_far_end(command), command


# ------------------------------------------------------------------ OpenSSH's own clients
class OpenSSH:
    """OpenSSH's ssh/scp/sftp against one served router, with no user configuration or
    known hosts, the password given by an SSH_ASKPASS script that counts its prompts."""

    def __init__(self, tmp: Path, port: int):
        self.port = port
        self.prompts = tmp / "prompts"
        self.askpass = tmp / "askpass.sh"
        self.askpass.write_text(f'#!/bin/sh\necho >> "{self.prompts}"\n'
                                'echo "$IOSFW_TEST_PASSWORD"\n')
        self.askpass.chmod(0o700)

    def run(self, program: str, *args: str, password: str = PASSWORD):
        if self.prompts.exists():
            self.prompts.unlink()
        env = dict(os.environ, SSH_ASKPASS=str(self.askpass), SSH_ASKPASS_REQUIRE="force",
                   DISPLAY=os.environ.get("DISPLAY", ":0"), IOSFW_TEST_PASSWORD=password)
        port = ["-p" if program == "ssh" else "-P", str(self.port)]
        options = ["-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
                   "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                   "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=5"]
        done = subprocess.run([program, *port, *options, *args], env=env, timeout=60,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              start_new_session=True)   # no terminal: the password by askpass
        return done

    @property
    def prompted(self) -> int:
        return len(self.prompts.read_text().splitlines()) if self.prompts.exists() else 0


@pytest.fixture
def openssh(tmp_path):
    def make(server: ServerThread) -> OpenSSH:
        return OpenSSH(tmp_path, ssh_port(server))
    if shutil.which("ssh") is None:
        pytest.skip("OpenSSH's ssh client is not installed")
    return make


def test_openssh_exit_status_and_tries(serve, openssh):
    server = serve("ip ssh authentication-retries 2")
    ssh = openssh(server)
    done = ssh.run("ssh", f"{USER}@127.0.0.1", "show bogus")
    assert done.returncode == 1, done.stderr
    assert done.stdout == b"show bogus\r\n     ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    assert ssh.prompted == 1
    done = ssh.run("ssh", f"{USER}@127.0.0.1", "show clock")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(b"UTC Mon Mar 1 1993\r\n")
    # two tries (of the five the client would make), then the router hangs up
    done = ssh.run("ssh", f"{USER}@127.0.0.1", "show clock", password="wrong")
    assert (done.returncode, ssh.prompted) == (255, 2)
    assert b"Authentication failed" in done.stderr
    assert all_lines_free(server)


def test_openssh_sftp_and_scp_are_refused(serve, openssh, tmp_path):
    if shutil.which("sftp") is None or shutil.which("scp") is None:
        pytest.skip("OpenSSH's sftp or scp is not installed")
    server = serve()
    ssh = openssh(server)
    done = ssh.run("sftp", f"{USER}@127.0.0.1")
    assert done.returncode != 0
    assert b"Connection closed" in done.stderr
    local = tmp_path / "file.txt"
    local.write_text("hello\n")
    done = ssh.run("scp", "-O", str(local), f"{USER}@127.0.0.1:flash:file.txt")   # SCP itself
    assert (done.returncode, done.stderr) == (1, b"Administratively disabled.\n")
    done = ssh.run("scp", "-O", f"{USER}@127.0.0.1:flash:file.txt", str(tmp_path / "got"))
    assert (done.returncode, done.stderr) == (1, b"Administratively disabled.\n")
    assert not (tmp_path / "got").exists()
    assert all_lines_free(server)

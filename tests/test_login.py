"""The Login Enhancements of IOS 12.3(4)T (`login block-for`, quiet mode and its access class,
`login delay`, `login on-failure/on-success log`, `show login [failures]`), the login timer
(`timeout login response`), `access-class` on the vty lines and SSH authentication as
`ip ssh authentication-retries` / `ip ssh time-out` say.

Most tests drive Vty lines without sockets on a virtual clock (Clock(live=False), advanced
by the test, each vty ticked as the server ticks it once a second); the last ones serve the
router on 127.0.0.1 and attack it with real telnet and SSH clients.
"""
from __future__ import annotations

import socket
import time
from pathlib import Path

import kit
import pytest
from kit import configure

from iosfw.cli.main import boot
from iosfw.remote.serve import ServerThread
from iosfw.remote.ssh import load_host_key
from iosfw.remote.vty import Vty, VtyPool
from iosfw.show.running_config import render_lines

ROUTER = ("172.22.1.16", 23)          # the router's end of a telnet connection
LOCAL_VTY = ["line vty 0 4", "login local", "exit",
             "username admin privilege 15 password 0 cisco"]


# ------------------------------------------------------------------ Vty-level helpers
class Lab:
    """The seed router on a virtual clock, configured from its console, with its vty pool."""

    def __init__(self, tmp_path: Path, *config: str):
        self.device = kit.device(nvram=tmp_path)
        self.console = kit.session(on=self.device)
        self.pool = VtyPool(self.device)
        if config:
            self.configure(*config)

    def configure(self, *lines: str) -> None:
        configure(self.console, *lines)

    def connect(self, peer: str = "10.9.9.9", port: int = 40000):
        """A telnet connection from `peer`: (vty, link), or None when the router refuses it."""
        number = self.pool.reserve()
        if not self.pool.admits(number, (peer, port), ROUTER):
            self.pool.release(number)
            return None
        return kit.vty(self.pool, peer, number=number, local=ROUTER, peer_port=port)

    def wait(self, seconds: float) -> None:
        """Let virtual time pass, a server tick per second (each vty's, then the pool's)."""
        for _ in range(int(seconds)):
            self.device.clock.advance(1)
            for vty in self.pool.vtys():
                vty.tick(time.monotonic())
            self.pool.deliver()

    def messages(self) -> list[str]:
        """The %SEC_LOGIN messages logged so far, without their timestamp prefix."""
        return [m.text[m.text.index("%"):] for m in self.device.log.recent
                if "%SEC_LOGIN" in m.text]

    def show(self, command: str) -> str:
        """What the console prints for `command`, without log messages that came before."""
        self.console.pending_messages()
        return self.console.execute(command).output


def attempt(vty: Vty, user: str, password: str) -> None:
    vty.data_received(f"{user}\r{password}\r".encode())


# ------------------------------------------------------------------ show login
def test_show_login_without_the_watch(tmp_path):
    lab = Lab(tmp_path, "login on-success log", "login on-failure log")
    assert lab.show("show login") == (
        "     No login delay has been applied.\n"
        "     No Quiet-Mode access list has been configured.\n"
        "     All successful login is logged.\n"
        "     All failed login is logged.\n"
        "     Router NOT enabled to watch for login Attacks\n")


def test_show_login_as_the_feature_guide_prints_it(tmp_path):
    lab = Lab(tmp_path, "login block-for 100 attempts 2 within 100", "login on-success log",
              "login on-failure log")
    lab.wait(95)
    assert lab.show("show login") == (
        "     A default login delay of 1 seconds is applied.\n"
        "     No Quiet-Mode access list has been configured.\n"
        "     All successful login is logged.\n"
        "     All failed login is logged.\n"
        "\n"
        "     Router enabled to watch for login Attacks.\n"
        "     If more than 2 login failures occur in 100 seconds or less,\n"
        "       logins will be disabled for 100 seconds.\n"
        "\n"
        "     Router presently in Normal-Mode.\n"
        "     Current Watch Window\n"
        "       Time remaining: 5 seconds.\n"
        "       Login failures for current window: 0.\n"
        "     Total login failures: 0.\n")


def test_show_login_designed_lines(tmp_path):
    lab = Lab(tmp_path, "login delay 3", "login quiet-mode access-class MGMT",
              "login on-failure log every 5")
    lines = lab.show("show login").splitlines()
    assert lines[:4] == ["     A login delay of 3 seconds is applied.",
                         "     Quiet-Mode access list MGMT is applied.",
                         "     No logging of successful logins.",
                         "     Every 5 failed login is logged."]


# ------------------------------------------------------------------ the watch and quiet mode
def test_the_feature_guides_quiet_mode_messages(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY, "login block-for 180 attempts 2 within 180")
    lab.console.execute("clock set 16:17:01 26 Feb 2003")
    lab.wait(20)
    vty, link = lab.connect("10.4.2.11")
    attempt(vty, "admin", "guess1")
    assert link.take().endswith("% Login invalid\r\n\r\n")    # the prompt waits for the delay
    lab.wait(2)
    assert link.take() == "Username: "
    attempt(vty, "admin", "guess2")
    assert lab.messages() == [
        "%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is 158 secs, "
        "[user: admin] [Source: 10.4.2.11] [localport: 23] [Reason: Invalid login] "
        "[ACL: sl_def_acl] at 16:17:23 UTC Wed Feb 26 2003"]
    assert link.closed and vty.state == "closed"           # quiet mode: no more attempts
    assert lab.connect("10.4.2.11") is None                 # and no new connections
    lines = lab.show("show login").splitlines()
    assert lines[9:] == ["     Router presently in Quiet-Mode.",
                         "     Will remain in Quiet-Mode for 180 seconds.",
                         "     Restricted logins filtered by applied ACL sl_def_acl.",
                         "     Total login failures: 2."]
    lab.wait(179)
    assert lab.connect("10.4.2.11") is None
    lab.wait(1)
    assert lab.messages()[1:] == ["%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because "
                                  "block period timed out at 16:20:23 UTC Wed Feb 26 2003"]
    assert lab.connect("10.4.2.11") is not None


def test_the_feature_guides_failure_and_success_messages(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY, "username test password 0 test", "login on-failure log",
              "login on-success log")
    lab.console.execute("clock set 20:55:40 26 Feb 2003")
    vty, link = lab.connect("10.4.2.11")
    attempt(vty, "sdfs", "x")
    attempt(vty, "test", "test")                 # no login delay without `login block-for`
    assert link.take().endswith("Username: test\r\nPassword: \r\n3640-123>")
    assert lab.messages() == [
        "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: sdfs] [Source: 10.4.2.11] "
        "[localport: 23] [Reason: Invalid login] at 20:55:40 UTC Wed Feb 26 2003",
        "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: test] [Source: 10.4.2.11] "
        "[localport: 23] at 20:55:40 UTC Wed Feb 26 2003"]


def test_brute_force_is_blocked_and_the_quiet_mode_access_class_exempts(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY, "access-list 10 permit host 10.0.0.5",
              "login block-for 60 attempts 3 within 30", "login quiet-mode access-class 10")
    vty, link = lab.connect("10.9.9.9")
    for guess in ("a", "b"):
        attempt(vty, "admin", guess)
        lab.wait(1)
    other, other_link = lab.connect("10.9.9.10")            # at its prompt meanwhile
    attempt(vty, "admin", "c")                               # the third failure in 30 s
    assert link.closed
    assert lab.messages()[0].startswith("%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for "
                                        "watching failures is 28 secs, [user: admin] "
                                        "[Source: 10.9.9.9] [localport: 23] "
                                        "[Reason: Invalid login] [ACL: 10] at ")
    assert lab.connect("10.9.9.9") is None
    attempt(other, "admin", "cisco")                         # even the right password
    assert other_link.closed and other.session is None
    exempt, exempt_link = lab.connect("10.0.0.5")            # permitted by access-list 10
    attempt(exempt, "admin", "cisco")
    assert exempt_link.take().endswith("3640-123#")
    assert "10 permit 10.0.0.5 (2 matches)" in lab.show("show access-lists 10")
    assert "Restricted logins filtered by applied ACL 10." in lab.show("show login")
    lab.wait(60)
    assert lab.connect("10.9.9.9") is not None


def test_failures_outside_one_window_do_not_block(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY, "login block-for 60 attempts 3 within 30")
    vty, _ = lab.connect()
    attempt(vty, "admin", "a")
    lab.wait(25)
    attempt(vty, "admin", "b")
    lab.wait(10)                                  # the second window has begun
    vty, _ = lab.connect()
    attempt(vty, "admin", "c")
    assert lab.messages() == []
    assert "       Login failures for current window: 1." in lab.show("show login")


def test_show_login_failures(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY)
    lab.console.execute("clock set 21:52:49 9 Mar 2003")
    vty, _ = lab.connect("10.1.1.1")
    attempt(vty, "try1", "x")
    attempt(vty, "admin", "x")
    attempt(vty, "admin", "y")
    assert lab.show("show login failures") == (
        "Total failed logins: 3\n"
        "Detailed information about last 50 failures\n"
        "\n"
        "Username        SourceIPAddr    lPort Count TimeStamp\n"
        "try1            10.1.1.1        23    1     21:52:49 UTC Sun Mar 9 2003\n"
        "admin           10.1.1.1        23    2     21:52:49 UTC Sun Mar 9 2003\n")


# ------------------------------------------------------------------ the login delay and timer
def test_login_delay_holds_the_next_prompt(tmp_path):
    lab = Lab(tmp_path, "login block-for 60 attempts 3 within 30", "login delay 3")
    vty, link = lab.connect()
    link.take()
    vty.data_received(b"wrong\r")
    assert link.take() == "\r\n"
    vty.data_received(b"typed meanwhile\r")               # thrown away, not echoed
    lab.wait(2)
    assert link.take() == "\r\n"
    lab.wait(1)
    assert link.take() == "Password: "
    vty.data_received(b"cisco123\r")
    assert link.take() == "\r\n3640-123>"


def test_login_timer_runs_from_the_start_of_the_login(tmp_path):
    lab = Lab(tmp_path)
    vty, link = lab.connect()
    for _ in range(5):                            # a key every five seconds
        vty.data_received(b"x")
        lab.wait(5)
        assert not link.closed
    lab.wait(5)
    assert link.take().endswith("\r\n% Password:  timeout expired!\r\n")
    assert link.closed


def test_timeout_login_response_sets_the_login_timer(tmp_path):
    lab = Lab(tmp_path, *LOCAL_VTY[:2], "timeout login response 10")
    vty, link = lab.connect()
    vty.data_received(b"admin\r")
    lab.wait(9)
    assert not link.closed
    lab.wait(1)
    assert link.take().endswith("\r\n% Password:  timeout expired!\r\n")
    assert "timeout login response 10" in lab.show("show running-config | section line vty")


def test_exec_timeout_waits_while_the_line_is_working(tmp_path):
    lab = Lab(tmp_path, "line vty 0 4", "exec-timeout 1 0")
    vty, link = lab.connect()
    vty.data_received(b"cisco123\r")
    start = time.monotonic()
    vty.pause()                                   # the client does not take the output
    vty.tick(start + 120)
    assert not link.closed
    vty.resume()
    vty.tick(start + 170)
    assert not link.closed                        # idle for 50 s only
    vty.tick(start + 181)
    assert link.closed


# ------------------------------------------------------------------ access-class on the vty
def test_vty_access_class_refuses_other_hosts(tmp_path):
    lab = Lab(tmp_path, "access-list 5 permit 10.1.0.0 0.0.255.255", "line vty 0 4",
              "access-class 5 in", "access-class 6 out")
    assert lab.connect("10.2.0.1") is None
    assert lab.connect("10.1.2.3") is not None
    assert "access-class 7 in" not in lab.show("show running-config")
    assert lab.show("show running-config | section line vty") == (
        "line vty 0 4\n access-class 5 in\n access-class 6 out\n"
        " password 7 121A0C0411045D5679\n login\n")
    lab.configure("line vty 0 4", "access-class 9 in")     # a list that does not exist
    assert lab.connect("10.2.0.1") is not None


# ------------------------------------------------------------------ configuration
def test_configuration_round_trip_and_help(tmp_path):
    lab = Lab(tmp_path, "login block-for 60 attempts 3 within 30", "login delay 2",
              "login quiet-mode access-class 10", "login on-failure log every 3",
              "login on-success log", "ip ssh time-out 60", "ip ssh authentication-retries 2")
    text = lab.show("show running-config")
    block = ["ip ssh time-out 60", "ip ssh authentication-retries 2",
             "login block-for 60 attempts 3 within 30", "login delay 2",
             "login quiet-mode access-class 10", "login on-failure log every 3",
             "login on-success log"]
    lines = text.splitlines()
    at = lines.index(block[0])
    assert lines[at:at + len(block)] == block
    router = lab.device.router
    assert render_lines(kit.router("\n".join(render_lines(router)))) == \
        render_lines(router)
    lab.configure("no login block-for", "no login delay", "no login quiet-mode access-class",
                  "no login on-failure log", "no login on-success log every 4",
                  "no ip ssh time-out", "no ip ssh authentication-retries")
    assert not [x for x in lab.show("show running-config").splitlines()
                if x.startswith(("login", "ip ssh"))]
    s = lab.console
    s.execute("configure terminal")
    assert s.help("login ") == (
        "  block-for   Set quiet-mode active time period\n"
        "  delay       Set delay between successive fail login\n"
        "  on-failure  Set options for failed login attempt\n"
        "  on-success  Set options for successful login attempt\n"
        "  quiet-mode  Set quiet-mode options\n\n")
    assert "  login     Set login banner\n" in s.help("banner ")
    assert s.help("login delay ") == \
        "  <1-10>  Delay in seconds between login attempts\n\n"
    assert s.execute("login delay 11").error
    assert s.execute("ip ssh authentication-retries 6").error
    s.execute("end")
    assert "  failures  Display Login Failures" in s.help("show login ")


# ------------------------------------------------------------------ real clients
@pytest.fixture
def served(tmp_path, monkeypatch):
    """The seed router served on 127.0.0.1 with `login local`, the watch on (`login block-for
    60 attempts 3 within 30`) and 127.0.0.1 exempt from quiet mode; attackers connect from
    127.0.0.2."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    text = kit.seed_text().replace(
        "line vty 0 4\n password 7 121A0C0411045D5679\n login\n",
        "line vty 0 4\n login local\n").replace(
        "enable password 7 02050D4808095E731F\n",
        "enable password 7 02050D4808095E731F\nusername admin privilege 15 password 0 cisco\n"
        "access-list 10 permit host 127.0.0.1\nlogin block-for 60 attempts 3 within 30\n"
        "login quiet-mode access-class 10\nlogin on-failure log\n")
    config = tmp_path / "router.cfg"
    config.write_text(text)
    router, store = boot(str(config))
    server = ServerThread(kit.device(router, store=store, live=True), telnet=("127.0.0.1", 0),
                          ssh=("127.0.0.1", 0),
                          host_key=load_host_key(tmp_path / "ssh_host_rsa_key"))
    with server:
        yield server


def port(server: ServerThread, kind: str) -> int:
    return server.addresses[kind][1]


def connect_from(source: str, server_port: int) -> socket.socket:
    sock = socket.socket()
    sock.settimeout(5)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server_port))
    return sock


def read_until(sock: socket.socket, pattern: bytes, timeout: float = 5) -> bytes:
    got, end = b"", time.monotonic() + timeout
    while pattern not in got:
        assert time.monotonic() < end, got
        data = sock.recv(4096)
        assert data, got
        got += data
    return got


def refused(source: str, server_port: int) -> bool:
    """The router resets the connection before it sends anything."""
    try:
        sock = connect_from(source, server_port)
    except (ConnectionRefusedError, ConnectionResetError):   # the reset can beat connect()
        return True
    try:
        return sock.recv(4096) == b""
    except ConnectionResetError:
        return True
    finally:
        sock.close()


def ssh_client(server: ServerThread, password: str = "cisco"):
    import paramiko
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=port(server, "ssh"), username="admin", password=password,
                   look_for_keys=False, allow_agent=False, timeout=10)
    return client


def test_brute_force_client_is_blocked_over_telnet_and_ssh(served):
    attacker = connect_from("127.0.0.2", port(served, "telnet"))
    for guess in (b"a", b"b", b"c"):
        read_until(attacker, b"Username: ")
        attacker.sendall(b"admin\r\n")
        read_until(attacker, b"Password: ")
        attacker.sendall(guess + b"\r\n")
    read_until(attacker, b"% Login invalid\r\n\r\n")
    assert attacker.recv(4096) == b""                  # the third failure hangs up
    attacker.close()
    assert refused("127.0.0.2", port(served, "telnet"))
    assert refused("127.0.0.2", port(served, "ssh"))
    log = served.call(lambda: [m.text for m in served.server.device.log.recent])
    quiet = [m for m in log if "%SEC_LOGIN-1-QUIET_MODE_ON" in m]
    assert len(quiet) == 1 and "[user: admin] [Source: 127.0.0.2] " \
        f"[localport: {port(served, 'telnet')}] [Reason: Invalid login] [ACL: 10] at " in quiet[0]
    assert sum("%SEC_LOGIN-4-LOGIN_FAILED" in m for m in log) == 3
    # the exempt host still logs in, over telnet and SSH
    admin = connect_from("127.0.0.1", port(served, "telnet"))
    read_until(admin, b"Username: ")
    admin.sendall(b"admin\r\ncisco\r\nshow login\r")
    shown = read_until(admin, b"Total login failures: 3.\r\n").decode()
    assert ("     Router presently in Quiet-Mode.\r\n"
            "     Will remain in Quiet-Mode for ") in shown
    assert "     Restricted logins filtered by applied ACL 10.\r\n" in shown
    admin.close()
    client = ssh_client(served)
    _, out, _ = client.exec_command("show clock")
    assert out.read().endswith(b"UTC Mon Mar 1 1993\r\n")
    client.close()
    # the block period over (on the router's clock), the attacker may try again
    served.call(lambda: served.server.device.clock.advance(60))
    deadline = time.monotonic() + 5
    while refused("127.0.0.2", port(served, "telnet")):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    log = served.call(lambda: [m.text for m in served.server.device.log.recent])
    assert any("%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed "
               "out at " in m for m in log)


def test_ssh_brute_force_counts_in_the_same_watch(served):
    import paramiko
    for _ in range(3):
        with pytest.raises(paramiko.AuthenticationException):
            ssh_client(served, password="wrong")
    assert refused("127.0.0.2", port(served, "ssh"))   # quiet mode, whoever tried
    client = ssh_client(served)                         # 127.0.0.1 is exempt
    client.close()
    rows = served.call(lambda: served.server.pool.guard.watch().rows)
    assert [(r.user, r.source, r.port, r.count) for r in rows] == \
        [("admin", "127.0.0.1", port(served, "ssh"), 3)]


PATIENCE = 20   # seconds a test waits for the server's own loop (a loaded CI machine is slow)


def refused_soon(server_port: int, deadline: float) -> bool:
    """A connection is refused before `deadline`: the server stops listening once the last
    vty is taken, on its own loop, a moment after the test sees the vtys busy."""
    while time.monotonic() < deadline:
        try:
            probe = socket.create_connection(("127.0.0.1", server_port), timeout=2)
        except ConnectionRefusedError:
            return True
        probe.close()
        time.sleep(0.05)
    return False


def test_silent_connections_do_not_hold_the_vtys(served):
    """Five connections that never say a word (three on SSH, two on telnet) hold every vty
    until the login timer (30 s on the router's clock) ends them."""
    held = [socket.create_connection(("127.0.0.1", port(served, kind)), timeout=5)
            for kind in ("ssh", "ssh", "ssh", "telnet", "telnet")]
    deadline = time.monotonic() + PATIENCE
    while served.call(lambda: len(served.server.pool.busy)) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert refused_soon(port(served, "ssh"), deadline)
    served.call(lambda: served.server.device.clock.advance(30))
    deadline = time.monotonic() + PATIENCE
    while served.call(lambda: len(served.server.pool.busy)):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    for sock in held:
        sock.close()
    c = connect_from("127.0.0.1", port(served, "telnet"))
    assert read_until(c, b"Username: ")
    c.close()


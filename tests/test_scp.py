"""The router's SCP server (issue 14): `ip scp server enable`, and the server side of `scp -t`
and `scp -f` over `iosfw serve`'s SSH, putting files on flash: (and nvram:) and getting them
back through the router's own file systems. docs/remote.md says what a client sees.

Real sockets on 127.0.0.1 (ephemeral ports): each test serves its own router in a background
thread (iosfw.remote.serve.ServerThread) and stops it at the end; a fault inside the server
fails the test. Clients: a paramiko channel speaking the protocol byte by byte, OpenSSH's own
`scp -O` where it is installed (the password through SSH_ASKPASS, as tests/test_ssh_server.py
gives it), and netmiko's `file_transfer`, as automation uses it.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import time

import kit
import paramiko
import pytest
from test_ssh_server import OpenSSH

from iosfw.cli.main import boot
from iosfw.config.render import startup_text
from iosfw.filesystem import FILE_HEADER, FLASH_BYTES, IMAGE_BYTES, IMAGE_NAME
from iosfw.remote.scp import parse_request
from iosfw.remote.serve import ServerThread

SEED_VTY = "line vty 0 4\n password 7 121A0C0411045D5679\n login\n"
SEED_ENABLE = "enable password 7 02050D4808095E731F\n"
LOGIN_LOCAL = "line vty 0 4\n login local\n"
USER, PASSWORD = "admin", "cisco"            # privilege 15
OPERATOR = "oper"                            # privilege 1, the same password
SCP_ON = "ip scp server enable"
DISABLED = (b"\x01Administratively disabled.\n", 1)
DENIED = (b"\x01Privilege denied.\n", 1)
# a file with every byte value in it, larger than one SSH packet and one read of the server
PAYLOAD = bytes(range(256)) * 1200 + b"\r\n\x00 last line\n"


# ------------------------------------------------------------------ the served router
pytestmark = pytest.mark.usefixtures("data_home")


class Served:
    """One router served over SSH, with its device and the faults its server reported."""

    def __init__(self, thread: ServerThread, faults: list[str]):
        self.thread = thread
        self.faults = faults
        self.device = thread.server.device
        self.port = thread.addresses["ssh"][1]

    def call(self, function):
        return self.thread.call(function)

    def flash(self, name: str) -> bytes:
        return self.call(lambda: self.device.files.flash.read(name))

    def flash_names(self) -> list[str]:
        return self.call(lambda: [e.name for e in self.device.files.flash.entries()])

    def lines_free(self, timeout: float = 5) -> bool:
        end = time.monotonic() + timeout
        while self.call(lambda: len(self.thread.server.pool.busy)):
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True


@pytest.fixture
def serve(tmp_path, ssh_host_key):
    """serve(*global_lines, vty=...) -> the seed router with user admin (privilege 15) and
    oper (privilege 1), both with password cisco, the vty lines as `vty` says (`login local`
    unless told), plus `global_lines`; served over SSH and stopped at the end."""
    started: list[Served] = []

    def start(*lines: str, vty: str = LOGIN_LOCAL) -> Served:
        text = kit.seed_text()
        assert SEED_VTY in text and SEED_ENABLE in text
        users = (f"username {USER} privilege 15 password 0 {PASSWORD}\n"
                 f"username {OPERATOR} password 0 {PASSWORD}\n")
        text = text.replace(SEED_VTY, vty).replace(
            SEED_ENABLE, SEED_ENABLE + users + "".join(line + "\n" for line in lines))
        config = tmp_path / f"router{len(started)}.cfg"
        config.write_text(text)
        router, store = boot(str(config))
        faults: list[str] = []
        thread = ServerThread(kit.device(router, store=store, live=True), ssh=("127.0.0.1", 0),
                              host_key=ssh_host_key, report=faults.append)
        served = Served(thread.start(), faults)
        started.append(served)
        return served

    yield start
    for served in started:
        served.thread.stop()
    for served in started:
        assert served.faults == []


class Far:
    """An scp client's side of one exec request, byte by byte, on a paramiko channel."""

    def __init__(self, served: Served, command: str, user: str = USER,
                 password: str = PASSWORD):
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect("127.0.0.1", port=served.port, username=user, password=password,
                            look_for_keys=False, allow_agent=False, timeout=10)
        self.chan = self.client.get_transport().open_session()
        self.chan.settimeout(10)
        self.chan.exec_command(command)

    def read(self, size: int) -> bytes:
        """`size` bytes, or fewer if the router closes the channel first."""
        got = b""
        while len(got) < size:
            chunk = self.chan.recv(size - len(got))
            if not chunk:
                break
            got += chunk
        return got

    def line(self) -> bytes:
        got = b""
        while not got.endswith(b"\n"):
            chunk = self.chan.recv(1)
            if not chunk:
                break
            got += chunk
        return got

    def send(self, data: bytes) -> None:
        self.chan.sendall(data)

    def finish(self) -> tuple[bytes, int]:
        """EOF from the client; what the router still said, and the exit status."""
        self.chan.shutdown_write()
        rest = b""
        while chunk := self.chan.recv(65536):
            rest += chunk
        status = self.chan.recv_exit_status()
        self.client.close()
        return rest, status


def refused(served: Served, command: str, **login) -> tuple[bytes, int]:
    """What the router answers an scp far end it does not take part in."""
    far = Far(served, command, **login)
    return far.finish()


def put(served: Served, target: str, name: str, data: bytes, *, first: bytes = b"",
        command: str = "scp -t") -> tuple[bytes, int]:
    """`scp -t TARGET` receiving one file: the router's first answer must be yes; then what
    it answered the file (b"\\0\\0" when it took it) and the exit status."""
    far = Far(served, f"{command} {target}")
    assert far.read(1) == b"\0"
    if first:
        far.send(first)
        assert far.read(1) == b"\0"
    far.send(f"C0644 {len(data)} {name}\n".encode())
    answer = far.read(1)
    if answer == b"\0":
        far.send(data + b"\0")
        answer += far.read(1)
    if answer.endswith(b"\x01"):
        answer += far.line()
    rest, status = far.finish()
    return answer + rest, status


# ------------------------------------------------------------------ the command
def test_ip_scp_server_enable_is_written_after_the_ip_ssh_lines_and_round_trips():
    text = kit.seed_with("ip ssh time-out 60", SCP_ON)
    router = kit.router(text)
    assert router.ip_scp_server
    saved = startup_text(router)
    assert "ip ssh time-out 60\nip scp server enable\n" in saved
    assert saved.count(SCP_ON) == 1
    again = kit.router(saved)
    assert again.ip_scp_server and startup_text(again) == saved
    assert SCP_ON not in startup_text(kit.seed_router())


def test_no_ip_scp_server_enable_turns_it_off():
    s = kit.session()
    kit.configure(s, SCP_ON)
    assert s.router.ip_scp_server
    kit.configure(s, "no " + SCP_ON)
    assert not s.router.ip_scp_server
    assert SCP_ON not in kit.ok(s, "show running-config")


def test_help_of_ip_scp():
    s = kit.session()
    kit.ok(s, "configure terminal")
    assert re.search(r"^  scp +Scp commands$", s.help("ip "), re.M)
    assert s.help("ip scp ").strip() == "server  Configure SCP server"
    assert s.help("ip scp server ").strip() == "enable  Enable SCP server"


def test_which_exec_requests_are_an_scp_far_end():
    request = parse_request("scp -v -p -t -- flash:")
    assert request.receive and {"v", "p", "t"} <= request.options
    assert request.paths == ("flash:",)
    assert parse_request("scp -f running-config").paths == ("running-config",)
    assert not parse_request("scp -f x").receive
    # an option's value is not a flag: `-l 100` (the Python scp package's bandwidth limit)
    assert parse_request("scp -l 100 -t flash:x").paths == ("flash:x",)
    assert parse_request("scp -l100 -t flash:x").paths == ("flash:x",)
    assert parse_request("scp -t 'flash:/a b.cfg'").paths == ("flash:/a b.cfg",)
    assert parse_request("scp -rd -t flash:").options >= {"r", "d", "t"}
    for command in ("scp", "scp flash:x", "scp -v x -t", "show scp", "", "scpx -t y",
                    "scp -l t", "scp -- -t x"):
        assert parse_request(command) is None, command


# ------------------------------------------------------------------ refusals before anything
@pytest.mark.parametrize("command", ["scp -t flash:x", "scp -f flash:x", "scp -pt flash:"])
def test_without_ip_scp_server_enable_scp_is_administratively_disabled(serve, command):
    served = serve()
    assert refused(served, command) == DISABLED
    assert served.lines_free()


def test_a_login_below_privilege_15_is_denied(serve):
    served = serve(SCP_ON)
    assert refused(served, "scp -t flash:x", user=OPERATOR) == DENIED
    assert refused(served, "scp -f flash:x", user=OPERATOR) == DENIED
    assert IMAGE_NAME in served.flash_names() and "x" not in served.flash_names()


def test_a_line_password_login_is_level_1_and_denied(serve):
    served = serve(SCP_ON, vty="line vty 0 4\n password cisco\n login\n")
    assert refused(served, "scp -t flash:x", user="anyone") == DENIED
    assert served.lines_free()


# ------------------------------------------------------------------ scp -t: receiving
@pytest.mark.parametrize("target, name, stored", [
    ("flash:test.cfg", "local.cfg", "test.cfg"),
    ("flash:/test.cfg", "local.cfg", "test.cfg"),
    ("flash:", "local.cfg", "local.cfg"),
    ("flash:/", "local.cfg", "local.cfg"),
    ("bare.cfg", "local.cfg", "bare.cfg"),
    (".", "local.cfg", "local.cfg"),
])
def test_a_file_put_lands_on_flash_whole(serve, target, name, stored):
    served = serve(SCP_ON)
    assert put(served, target, name, PAYLOAD) == (b"\0\0", 0)
    assert served.flash(stored) == PAYLOAD
    assert served.flash_names() == [IMAGE_NAME, stored]
    assert served.lines_free()


def test_a_put_file_replaces_one_of_the_same_name(serve):
    served = serve(SCP_ON)
    assert put(served, "flash:a.cfg", "a.cfg", b"first\n") == (b"\0\0", 0)
    assert put(served, "flash:b.cfg", "b.cfg", b"second\n") == (b"\0\0", 0)
    assert put(served, "flash:a.cfg", "a.cfg", b"third\n") == (b"\0\0", 0)
    assert served.flash_names() == [IMAGE_NAME, "b.cfg", "a.cfg"]   # written last, listed last
    assert served.flash("a.cfg") == b"third\n"


def test_a_startup_config_put_on_nvram_is_the_one_a_reload_boots(serve):
    served = serve(SCP_ON)
    text = kit.seed_with("hostname from-scp").encode()
    assert put(served, "nvram:startup-config", "router.cfg", text) == (b"\0\0", 0)
    saved = served.call(lambda: served.device.store.read())
    assert "hostname from-scp\n" in saved
    assert kit.router(saved).hostname == "from-scp"


def test_a_time_record_is_taken_and_the_file_kept(serve):
    served = serve(SCP_ON)
    answer = put(served, "flash:", "timed.cfg", b"x\n", first=b"T730944000 0 730944000 0\n",
                 command="scp -p -t")
    assert answer == (b"\0\0", 0)
    assert served.flash("timed.cfg") == b"x\n"


def test_several_files_into_flash_as_a_directory(serve):
    served = serve(SCP_ON)
    far = Far(served, "scp -d -t flash:")
    assert far.read(1) == b"\0"
    for name, data in (("one.cfg", b"1\n"), ("two.cfg", b"22\n")):
        far.send(f"C0644 {len(data)} {name}\n".encode())
        assert far.read(1) == b"\0"
        far.send(data + b"\0")
        assert far.read(1) == b"\0"
    assert far.finish() == (b"", 0)
    assert served.flash_names() == [IMAGE_NAME, "one.cfg", "two.cfg"]


def test_no_space_left_on_flash_is_refused_before_the_bytes(serve):
    served = serve(SCP_ON)
    free = FLASH_BYTES - IMAGE_BYTES - FILE_HEADER
    far = Far(served, "scp -t flash:big.bin")
    assert far.read(1) == b"\0"
    far.send(f"C0644 {free - FILE_HEADER + 1} big.bin\n".encode())
    assert far.read(1) + far.line() == b"\x01scp: flash:big.bin: Not enough space on device\n"
    assert far.finish() == (b"", 1)
    assert served.flash_names() == [IMAGE_NAME]


def test_a_file_that_just_fits_is_taken(serve):
    served = serve(SCP_ON)
    room = FLASH_BYTES - IMAGE_BYTES - 2 * FILE_HEADER
    assert put(served, "flash:full.bin", "full.bin", bytes(room)) == (b"\0\0", 0)
    assert served.call(lambda: served.device.files.flash.free()) == 0


def test_the_ios_image_cannot_be_overwritten(serve):
    served = serve(SCP_ON)
    answer, status = put(served, f"flash:{IMAGE_NAME}", "new.bin", b"not an image")
    assert status == 1
    assert answer == f"\x01scp: flash:{IMAGE_NAME}: iosfw: the IOS image is listed, not " \
                     "stored\n".encode()
    assert served.flash_names() == [IMAGE_NAME]


@pytest.mark.parametrize("command, message", [
    ("scp -t bogus:x", "bogus:x: No such file system"),
    ("scp -d -t flash:x", "flash:x: Not a directory"),
    ("scp -t flash:a flash:b", "ambiguous target"),
    ("scp -t", "ambiguous target"),
])
def test_a_destination_that_cannot_be_is_refused_at_once(serve, command, message):
    served = serve(SCP_ON)
    assert refused(served, command) == (f"\x01scp: {message}\n".encode(), 1)
    assert served.lines_free()


def test_a_destination_the_router_does_not_write_is_refused_after_the_bytes(serve):
    served = serve(SCP_ON)
    assert put(served, "system:running-config", "r.cfg", b"hostname x\n") == (
        b"\0\x01scp: system:running-config: Permission denied\n", 1)
    assert put(served, "nvram:private-config", "p", b"x") == (
        b"\0\x01scp: nvram:private-config: Permission denied\n", 1)
    assert put(served, "null:", "gone.cfg", b"x\n") == (b"\0\0", 0)
    far = Far(served, "scp -t null:")           # null: keeps nothing, but takes no more
    assert far.read(1) == b"\0"                 # than the flash could hold
    far.send(f"C0644 {FLASH_BYTES + 1} huge.bin\n".encode())
    assert far.read(1) + far.line() == b"\x01scp: null:huge.bin: File too large\n"
    assert far.finish() == (b"", 1)


def test_a_directory_is_refused_flash_is_flat(serve):
    served = serve(SCP_ON)
    far = Far(served, "scp -r -t flash:")
    assert far.read(1) == b"\0"
    far.send(b"D0755 0 configs\n")
    assert far.read(1) + far.line() == b"\x01scp: configs: flash: has no directories\n"
    far.send(b"C0644 3 top.cfg\n")           # the client goes on with its other files
    assert far.read(1) == b"\0"
    far.send(b"ok\n\0")
    assert far.read(1) == b"\0"
    assert far.finish() == (b"", 1)
    assert served.flash("top.cfg") == b"ok\n"


def test_a_transfer_cut_short_writes_nothing(serve):
    served = serve(SCP_ON)
    far = Far(served, "scp -t flash:half.bin")
    assert far.read(1) == b"\0"
    far.send(b"C0644 1000 half.bin\n")
    assert far.read(1) == b"\0"
    far.send(bytes(500))
    assert far.finish() == (b"", 1)
    assert served.flash_names() == [IMAGE_NAME]
    assert served.lines_free()


def test_a_silent_client_is_dropped_at_the_lines_exec_timeout(serve):
    served = serve(SCP_ON, vty=LOGIN_LOCAL + " exec-timeout 0 1\n")
    far = Far(served, "scp -t flash:slow.bin")
    assert far.read(1) == b"\0"
    far.send(b"C0644 10 slow.bin\n")
    assert far.read(1) == b"\0"
    far.send(b"12345")
    started = time.monotonic()
    assert far.read(1) == b""                   # the router closes the channel
    assert far.chan.recv_exit_status() == 1 and time.monotonic() - started < 5
    far.client.close()
    assert served.flash_names() == [IMAGE_NAME]
    assert served.lines_free()


def test_a_client_error_instead_of_the_end_of_the_bytes_writes_nothing(serve):
    served = serve(SCP_ON)
    far = Far(served, "scp -t flash:bad.bin")
    assert far.read(1) == b"\0"
    far.send(b"C0644 4 bad.bin\n")
    assert far.read(1) == b"\0"
    far.send(b"abcd\x01scp: read error\n")
    assert far.finish() == (b"", 1)
    assert served.flash_names() == [IMAGE_NAME]


@pytest.mark.parametrize("record", [b"C0644 x name\n", b"C644 3 name\n", b"C0644 3 a/b\n",
                                    b"Q what\n", b"T1 2\n", b"C0644 3 " + b"n" * 5000 + b"\n"])
def test_a_bad_control_record_ends_the_exchange(serve, record):
    served = serve(SCP_ON)
    far = Far(served, "scp -t flash:")
    assert far.read(1) == b"\0"
    far.send(record)
    answer = far.read(1) + far.line()
    assert answer.startswith(b"\x01scp: ") and answer.endswith(b"\n")
    assert far.finish() == (b"", 1)
    assert served.flash_names() == [IMAGE_NAME]


# ------------------------------------------------------------------ scp -f: sending
def get(served: Served, command: str) -> tuple[bytes, bytes, int]:
    """`scp -f ...` for one file: (its control records, its bytes, exit status)."""
    far = Far(served, command)
    far.send(b"\0")
    records = b""
    while (line := far.line()).startswith(b"T"):
        records += line
        far.send(b"\0")
    records += line
    data = b""
    if line.startswith(b"C"):
        far.send(b"\0")
        data = far.read(int(line.split()[1]) + 1)
        far.send(b"\0")
    rest, status = far.finish()
    return records, data + rest, status


def test_a_file_got_from_flash_is_byte_identical(serve):
    served = serve(SCP_ON)
    assert put(served, "flash:/test.cfg", "test.cfg", PAYLOAD) == (b"\0\0", 0)
    records, data, status = get(served, "scp -f flash:/test.cfg")
    assert (records, status) == (f"C0644 {len(PAYLOAD)} test.cfg\n".encode(), 0)
    assert data == PAYLOAD + b"\0"


def test_with_p_the_time_record_is_the_routers_clock(serve):
    served = serve(SCP_ON)
    records, data, status = get(served, "scp -p -f running-config")
    running = served.call(lambda: served.device.files.system.read("running-config"))
    stamp = records.split(b"\n")[0]
    assert re.fullmatch(rb"T(\d+) 0 \1 0", stamp)
    assert 730944000 <= int(stamp[1:].split()[0]) < 730944000 + 3600   # Mar 1 1993 UTC
    assert records.endswith(f"\nC0644 {len(running)} running-config\n".encode())
    assert (data, status) == (running + b"\0", 0)


def test_the_startup_config_can_be_got(serve):
    served = serve(SCP_ON)
    records, data, status = get(served, "scp -f nvram:startup-config")
    saved = served.call(lambda: served.device.files.nvram.read("startup-config"))
    assert (records, data, status) == (f"C0644 {len(saved)} startup-config\n".encode(),
                                       saved + b"\0", 0)


@pytest.mark.parametrize("source, message", [
    ("flash:nothing.cfg", "flash:nothing.cfg: File not found"),
    ("flash:", "flash:: Not a regular file"),
    (f"flash:{IMAGE_NAME}", f"flash:{IMAGE_NAME}: iosfw: the IOS image is listed, not stored"),
    ("nvram:private-config", "nvram:private-config: Permission denied"),
    ("bogus:x", "bogus:x: No such file system"),
])
def test_a_source_that_cannot_be_read_is_refused(serve, source, message):
    served = serve(SCP_ON)
    assert get(served, f"scp -f {source}") == (f"\x01scp: {message}\n".encode(), b"", 1)


# ------------------------------------------------------------------ OpenSSH's scp
@pytest.fixture
def openssh(tmp_path):
    if shutil.which("scp") is None or shutil.which("ssh") is None:
        pytest.skip("OpenSSH's scp is not installed")

    def make(served: Served) -> OpenSSH:
        return OpenSSH(tmp_path, served.port)
    return make


def test_openssh_scp_puts_a_file_on_flash_and_gets_it_back(serve, openssh, tmp_path):
    served = serve(SCP_ON)
    ssh = openssh(served)
    local = tmp_path / "file.bin"
    local.write_bytes(PAYLOAD)
    done = ssh.run("scp", "-O", str(local), f"{USER}@127.0.0.1:flash:file.bin")
    assert (done.returncode, done.stderr) == (0, b"")
    assert served.flash("file.bin") == PAYLOAD
    listing = served.call(lambda: served.device.files.listing("flash:"))
    assert [(e.name, e.size) for e in listing.entries][-1] == ("file.bin", len(PAYLOAD))
    back = tmp_path / "back.bin"
    done = ssh.run("scp", "-O", f"{USER}@127.0.0.1:flash:/file.bin", str(back))
    assert (done.returncode, done.stderr) == (0, b"")
    assert back.read_bytes() == PAYLOAD
    # the router names the file it sends without its file system, as IOS does; OpenSSH (8.0
    # on) wants the name after the last `/` of what it asked for: `flash:/NAME`, or -T
    back.unlink()
    done = ssh.run("scp", "-O", f"{USER}@127.0.0.1:flash:file.bin", str(back))
    assert b"filename does not match request" in done.stderr and done.returncode == 1
    done = ssh.run("scp", "-O", "-T", f"{USER}@127.0.0.1:flash:file.bin", str(back))
    assert (done.returncode, done.stderr) == (0, b"")
    assert back.read_bytes() == PAYLOAD
    assert served.lines_free()


def test_openssh_scp_p_and_several_files(serve, openssh, tmp_path):
    served = serve(SCP_ON)
    ssh = openssh(served)
    for name in ("a.cfg", "b.cfg"):
        (tmp_path / name).write_text(f"! {name}\n")
    done = ssh.run("scp", "-O", "-p", str(tmp_path / "a.cfg"), str(tmp_path / "b.cfg"),
                   f"{USER}@127.0.0.1:flash:")
    assert (done.returncode, done.stderr) == (0, b"")
    assert served.flash_names() == [IMAGE_NAME, "a.cfg", "b.cfg"]
    back = tmp_path / "back.cfg"
    done = ssh.run("scp", "-O", "-p", f"{USER}@127.0.0.1:flash:/b.cfg", str(back))
    assert (done.returncode, done.stderr) == (0, b"")
    assert back.read_text() == "! b.cfg\n"
    assert back.stat().st_mtime < 800000000          # the router's clock: 1993


def test_openssh_scp_refusals(serve, openssh, tmp_path):
    served = serve(SCP_ON)
    ssh = openssh(served)
    local = tmp_path / "file.txt"
    local.write_text("hello\n")
    done = ssh.run("scp", "-O", str(local), f"{OPERATOR}@127.0.0.1:flash:file.txt")
    assert (done.returncode, done.stderr) == (1, b"Privilege denied.\n")
    done = ssh.run("scp", "-O", f"{USER}@127.0.0.1:flash:nothing.txt", str(tmp_path / "got"))
    assert (done.returncode, done.stderr) == (1, b"scp: flash:nothing.txt: File not found\n")
    assert not (tmp_path / "got").exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inside.cfg").write_text("x\n")
    done = ssh.run("scp", "-O", "-r", str(folder), f"{USER}@127.0.0.1:flash:")
    assert (done.returncode, done.stderr) == (1, b"scp: folder: flash: has no directories\n")
    assert served.flash_names() == [IMAGE_NAME]
    assert served.lines_free()


# ------------------------------------------------------------------ netmiko's file_transfer
def netmiko_connection(served: Served):
    import netmiko

    return netmiko.ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=served.port,
                                  username=USER, password=PASSWORD, timeout=20,
                                  use_keys=False, allow_agent=False)


def test_netmiko_file_transfer_puts_verifies_and_gets_a_file(serve, tmp_path):
    from netmiko import file_transfer

    served = serve(SCP_ON)
    source = tmp_path / "test.cfg"
    source.write_bytes(kit.seed_with("hostname pushed").encode())
    conn = netmiko_connection(served)
    try:
        done = file_transfer(conn, source_file=str(source), dest_file="test.cfg",
                             file_system="flash:", direction="put")
        assert done == {"file_exists": True, "file_transferred": True, "file_verified": True}
        listing = conn.send_command("dir flash:")
        size = source.stat().st_size
        assert re.search(rf"^ +2  -rw- +{size} +<no date>  test\.cfg$", listing, re.M)
        free = FLASH_BYTES - IMAGE_BYTES - size - 2 * FILE_HEADER
        assert f"{FLASH_BYTES} bytes total ({free} bytes free)" in listing
        md5 = hashlib.md5(source.read_bytes()).hexdigest()
        assert conn.send_command("verify /md5 flash:/test.cfg").endswith(
            f"verify /md5 (flash:/test.cfg) = {md5}")
        # again: it is there with the right digest, so nothing is sent
        again = file_transfer(conn, source_file=str(source), dest_file="test.cfg",
                              file_system="flash:", direction="put")
        assert again == {"file_exists": True, "file_transferred": False, "file_verified": True}
        back = tmp_path / "back.cfg"
        got = file_transfer(conn, source_file="test.cfg", dest_file=str(back),
                            file_system="flash:", direction="get")
        assert got == {"file_exists": True, "file_transferred": True, "file_verified": True}
        assert back.read_bytes() == source.read_bytes()
    finally:
        conn.disconnect()
    assert served.flash("test.cfg") == source.read_bytes()
    assert served.lines_free()


def test_netmiko_file_transfer_overwrites_a_changed_file(serve, tmp_path):
    from netmiko import file_transfer

    served = serve(SCP_ON)
    source = tmp_path / "merge_config.txt"
    conn = netmiko_connection(served)
    try:
        for text in ("hostname one\n", "hostname two\n"):
            source.write_text(text)
            done = file_transfer(conn, source_file=str(source), dest_file="merge_config.txt",
                                 file_system="flash:", direction="put", overwrite_file=True)
            assert done == {"file_exists": True, "file_transferred": True,
                            "file_verified": True}
    finally:
        conn.disconnect()
    assert served.flash("merge_config.txt") == b"hostname two\n"


def test_netmiko_file_transfer_without_scp_says_why(serve, tmp_path):
    from netmiko import file_transfer
    from scp import SCPException

    served = serve()
    source = tmp_path / "test.cfg"
    source.write_text("hostname x\n")
    conn = netmiko_connection(served)
    try:
        with pytest.raises(SCPException, match="Administratively disabled"):
            file_transfer(conn, source_file=str(source), dest_file="test.cfg",
                          file_system="flash:", direction="put")
        conn.send_config_set([SCP_ON])            # as netmiko's enable_scp() does
        done = file_transfer(conn, source_file=str(source), dest_file="test.cfg",
                             file_system="flash:", direction="put")
        assert done["file_transferred"] and done["file_verified"]
    finally:
        conn.disconnect()
    assert os.path.basename(str(source)) in served.flash_names()


# ------------------------------------------------------------------ `iosfw serve` itself
def test_iosfw_serve_keeps_a_put_file_on_flash_beside_its_config(tmp_path):
    import io

    import scp

    config = tmp_path / "router.cfg"
    config.write_text(kit.seed_text().replace(SEED_VTY, LOGIN_LOCAL).replace(
        SEED_ENABLE, SEED_ENABLE + f"username {USER} privilege 15 password 0 {PASSWORD}\n"
        + SCP_ON + "\n"))
    with kit.served("--ssh", "127.0.0.1:0", "--config", str(config),
                    env={"XDG_DATA_HOME": str(tmp_path / "data")}) as ports:
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect("127.0.0.1", port=ports["ssh"], username=USER, password=PASSWORD,
                       look_for_keys=False, allow_agent=False, timeout=10)
        try:
            scp.SCPClient(client.get_transport()).putfo(io.BytesIO(PAYLOAD), "flash:/test.cfg")
        finally:
            client.close()
    assert (tmp_path / "router.cfg.flash" / "test.cfg").read_bytes() == PAYLOAD

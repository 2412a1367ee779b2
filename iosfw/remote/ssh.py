"""SSH for the vty lines, on asyncssh: password authentication as the line's `login` says,
a shell (or one `ssh router command`) on the vty, and the router's host key kept on disk."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional

import asyncssh

from .vty import Vty, secret_matches, user_login

AUTH_RETRIES = 3        # `ip ssh authentication-retries 3`, IOS's default
AUTH_TIMEOUT = 120      # `ip ssh time-out 120`, IOS's default (seconds)
SERVER_VERSION = "Cisco-1.25"   # the software part of the banner IOS sends: SSH-x-Cisco-1.25


def host_key_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "iosfw" / "ssh_host_rsa_key"


def load_host_key(path: Optional[Path] = None) -> asyncssh.SSHKey:
    """The router's RSA host key: read from `path`, or made on first start and written
    there atomically with mode 0600, so that clients see the same key every time."""
    path = Path(path) if path else host_key_path()
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-rsa", key_size=2048, comment="iosfw 3640-123")
    data = key.export_private_key("openssh")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ssh_host_key-", dir=path.parent)   # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return key


class VtySSHServer(asyncssh.SSHServer):
    """One SSH connection, holding the vty it was given when the TCP connection came in."""

    def __init__(self, server, number: int, peer: str):
        self.server = server
        self.number = number
        self.peer = peer
        self.conn = None
        self.failures = 0
        self.user = ""
        self.privileged = False
        self.channel: Optional[VtySSHSession] = None

    @property
    def line(self):
        return self.server.pool.line_config(self.number)

    def connection_made(self, conn) -> None:
        self.conn = conn

    def connection_lost(self, exc) -> None:
        if self.channel is not None and self.channel.vty is not None:
            self.channel.vty.lost()
        self.server.pool.release(self.number)

    def begin_auth(self, username: str) -> bool:
        """`no login` on the line: no authentication at all (as telnet asks none)."""
        self.user = username
        return bool(self.line.login)

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        line = self.line
        if line.login == "local":
            user = user_login(self.server.pool.device.router, username, password)
            if user is not None:
                self.user, self.privileged = user.name, (user.privilege or 1) >= 15
                return True
        elif secret_matches(password, line.password):
            self.user = username        # `login` + line password: any name, the line password
            return True
        self.failures += 1
        if self.failures >= AUTH_RETRIES and self.conn is not None:
            self.server.schedule(lambda: self.conn.disconnect(
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, "Authentication failed"))
        return False

    def session_requested(self):
        if self.channel is not None:
            return False                # one vty, one EXEC: further channels are refused
        self.channel = VtySSHSession(self)
        return self.channel


class VtySSHSession(asyncssh.SSHServerSession):
    def __init__(self, owner: VtySSHServer):
        self.owner = owner
        self.chan = None
        self.command: Optional[str] = None
        self.vty: Optional[Vty] = None

    # Link, for the vty
    def send(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write(data)

    def close(self) -> None:
        if self.chan is not None:
            self.chan.exit(0)

    # asyncssh.SSHServerSession
    def connection_made(self, chan) -> None:
        self.chan = chan

    def pty_requested(self, term_type, term_size, term_modes) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command
        return True

    def session_started(self) -> None:
        owner = self.owner
        server = owner.server
        self.vty = Vty(server.pool, owner.number, self, owner.peer, "ssh", server.schedule)
        self.vty.user = owner.user if owner.line.login else ""
        try:
            if self.command is not None:
                self.vty.run_one(self.command)
            else:
                self.vty.start_authenticated(self.vty.user, owner.privileged)
        except Exception as err:  # noqa: BLE001
            server.report(f"ssh vty{owner.number}: {type(err).__name__}: {err}")
            self.vty.close()

    def data_received(self, data: bytes, datatype) -> None:
        if self.vty is None:
            return
        try:
            self.vty.data_received(data)
        except Exception as err:  # noqa: BLE001 - one line's fault never stops the server
            self.owner.server.report(f"ssh vty{self.owner.number}: {type(err).__name__}: {err}")
            self.vty.close()

    def eof_received(self) -> bool:
        if self.vty is not None:
            self.vty.close()
        return False

    def break_received(self, msec: int) -> bool:
        return True

    def pause_writing(self) -> None:
        if self.vty is not None:
            self.vty.pause()
        if self.chan is not None:
            self.chan.pause_reading()

    def resume_writing(self) -> None:
        if self.chan is not None:
            self.chan.resume_reading()
        if self.vty is not None:
            self.vty.resume()

    def connection_lost(self, exc) -> None:
        if self.vty is not None:
            self.vty.lost()
        conn = self.owner.conn
        if conn is not None:
            conn.close()            # the EXEC ended: IOS closes the whole connection


def ssh_options(key: asyncssh.SSHKey) -> dict:
    return dict(server_host_keys=[key], line_editor=False, encoding=None,
                login_timeout=AUTH_TIMEOUT, server_version=SERVER_VERSION,
                allow_scp=False, agent_forwarding=False, x11_forwarding=False,
                keepalive_interval=0)

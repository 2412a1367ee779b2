"""SSH for the vty lines, on asyncssh: password authentication as the line's `login` says,
a shell (or one `ssh router command`) on the vty, and the router's host key kept on disk.

Authentication follows IOS 12.3: password only (no keyboard-interactive, no public keys);
`ip ssh authentication-retries` failed attempts close the connection; the whole
authentication must end within `ip ssh time-out` and within the line's login timeout
(`timeout login response`, 30 s), counted from the TCP connection on the device's clock, so a
silent connection holds its vty no longer than a silent telnet login does. Failures count
in the Login Enhancements' watch, and the login delay holds back the answer to a failed
attempt.

After it, what a 12.3 router offers and no more: a shell or one command (whose exit status
says whether the router refused it, as `iosfw -c`'s does); a subsystem request (`sftp`)
drops the connection, as IOS, which has no SFTP server, does; an scp client's far end
(`scp -t`/`scp -f`) is the router's SCP server (iosfw/remote/scp.py: the protocol; here only
its channel), which refuses as IOS does without `ip scp server enable` or privilege 15.
"""
from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Optional

import asyncssh

from ..config.secrets import password_matches
from . import scp
from .scp import scp_far_end
from .telnet import linger_zero
from .vty import DEFAULT_EXEC_TIMEOUT, Vty, guarded, login_timeout, user_login

SERVER_VERSION = "Cisco-1.25"   # the software part of the banner IOS sends: SSH-x-Cisco-1.25
WATCH_STEP = 1.0                # seconds between looks at the device's clock while waiting
EXIT_REFUSED = 1                # an exec request's status when the router refused the command


def idle_limit(line) -> Optional[float]:
    """Seconds an SCP exchange may wait for its client: the line's exec-timeout, as for an
    idle EXEC (None: `exec-timeout 0 0`, never)."""
    limit = line.exec_timeout
    seconds = DEFAULT_EXEC_TIMEOUT if limit is None else limit[0] * 60 + limit[1]
    return seconds or None


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
        self.peer_address = (peer, 0)
        self.local = ("", 22)
        self.conn = None
        self.failures = 0
        self.user = ""
        self.privileged = False
        self.channel: Optional[VtySSHSession] = None
        self.deadline: Optional[float] = None   # device uptime authentication must end by
        self._timer: Optional[asyncio.TimerHandle] = None
        self.gone = False

    @property
    def line(self):
        return self.server.pool.line_config(self.number)

    @property
    def device(self):
        return self.server.pool.device

    @property
    def guard(self):
        return self.server.pool.guard

    def connection_made(self, conn) -> None:
        """Before the SSH version is sent: a connection the line's access-class or quiet
        mode refuses is reset, as IOS refuses it; the others get their login timer."""
        self.conn = conn
        peer = conn.get_extra_info("peername") or (self.peer, 0)
        self.peer_address = peer[:2]
        self.local = (conn.get_extra_info("sockname") or self.local)[:2]
        if not self.server.pool.admits(self.number, self.peer_address, self.local):
            sock = conn.get_extra_info("socket")
            if sock is not None:
                linger_zero(sock)
            conn.abort()
            return
        limits = [self.device.router.ssh.timeout, login_timeout(self.line)]
        self.deadline = self.device.clock.uptime() + min(s for s in limits if s)
        self._watch()

    def _watch(self) -> None:
        """Close a connection still not authenticated at its deadline (asyncssh's own login
        timer is off: it runs on the wall clock and knows nothing of the configuration)."""
        self._timer = None
        left = self.deadline - self.device.clock.uptime()
        if left <= 0:
            self.conn.abort()
            return
        self._timer = asyncio.get_running_loop().call_later(min(left, WATCH_STEP), self._watch)

    def _stop_watch(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def auth_completed(self) -> None:
        self._stop_watch()

    def connection_lost(self, exc) -> None:
        self.gone = True
        self._stop_watch()
        if self.channel is not None and self.channel.vty is not None:
            self.channel.vty.lost()
        self.server.pool.release(self.number)

    def begin_auth(self, username: str) -> bool:
        """`no login` on the line: no authentication at all (as telnet asks none)."""
        self.user = username
        return bool(self.line.login)

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        guard = self.guard
        if not guard.admits(self.peer_address, self.local):
            self._give_up()             # quiet mode began during this authentication
            return False
        if self._password_opens(username, password):
            guard.succeeded(self.user, self.peer_address, self.local)
            return True
        self.failures += 1
        guard.failed(username, self.peer_address, self.local)
        retries = max(self.device.router.ssh.retries, 1)
        if self.failures >= retries or not guard.admits(self.peer_address, self.local):
            self._give_up()
            return False
        await self._pause(guard.delay())
        return False

    def _password_opens(self, username: str, password: str) -> bool:
        line = self.line
        if line.login == "local":
            user = user_login(self.device.router, username, password)
            if user is not None:
                self.user, self.privileged = user.name, (user.privilege or 1) >= 15
                return True
        elif password_matches(password, line.password):
            self.user = username        # `login` + line password: any name, the line password
            return True
        return False

    def _give_up(self) -> None:
        """The connection ends before the client can try again (IOS says nothing more)."""
        self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                             "Authentication failed")

    async def _pause(self, seconds: float) -> None:
        """The login delay, on the device's clock."""
        clock = self.device.clock
        until = clock.uptime() + seconds
        while (left := until - clock.uptime()) > 0 and not self.gone:
            await asyncio.sleep(min(left, WATCH_STEP))

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
        self.scp: Optional[scp.Transfer] = None     # an exec of `scp -t`/`scp -f`: SCP
        self._scp_task: Optional[asyncio.Task] = None

    # Link, for the vty
    def send(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write(data)

    def close(self) -> None:
        if self.chan is not None:
            self.chan.exit(self._exit_status())

    def _exit_status(self) -> int:
        """A shell ends with 0; one command with EXIT_REFUSED when the router refused it (or
        never ran it), so that `ssh router "show bogus" || ...` sees the failure."""
        if self.command is None:
            return 0
        conversation = self.vty.conversation if self.vty is not None else None
        reply = conversation.reply if conversation is not None else None
        return EXIT_REFUSED if reply is None or reply.error else 0

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

    def subsystem_requested(self, subsystem: str) -> bool:
        """IOS has no SFTP (or any other subsystem): the router drops the connection without a
        word, and the client says `Connection closed` (asyncssh would refuse the request and
        leave the connection up)."""
        self.owner.conn.abort()
        return False

    def session_started(self) -> None:
        owner = self.owner
        server = owner.server
        if self.command is not None and scp_far_end(self.command):
            self._start_scp()
            return
        self.vty = Vty(server.pool, owner.number, self, owner.peer, "ssh", server.schedule,
                       local=owner.local, peer_port=owner.peer_address[1])
        self.vty.user = owner.user if owner.line.login else ""
        if self.command is not None:
            self._guarded(lambda: self.vty.run_one(self.command, owner.privileged))
        else:
            self._guarded(lambda: self.vty.start_authenticated(self.vty.user, owner.privileged))

    def _start_scp(self) -> None:
        """The SCP server on this channel, or its refusal (SCP off, a login below 15)."""
        owner = self.owner
        refused = scp.refusal(owner.device.router, owner.privileged)
        if refused is not None:
            self.chan.write(refused)
            self.chan.exit(EXIT_REFUSED)
            return
        self.scp = scp.Transfer(owner.device, scp.parse_request(self.command), self.chan.write,
                                idle_limit(owner.line))
        self._scp_task = asyncio.ensure_future(self.scp.run())
        self._scp_task.add_done_callback(self._scp_done)

    def _scp_done(self, task: asyncio.Task) -> None:
        """The exchange is over: its status is the channel's (a fault in it is reported, and
        ends this channel only)."""
        if task.cancelled():
            return
        fault = task.exception()
        if fault is not None:
            self.owner.server.report(f"ssh vty{self.owner.number} scp: "
                                     f"{type(fault).__name__}: {fault}")
        status = EXIT_REFUSED if fault is not None else task.result()
        if self.chan is not None:
            self.chan.exit(status)

    def data_received(self, data: bytes, datatype) -> None:
        if self.scp is not None:
            self.scp.feed(data)
        elif self.vty is not None:
            self._guarded(lambda: self.vty.data_received(data))

    def _guarded(self, call) -> None:
        """A fault on this line closes this line only."""
        guarded(self.owner.server.report, f"ssh vty{self.owner.number}", call, self.vty.close)

    def eof_received(self) -> bool:
        if self.scp is not None:
            self.scp.feed_eof()
            return True             # half open: the exit status is still to come
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
        if self._scp_task is not None:
            self._scp_task.cancel()     # a file not received whole is not written
        if self.vty is not None:
            self.vty.lost()
        conn = self.owner.conn
        if conn is not None:
            conn.close()            # the EXEC ended: IOS closes the whole connection


def ssh_options(key: asyncssh.SSHKey) -> dict:
    return dict(server_host_keys=[key], line_editor=False, encoding=None,
                login_timeout=None, server_version=SERVER_VERSION, kbdint_auth=False,
                public_key_auth=False, allow_scp=False, agent_forwarding=False,
                x11_forwarding=False, keepalive_interval=0)

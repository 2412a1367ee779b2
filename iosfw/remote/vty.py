"""The router's virtual terminal lines: allocation, login, and one Session driven per line.

Protocol-independent: telnet and SSH give a Vty the bytes the user typed (data_received) and
a Link to send bytes back and to hang up. Everything runs on the server's one event loop, so
the shared router is only ever touched by one command at a time and outputs never mix.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional, Protocol

from ..cli.pager import Pager
from ..cli.session import Reply, Session, internal_error
from ..config import model as m
from ..config.secrets import BadSecret, type5_check, type7_decode
from .access import Address, acl_permits
from .lineedit import Event, LineEditor, crlf
from .login_guard import LoginGuard

DEFAULT_VTYS = 5                 # a 3640 on 12.3 has vty 0 4 unless `line vty 5 n` adds more
LOGIN_TIMEOUT = 30               # `timeout login response`: seconds a vty's whole login may take
LOGIN_TRIES = 3                  # failed attempts after which a vty hangs up
WELL_KNOWN_PORTS = {"telnet": 23, "ssh": 22}
DEFAULT_EXEC_TIMEOUT = 600.0     # `exec-timeout 10 0`, IOS's default
EVENTS_PER_TURN = 32             # commands run before other lines get their turn
MORE = Pager.PROMPT
ERASE_MORE = b"\b" * len(MORE) + b" " * len(MORE) + b"\b" * len(MORE)


class Link(Protocol):
    """What a protocol offers its vty."""
    def send(self, data: bytes) -> None: ...
    def close(self) -> None: ...


# ------------------------------------------------------------------ passwords
def secret_matches(typed: str, secret: Optional[m.Secret]) -> bool:
    if secret is None:
        return False
    try:
        if secret.type == 5:
            return type5_check(typed, secret.value)
        if secret.type == 7:
            return typed == type7_decode(secret.value)
    except (BadSecret, ValueError):
        return False
    return typed == secret.value


def user_login(router: m.Router, username: str, password: str) -> Optional[m.User]:
    """`login local`: the `username` entry that this name and password open, if any."""
    user = router.users.get(username)
    if user is not None and secret_matches(password, user.secret):
        return user
    return None


def login_timeout(line: m.Line) -> int:
    """Seconds the login may take from the connection's start (`timeout login response`,
    30 unless the line says otherwise; 0: no limit)."""
    return LOGIN_TIMEOUT if line.login_response is None else line.login_response


# ------------------------------------------------------------------ the line pool
@dataclass
class Row:
    """One line in use, as `show users` lists it."""
    kind: str             # "con" or "vty"
    number: int           # relative number: vty 0 ... vty 4
    user: str
    location: str
    idle: float           # seconds since the last key
    session: Optional[Session]


class VtyPool:
    """The vty lines of one router, shared by telnet and SSH. The server sets it as
    `device.lines`, which `show users` reads (a Device without it has only its console)."""

    def __init__(self, device, on_change: Callable[[], None] = lambda: None):
        self.device = device
        self.busy: dict[int, "Vty | None"] = {}   # number -> its Vty (None while reserved)
        self.on_change = on_change
        self.peak = 0                             # most lines ever in use at once
        self.guard = LoginGuard(device)           # the Login Enhancements' watch (show login)
        device.lines = self

    def line_config(self, number: int) -> m.Line:
        return self.device.router.line_of("vty", number) or m.Line("vty", number, login="login")

    def capacity(self) -> int:
        numbers = set(range(DEFAULT_VTYS))
        for line in self.device.router.lines.values():
            if line.kind == "vty":
                numbers.update(range(line.first, (line.last if line.last is not None
                                                  else line.first) + 1))
        return len(numbers)

    def allows(self, number: int, protocol: str) -> bool:
        """`transport input`: which protocols may start an EXEC on this line."""
        allowed = self.line_config(number).transport_input
        return not allowed or "all" in allowed or protocol in allowed

    def admits(self, number: int, peer: Address, local: Address) -> bool:
        """Whether a connection from `peer` may have vty `number`: the line's `access-class
        ACL in` (a list that does not exist permits everything, as on IOS), then quiet
        mode. IOS asks both when the connection comes in, before any login."""
        acl = self.line_config(number).access_class_in
        if acl and not acl_permits(self.device.router, acl, peer, local, otherwise=True):
            return False
        return self.guard.admits(peer, local)

    @property
    def full(self) -> bool:
        return len(self.busy) >= self.capacity()

    def reserve(self) -> Optional[int]:
        """The lowest free vty, now taken; None when all are in use."""
        for number in range(self.capacity()):
            if number not in self.busy:
                self.busy[number] = None
                self.peak = max(self.peak, len(self.busy))
                self.on_change()
                return number
        return None

    def release(self, number: Optional[int]) -> None:
        if number is not None and number in self.busy:
            del self.busy[number]
            self.on_change()

    def rows(self) -> list[Row]:
        now = time.monotonic()
        out = []
        for number in sorted(self.busy):
            vty = self.busy[number]
            if vty is None:
                continue
            out.append(Row("vty", number, vty.user, vty.peer, now - vty.last_input, vty.session))
        return out

    def vtys(self) -> list["Vty"]:
        return [v for v in self.busy.values() if v is not None]

    def deliver(self) -> None:
        """Show every waiting line the messages it has not seen yet (the login watch's, such
        as the end of quiet mode, among them: the server calls this once a second); run the
        commands that waited for the device."""
        self.guard.tick()
        for vty in self.vtys():
            vty.deliver()
        for vty in self.vtys():
            vty.retry()


# ------------------------------------------------------------------ one line
class Vty:
    """One vty line from connect to hang-up: banner, login, EXEC, the pager, timeouts."""

    def __init__(self, pool: VtyPool, number: int, link: Link, peer: str, protocol: str,
                 schedule: Callable[[Callable[[], None]], None],
                 local: Optional[Address] = None, peer_port: int = 0):
        self.pool = pool
        self.number = number
        self.link = link
        self.peer = peer
        self.peer_port = peer_port
        self.local = local or ("", WELL_KNOWN_PORTS[protocol])   # the router's end
        self.protocol = protocol
        self.schedule = schedule          # run a callable soon on the event loop
        self.user = ""
        self.session: Optional[Session] = None
        self.state = "new"                # username, password, exec, ask, more, closed
        self.editor = LineEditor(help=self._help, complete=self._complete, prompt=self._prompt)
        self.last_input = self.started = time.monotonic()
        self.tries = 0
        self.pending_user = ""
        self.login_deadline: Optional[float] = None   # device uptime the login must end by
        self.resume_at = 0.0                          # end of the login delay
        self.resume_state = ""                        # and the prompt that follows it
        self.busy_at = 0.0                            # last tick the line was still working
        self.ask = None
        self.pager: Optional[Pager] = None
        self.after_pager: Optional[Reply] = None
        self.paused = False
        self._scheduled = False
        self._retry: Optional[Callable[[], Reply]] = None   # a command that has to wait
        self._stepping = None               # (next slice, uptime) of a long command
        self._out = bytearray()
        pool.busy[number] = self

    @property
    def name(self) -> str:
        return f"vty{self.number}"

    @property
    def line(self) -> m.Line:
        return self.pool.line_config(self.number)

    @property
    def router(self) -> m.Router:
        return self.pool.device.router

    # ------------------------------------------------------------------ start
    def start_telnet(self) -> None:
        """A telnet connection: banner motd, then the login the line asks for."""
        self._banner("motd")
        login = self.line.login
        if login == "local":
            self._banner("login")
            self._write("\n\nUser Access Verification\n\nUsername: ")
            self._enter_state("username")
            self._start_login_timer()
        elif login:
            if self.line.password is None:
                self._write("\nPassword required, but none set\n")
                self.close()
                return
            self._banner("login")
            self._write("\n\nUser Access Verification\n\nPassword: ")
            self._enter_state("password")
            self._start_login_timer()
        else:
            self._start_exec(privileged=False, newline=True)
        self._flush()

    def start_authenticated(self, user: str, privileged: bool) -> None:
        """An SSH shell: the user was checked by the SSH layer."""
        self.user = user
        self._banner("motd")
        self._start_exec(privileged, newline=True)
        self._flush()

    def run_one(self, command: str) -> None:
        """`ssh router command`: one command's output, then the connection closes."""
        self._new_session(privileged=False)
        self.state = "exec"
        reply = self.session.execute(command)
        self._write(reply.output)
        self._flush()
        self.close()

    def _banner(self, kind: str) -> None:
        banner = self.router.banners.get(kind)
        if banner is not None:
            text = banner.text if banner.text.endswith("\n") else banner.text + "\n"
            self._write(text)

    def _new_session(self, privileged: bool) -> None:
        self.session = Session(self.pool.device, privileged=privileged, line_name=self.name,
                               peer=self.peer)

    def _start_exec(self, privileged: bool, newline: bool = False) -> None:
        """The EXEC begins: after a login the prompt follows the password's line end."""
        self._new_session(privileged)
        self._banner("exec")
        if newline:
            self._write("\n")
        self._enter_state("exec")
        self._write(self._prompt())

    def _enter_state(self, state: str) -> None:
        self.state = state
        self.editor.echo = state not in ("password", "secret-ask", "delay")
        self.editor.commands = state == "exec"
        self.editor.single_key = state == "more"

    # ------------------------------------------------------------------ input
    def data_received(self, data: bytes) -> None:
        if self.state == "closed":
            return
        self.last_input = time.monotonic()
        self.editor.feed(data)
        self._process()

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self._process()

    def _process(self) -> None:
        """Handle the type-ahead a little at a time, so that a flood on one line never holds
        up the others: after EVENTS_PER_TURN events the rest waits for the next turn."""
        self._scheduled = False
        handled = 0
        while self.state not in ("closed", "busy") and not self.paused:
            echo, event = self.editor.step()
            self._out += echo
            if event is None:
                break
            self._event(event)
            handled += 1
            if handled >= EVENTS_PER_TURN and self.editor.pending:
                if not self._scheduled:
                    self._scheduled = True
                    self.schedule(self._process)
                break
        self._flush()
        if handled:
            self.pool.deliver()

    def _event(self, event: Event) -> None:
        state = self.state
        if state == "more":
            self._more_key(event)
        elif state == "username":
            self._username(event)
        elif state == "password":
            self._password(event)
        elif state in ("ask", "secret-ask"):
            self._answer(event)
        elif state == "exec":
            self._command(event)

    # ------------------------------------------------------------------ login
    def _clock(self) -> float:
        return self.pool.device.clock.uptime()

    @property
    def peer_address(self) -> Address:
        return (self.peer, self.peer_port)

    def _start_login_timer(self) -> None:
        """The login timeout counts from the start of the login on the device's clock, as
        `timeout login response` does: a key now and then does not keep a line at its
        prompt."""
        seconds = login_timeout(self.line)
        self.login_deadline = self._clock() + seconds if seconds else None

    def _username(self, event: Event) -> None:
        if event.kind != "line" or not event.text.strip():
            self._write("Username: " if event.kind == "line" else "\nUsername: ")
            return
        self.pending_user = event.text.strip()
        self._write("Password: ")
        self._enter_state("password")

    def _password(self, event: Event) -> None:
        typed = event.text if event.kind == "line" else ""
        if event.kind != "line":
            self._write("\n")
        guard = self.pool.guard
        if not guard.admits(self.peer_address, self.local):
            self.close()            # quiet mode began while this line was at its prompt
            return
        if self.line.login == "local":
            user = user_login(self.router, self.pending_user, typed)
            if user is not None:
                self._logged_in(user.name)
                self._start_exec(privileged=(user.privilege or 1) >= 15)
                return
            self.tries += 1
            guard.failed(self.pending_user, self.peer_address, self.local)
            self._write("\n% Login invalid\n\n")
            self._again("username", "Username: ")
            return
        if secret_matches(typed, self.line.password):
            self._logged_in("")
            self._start_exec(privileged=False)
            return
        self.tries += 1
        guard.failed("", self.peer_address, self.local)
        if self.tries >= LOGIN_TRIES:
            self._write("% Bad passwords\n\n")
        self._again("password", "Password: ")

    def _logged_in(self, user: str) -> None:
        self.user = user
        self.login_deadline = None
        self.pool.guard.succeeded(user, self.peer_address, self.local)

    def _again(self, state: str, prompt: str) -> None:
        """After a failed attempt: the third one, or quiet mode, hangs up; otherwise the
        prompt comes back after the login delay (tick() ends it)."""
        guard = self.pool.guard
        if self.tries >= LOGIN_TRIES or not guard.admits(self.peer_address, self.local):
            self.close()
            return
        delay = guard.delay()
        if delay:
            self.resume_at, self.resume_state = self._clock() + delay, state
            self._enter_state("delay")      # what is typed meanwhile is thrown away
            return
        self._write(prompt)
        self._enter_state(state)

    # ------------------------------------------------------------------ EXEC
    def _command(self, event: Event) -> None:
        s = self.session
        if event.kind == "interrupt":
            self._write("\n" + self._prompt())
            return
        if event.kind == "ctrl-z":
            if not s.configuring:
                return
            self._write("^Z\n")
            reply = s.execute("end")
            self._show(reply)
            return
        if event.kind != "line":
            return
        uptime = self._uptime()
        text = event.text
        self._run(lambda: s.execute(text, stepwise=True), uptime)

    def _run(self, call: Callable[[], Reply], uptime: float) -> None:
        """A command: it may have to wait for another line's long command (then it runs when
        that one is done) or be long itself (then it goes on a slice per loop turn, and this
        line takes no input meanwhile)."""
        reply = call()
        if reply.wait:
            self._retry = call
            self._enter_state("busy")
            return
        if reply.more is not None:
            self._stepping = (reply.more, uptime)
            self._enter_state("busy")
            self.schedule(self._next_slice)
            return
        self._after_command(reply, uptime)

    def _next_slice(self) -> None:
        """Go on with the long command; it runs to its end even if the client has gone."""
        step, uptime = self._stepping
        reply = step()
        if reply.more is not None:
            self._stepping = (reply.more, uptime)
            self.schedule(self._next_slice)
            return
        self._stepping = None
        if self.state != "closed":
            self._enter_state("exec")
            self._after_command(reply, uptime)
            self._process()
        self.pool.deliver()             # the lines that waited for the device go on

    def retry(self) -> None:
        """The device is free again: run the command that waited."""
        if self._retry is None or self.state != "busy" or self.pool.device.busy is not None:
            return
        call, self._retry = self._retry, None
        self._enter_state("exec")
        self._run(call, self._uptime())
        self._process()

    def _answer(self, event: Event) -> None:
        ask, self.ask = self.ask, None
        if event.kind in ("interrupt", "ctrl-z"):
            self._write("\n")
            reply = self.session.cancelled()
            self._enter_state("exec")
            self._show(reply)
            return
        uptime = self._uptime()
        self._enter_state("exec")
        text = event.text
        self._run(lambda: ask.answer(text), uptime)

    def _after_command(self, reply: Reply, uptime: float) -> None:
        if self._uptime() < uptime:
            # a reload: IOS drops every vty connection as it goes down
            for vty in self.pool.vtys():
                vty.close()
            return
        self._show(reply)

    def _show(self, reply: Reply) -> None:
        """The reply's output (through the pager), then a question, a hang-up or the prompt;
        log messages follow the prompt, as on the router."""
        if reply.body:
            self.pager = Pager(reply.body, self.session.terminal_length)
            self._write(self.pager.first())
            if not self.pager.done:
                self.after_pager = reply
                self._write(MORE)
                self._enter_state("more")
                return
        self._finish(reply)

    def _more_key(self, event: Event) -> None:
        self._out += ERASE_MORE
        key = {"interrupt": "\x03", "ctrl-z": "\x1a"}.get(event.kind, event.text[:1] or "\r")
        self._write(self.pager.key(key))
        if not self.pager.done:
            self._write(MORE)
            self.editor.single_key = True
            return
        reply, self.after_pager, self.pager = self.after_pager, None, None
        self._enter_state("exec")
        self._finish(reply)

    def _finish(self, reply: Reply) -> None:
        if reply.ask or reply.closed:
            self._write(reply.messages)
        if reply.ask:
            self.ask = reply.ask
            self._enter_state("secret-ask" if reply.ask.secret else "ask")
            self._write(reply.ask.prompt)
            return
        if reply.closed:
            self.close()
            return
        self._write(self._prompt() + self.session.after_prompt(reply.messages))

    def deliver(self) -> None:
        """Messages that came up while this line waits at its prompt (another line configured,
        a timer fired) are shown now, when they happen."""
        if self.state != "exec" or self.session is None:
            return
        try:
            messages = self.session.pending_messages()
        except Exception as err:  # noqa: BLE001 - one line's fault is that line's
            messages = internal_error(err)
        if messages:
            self._write(self.session.after_prompt(messages, self.editor.buffer))
            self._flush()

    def _uptime(self) -> float:
        return self.pool.device.clock.uptime()

    # ------------------------------------------------------------------ editor hooks
    def _prompt(self) -> str:
        return self.session.prompt() if self.session is not None else ""

    def _help(self, typed: str) -> str:
        return self.session.help(typed) if self.session is not None else ""

    def _complete(self, typed: str) -> Optional[str]:
        return self.session.complete(typed) if self.session is not None else None

    # ------------------------------------------------------------------ timers
    def tick(self, now: float) -> None:
        """Called about once a second: the login timeout and the login delay (on the device's
        clock), `exec-timeout` (`now`, the wall clock)."""
        if self.state in ("username", "password", "delay"):
            self._login_tick()
            return
        if self.state == "closed" or self.session is None:
            return
        if self.state == "busy" or self.paused or self.editor.pending:
            # running a command, working through what was typed, or the client has not taken
            # the output yet: the EXEC is not waiting for input, so it is not idle (as on IOS)
            self.busy_at = now
        limit = self.line.exec_timeout
        seconds = DEFAULT_EXEC_TIMEOUT if limit is None else limit[0] * 60 + limit[1]
        if seconds and now - max(self.last_input, self.busy_at) > seconds:
            self.close()

    def _login_tick(self) -> None:
        clock = self._clock()
        if self.login_deadline is not None and clock >= self.login_deadline:
            waiting_for = self.resume_state if self.state == "delay" else self.state
            word = "Username" if waiting_for == "username" else "Password"
            self._write(f"\n% {word}:  timeout expired!\n")
            self._flush()
            self.close()
        elif self.state == "delay" and clock >= self.resume_at:
            self._write("Username: " if self.resume_state == "username" else "Password: ")
            self._enter_state(self.resume_state)
            self._flush()

    # ------------------------------------------------------------------ output and hang-up
    def _write(self, text: str) -> None:
        self._out += crlf(text)

    def _flush(self) -> None:
        if self._out and self.state != "closed":
            data, self._out = bytes(self._out), bytearray()
            try:
                self.link.send(data)
            except Exception:  # noqa: BLE001 - the client went away; lost() follows
                pass

    def close(self) -> None:
        """Hang up: what is written goes out first; the line is free again."""
        if self.state == "closed":
            return
        self._flush()
        self._hang_up()
        try:
            self.link.close()
        except Exception:  # noqa: BLE001
            pass

    def lost(self) -> None:
        """The client went away (or the connection broke)."""
        self._hang_up()

    def _hang_up(self) -> None:
        self.state = "closed"
        if self.session is not None:
            self.session.monitor = False    # no longer a terminal that logging reaches
        self.pool.release(self.number)

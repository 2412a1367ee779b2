"""The router's virtual terminal lines: allocation, login, and one Conversation per line.

Protocol-independent: telnet and SSH give a Vty the bytes the user typed (data_received) and
a Link to send bytes back and to hang up. Everything runs on the server's one event loop, so
the shared router is only ever touched by one command at a time and outputs never mix. After
the login, a Vty is the Terminal of a Conversation (iosfw/cli/conversation.py), the same driver
as the console's: the line editor's events go in, the bytes the conversation writes go out.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional, Protocol

from ..cli.conversation import Conversation, Terminal
from ..cli.pager import Pager
from ..cli.session import Session, internal_error
from ..config import model as m
from ..config.secrets import password_matches
from .access import Address, acl_permits
from .lineedit import Event, LineEditor, crlf
from .login_guard import LoginGuard

LOGIN_TIMEOUT = 30               # `timeout login response`: seconds a vty's whole login may take
LOGIN_TRIES = 3                  # failed attempts after which a vty hangs up
WELL_KNOWN_PORTS = {"telnet": 23, "ssh": 22}
DEFAULT_EXEC_TIMEOUT = 600.0     # `exec-timeout 10 0`, IOS's default
EVENTS_PER_TURN = 32             # commands run before other lines get their turn
ERASE_MORE = "\b" * len(Pager.PROMPT) + " " * len(Pager.PROMPT) + "\b" * len(Pager.PROMPT)


class Link(Protocol):
    """What a protocol offers its vty."""
    def send(self, data: bytes) -> None: ...
    def close(self) -> None: ...


def guarded(report: Callable[[str], None], where: str, call: Callable[[], object],
            on_fault: Callable[[], None] = lambda: None) -> None:
    """Run `call`; a fault in it is reported (`where: Type: message`) and `on_fault` cleans up
    after it (a line's fault closes that line), so that no line, timer or connection of the
    served router stops the server or another line."""
    try:
        call()
    except Exception as err:  # noqa: BLE001 - one line's fault is that line's
        report(f"{where}: {type(err).__name__}: {err}" if where
               else f"{type(err).__name__}: {err}")
        on_fault()


# ------------------------------------------------------------------ login
def user_login(router: m.Router, username: str, password: str) -> Optional[m.User]:
    """`login local`: the `username` entry that this name and password open, if any."""
    user = router.users.get(username)
    if user is not None and password_matches(password, user.secret):
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
    """The vty lines of one router, shared by telnet and SSH. It is the Device's `vtys`,
    which `show users` and `show login` read (a Device without it has only its console)."""

    def __init__(self, device, on_change: Callable[[], None] = lambda: None):
        self.device = device
        self.busy: dict[int, "Vty | None"] = {}   # number -> its Vty (None while reserved)
        self.on_change = on_change
        self.peak = 0                             # most lines ever in use at once
        self.uses: dict[int, int] = {}            # vty number -> connections since boot
        self.guard = LoginGuard(device)           # the Login Enhancements' watch (show login)
        device.vtys = self

    def line_config(self, number: int) -> m.Line:
        return self.device.router.line_of("vty", number) or m.Line("vty", number, login="login")

    def capacity(self) -> int:
        return len(self.device.router.vty_numbers())

    def allows(self, number: int, protocol: str) -> bool:
        """`transport input`: which protocols may start an EXEC on this line."""
        allowed = self.line_config(number).transport_input
        return not allowed or "all" in allowed or protocol in allowed

    def admits(self, number: int, peer: Address, local: Address) -> bool:
        """Whether a connection from `peer` may have vty `number`: the line's `access-class
        ACL in` (a list that does not exist permits everything, as on IOS), then quiet
        mode. IOS asks both when the connection comes in, before any login."""
        acl = self.line_config(number).access_class_in
        if acl and not acl_permits(self.device, acl, peer, local, otherwise=True):
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
                self.uses[number] = self.uses.get(number, 0) + 1
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
class Vty(Terminal):
    """One vty line from connect to hang-up: banner, login, then its Conversation (the EXEC,
    the pager, questions), and the timeouts."""

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
        self.conversation: Optional[Conversation] = None
        self.state = "new"                # username, password, delay, exec, closed
        self.editor = LineEditor(help=self._help, complete=self._complete, prompt=self._prompt)
        self.last_input = self.started = time.monotonic()
        self.tries = 0
        self.pending_user = ""
        self.login_deadline: Optional[float] = None   # device uptime the login must end by
        self.resume_at = 0.0                          # end of the login delay
        self.resume_state = ""                        # and the prompt that follows it
        self.busy_at = 0.0                            # last tick the line was still working
        self.paused = False
        self._scheduled = False
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

    @property
    def _busy(self) -> bool:
        """A command of this line runs in slices, or waits for another line's."""
        return self.conversation is not None and self.conversation.expecting == "busy"

    # ------------------------------------------------------------------ start
    def start_telnet(self) -> None:
        """A telnet connection: banner motd, then the login the line asks for."""
        self._banner("motd")
        login = self.line.login
        if login == "local":
            self._banner("login")
            self.write("\n\nUser Access Verification\n\nUsername: ")
            self._enter_state("username")
            self._start_login_timer()
        elif login:
            if self.line.password is None:
                self.write("\nPassword required, but none set\n")
                self.close()
                return
            self._banner("login")
            self.write("\n\nUser Access Verification\n\nPassword: ")
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

    def run_one(self, command: str, privileged: bool = False) -> None:
        """`ssh router command`: one command's output, then the connection closes; at the
        level the login gave (a `privilege 15` user's command runs in privileged EXEC)."""
        self._new_session(privileged=privileged)
        self.state = "exec"
        self.conversation = Conversation(self.session, self, bare=True)
        self.conversation.enter(command)
        self._flush()
        self.close()

    def _banner(self, kind: str) -> None:
        banner = self.router.banners.get(kind)
        if banner is not None:
            text = banner.text if banner.text.endswith("\n") else banner.text + "\n"
            self.write(text)

    def _new_session(self, privileged: bool) -> None:
        self.session = Session(self.pool.device, privileged=privileged, line_name=self.name,
                               peer=self.peer)

    def _start_exec(self, privileged: bool, newline: bool = False) -> None:
        """The EXEC begins: after a login the prompt follows the password's line end."""
        self._new_session(privileged)
        self.conversation = Conversation(self.session, self, schedule=self.schedule)
        self._banner("exec")
        if newline:
            self.write("\n")
        self.state = "exec"
        self.conversation.start()
        self._follow()

    def _enter_state(self, state: str) -> None:
        """A step of the login: nothing but a line, echoed except for a password."""
        self.state = state
        self.editor.echo = state not in ("password", "delay")
        self.editor.commands = self.editor.single_key = False

    def _follow(self) -> None:
        """The editor as the conversation's next input needs it: a command line (`?`, Tab,
        history), an answer (not echoed when secret), or one key at ` --More-- `."""
        c = self.conversation
        self.editor.echo = not (c.expecting == "answer" and c.secret)
        self.editor.commands = c.expecting == "command"
        self.editor.single_key = c.expecting == "key"

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
        while self.state != "closed" and not self._busy and not self.paused:
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
        if state == "username":
            self._username(event)
        elif state == "password":
            self._password(event)
        elif state == "exec":
            self._converse(event)

    def _converse(self, event: Event) -> None:
        """An editor event, as the conversation takes it: a key at ` --More-- `, Ctrl-C
        (Ctrl-Z too at a question), Ctrl-Z (`^Z` is echoed when it means `end`), a line."""
        c = self.conversation
        if c.expecting == "key":
            c.key({"interrupt": "\x03", "ctrl-z": "\x1a"}.get(event.kind, event.text[:1] or "\r"))
        elif event.kind == "interrupt" or (event.kind == "ctrl-z" and c.expecting == "answer"):
            self.write("\n")
            c.interrupt()
        elif event.kind == "ctrl-z":
            c.ctrl_z("^Z\n")
        elif event.kind == "line":
            c.enter(event.text)
        self._follow()

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
            self.write("Username: " if event.kind == "line" else "\nUsername: ")
            return
        self.pending_user = event.text.strip()
        self.write("Password: ")
        self._enter_state("password")

    def _password(self, event: Event) -> None:
        typed = event.text if event.kind == "line" else ""
        if event.kind != "line":
            self.write("\n")
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
            self.write("\n% Login invalid\n\n")
            self._again("username", "Username: ")
            return
        if password_matches(typed, self.line.password):
            self._logged_in("")
            self._start_exec(privileged=False)
            return
        self.tries += 1
        guard.failed("", self.peer_address, self.local)
        if self.tries >= LOGIN_TRIES:
            self.write("% Bad passwords\n\n")
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
        self.write(prompt)
        self._enter_state(state)

    # ------------------------------------------------------------------ the Terminal
    def write(self, text: str) -> None:
        self._out += crlf(text)

    def erase_more(self) -> None:
        self.write(ERASE_MORE)

    def ready(self, shown: str, prompt: str) -> None:
        self.write(shown + prompt)

    def question(self, prompt: str, secret: bool) -> None:
        self.write(prompt)

    def hang_up(self) -> None:
        self.close()

    def reloaded(self) -> None:
        """IOS drops every vty connection as it goes down."""
        for vty in self.pool.vtys():
            vty.close()

    def resumed(self) -> None:
        """The long command is done: on with what was typed meanwhile, and with the lines
        that waited for the device."""
        if self.state != "closed":
            self._follow()
        self._process()
        self.pool.deliver()

    def retry(self) -> None:
        """The device is free again: run the command that waited."""
        if self.state == "exec" and self.conversation.retry():
            self._follow()
            self._process()

    def deliver(self) -> None:
        """Messages that came up while this line waits at its prompt (another line configured,
        a timer fired) are shown now, when they happen."""
        if self.state != "exec" or self.conversation.expecting != "command":
            return
        try:
            messages = self.session.pending_messages()
        except Exception as err:  # noqa: BLE001 - one line's fault is that line's
            messages = internal_error(err)
        if messages:
            self.conversation.arrived(messages, self.editor.buffer)
            self._flush()

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
        if self._busy or self.paused or self.editor.pending:
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
            self.write(f"\n% {word}:  timeout expired!\n")
            self._flush()
            self.close()
        elif self.state == "delay" and clock >= self.resume_at:
            self.write("Username: " if self.resume_state == "username" else "Password: ")
            self._enter_state(self.resume_state)
            self._flush()

    # ------------------------------------------------------------------ output and hang-up
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
        if self.conversation is not None:
            self.conversation.close()
        if self.session is not None:
            self.session.monitor = False    # no longer a terminal that logging reaches
        self.pool.release(self.number)

"""One console or vty session on the router: modes, prompts and command dispatch.

Pure text in, text out: the local terminal, the script reader, `-c` and (later) telnet and
SSH all drive this same object.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Optional

from .. import syslog
from ..clock import Clock
from ..config import model as m
from ..config.apply import ConfigError, Configurator, execute, first, tokens, unwrap, words
from ..config.names import int_to_ip
from ..config.secrets import password_matches
from ..device import Device
from ..parser.grammar import START_RULES
from ..parser.tree import Tree
from ..parser.words import CommandError, parse, split_words
from ..show import (
    access_lists,
    debugging,
    inspect,
    inspect_stats,
    interfaces,
    logging,
    login,
    nat,
    routes,
    running_config,
    system,
    traffic,
    users,
)
from ..textutil import MAX_LINE
from .filters import apply_filter
from .help import complete as help_complete
from .help import listing as help_listing
from .reply import Ask, Reply
from .simulator import Simulator
from .startup import StartupStore

if TYPE_CHECKING:     # the engine is imported by the Device when first used
    from ..engine.pipeline import Engine

CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z."
# EXEC commands that change the device (the others only read it), and those of them that
# change its forwarding state too
_CHANGES_DEVICE = ("sim_", "clear_", "clock_", "debug_", "undebug_")
_CHANGES_ENGINE = ("sim_", "clear_")
# what a line keeps of its own that a failed command must not change
_LINE_STATE = ("configuring", "privileged", "monitor", "password_tries", "terminal_length",
               "terminal_width", "history_size")


def internal_error(err: BaseException) -> str:
    return f"% Internal error in iosfw ({type(err).__name__}: {err}); please report it\n"


class _Busy(Exception):
    """Another line's stepped command holds the device (see Session._step)."""


class _Undo:
    """What one transaction may have to put back: the line's own state always, the device's
    from the moment a handler says it will change it."""

    def __init__(self, session: "Session"):
        self.session = session
        self.line = {name: getattr(session, name) for name in _LINE_STATE}
        self.history = len(session.history)
        self.context = session.cfg.context
        self.device = None

    def keep(self, engine: bool, footprint: Optional[list] = None) -> None:
        if self.device is None:
            s = self.session
            self.device = s.device.checkpoint(engine, [s.cfg, s.simulator] if engine else
                                              [s.cfg], footprint)

    def restore(self) -> None:
        s = self.session
        if self.device is not None:
            self.device.restore()
        for name, value in self.line.items():
            setattr(s, name, value)
        s.cfg.context = self.context


def _session_facts(sessions) -> list[dict]:
    return [{"id": f"{s.id:X}", "protocol": s.protocol, "state": s.state,
             "initiator": f"{int_to_ip(s.initiator[0])}:{s.initiator[1]}",
             "responder": f"{int_to_ip(s.responder[0])}:{s.responder[1]}",
             "bytes_initiator": s.bytes_initiator, "bytes_responder": s.bytes_responder,
             "interface": s.interface, "rule": s.rule} for s in sessions]


class Session:
    def __init__(self, device: Device, privileged: bool = False, as_json: bool = False,
                 line_name: str = "console", peer: str = ""):
        self.device = device
        self.cfg = Configurator(device.router)
        self.privileged = privileged
        self.configuring = False
        self.as_json = as_json
        self.line_name = line_name          # "console", or "vty0" ... "vty4"
        self.peer = peer                    # a vty's remote address, for `by vty0 (addr)`
        self.monitor = False                # `terminal monitor`
        self.password_tries = 0
        self.terminal_length = 24
        self.terminal_width = 80
        self.history: list[str] = []
        self.history_size = 10
        self.log_seen = device.log.seq      # the log messages this line has been shown
        self.simulator = Simulator(device)
        self._undo: Optional[_Undo] = None
        device.sessions.add(self)

    @property
    def router(self) -> m.Router:
        return self.device.router

    @property
    def store(self) -> StartupStore:
        return self.device.store

    @property
    def clock(self) -> Clock:
        return self.device.clock

    @property
    def engine(self) -> "Engine":
        return self.device.engine

    # ------------------------------------------------------------------ state
    @property
    def mode(self) -> str:
        if self.configuring:
            return self.cfg.context.mode
        return "exec" if self.privileged else "user"

    def prompt(self) -> str:
        host = self.router.hostname
        if self.configuring:
            return f"{host}({self.cfg.context.mode})#"
        return host + ("#" if self.privileged else ">")

    # ------------------------------------------------------------------ entry point
    def execute(self, line: str, stepwise: bool = False) -> Reply:
        """Run one typed line; never raises. Log messages that came up meanwhile follow the
        output, on the lines that show them. A long command (a flood) runs to its end, or
        with `stepwise` a slice at a time: its Reply then has `more`, to be called for the
        next slice, while the other lines of the device go on answering."""
        self.device.tick()
        return self._transaction(lambda: self._execute(line), stepwise)

    def _transaction(self, run: Callable[[], Reply], stepwise: bool = False) -> Reply:
        """A line or an answer applies whole or not at all: when something inside iosfw fails
        half-way, the model, the engine and this line's modes are put back as they were and
        the failure is one line of text, so that the next command works (on this line and on
        every other line of the device). Handlers that change the device say so first
        (`_keep`); read-only commands cost no copy."""
        self._undo = _Undo(self)
        return self._step(run, stepwise)

    def _step(self, run: Callable[[], Reply], stepwise: bool) -> Reply:
        """One slice of the transaction's work (all of it unless `stepwise`). While a stepped
        command is under way the device is this line's: other lines may read it, and a
        command of theirs that would change it waits (Reply.wait), so that the undo point
        taken at the start still holds."""
        try:
            reply = run()
            while reply.more is not None and not stepwise:
                reply = reply.more()
            if reply.more is not None:
                self.device.busy = self
                step = reply.more
                reply.more = lambda: self._step(step, True)
                return reply
            reply.messages = self.pending_messages()
            reply.output += reply.messages
        except _Busy:
            self._undo.restore()
            del self.history[self._undo.history:]      # not typed yet, as far as it goes
            reply = Reply(wait=True)
        except Exception as err:  # noqa: BLE001 - our own bug must not cost the session
            self._undo.restore()
            reply = Reply(internal_error(err), error=True)
        except BaseException:
            self._undo.restore()
            self._done()
            raise
        self._done()
        return reply

    def _done(self) -> None:
        self._undo = None
        if self.device.busy is self:
            self.device.busy = None

    def _keep(self, engine: bool = False, footprint: Optional[list] = None) -> None:
        """About to change the device: remember it as it is (once per transaction; with the
        forwarding state when `engine`; see Device.checkpoint for `footprint`). While another
        line's stepped command holds the device, wait instead."""
        if self.device.busy not in (None, self):
            raise _Busy()
        undo = self._undo
        if undo is not None:
            undo.keep(engine, footprint)

    def _footprint(self, line: str) -> list:
        """What a configuration line may change below the top levels of the router: the
        object its mode configures, and the objects its words name (`access-list 101 ...`
        changes list 101's entries, `ip inspect name OUT-IN ...` that rule's lines). Keeping
        only these in depth makes a command cost what it changes, not the configuration's
        size."""
        target = self.cfg.context.target
        found = [target] if target is not None else []
        named = {w.text for w in split_words(line)}
        for value in vars(self.router).values():
            if isinstance(value, dict):
                found += [value[w] for w in named if w in value]
        return found

    def _ask(self, prompt: str, answer: Callable[[str], Reply], secret: bool = False) -> Ask:
        """A question whose answer runs as a transaction of its own, like a typed line."""
        return Ask(prompt, lambda typed: self._transaction(lambda: answer(typed)), secret)

    def _execute(self, line: str) -> Reply:
        if len(line) > MAX_LINE:
            return Reply(f"% (iosfw) command line of {len(line)} characters refused: a "
                         f"terminal line takes at most {MAX_LINE}\n", error=True)
        if not line.strip() or line.lstrip().startswith("!"):
            return Reply()
        self.history.append(line.strip())
        if self.configuring:
            try:
                return self._configure(line)
            except ConfigError as err:
                return self.config_refusal(err)
        return self._exec_line(line, self.prompt())

    @property
    def synchronous(self) -> bool:
        """`logging synchronous` on this line: a message reprints the prompt after it."""
        kind, number = ("con", 0) if self.line_name == "console" else ("vty",
                                                                        int(self.line_name[3:]))
        line = self.router.line_of(kind, number)
        return line is not None and line.logging_synchronous

    def after_prompt(self, messages: str, typed: str = "") -> str:
        """What a terminal shows after the prompt when log messages arrive: they start on a
        line of their own; the prompt (and what was typed after it) comes back only with
        `logging synchronous`, as on the router."""
        if not messages:
            return ""
        return "\n" + messages + (self.prompt() + typed if self.synchronous else "")

    def pending_messages(self) -> str:
        """The log messages this line shows and has not shown yet: all of them at the level
        `logging console` allows on the console; on a vty only after `terminal monitor`."""
        log = self.device.log
        fresh = log.since(self.log_seen)
        self.log_seen = log.seq
        if self.line_name == "console":
            level = syslog.console_level(self.router)
        else:
            level = syslog.monitor_level(self.router) if self.monitor else None
        if level is None:
            return ""
        return "".join(msg.text + "\n" for msg in fresh if msg.severity <= level)

    def _exec_line(self, line: str, prompt: str) -> Reply:
        """An EXEC command; `prompt` is what stands before `line` on screen, for the caret."""
        try:
            return self._exec(parse(line, START_RULES[self.mode]))
        except CommandError as err:
            return self.refusal(line, err, prompt)
        except ConfigError as err:
            return self.config_refusal(err)

    def refusal(self, line: str, err: CommandError, prompt: Optional[str] = None) -> Reply:
        """IOS's error block: the caret under the offending column, measured from the prompt
        (Reply.column says where it stands)."""
        if err.kind == "ambiguous":
            return Reply(err.ios_message() + "\n", error=True)
        if err.kind == "incomplete":
            return Reply(err.ios_message() + "\n\n", error=True)
        if self.mode in ("user", "exec") and err.column == 0 and len(split_words(line)) == 1:
            return Reply(self._unknown_host(line.strip()), error=True)
        column = len(self.prompt() if prompt is None else prompt) + err.column
        return Reply(" " * column + "^\n" + err.ios_message() + "\n\n", error=True, column=column)

    def config_refusal(self, err: ConfigError) -> Reply:
        """A refusal of the model's: IOS's caret block when it points at a word."""
        if err.column is not None and err.message.startswith("% Invalid input"):
            column = len(self.prompt()) + err.column
            return Reply(" " * column + "^\n" + err.message + "\n\n", error=True, column=column)
        return Reply(err.message + "\n", error=True)

    def _unknown_host(self, word: str) -> str:
        if self.router.ip_domain_lookup:
            return (f'Translating "{word}"...domain server (255.255.255.255)\n'
                    "% Unknown command or computer name, or unable to find computer address\n")
        return (f'Translating "{word}"\n'
                "% Unknown command or computer name, or unable to find computer address\n")

    # ------------------------------------------------------------------ help
    def help(self, typed: str) -> str:
        """What `?` prints after `typed` (the line without the `?`)."""
        try:
            return help_listing(self.mode, typed)
        except CommandError as err:
            return self.refusal(typed, err).output

    def complete(self, typed: str) -> Optional[str]:
        """Tab: the completed line, or None when no single keyword fits."""
        return help_complete(self.mode, typed)

    # ------------------------------------------------------------------ configuration
    def _configure(self, line: str) -> Reply:
        tree_name = None
        try:
            tree = parse(line, START_RULES[self.cfg.context.mode])
            tree_name = unwrap(tree)[0] if tree is not None else None
        except CommandError:
            pass
        if tree_name == "do":
            rest = tokens(tree, "REST")[0]
            before = self.prompt() + line[:rest.start_pos]
            saved, self.configuring = self.configuring, False
            try:
                return self._exec_line(str(rest), before)
            finally:
                self.configuring = saved
        if tree_name == "end":
            self.cfg.leave()
            self.configuring = False
            self.device.syslog("%SYS-5-CONFIG_I: Configured from " + self._by())
            return Reply()
        if tree_name == "exit" and self.cfg.context.mode == "config":
            self.configuring = False
            self.device.syslog("%SYS-5-CONFIG_I: Configured from " + self._by())
            return Reply()
        self._keep(footprint=self._footprint(line))   # the engine follows by refresh()
        try:
            slot = execute(self.cfg, line)
        except CommandError as err:
            return self.refusal(line, err)
        except ConfigError:
            self._undo.restore()    # a command applies whole or not at all
            raise
        self.device.configured(slot)
        return Reply()

    def _by(self) -> str:
        if self.line_name == "console":
            return "console by console"
        return f"console by {self.line_name}" + (f" ({self.peer})" if self.peer else "")

    # ------------------------------------------------------------------ EXEC
    def _exec(self, tree: Tree) -> Reply:
        if tree.data in ("exec_cmd", "user_cmd") and len(tree.children) == 2:
            show_tree, pipe = tree.children
            reply = self._exec(show_tree)
            kind, pattern = first(pipe, "FILTER_KIND"), first(pipe, "REST")
            if not reply.error and not self.as_json:
                reply.output = apply_filter(kind, pattern, reply.output)
            return reply
        name, _, cmd = unwrap(tree)
        if name.startswith("show_"):
            return self._show(name, cmd)
        if name.startswith(_CHANGES_DEVICE):
            self._keep(engine=name.startswith(_CHANGES_ENGINE))
        if name.startswith("sim_"):
            return getattr(self.simulator, name)(cmd)
        return getattr(self, "exec_" + name)(cmd)

    def exec_enable(self, t) -> Reply:
        if self.privileged:
            return Reply()
        if self.router.enable_secret or self.router.enable_password:
            return Reply(ask=self._password_question())
        if self.line_name != "console":
            return Reply("% No password set\n", error=True)
        self.privileged = True
        return Reply()

    def check_enable_password(self, typed: str) -> Reply:
        """The answer to `Password:` after `enable`; three failures give `% Bad secrets`."""
        if password_matches(typed, self.router.enable_secret or self.router.enable_password):
            self.privileged, self.password_tries = True, 0
            return Reply()
        self.password_tries += 1
        if self.password_tries >= 3:
            self.password_tries = 0
            return Reply("% Bad secrets\n\n", error=True)
        return Reply(ask=self._password_question(), error=True)

    def cancelled(self) -> Reply:
        """Ctrl-C at a question: nothing happens, as on the router."""
        self.password_tries = 0
        return Reply()

    def _password_question(self) -> Ask:
        return self._ask("Password: ", self.check_enable_password, secret=True)

    def exec_history(self, t) -> Reply:
        return Reply("".join(f"  {line}\n" for line in self.history[-self.history_size:]))

    def exec_reload(self, t) -> Reply:
        if self._modified():
            return Reply(ask=self._ask("System configuration has been modified. Save? [yes/no]: ",
                                       self._reload_save))
        return Reply(ask=self._ask("Proceed with reload? [confirm]", self._reload_confirm))

    def _modified(self) -> bool:
        """Whether the running configuration says something the saved one does not: both are
        compared as the router would write them, so `!` lines and spacing do not count."""
        from ..config.loader import load_text

        saved = self.store.read()
        if saved is None:
            return True
        booted = load_text(saved, chassis=self.router.chassis).router
        return running_config.render_lines(booted) != running_config.render_lines(self.router)

    def _reload_save(self, answer: str) -> Reply:
        word = answer.strip().lower()
        if word and "yes".startswith(word):
            saved = self._save()
            if saved.error:
                return saved
            head = saved.output
        elif word and "no".startswith(word):
            head = ""
        else:
            return Reply("% Please answer 'yes' or 'no'.\n", ask=self._ask(
                "System configuration has been modified. Save? [yes/no]: ", self._reload_save))
        return Reply(head, ask=self._ask("Proceed with reload? [confirm]", self._reload_confirm))

    def _reload_confirm(self, answer: str) -> Reply:
        if answer.strip().lower() not in ("", "y", "yes"):
            return Reply()
        from ..config.loader import load_text

        text = self.store.read() or ""
        self._keep(engine=True)
        fresh = load_text(text, str(self.store.path), chassis=self.router.chassis).router
        self.router.__dict__.update(fresh.__dict__)
        self.cfg.leave()
        self.configuring, self.privileged = False, False
        self.history.clear()
        self.device.reloaded()
        return Reply(f"\n{self.router.hostname} con0 is now available\n\n\n\n"
                     "Press RETURN to get started.\n\n", reloaded=True)

    def exec_disable(self, t) -> Reply:
        self.privileged = False
        return Reply()

    def exec_exit(self, t) -> Reply:
        return Reply(closed=True)

    def exec_configure_terminal(self, t) -> Reply:
        self.configuring = True
        self.cfg.leave()
        return Reply(CONFIG_BANNER + "\n")

    def exec_write_memory(self, t) -> Reply:
        return self._save()

    def exec_copy_run_start(self, t) -> Reply:
        return self._save(ask_name=True)

    def _save(self, ask_name: bool = False) -> Reply:
        text = running_config.startup_text(self.router)
        head = "Destination filename [startup-config]? \n" if ask_name else ""
        try:
            self.store.write(text)
        except OSError as err:
            return Reply(f"{head}Building configuration...\n%Error writing nvram:startup-config "
                         f"({err.strerror or err})\n", error=True)
        return Reply(f"{head}Building configuration...\n[OK]\n")

    def exec_terminal_length(self, t) -> Reply:
        self.terminal_length = int(first(t, "LENGTH"))
        return Reply()

    def exec_terminal_width(self, t) -> Reply:
        self.terminal_width = int(first(t, "WIDTH"))
        return Reply()

    def exec_terminal_monitor(self, t) -> Reply:
        self.monitor, self.log_seen = True, self.device.log.seq   # from now on, not before
        return Reply()

    def exec_terminal_no_monitor(self, t) -> Reply:
        self.monitor = False
        return Reply()

    # ------------------------------------------------------------------ debug
    def exec_debug_ip_inspect(self, t) -> Reply:
        what = first(t, "DEBUG_INSPECT")
        self.device.debug.add(f"ip inspect {what}")
        return Reply(debugging.turned(what, True) + "\n")

    def exec_undebug_ip_inspect(self, t) -> Reply:
        what = first(t, "DEBUG_INSPECT")
        self.device.debug.discard(f"ip inspect {what}")
        return Reply(debugging.turned(what, False) + "\n")

    def exec_undebug_all(self, t) -> Reply:
        self.device.debug.clear()
        return Reply(debugging.ALL_OFF + "\n")

    # ------------------------------------------------------------------ clear
    def exec_clear_access_list_counters(self, t) -> Reply:
        self.engine.clear_acl_counters(" ".join(words(t.children[0])) if t.children else None)
        return Reply()

    def exec_clear_ip_inspect_session(self, t) -> Reply:
        self.device.record(self.engine.clear_sessions())
        return Reply()

    def exec_clear_ip_inspect_statistics(self, t) -> Reply:
        self.engine.clear_statistics(self.clock.uptime())
        return Reply()

    def exec_clear_ip_nat_translation(self, t) -> Reply:
        self.engine.nat.clear()
        return Reply()

    def exec_clear_logging(self, t) -> Reply:
        def confirm(answer: str) -> Reply:
            if answer.strip().lower() in ("", "y", "yes"):
                self.device.log.clear_buffer()
            return Reply()
        return Reply(ask=self._ask("Clear logging buffer [confirm]", confirm))

    def exec_clock_set(self, t) -> Reply:
        hh, mm, ss = (int(x) for x in first(t, "CLOCK_TIME").split(":"))
        day, year = int(first(t, "DAY")), int(first(t, "YEAR"))
        month = datetime.strptime(first(t, "MONTH")[:3].title(), "%b").month
        try:
            self.clock.set(datetime(year, month, day, hh, mm, ss, tzinfo=timezone.utc))
        except ValueError:
            return Reply("% Invalid date\n", error=True)
        return Reply()

    # ------------------------------------------------------------------ show
    def _show(self, name: str, t: Tree) -> Reply:
        r = self.router
        acl = " ".join(words(t.children[0])) if t.children and isinstance(t.children[0], Tree) \
            else None
        if name == "show_ip_inspect":
            sub = t.children[0]
            kind = sub.data
            sessions = list(self.engine.sessions.sessions.values())
            now = self.clock.uptime()
            if kind == "inspect_all":
                return self._out(inspect.show_all(r, traffic.session_lines(sessions, False, now)),
                                 lambda: dict(inspect.facts(r), sessions=_session_facts(sessions)))
            if kind == "inspect_config":
                return self._out(inspect.show_config(r), lambda: inspect.facts(r))
            if kind == "inspect_interfaces":
                return self._out(inspect.show_interfaces(r), lambda: inspect.facts(r)["interfaces"])
            if kind == "inspect_statistics":
                engine = self.engine
                return self._out(inspect_stats.text(r, engine, now),
                                 lambda: inspect_stats.facts(r, engine, now))
            if kind == "inspect_name":
                rule = first(sub, "WORD")
                return self._out(inspect.show_name(r, rule),
                                 lambda: inspect.facts(r)["rules"].get(rule))
            detail = first(sub, "DETAIL") is not None
            text = "".join(line + "\n" for line in traffic.session_lines(sessions, detail, now))
            return self._out(text, lambda: _session_facts(sessions))
        if name == "show_running_config":
            return self._out(running_config.render(r), lambda: {
                "text": "\n".join(running_config.render_lines(r)) + "\n"})
        if name == "show_startup_config":
            text = self.store.read()
            if text is None:
                return Reply("startup-config is not present\n")
            return self._out(running_config.render_startup(text), lambda: {"text": text})
        if name in ("show_access_lists", "show_ip_access_lists"):
            matches = self.device.acl_matches
            return self._out(access_lists.text(r, matches, acl),
                             lambda: access_lists.facts(r, matches, acl))
        if name == "show_ip_interface_brief":
            return self._out(interfaces.text(r), lambda: interfaces.facts(r))
        if name == "show_ip_nat_translations":
            table, now = self.engine.nat, self.clock.uptime()
            verbose = first(t, "VERBOSE") is not None
            return self._out(nat.translations_text(table, verbose, now), lambda: nat.facts(table))
        if name == "show_ip_nat_statistics":
            table = self.engine.nat
            return self._out(nat.statistics_text(r, table),
                             lambda: nat.statistics_facts(r, table))
        if name == "show_debugging":
            flags = sorted(self.device.debug)
            return self._out(debugging.text(flags), lambda: {"debug": flags})
        if name == "show_logging":
            log = self.device.log
            return self._out(logging.text(r, log), lambda: logging.facts(r, log))
        if name == "show_ip_route":
            return self._out(routes.text(r), lambda: routes.facts(r))
        if name == "show_version":
            return self._out(system.version_text(r, self.clock),
                             lambda: system.version_facts(r, self.clock))
        if name == "show_clock":
            return self._out(system.clock_text(self.clock), lambda: system.clock_facts(self.clock))
        if name == "show_users":
            return self._out(users.text(self), lambda: users.facts(self))
        if name == "show_login":
            pool = self.device.vtys
            watch = pool.guard.watch() if pool is not None else login.unwatched(r.login)
            if first(t, "FAILURES"):
                return self._out(login.failures_text(watch), lambda: login.failures_facts(watch))
            return self._out(login.text(r.login, watch), lambda: login.facts(r.login, watch))
        raise CommandError("invalid", name)

    def _out(self, text: str, facts) -> Reply:
        if self.as_json:
            return Reply(json.dumps(facts(), indent=2, sort_keys=True) + "\n")
        return Reply(text)

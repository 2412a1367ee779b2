"""One console or vty session on the router: modes, prompts and command dispatch.

Pure text in, text out: the local terminal, the script reader, `-c` and (later) telnet and
SSH all drive this same object.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from .. import syslog
from ..clock import Clock
from ..commands import archive_log as config_log
from ..commands.configure import ConfigError, Configurator, execute, unwrap
from ..commands.registry import ENGINE, READS, arguments, lookup
from ..commands.reply import Ask, Reply
from ..config import model as m
from ..device import Device
from ..parser.grammar import START_RULES
from ..parser.tree import Tree
from ..parser.words import CommandError, parse, split_words
from ..textutil import MAX_LINE
from .filters import apply_filter
from .help import complete as help_complete
from .help import listing as help_listing
from .startup import StartupStore

if TYPE_CHECKING:     # the engine is imported by the Device when first used
    from ..commands.simulate import Simulator
    from ..engine.pipeline import Engine

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
        line = self.line_config               # `length N` of the line, else IOS's 24
        self.terminal_length = 24 if line is None or line.length is None else line.length
        self.terminal_width = 80
        self.history: list[str] = []
        self.history_size = 10
        self.log_seen = device.log.seq      # the log messages this line has been shown
        self._simulator: Optional[Simulator] = None
        self._undo: Optional[_Undo] = None
        device.sessions.add(self)

    @property
    def simulator(self) -> "Simulator":
        """This line's `simulate` state (its open connections), made when first used."""
        if self._simulator is None:
            from ..commands.simulate import Simulator

            self._simulator = Simulator(self.device)
        return self._simulator

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
        (`keep`); read-only commands cost no copy."""
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

    def keep(self, engine: bool = False, footprint: Optional[list] = None) -> None:
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

    def ask(self, prompt: str, answer: Callable[[str], Reply], secret: bool = False) -> Ask:
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
        line = self.line_config
        return line is not None and line.logging_synchronous

    @property
    def line_config(self) -> Optional[m.Line]:
        """The `line` block that configures this session's line (None: the defaults)."""
        kind, number = ("con", 0) if self.line_name == "console" else ("vty",
                                                                        int(self.line_name[3:]))
        return self.router.line_of(kind, number)

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
            rest = unwrap(tree)[2].children[0]
            before = self.prompt() + line[:rest.start_pos]
            saved, self.configuring = self.configuring, False
            try:
                return self._exec_line(str(rest), before)
            finally:
                self.configuring = saved
        mode = self.cfg.context.mode
        if tree_name == "end" or (tree_name == "exit" and mode == "config"):
            self.cfg.leave()
            self.configuring = False
            self.device.syslog("%SYS-5-CONFIG_I: Configured from " + self._by())
            config_log.closed(self)
            return Reply()
        self.keep(footprint=self._footprint(line))   # the engine follows by refresh()
        try:
            slot = execute(self.cfg, line)
        except CommandError as err:
            return self.refusal(line, err)
        except ConfigError:
            self._undo.restore()    # a command applies whole or not at all
            raise
        self.device.configured(slot)
        config_log.logged(self, line, mode, tree_name)
        return Reply()

    def _by(self) -> str:
        if self.line_name == "console":
            return "console by console"
        return f"console by {self.line_name}" + (f" ({self.peer})" if self.peer else "")

    # ------------------------------------------------------------------ EXEC
    def _exec(self, tree: Tree) -> Reply:
        """Route an EXEC command to its handler (commands/registry.py), after the undo point
        its `changes` ask for; `| include ...` filters what a show command printed."""
        if tree.data in ("exec_cmd", "user_cmd") and len(tree.children) == 2:
            show_tree, pipe = tree.children
            reply = self._exec(show_tree)
            if pipe is not None and not reply.error and not self.as_json:
                kind, pattern = pipe.children
                reply.output = apply_filter(str(kind), str(pattern), reply.output)
            return reply
        name, _, cmd = unwrap(tree)
        found = lookup("exec", name)
        if found is None:
            raise LookupError(f"no handler for the EXEC command {name!r}")
        if found.changes != READS:
            self.keep(engine=found.changes == ENGINE)
        return found.handler(self, *arguments(cmd))

    def cancelled(self) -> Reply:
        """Ctrl-C at a question: nothing happens, as on the router."""
        self.password_tries = 0
        return Reply()

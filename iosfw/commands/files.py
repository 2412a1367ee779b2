"""The file commands of privileged EXEC: `dir`, `more`, `delete`, `verify /md5` and `copy`
between flash:, nvram:, system: and null: (grammar/files.lark); the file systems themselves
are the device's (iosfw/filesystem.py).

What they ask follows `file prompt` (the model's `file_prompt`): under alert and noisy a copy
asks for its destination's name and before it overwrites a file, a delete for the name and a
confirmation, as 12.3 asks them; under quiet nothing is asked. Each question's answer runs as
a transaction of its own (Session.ask). A copy into running-config merges the file line by
line, as if each line were typed in global configuration: a line the router refuses is shown
with its error and the rest goes on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..config.errors import ConfigError
from ..filesystem import FileError
from ..parser.words import CommandError
from ..show import files as text
from .configure import Configurator, execute
from .exec import save
from .loader import decode_config, split_lines
from .registry import converter, exec_command
from .reply import Reply
from .show import out

RUNNING, STARTUP = "running-config", "startup-config"
KEYWORD_URLS = {RUNNING: "system:running-config", STARTUP: "nvram:startup-config"}


@dataclass(frozen=True)
class Place:
    """A file as a command names it: its file system, its name there ("" for the file
    system itself) and the words it was typed as (for messages)."""
    fs: object
    name: str
    shown: str

    def named(self, name: str) -> "Place":
        return self if name == self.name else Place(self.fs, name, f"{self.fs.prefix}:{name}")

    @property
    def running(self) -> bool:
        return self.fs.prefix == "system" and self.name == RUNNING

    @property
    def startup(self) -> bool:
        return self.fs.prefix == "nvram" and self.name == STARTUP


def place(session, word) -> Place:
    fs, name = session.device.files.locate(KEYWORD_URLS.get(str(word), str(word)))
    return Place(fs, name, str(word))


@converter("to_running")
def to_running() -> str:
    return RUNNING


@converter("to_startup")
def to_startup() -> str:
    return STARTUP


# ------------------------------------------------------------------ questions
def quiet(session) -> bool:
    return session.router.file_prompt == "quiet"


def question(session, prompt: str, default: str, then: Callable[[str], Reply]) -> Reply:
    """Ask for a name (`Destination filename [X]? `), an empty answer taking the default;
    under `file prompt quiet` the default, without asking."""
    if quiet(session):
        return then(default)
    return Reply(ask=session.ask(prompt, lambda typed: then(typed.strip() or default)))


def confirm(session, prompt: str, then: Callable[[], Reply], head: str = "") -> Reply:
    """`[confirm]`: Return or y goes on, anything else stops with nothing done; under `file
    prompt quiet` it goes on, without asking (nor printing `head`, the warning before it)."""
    if quiet(session):
        return then()
    return Reply(head, ask=session.ask(
        prompt, lambda typed: then() if typed.strip().lower() in ("", "y", "yes") else Reply()))


def failed(what: str, shown: str, reason: str) -> Reply:
    return Reply(f"%Error {what} {shown} ({reason})\n", error=True)


# ------------------------------------------------------------------ dir, more, verify
@exec_command("dir")
def dir_(session, word=None) -> Reply:
    """`dir` alone lists flash:, the current directory."""
    url = str(word) if word is not None else "flash:"
    try:
        listing = session.device.files.listing(url)
    except FileError as err:
        fs, name = session.device.files.locate(url)
        return failed("opening", f"{fs.prefix}:/{name}", err.reason)
    return out(session, text.directory_text(listing), lambda: text.directory_facts(listing))


@exec_command("more")
def more(session, word) -> Reply:
    found = place(session, word)
    try:
        content = decode_config(found.fs.read(found.name))
    except FileError as err:
        return failed("opening", found.shown, err.reason)
    return out(session, content, lambda: {"file": found.shown, "text": content})


@exec_command("verify_md5")
def verify_md5(session, word) -> Reply:
    found = place(session, word)
    try:
        size = next((e.size for e in found.fs.entries() if e.name == found.name), None)
        if size is None:
            raise FileError("File not found")
        digest = found.fs.md5(found.name)
    except FileError as err:
        return failed("opening", found.shown, err.reason)
    return out(session, text.md5_text(found.shown, size, digest),
               lambda: text.md5_facts(found.shown, size, digest))


# ------------------------------------------------------------------ delete
@exec_command("delete")
def delete(session, word) -> Reply:
    found = place(session, word)

    def named(name: str) -> Reply:
        target = found.named(name.removeprefix("/"))
        shown = f"{target.fs.prefix}:{target.name}"
        return confirm(session, f"Delete {shown}? [confirm]", lambda: remove(target, shown))

    def remove(target: Place, shown: str) -> Reply:
        try:
            target.fs.delete(target.name)
        except FileError as err:
            return failed("deleting", shown, err.reason)
        return Reply()

    return question(session, f"Delete filename [{found.name}]? ", found.name, named)


# ------------------------------------------------------------------ copy
@exec_command("copy_running")
def copy_running(session, target) -> Reply:
    return copy(session, RUNNING, target)


@exec_command("copy_startup")
def copy_startup(session, target) -> Reply:
    return copy(session, STARTUP, target)


@exec_command("copy_file")
def copy_file(session, source, target) -> Reply:
    return copy(session, source, target)


def copy(session, source_word, target_word) -> Reply:
    source, target = place(session, source_word), place(session, target_word)
    if not source.name:
        return question(session, "Source filename []? ", "",
                        lambda name: _copy_from(session, source.named(name), target))
    return _copy_from(session, source, target)


def _copy_from(session, source: Place, target: Place) -> Reply:
    """The source read now (a missing one is refused before any question), then the
    destination's name asked for: by default the one typed, else the file system's own file
    (`nvram:` is startup-config) or the source's name."""
    try:
        data = source.fs.read(source.name)
    except FileError as err:
        return failed("opening", source.shown or source.fs.prefix + ":", err.reason)
    if target.fs.prefix == "null":
        return _deliver(session, source, target, data)
    default = target.name or target.fs.default_name or source.name.rsplit("/", 1)[-1]
    return question(session, f"Destination filename [{default}]? ", default,
                    lambda name: _deliver(session, source, target.named(name), data))


def _deliver(session, source: Place, target: Place, data: bytes) -> Reply:
    if target.running:
        return merge(session, data, source)
    if target.startup and source.running:
        return save(session)
    try:
        if target.fs.prefix == "flash" and target.fs.exists(target.name):
            return confirm(session, "Do you want to over write? [confirm]",
                           lambda: _write(session, target, data),
                           "%Warning:There is a file already existing with this name\n")
    except FileError as err:
        return failed("copying", target.shown, err.reason)
    return _write(session, target, data)


def _write(session, target: Place, data: bytes) -> Reply:
    try:
        target.fs.write(target.name, data)
    except FileError as err:
        return failed("copying", target.shown, err.reason)
    return Reply(("[OK]\n" if target.startup else "") + text.copied_text(len(data)))


def merge(session, data: bytes, source: Place) -> Reply:
    """Each line of `data` applied as typed in global configuration (its sub-mode lines in
    the sub-mode the lines before entered), up to `end`; the refused ones shown with their
    errors. The router is kept first, so that a failure inside iosfw puts it back whole."""
    session.keep()
    cfg = Configurator(session.router)
    errors = []
    for raw in split_lines(decode_config(data)):
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line.lower() == "end":
            break
        try:
            slot = execute(cfg, raw)
        except (CommandError, ConfigError) as err:
            errors.append(refusal(raw, err))
            continue
        session.device.configured(slot)
    origin = "memory" if source.startup else source.shown
    session.device.syslog(f"%SYS-5-CONFIG_I: Configured from {origin} by {_line(session)}")
    return Reply("".join(errors) + text.copied_text(len(data)), error=bool(errors))


def refusal(raw: str, err: Exception) -> str:
    """A refused line of a merge: the line, the caret under the word refused when there is
    one, and IOS's message."""
    if isinstance(err, CommandError):
        message, column = err.ios_message(), err.column if err.kind == "invalid" else None
    else:
        message = err.message
        column = err.column if message.startswith("% Invalid input") else None
    caret = "" if column is None else " " * column + "^\n"
    return f"{raw}\n{caret}{message}\n\n"


def _line(session) -> str:
    """The line a configuration came from, as `%SYS-5-CONFIG_I` names it."""
    if session.line_name == "console":
        return "console"
    return session.line_name + (f" ({session.peer})" if session.peer else "")

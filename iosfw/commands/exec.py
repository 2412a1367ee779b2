"""The EXEC commands of a line itself: privileges and the enable password, configuration mode,
saving, reloading, and the terminal's settings (grammar/exec.lark).

Each handler is `handler(session, *values)`. None of them changes the device before it runs:
what they change of the line (`privileged`, `configuring`, the terminal's size) the session
puts back by itself when a command fails. A reload changes the device only once its question
is answered, and keeps its undo point then (`session.keep`).
"""
from __future__ import annotations

from functools import partial

from ..config.secrets import password_matches
from ..show import running_config
from .registry import exec_command
from .reply import Ask, Reply

CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z."
SAVE_QUESTION = "System configuration has been modified. Save? [yes/no]: "
RELOAD_QUESTION = "Proceed with reload? [confirm]"
MAX_PASSWORD_TRIES = 3


# ------------------------------------------------------------------ privileges
@exec_command("enable")
def enable(session) -> Reply:
    """A vty without an enable password is refused, as IOS refuses it; the console is not."""
    if session.privileged:
        return Reply()
    if session.router.enable_secret or session.router.enable_password:
        return Reply(ask=password_question(session))
    if session.line_name != "console":
        return Reply("% No password set\n", error=True)
    session.privileged = True
    return Reply()


def password_question(session) -> Ask:
    return session.ask("Password: ", partial(check_enable_password, session), secret=True)


def check_enable_password(session, typed: str) -> Reply:
    """The answer to `Password:` after `enable`; three failures give `% Bad secrets`."""
    r = session.router
    if password_matches(typed, r.enable_secret or r.enable_password):
        session.privileged, session.password_tries = True, 0
        return Reply()
    session.password_tries += 1
    if session.password_tries >= MAX_PASSWORD_TRIES:
        session.password_tries = 0
        return Reply("% Bad secrets\n\n", error=True)
    return Reply(ask=password_question(session), error=True)


@exec_command("disable")
def disable(session) -> Reply:
    session.privileged = False
    return Reply()


@exec_command("exit")
def exit_(session) -> Reply:
    return Reply(closed=True)


@exec_command("configure_terminal")
def configure_terminal(session) -> Reply:
    session.configuring = True
    session.cfg.leave()
    return Reply(CONFIG_BANNER + "\n")


# ------------------------------------------------------------------ saving
@exec_command("write_memory")
def write_memory(session) -> Reply:
    return save(session)


@exec_command("copy_run_start")
def copy_run_start(session) -> Reply:
    return save(session, ask_name=True)


def save(session, ask_name: bool = False) -> Reply:
    """running-config into the startup store. `copy` shows the router's question for the file
    name as answered with its default: no line is read for it."""
    text = running_config.startup_text(session.router)
    head = "Destination filename [startup-config]? \n" if ask_name else ""
    try:
        session.store.write(text)
    except OSError as err:
        return Reply(f"{head}Building configuration...\n%Error writing nvram:startup-config "
                     f"({err.strerror or err})\n", error=True)
    return Reply(f"{head}Building configuration...\n[OK]\n")


# ------------------------------------------------------------------ reload
@exec_command("reload")
def reload(session) -> Reply:
    if modified(session):
        return Reply(ask=session.ask(SAVE_QUESTION, partial(reload_save, session)))
    return Reply(ask=_reload_question(session))


def modified(session) -> bool:
    """Whether the running configuration says something the saved one does not: both are
    compared as the router would write them, so `!` lines and spacing do not count."""
    from .loader import load_text

    saved = session.store.read()
    if saved is None:
        return True
    booted = load_text(saved, chassis=session.router.chassis).router
    return running_config.render_lines(booted) != running_config.render_lines(session.router)


def reload_save(session, answer: str) -> Reply:
    word = answer.strip().lower()
    if word and "yes".startswith(word):
        saved = save(session)
        if saved.error:
            return saved
        head = saved.output
    elif word and "no".startswith(word):
        head = ""
    else:
        return Reply("% Please answer 'yes' or 'no'.\n",
                     ask=session.ask(SAVE_QUESTION, partial(reload_save, session)))
    return Reply(head, ask=_reload_question(session))


def _reload_question(session) -> Ask:
    return session.ask(RELOAD_QUESTION, partial(reload_confirm, session))


def reload_confirm(session, answer: str) -> Reply:
    """The reload itself: the router boots from the startup store, this line back in user
    EXEC with an empty history."""
    if answer.strip().lower() not in ("", "y", "yes"):
        return Reply()
    from .loader import load_text

    store = session.store
    text = store.read() or ""
    session.keep(engine=True)
    fresh = load_text(text, str(store.path), chassis=session.router.chassis).router
    session.router.__dict__.update(fresh.__dict__)
    session.cfg.leave()
    session.configuring, session.privileged = False, False
    session.history.clear()
    session.device.reloaded()
    return Reply(f"\n{session.router.hostname} con0 is now available\n\n\n\n"
                 "Press RETURN to get started.\n\n", reloaded=True)


# ------------------------------------------------------------------ the terminal
@exec_command("terminal_length")
def terminal_length(session, length) -> Reply:
    session.terminal_length = int(length)
    return Reply()


@exec_command("terminal_width")
def terminal_width(session, width) -> Reply:
    session.terminal_width = int(width)
    return Reply()


@exec_command("terminal_monitor")
def terminal_monitor(session) -> Reply:
    """Log messages reach a vty from now on, not those logged before."""
    session.monitor, session.log_seen = True, session.device.log.seq
    return Reply()


@exec_command("terminal_no_monitor")
def terminal_no_monitor(session) -> Reply:
    session.monitor = False
    return Reply()

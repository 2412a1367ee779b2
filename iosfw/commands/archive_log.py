"""The Config Logger of 12.3(4)T (Configuration Change Notification and Logging;
grammar/archive.lark): `archive` and its `log config` block in global configuration, the
configuration commands logged while `logging enable` is on, and `show archive log config`.

The settings are configuration (the model's `Router.archive`); the logged commands belong to
the device, like its syslog: the session hands each configuration command it applied to
`logged`, and `closed` when it leaves configuration mode, which ends a configuration session
(the `sess` column). Commands applied by the loader or by `copy` are not logged, as on the
router. What came with 12.3(7)T (`path`, `maximum`, `write-memory`, `time-period`, `show
archive`) is not in the grammar: the router refuses it with the caret.
"""
from __future__ import annotations

import re
from typing import Optional
from weakref import WeakKeyDictionary

from ..config import model as m
from ..show import archive_log as text
from ..show.archive_log import Entry
from .configure import switch
from .registry import config_command, exec_command
from .reply import Reply
from .show import out

SLOT = "archive"
HIDDEN = "*"        # what a password or key becomes under `hidekeys`
# a password or secret after its keyword and optional type digit (`username u secret 0 pw`)
_KEY = re.compile(r"(?i)(\b(?:password|secret)\s+)(?:[057]\s+)?\S+")
_NOT_LOGGED = ("exit", "archive_log_exit")
_DEPTH = {"config": 0, "config-archive-log-cfg": 2}


class ConfigLog:
    """The logged commands of one device: at most `logging size` of the newest, their indexes
    counted since boot, and the configuration session each line is in."""

    def __init__(self):
        self.entries: list[Entry] = []
        self.last_index = 0
        self.last_session = 0
        self.open: WeakKeyDictionary = WeakKeyDictionary()   # session -> its `sess` number

    def kept(self, settings: Optional[m.ConfigLogSettings]) -> list[Entry]:
        """The entries the settings keep: none once logging is off (turning it off clears the
        log), the newest `logging size` otherwise (a smaller size drops the oldest)."""
        if settings is None or not settings.logging_enable:
            self.entries = []
        else:
            del self.entries[:-settings.size]
        return self.entries

    def add(self, session, depth: int, command: str) -> Entry:
        if session not in self.open:
            self.last_session += 1
            self.open[session] = self.last_session
        self.last_index += 1
        entry = Entry(self.last_index, self.open[session], session.line_name,
                      session.line_name, depth, command)
        self.entries.append(entry)
        return entry


def log_of(device) -> ConfigLog:
    if device.config_log is None:
        device.config_log = ConfigLog()
    return device.config_log


def settings_of(router: m.Router) -> Optional[m.ConfigLogSettings]:
    return None if router.archive is None else router.archive.log_config


def hide_keys(command: str) -> str:
    return _KEY.sub(lambda found: found.group(1) + HIDDEN, command)


def logged(session, line: str, mode: str, name: Optional[str]) -> None:
    """A configuration command `line` was applied, typed in `mode` (`name` is its alias, None
    when the mode did not read it and global configuration did): logged while the logger is
    on, and sent to the syslog under `notify syslog`."""
    settings = settings_of(session.router)
    log = log_of(session.device)
    log.kept(settings)
    if settings is None or not settings.logging_enable or name in _NOT_LOGGED:
        return
    command = line.strip()
    if settings.hidekeys:
        command = hide_keys(command)
    depth = 0 if name is None else _DEPTH.get(mode, 1)
    entry = log.add(session, depth, command)
    log.kept(settings)
    if settings.notify_syslog:
        session.device.syslog(text.syslog_line(entry))


def closed(session) -> None:
    """The session left configuration mode: its next command is in a new configuration
    session."""
    if session.device.config_log is not None:
        session.device.config_log.open.pop(session, None)


# ------------------------------------------------------------------ configuration
@config_command("archive")
def archive(cfg):
    if cfg.no:
        cfg.router.archive = None
        return SLOT
    if cfg.router.archive is None:
        cfg.router.archive = m.Archive()
    return cfg.enter("config-archive", cfg.router.archive, SLOT)


@config_command("archive_log_config")
def archive_log_config(cfg):
    block = cfg.context.target
    if cfg.no:
        block.log_config = None
        return SLOT
    if block.log_config is None:
        block.log_config = m.ConfigLogSettings()
    return cfg.enter("config-archive-log-cfg", block.log_config, SLOT)


@config_command("archive_log_exit")
def archive_log_exit(cfg):
    """`exit` from `log config` goes back to `archive`, not to global configuration."""
    return cfg.enter("config-archive", cfg.router.archive, SLOT)


config_command("archive_logging_enable")(switch("logging_enable", SLOT, of_target=True))
config_command("archive_hidekeys")(switch("hidekeys", SLOT, of_target=True))
config_command("archive_notify_syslog")(switch("notify_syslog", SLOT, of_target=True))


@config_command("archive_logging_size")
def archive_logging_size(cfg, size=None):
    cfg.context.target.size = m.ConfigLogSettings.size if cfg.no else int(size)
    return SLOT


# ------------------------------------------------------------------ show
def _shown(session, keep) -> Reply:
    found = [e for e in log_of(session.device).kept(settings_of(session.router)) if keep(e)]
    return out(session, text.text(found), lambda: text.facts(found))


@exec_command("show_archive_log_all")
def show_archive_log_all(session) -> Reply:
    return _shown(session, lambda e: True)


@exec_command("show_archive_log_range")
def show_archive_log_range(session, first, last=None) -> Reply:
    first = int(first)
    last = first if last is None else int(last)
    return _shown(session, lambda e: first <= e.index <= last)


@exec_command("show_archive_log_user")
def show_archive_log_user(session, user) -> Reply:
    return _shown(session, lambda e: e.user == str(user))


@exec_command("show_archive_log_session")
def show_archive_log_session(session, number) -> Reply:
    return _shown(session, lambda e: e.session == int(number))

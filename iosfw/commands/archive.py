"""The Contextual Configuration Diff Utility of 12.3(4)T (grammar/show.lark): `show archive
config differences [FILE1 [FILE2]]` and `show archive config incremental-diffs FILE
[ignorecase]`, which napalm's compare_config sends. The files are any the router can read
(flash:, nvram:startup-config, system:running-config); the comparison is config/diff.py's.

Without files, `differences` compares the running-config with the startup-config; with one, the
running-config with that file (the file's lines are the `+` ones). The archive of
configurations (`path`/`maximum` in `archive`, `show archive`), `configure replace` and
`configure revert` came with 12.3(7)T: this release refuses them, so napalm's replace and
rollback cannot work on it (docs/automation.md); its `archive` mode holds only the Config
Logger (`log config`, iosfw/commands/archive_log.py).
"""
from __future__ import annotations

from ..filesystem import FileError
from .files import KEYWORD_URLS, RUNNING, STARTUP, failed, place
from .loader import decode_config, split_lines
from .registry import exec_command
from .reply import Reply
from .show import out


class Unreadable(Exception):
    """A file the comparison cannot read, with the router's answer."""

    def __init__(self, reply: Reply):
        super().__init__(reply.output)
        self.reply = reply


def _lines(session, word: str) -> list[str]:
    found = place(session, word)
    try:
        return split_lines(decode_config(found.fs.read(found.name)))
    except FileError as err:
        raise Unreadable(failed("opening", found.shown, err.reason)) from None


@exec_command("show_archive_differences")
def show_archive_differences(session, first=None, second=None) -> Reply:
    from ..config import diff  # the diff and its text: imported when asked for
    from ..show import archive as text

    if first is None:
        first, second = KEYWORD_URLS[RUNNING], KEYWORD_URLS[STARTUP]
    elif second is None:
        first, second = KEYWORD_URLS[RUNNING], first
    first, second = str(first), str(second)
    try:
        found = diff.contextual(_lines(session, first), _lines(session, second))
    except Unreadable as err:
        return err.reply
    return out(session, text.differences_text(found),
               lambda: text.differences_facts(first, second, found))


@exec_command("show_archive_incremental")
def show_archive_incremental(session, word, ignorecase=None) -> Reply:
    from ..config import diff
    from ..show import archive as text

    word = str(word)
    try:
        running = _lines(session, KEYWORD_URLS[RUNNING])
        found = diff.incremental(running, _lines(session, word), ignorecase is not None)
    except Unreadable as err:
        return err.reply
    return out(session, text.incremental_text(found),
               lambda: text.incremental_facts(word, found))

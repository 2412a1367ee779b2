"""The Config Logger of 12.3(4)T (Configuration Change Notification and Logging): `archive` and
`log config` with their prompts, the block in running-config and back, the commands logged
while `logging enable` is on as `show archive log config` lists them, `notify syslog`'s
message, `hidekeys`, and the archive commands of 12.3(7)T refused as this release does.

The table's columns and the syslog line are compared with captured output (docs/formats.md)."""
from __future__ import annotations

import json

import kit
import pytest
from kit import ok

from iosfw.cli.help import listing
from iosfw.config.render import startup_text
from iosfw.show.archive_log import Entry, row, syslog_line

# rows and a message of captured Config Logger output (a 15.x router; 12.3 has the same layout)
CAPTURED_HEADER = " idx   sess           user@line      Logged command"
CAPTURED_ROW = "    3     1        console@console  |  logging enable"
CAPTURED_VTY_ROW = "    1     1       mhubbard@vty1     |  logging enable"
CAPTURED_MESSAGE = "%PARSER-5-CFGLOG_LOGGEDCMD: User:console  logged command:notify syslog"

ON = ("archive", "log config", "logging enable")


def logging_session(*settings: str, line: str = "console"):
    """A session on the seed router whose configuration log is on (and `settings` under
    `log config`), left in privileged EXEC."""
    s = kit.session(line=line)
    kit.configure(s, *ON, *settings)
    return s


def logged(s) -> list[str]:
    return ok(s, "show archive log config all").splitlines()


def test_the_rows_and_the_message_have_the_layout_of_captured_output():
    assert logged(kit.session())[0] == CAPTURED_HEADER
    assert row(Entry(3, 1, "console", "console", 2, "logging enable")) == CAPTURED_ROW
    assert row(Entry(1, 1, "mhubbard", "vty1", 2, "logging enable")) == CAPTURED_VTY_ROW
    assert syslog_line(Entry(4, 1, "console", "console", 2, "notify syslog")) == \
        CAPTURED_MESSAGE


# ------------------------------------------------------------------ modes and prompts
def test_archive_and_log_config_enter_their_modes_and_exit_one_level_at_a_time():
    s = kit.session()
    ok(s, "configure terminal")
    ok(s, "archive")
    assert (s.prompt(), s.mode) == ("3640-123(config-archive)#", "config-archive")
    ok(s, "log config")
    assert s.prompt() == "3640-123(config-archive-log-cfg)#"
    ok(s, "exit")
    assert s.prompt() == "3640-123(config-archive)#"
    ok(s, "exit")
    assert s.prompt() == "3640-123(config)#"
    ok(s, "archive")
    ok(s, "log config")
    ok(s, "hostname fw")        # a global command leaves the sub-mode, as on the router
    assert s.prompt() == "fw(config)#"
    ok(s, "archive")
    ok(s, "log config")
    ok(s, "end")
    assert s.prompt() == "fw#"


def test_help_lists_the_commands_of_each_mode():
    assert "archive" in listing("config", "")
    assert [w.split()[0] for w in listing("config-archive", "").splitlines() if w] == [
        "default", "do", "end", "exit", "log", "no"]
    offered = listing("config-archive-log-cfg", "")
    for word in ("hidekeys", "logging", "notify", "exit"):
        assert f"  {word} " in offered
    assert "<1-1000>" in listing("config-archive-log-cfg", "logging size ")


# ------------------------------------------------------------------ running-config
def test_the_block_is_written_where_12_x_writes_it_and_reads_back_the_same():
    s = logging_session("logging size 200", "notify syslog", "hidekeys")
    text = ok(s, "show running-config")
    assert "archive\n log config\n  logging enable\n  logging size 200\n  notify syslog\n" \
           "  hidekeys\n!\n" in text
    assert text.index("ftp-server write-enable") < text.index("archive") < \
        text.index("interface Ethernet2/0")
    again = kit.router(ok(s, "more system:running-config"))
    assert again.archive == s.router.archive


def test_no_forms_put_back_the_defaults_and_remove_the_blocks():
    s = logging_session("logging size 7", "hidekeys")
    kit.configure(s, "archive", "log config", "no logging size", "no hidekeys")
    assert "archive\n log config\n  logging enable\n!" in ok(s, "show running-config")
    kit.configure(s, "archive", "no log config")
    assert "archive\n!" in ok(s, "show running-config")
    kit.configure(s, "no archive")
    assert "archive" not in ok(s, "show running-config")


# ------------------------------------------------------------------ the log
def test_commands_are_logged_with_their_mode_depth_session_and_line():
    s = logging_session()
    kit.configure(s, "hostname R1", "interface Ethernet2/0", "description inside")
    kit.configure(s, "int e2/1", "shut")
    assert logged(s) == [
        CAPTURED_HEADER,
        "    1     1        console@console  |  logging enable",
        "    2     2        console@console  |hostname R1",
        "    3     2        console@console  |interface Ethernet2/0",
        "    4     2        console@console  | description inside",
        "    5     3        console@console  |int e2/1",
        "    6     3        console@console  | shut",
    ]
    assert ok(s, "show archive log config 3").splitlines()[1:] == [logged(s)[3]]
    assert ok(s, "show archive log config 2 4").splitlines()[1:] == logged(s)[2:5]
    assert ok(s, "show archive log config session 3").splitlines()[1:] == logged(s)[5:]


def test_nothing_is_logged_before_logging_enable_and_a_vty_is_named_by_its_line():
    s = kit.session(line="vty0")
    kit.configure(s, "hostname before", "archive", "log config")
    assert logged(s) == [CAPTURED_HEADER]
    kit.configure(s, "archive", "log config", "logging enable")
    assert logged(s)[1:] == ["    1     1           vty0@vty0     |  logging enable"]
    assert ok(s, "show archive log config user vty0") == ok(s, "show archive log config all")


def test_turning_logging_off_clears_the_log_and_a_smaller_size_drops_the_oldest():
    s = logging_session()
    kit.configure(s, "hostname a", "hostname b", "hostname c")
    kit.configure(s, "archive", "log config", "logging size 2")
    # `archive` and `log config` are configuration commands too: logged at their depths
    assert [line.split("|", 1)[1] for line in logged(s)[1:]] == [" log config",
                                                                "  logging size 2"]
    assert logged(s)[-1].startswith("    7     3 ")     # indexes go on counting
    kit.configure(s, "archive", "log config", "no logging enable")
    assert logged(s) == [CAPTURED_HEADER]


def test_notify_syslog_logs_each_command_as_it_is_applied():
    s = logging_session("notify syslog")
    ok(s, "configure terminal")
    shown = ok(s, "hostname R1")
    assert shown.endswith(": %PARSER-5-CFGLOG_LOGGEDCMD: User:console  logged command:"
                          "hostname R1\n")
    assert "CFGLOG" not in ok(s, "exit")       # leaving the mode is not a command logged


def test_hidekeys_hides_passwords_and_secrets():
    s = logging_session("hidekeys", "notify syslog")
    ok(s, "configure terminal")
    assert ok(s, "username bob secret 0 hunter2").endswith(
        "logged command:username bob secret *\n")
    ok(s, "enable password cisco")
    ok(s, "line vty 0 4")
    ok(s, "password 7 0822455D0A16")
    ok(s, "end")
    commands = [line.split("|", 1)[1] for line in logged(s)[1:]]
    assert commands[-4:] == ["username bob secret *", "enable password *", "line vty 0 4",
                             " password *"]
    assert "hunter2" not in ok(s, "show archive log config all")


def test_without_hidekeys_the_command_is_logged_as_typed():
    s = logging_session()
    kit.configure(s, "enable password cisco")
    assert logged(s)[-1].endswith("|enable password cisco")


def test_json_gives_the_entries():
    s = logging_session()
    s.as_json = True
    assert json.loads(ok(s, "show archive log config all")) == [
        {"index": 1, "session": 1, "user": "console", "line": "console", "depth": 2,
         "command": "logging enable"}]


def test_a_loaded_configuration_is_not_logged():
    s = kit.session(router=kit.router(kit.seed_with("archive", " log config",
                                                    "  logging enable", "hostname loaded")))
    assert s.router.archive.log_config.logging_enable
    assert logged(s) == [CAPTURED_HEADER]


# ------------------------------------------------------------------ 12.3(7)T
@pytest.mark.parametrize("line", ["path flash:archive", "maximum 14", "write-memory",
                                  "time-period 1440"])
def test_the_archive_files_of_12_3_7_t_are_refused_with_the_caret(line):
    s = kit.session()
    ok(s, "configure terminal")
    ok(s, "archive")
    assert kit.caret(s, line) == len("3640-123(config-archive)#")
    assert s.prompt() == "3640-123(config-archive)#"


def test_show_archive_alone_and_configure_replace_stay_refused():
    s = logging_session()
    assert kit.refused(s, "show archive") == "% Incomplete command.\n\n"
    assert kit.caret(s, "configure replace flash:x") == len("3640-123#configure ")


def test_the_archive_lines_of_later_releases_are_kept_in_their_block():
    """`path` and `maximum` (12.3(7)T) are not this release's: a file that has them keeps them
    where they were, inside `archive`, and a reload reads them back there."""
    text = kit.seed_with("archive", " log config", "  logging enable",
                         " path flash:archived-config", " maximum 5")
    result = kit.load(text)
    written = startup_text(result.router)
    assert "archive\n log config\n  logging enable\n path flash:archived-config\n maximum 5\n" \
        in written
    assert startup_text(kit.load(written).router) == written

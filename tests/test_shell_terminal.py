"""The console on a real terminal: `iosfw` run on a pseudo-terminal (pexpect), driven key by key
as a user types — `enable` and its password, `?`, Tab, the `^` caret, configuration sub-modes,
`write memory` across two runs, the ` --More-- ` pager, Ctrl-C, Ctrl-Z and the up arrow.

What the user sees is rebuilt from the byte stream by a small line emulator (`screen_lines`):
prompt-toolkit redraws the line it edits with cursor moves and erases, and the pager erases its
` --More-- ` with a carriage return, so comparing raw bytes would compare redraws, not text.
Every process gets its own XDG_DATA_HOME and XDG_CACHE_HOME and is killed at teardown.
"""
from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import kit
import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
IOSFW = ROOT / ".venv" / "bin" / "iosfw"
if not IOSFW.exists():  # pragma: no cover - another virtualenv
    IOSFW = Path(sys.executable).with_name("iosfw")

HOST = "3640-123"
USER, EXEC = f"{HOST}>", f"{HOST}#"
CONFIG, CONFIG_IF = f"{HOST}(config)#", f"{HOST}(config-if)#"
EXT_NACL = f"{HOST}(config-ext-nacl)#"
INVALID = "% Invalid input detected at '^' marker."
TIMEOUT = 10
BUG_TIMEOUT = 4          # for a step that hangs when the product misbehaves
SYS_LINE = re.compile(r"\*Mar  1 00:\d\d:\d\d\.\d{3}: %SYS-5-CONFIG_I: "
                      r"Configured from console by console")

# A redraw of prompt-toolkit ends by showing the cursor again.
_ESCAPES = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
_SHOW_CURSOR = r"\x1b\[\?25h"

_TOKEN = re.compile(r"\x1b\[([0-?]*)[ -/]*([@-~])"          # CSI
                    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"    # OSC
                    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b"
                    r"|([\r\n\x08])"
                    r"|([^\x1b\r\n\x08]+)")


def screen_lines(raw: str) -> list[str]:
    """The lines a terminal would show for `raw`, each right-stripped: characters overwrite
    from the cursor, CR/BS/cursor left and right move it, erase-to-end cuts the line."""
    lines: list[str] = []
    line: list[str] = []
    col = 0
    for m in _TOKEN.finditer(raw):
        params, final, control, text = m.group(1), m.group(2), m.group(3), m.group(4)
        if text is not None:
            for ch in text:
                if col < len(line):
                    line[col] = ch
                else:
                    line.extend(" " * (col - len(line)))
                    line.append(ch)
                col += 1
        elif control == "\r":
            col = 0
        elif control == "\n":
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif control == "\x08":
            col = max(0, col - 1)
        elif final is not None:
            n = int(params) if params.isdigit() else 1
            if final == "D":
                col = max(0, col - n)
            elif final == "C":
                col += n
            elif final in "JK" and params in ("", "0"):
                del line[col:]
    lines.append("".join(line).rstrip())
    return lines


class Console:
    """One `iosfw` console on a pseudo-terminal, 40 rows by 120 columns."""

    def __init__(self, home: Path):
        self.home = home
        env = dict(os.environ, TERM="vt100", PROMPT_TOOLKIT_NO_CPR="1",
                   XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
        for name in ("COLUMNS", "LINES", "PYTHONSTARTUP"):
            env.pop(name, None)
        self.log = io.StringIO()
        self.mode_prompt = ""    # the router's prompt, also while the screen shows none
        self.child = pexpect.spawn(str(IOSFW), [], env=env, cwd=str(home), dimensions=(40, 120),
                                   encoding="utf-8", codec_errors="replace", timeout=TIMEOUT)
        self.child.logfile_read = self.log
        self.prompt = ""

    # ---------------------------------------------------------------- reading the screen
    @property
    def raw(self) -> str:
        return self.log.getvalue()

    def screen(self) -> list[str]:
        return screen_lines(self.raw)

    def mark(self) -> int:
        """Index of the line the cursor is on (the prompt line, between commands)."""
        return len(self.screen()) - 1

    def since(self, mark: int) -> list[str]:
        return self.screen()[mark:]

    # ---------------------------------------------------------------- waiting
    def expect(self, pattern, timeout: float = TIMEOUT):
        return self.child.expect(pattern, timeout=timeout)

    def expect_text(self, text: str, timeout: float = TIMEOUT):
        return self.child.expect_exact(text, timeout=timeout)

    def wait_prompt(self, prompt: str, typed: str = "", timeout: float = TIMEOUT) -> None:
        """A full redraw of `prompt` with `typed` (right-stripped) in the line."""
        self.expect(re.escape(prompt + typed.rstrip()) + _ESCAPES + _SHOW_CURSOR, timeout)
        self.prompt = self.mode_prompt = prompt

    def wait_accepted(self, line: str, timeout: float = TIMEOUT) -> None:
        """The line `prompt + line`, drawn as accepted (Return) and ended."""
        self.expect(re.escape(self.prompt + line) + _ESCAPES + r"\r*\n", timeout)

    # ---------------------------------------------------------------- typing
    def boot(self) -> list[str]:
        self.expect_text("Press RETURN to get started.")
        self.wait_prompt(USER)
        return self.screen()

    def keys(self, keys: str, echo: str, prompt: str | None = None,
             timeout: float = TIMEOUT) -> list[str]:
        """Type `keys` (ending in Return) whose accepted line reads `echo`; the output lines
        between that line and the next prompt (`prompt`, default: the same one)."""
        start = self.mark()
        before = self.prompt
        self.child.send(keys)
        self.wait_accepted(echo, timeout)
        self.wait_prompt(prompt or self.mode_prompt, timeout=timeout)
        lines = self.since(start)
        assert lines[0] == before + echo, lines
        assert lines[-1] == self.prompt, lines
        return lines[1:-1]

    def command(self, line: str, prompt: str | None = None, timeout: float = TIMEOUT) -> list[str]:
        return self.keys(line + "\r", line, prompt, timeout)

    def logged(self, keys: str, echo: str, prompt: str) -> list[str]:
        """Type `keys` whose reply logs a message (`end` logs %SYS-5-CONFIG_I): as on the
        router, the next prompt comes first, the message after it on a line of its own, and
        no prompt after the message (the line has no `logging synchronous`), so the next
        command is typed at the left margin. The lines from the prompt to the message."""
        start = self.mark()
        before = self.prompt
        self.child.send(keys)
        self.expect(re.escape(prompt) + r"\r*\n" + _ESCAPES + r"\*Mar  1 [^\r\n]*\r*\n")
        self.wait_prompt("")
        self.mode_prompt = prompt
        lines = self.since(start)
        assert lines[0] == before + echo, lines
        assert lines[-1] == "", lines
        return lines[1:-1]

    def end(self, prompt: str = EXEC) -> None:
        """`end`: the router's prompt, then %SYS-5-CONFIG_I on a line of its own."""
        lines = self.logged("end\r", "end", prompt)
        assert lines[0] == prompt and SYS_LINE.fullmatch(lines[1]) and len(lines) == 2, lines

    def enable(self, password: str = "cisco123") -> None:
        self.command_asking("enable", "Password: ")
        self.child.send(password + "\r")
        self.wait_prompt(EXEC)

    def command_asking(self, line: str, question: str) -> None:
        self.child.send(line + "\r")
        self.wait_accepted(line)
        self.expect_text(question)

    def exit(self) -> int:
        """`exit` from EXEC ends the console; its exit status."""
        self.child.send("exit\r")
        self.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def assert_no_traceback(self) -> None:
        if "Traceback (most recent call last)" in self.raw:
            tail = "\n".join(self.screen()[-12:])
            pytest.fail(f"the console printed a Python traceback:\n{tail}", pytrace=False)

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)


@pytest.fixture
def console(tmp_path):
    """`console(home=None)`: a booted console at its `3640-123>` prompt; `home` (default
    tmp_path) holds its XDG data and cache directories. Every console is killed at teardown."""
    started: list[Console] = []

    def start(home: Path | None = None) -> Console:
        c = Console(home or tmp_path)
        started.append(c)
        c.boot()
        return c

    yield start
    for c in started:
        c.kill()


@pytest.fixture
def privileged(console) -> Console:
    c = console()
    c.enable()
    return c


def seed_output(command: str) -> list[str]:
    """What a fresh built-in router prints for an EXEC command (the Session's own answer)."""
    session = kit.session()
    return [line.rstrip() for line in session.execute(command).output.splitlines()]


# ================================================================== boot and enable
def test_console_boots_to_user_exec_and_exit_ends_it(console):
    c = console()
    assert c.screen() == ["", f"{HOST} con0 is now available", "", "", "",
                          "Press RETURN to get started.", "", USER]
    assert c.exit() == 0
    c.assert_no_traceback()


def test_enable_with_wrong_passwords_then_the_right_one(console):
    c = console()
    start = c.mark()
    # three wrong passwords: `% Bad secrets`, still in user EXEC
    c.command_asking("enable", "Password: ")
    for wrong in ("cisco", "Cisco123"):
        c.child.send(wrong + "\r")
        c.expect_text("Password: ")
    c.child.send("xyzzy\r")
    c.expect_text("% Bad secrets")
    c.wait_prompt(USER)
    # a wrong one, then the seed password
    c.command_asking("enable", "Password: ")
    c.child.send("plugh\r")
    c.expect_text("Password: ")
    c.child.send("cisco123\r")
    c.wait_prompt(EXEC)
    assert c.since(start) == [
        f"{USER}enable", "Password:", "Password:", "Password:", "% Bad secrets", "", USER + "enable",
        "Password:", "Password:", EXEC]
    for typed in ("cisco123", "Cisco123", "xyzzy", "plugh"):
        assert typed not in c.raw, f"the password {typed!r} was echoed"
    assert c.command("show clock")[0].startswith("*00:0")
    c.assert_no_traceback()


# ================================================================== ? and Tab
SHOW_IP_HELP = [
    "  access-lists  List IP access lists",
    "  inspect       CBAC (Context Based Access Control) information",
    "  interface     IP interface status and configuration",
    "  nat           IP NAT information",
    "  route         IP routing table",
]
SHOW_IP_INSPECT_HELP = [
    "  all         Inspection all available information",
    "  config      Inspection configuration",
    "  interfaces  Inspection interfaces",
    "  name        Inspection name",
    "  sessions    Inspection sessions",
    "  statistics  Inspection statistics",
]


def _help(c: Console, typed: str) -> list[str]:
    """Type `typed` then `?`; the lines from the `?` line to the redisplayed prompt."""
    start = c.mark()
    c.child.send(typed + "?")
    c.expect(re.escape(c.prompt + typed + "?") + r"\r*\n")
    c.wait_prompt(c.prompt, typed)
    return c.since(start)


def test_question_mark_lists_what_may_follow_and_keeps_the_typed_text(privileged):
    c = privileged
    assert _help(c, "show ip ") == [EXEC + "show ip ?", *SHOW_IP_HELP, "", EXEC + "show ip"]
    # the line still holds `show ip ` (with its space): typing on completes the command
    out = c.keys("route\r", "show ip route")
    assert out == seed_output("show ip route")

    assert _help(c, "show ip inspect ") == [EXEC + "show ip inspect ?", *SHOW_IP_INSPECT_HELP,
                                            "", EXEC + "show ip inspect"]
    out = c.keys("name OUT-IN\r", "show ip inspect name OUT-IN")
    assert out == ["Inspection name OUT-IN",
                   "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600"]
    c.assert_no_traceback()


def test_question_mark_inside_a_word_lists_the_matching_keywords(privileged):
    c = privileged
    assert _help(c, "co") == [EXEC + "co?", "configure  copy", "", EXEC + "co"]
    # `co` is still there: `nf t` makes it `conf t`
    assert c.keys("nf t\r", "conf t", CONFIG) == [
        "Enter configuration commands, one per line.  End with CNTL/Z."]
    c.assert_no_traceback()


def test_tab_completes_a_unique_keyword_prefix(privileged):
    c = privileged
    c.command("terminal length 0")
    out = c.keys("sh ip insp\tall\r", "sh ip inspect all")
    assert out == seed_output("show ip inspect all")
    out = c.keys("sh ip insp\tn\tOUT-IN\r", "sh ip inspect name OUT-IN")
    assert out == seed_output("show ip inspect name OUT-IN")
    # an ambiguous prefix stays as typed
    out = c.keys("sh ip in\t\r", "sh ip in")
    assert out == ['% Ambiguous command:  "sh ip in"']
    c.assert_no_traceback()


def test_tab_in_a_configuration_sub_mode(privileged):
    c = privileged
    c.command("configure terminal", CONFIG)
    c.command("ip access-list extended TAB", EXT_NACL)
    assert c.keys("perm\ttc\tany any eq 80\r", "permit tcp any any eq 80") == []
    assert c.command("do show access-lists TAB") == [
        "Extended IP access list TAB", "    10 permit tcp any any eq www"]


# ================================================================== the ^ caret
@pytest.mark.parametrize("path, line, bad_word", [
    ((), "show ip inspct all", "inspct"),
    ((), "show ip inspect al1", "al1"),
    (("configure terminal",), "ip inspect name X smtp max-data 5", "5"),
    (("configure terminal", "interface Ethernet2/0"), "ip address 10.0.0.1 255.255.255.0 secondry",
     "secondry"),
], ids=["exec", "exec-last-word", "config", "config-if"])
def test_invalid_input_caret_is_under_the_bad_word(privileged, path, line, bad_word):
    c = privileged
    prompts = {"configure terminal": CONFIG, "interface Ethernet2/0": CONFIG_IF}
    for step in path:
        c.command(step, prompts[step])
    out = c.command(line)
    assert out == [" " * (len(c.prompt) + line.index(bad_word)) + "^", INVALID, ""]
    assert c.prompt == (prompts[path[-1]] if path else EXEC)


def test_unknown_word_in_exec_is_a_host_name(privileged):
    out = privileged.command("frobnicate")
    assert out[-1] == "% Unknown command or computer name, or unable to find computer address"


# ================================================================== configuration
def test_new_extended_acl_and_inspect_rule_show_up(privileged):
    c = privileged
    assert c.command("configure terminal", CONFIG) == [
        "Enter configuration commands, one per line.  End with CNTL/Z."]
    assert c.command("ip access-list extended WEB", EXT_NACL) == []
    assert c.command("permit tcp any host 10.10.10.2 eq www") == []
    assert c.command("deny ip any any log") == []
    assert c.command("5 permit icmp any any echo-reply") == []
    assert c.command("exit", CONFIG) == []
    assert c.command("ip inspect name WEBRULE http") == []
    assert c.command("ip inspect name WEBRULE tcp timeout 60") == []
    c.end(EXEC)

    assert c.command("show access-lists") == [
        "Extended IP access list 101",
        "    10 permit tcp any host 172.22.1.110 eq smtp",
        "Extended IP access list WEB",
        "    5 permit icmp any any echo-reply",
        "    10 permit tcp any host 10.10.10.2 eq www",
        "    20 deny ip any any log",
    ]
    out = c.command("show running-config | section ip inspect")
    assert out[:8] == [
        "ip inspect name IN-OUT tcp",
        "ip inspect name IN-OUT udp",
        "ip inspect name IN-OUT ftp",
        "ip inspect name IN-OUT http",
        "ip inspect name IN-OUT icmp",
        "ip inspect name OUT-IN smtp",
        "ip inspect name WEBRULE http",
        "ip inspect name WEBRULE tcp timeout 60",
    ]
    c.assert_no_traceback()


def test_smtp_then_esmtp_prints_an_error_and_keeps_the_rule(privileged):
    c = privileged
    c.command("configure terminal", CONFIG)
    assert c.command("ip inspect name MAIL smtp") == []
    out = c.command("ip inspect name MAIL esmtp")
    assert out and out[0].startswith("% ") and "esmtp" in out[0]
    assert c.command("do show ip inspect name MAIL") == [
        "Inspection name MAIL",
        "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600"]


def test_write_memory_survives_a_restart(console, tmp_path):
    c = console()
    c.enable()
    c.command("configure terminal", CONFIG)
    c.command("ip access-list extended SAVED", EXT_NACL)
    c.command("permit udp any any eq domain")
    c.end(EXEC)
    assert c.command("write memory") == ["Building configuration...", "[OK]"]
    assert c.exit() == 0
    c.assert_no_traceback()

    saved = tmp_path / "data" / "iosfw" / "3640-123.startup-config"
    assert "ip access-list extended SAVED\n permit udp any any eq domain\n" in saved.read_text()
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]   # no temporary left

    again = console(tmp_path)
    assert again.command("show access-lists SAVED") == [
        "Extended IP access list SAVED", "    10 permit udp any any eq domain"]


def test_a_change_not_written_is_gone_after_a_restart(console, tmp_path):
    c = console()
    c.enable()
    c.command("configure terminal", CONFIG)
    c.command("hostname LOST", "LOST(config)#")
    c.end("LOST#")
    assert c.exit() == 0
    assert not (tmp_path / "data" / "iosfw" / "3640-123.startup-config").exists()
    again = console(tmp_path)
    assert again.prompt == USER


# ================================================================== the pager
def test_pager_space_return_and_q(privileged):
    c = privileged
    expected = seed_output("show running-config")
    assert len(expected) > 50
    start = c.mark()
    c.child.send("show running-config\r")
    c.wait_accepted("show running-config")
    c.expect_text(" --More-- ")
    assert c.since(start)[1:] == expected[:23] + [" --More--"]      # terminal length 24
    c.child.send("\r")                                               # one more line
    c.expect_text(" --More-- ")
    assert c.since(start)[1:] == expected[:24] + [" --More--"]
    c.child.send(" ")                                                # one more page
    c.expect_text(" --More-- ")
    assert c.since(start)[1:] == expected[:47] + [" --More--"]
    c.child.send("q")                                                # stop
    c.wait_prompt(EXEC)
    assert c.since(start)[1:] == expected[:47] + [EXEC]
    # the console goes on normally
    assert c.command("show access-lists 101") == seed_output("show access-lists 101")
    c.assert_no_traceback()


def test_pager_space_to_the_end(privileged):
    c = privileged
    expected = seed_output("show running-config")
    start = c.mark()
    c.child.send("show running-config\r")
    c.wait_accepted("show running-config")
    while True:
        if c.expect([re.escape(" --More-- "), re.escape(EXEC) + _ESCAPES + _SHOW_CURSOR]) == 1:
            break
        c.child.send(" ")
    assert c.since(start)[1:] == expected + [EXEC]


def test_terminal_length_0_disables_paging(privileged):
    c = privileged
    assert c.command("terminal length 0") == []
    assert c.command("show running-config") == seed_output("show running-config")
    assert " --More-- " not in c.raw


def test_terminal_length_sets_the_page(privileged):
    c = privileged
    c.command("terminal length 6")
    start = c.mark()
    c.child.send("show ip route\r")
    c.wait_accepted("show ip route")
    c.expect_text(" --More-- ")
    assert c.since(start)[1:] == seed_output("show ip route")[:5] + [" --More--"]
    c.child.send("q")
    c.wait_prompt(EXEC)


def test_ctrl_c_at_the_pager_stops_the_output(privileged):
    c = privileged
    start = c.mark()
    c.child.send("show running-config\r")
    c.wait_accepted("show running-config")
    c.expect_text(" --More-- ")
    c.child.send("\x03")
    try:
        c.wait_prompt(EXEC, timeout=BUG_TIMEOUT)
    except (pexpect.EOF, pexpect.TIMEOUT):
        c.assert_no_traceback()
        pytest.fail("no prompt after Ctrl-C at --More--; the console "
                    + ("ended" if not c.child.isalive() else "hangs"), pytrace=False)
    assert c.child.isalive()
    assert c.since(start)[1:] == seed_output("show running-config")[:23] + [EXEC]


# ================================================================== Ctrl-C, Ctrl-Z, history
def test_ctrl_c_at_a_prompt_drops_the_typed_line(privileged):
    c = privileged
    start = c.mark()
    c.child.send("configure terminal")
    c.expect(re.escape("terminal"))
    c.child.send("\x03")
    c.wait_prompt(EXEC)
    lines = c.since(start)
    assert lines[-1] == EXEC and lines[0] == EXEC + "configure terminal"
    assert all("Enter configuration" not in line for line in lines)
    # still in privileged EXEC, and the console answers
    assert c.command("show access-lists 101") == seed_output("show access-lists 101")
    c.assert_no_traceback()


def test_ctrl_c_at_an_empty_user_prompt(console):
    c = console()
    c.child.send("\x03")
    c.wait_prompt(USER)
    assert c.command("show clock")[0].startswith("*00:0")


@pytest.mark.parametrize("path, prompt", [
    (("configure terminal",), CONFIG),
    (("configure terminal", "interface Ethernet2/0"), CONFIG_IF),
    (("configure terminal", "ip access-list extended Z"), EXT_NACL),
], ids=["config", "config-if", "config-ext-nacl"])
def test_ctrl_z_leaves_configuration_mode_with_the_log_line(privileged, path, prompt):
    c = privileged
    for step in path[:-1]:
        c.command(step, CONFIG)
    c.command(path[-1], prompt)
    lines = c.logged("\x1a", "", EXEC)
    assert lines[0] == EXEC and SYS_LINE.fullmatch(lines[1]) and len(lines) == 2, lines
    assert c.command("show access-lists 101") == seed_output("show access-lists 101")


def test_up_arrow_recalls_earlier_commands(privileged):
    c = privileged
    first = c.command("show access-lists")
    c.command("show ip inspect name OUT-IN")
    assert c.keys("\x1b[A\x1b[A\r", "show access-lists") == first
    assert c.keys("\x1b[A\r", "show access-lists") == first
    assert c.command("show history")[-4:] == [
        "  show ip inspect name OUT-IN", "  show access-lists", "  show access-lists",
        "  show history"]


# ================================================================== reload questions

def _unsaved_change_then_reload(c, save=None):
    """Change the hostname without saving, then `reload`: the router asks to save; with
    `save`, answer it and wait for `[confirm]`."""
    c.command("configure terminal", CONFIG)
    c.command("hostname R9", "R9(config)#")
    c.end("R9#")
    c.command_asking("reload", "System configuration has been modified. Save? [yes/no]: ")
    if save is not None:
        c.child.send(save + "\r")
        c.expect_text("Proceed with reload? [confirm]")

def test_ctrl_c_at_the_save_question_cancels_the_reload(privileged):
    c = privileged
    _unsaved_change_then_reload(c)
    c.child.send("\x03")
    try:
        c.wait_prompt("R9#", timeout=BUG_TIMEOUT)
    except pexpect.TIMEOUT:
        tail = "\n".join(c.screen()[-4:])
        pytest.fail(f"Ctrl-C did not cancel the reload; the console shows:\n{tail}",
                    pytrace=False)
    assert c.command("show running-config | include hostname") == ["hostname R9"]


def test_ctrl_c_at_proceed_with_reload_cancels_the_reload(privileged):
    c = privileged
    _unsaved_change_then_reload(c, save="no")
    c.child.send("\x03")
    # a reload would come back as `3640-123>` with the unsaved hostname lost
    index = c.expect([re.escape("R9#") + _ESCAPES + _SHOW_CURSOR, "con0 is now available"])
    assert index == 0, "Ctrl-C at [confirm] reloaded the router"


def test_reload_answered_no_then_return_reloads_from_startup(privileged):
    c = privileged
    _unsaved_change_then_reload(c, save="no")
    c.child.send("\r")
    c.expect_text("Press RETURN to get started.")
    c.wait_prompt(USER)
    c.enable()
    assert c.command("show running-config | include hostname") == [f"hostname {HOST}"]

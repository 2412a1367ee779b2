"""The console Session, without a terminal: modes and prompts, `exit`/`end`/`do`, `no` and
`default` forms, named access lists, inspection rules, `enable`, saving the configuration,
`clock set`, `reload`, and `?`/Tab as the Session answers them.

Every check reads what the router shows (`show …`, the prompt, the saved file), as a user on
the console would see it. The expected texts are IOS 12.3(4)T's.
"""
from __future__ import annotations

import errno
import os

import kit
import pytest
from kit import ok, refused

from iosfw.cli.session import Session
from iosfw.cli.startup import StartupStore
from iosfw.show import running_config
from iosfw.show.running_config import render

HOST = "3640-123"
SYS_LINE = "*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console by console\n"
INVALID = "% Invalid input detected at '^' marker."
BANNER = "Enter configuration commands, one per line.  End with CNTL/Z.\n"
RELOADED = f"\n{HOST} con0 is now available\n\n\n\nPress RETURN to get started.\n\n"
SAVE_QUESTION = "System configuration has been modified. Save? [yes/no]: "
CONFIRM_QUESTION = "Proceed with reload? [confirm]"
SEED_ACL = "Extended IP access list 101\n    10 permit tcp any host 172.22.1.110 eq smtp\n"


# ------------------------------------------------------------------ helpers
@pytest.fixture
def make(tmp_path):
    """`make(privileged=True, store=None)`: a Session on a fresh built-in router whose NVRAM is
    a file in tmp_path (nothing saved yet); `store` replaces that StartupStore."""
    def build(privileged: bool = True, store: StartupStore | None = None) -> Session:
        return kit.session(on=kit.device(nvram=tmp_path / "nvram", store=store),
                           privileged=privileged)
    return build


@pytest.fixture
def s(make) -> Session:
    return make()


def caret(prompt: str, line: str, bad_word: str) -> str:
    return " " * (len(prompt) + line.index(bad_word)) + "^\n" + INVALID + "\n\n"


def goto(session: Session, *lines: str) -> Session:
    for line in lines:
        ok(session, line)
    return session


# The lines that reach each mode from privileged EXEC, its prompt and Session.mode.
MODES = [
    ((), f"{HOST}#", "exec"),
    (("configure terminal",), f"{HOST}(config)#", "config"),
    (("configure terminal", "interface Ethernet2/0"), f"{HOST}(config-if)#", "config-if"),
    (("configure terminal", "line vty 0 4"), f"{HOST}(config-line)#", "config-line"),
    (("configure terminal", "ip access-list extended X"), f"{HOST}(config-ext-nacl)#",
     "config-ext-nacl"),
    (("configure terminal", "ip access-list standard Y"), f"{HOST}(config-std-nacl)#",
     "config-std-nacl"),
]
CONFIG_MODES = [m for m in MODES if m[0]]
SUB_MODES = [m for m in MODES if len(m[0]) == 2]


# ================================================================== modes and prompts
def test_user_exec_prompt_and_mode(make):
    session = make(privileged=False)
    assert session.prompt() == f"{HOST}>"
    assert session.mode == "user"


@pytest.mark.parametrize("path, prompt, mode", MODES, ids=[m[2] for m in MODES])
def test_prompt_and_mode_in_every_mode(s, path, prompt, mode):
    goto(s, *path)
    assert s.prompt() == prompt
    assert s.mode == mode


def test_configure_terminal_prints_the_banner(s):
    assert ok(s, "configure terminal") == BANNER
    assert s.prompt() == f"{HOST}(config)#"


def test_abbreviated_configure_terminal(s):
    assert ok(s, "conf t") == BANNER
    assert s.mode == "config"


@pytest.mark.parametrize("path, prompt, mode", SUB_MODES, ids=[m[2] for m in SUB_MODES])
def test_exit_from_a_sub_mode_returns_to_global_configuration_silently(s, path, prompt, mode):
    goto(s, *path)
    assert ok(s, "exit") == ""
    assert s.prompt() == f"{HOST}(config)#"


def test_exit_from_global_configuration_returns_to_exec_with_the_config_log_line(s):
    goto(s, "configure terminal")
    assert ok(s, "exit") == SYS_LINE
    assert s.prompt() == f"{HOST}#"


@pytest.mark.parametrize("path, prompt, mode", CONFIG_MODES, ids=[m[2] for m in CONFIG_MODES])
def test_end_from_every_configuration_mode_returns_to_exec(s, path, prompt, mode):
    goto(s, *path)
    assert ok(s, "end") == SYS_LINE
    assert s.prompt() == f"{HOST}#"
    assert s.mode == "exec"


def test_exit_from_exec_closes_the_session(s):
    reply = s.execute("exit")
    assert reply.closed and not reply.error


def test_disable_returns_to_user_exec(s):
    ok(s, "disable")
    assert s.prompt() == f"{HOST}>"
    assert s.mode == "user"


def test_user_exec_refuses_configure_terminal_with_a_caret_under_configure(make):
    session = make(privileged=False)
    out = refused(session, "configure terminal")
    assert out == caret(f"{HOST}>", "configure terminal", "configure")
    assert session.mode == "user"


def test_a_sub_mode_command_typed_in_another_sub_mode_falls_back_to_global(s):
    """IOS reads a line its sub-mode does not know as a global command, and leaves the sub-mode."""
    goto(s, "configure terminal", "interface Ethernet2/0")
    ok(s, "ip access-list extended NEW")
    assert s.prompt() == f"{HOST}(config-ext-nacl)#"
    ok(s, "line vty 0 4")
    assert s.prompt() == f"{HOST}(config-line)#"


def test_hostname_changes_every_prompt_at_once(s):
    goto(s, "configure terminal", "hostname R1")
    assert s.prompt() == "R1(config)#"
    ok(s, "interface Ethernet2/0")
    assert s.prompt() == "R1(config-if)#"
    ok(s, "end")
    assert s.prompt() == "R1#"


def test_no_hostname_goes_back_to_router(s):
    """IOS takes `no hostname` without the old name."""
    goto(s, "configure terminal", "hostname R1", "no hostname")
    assert s.prompt() == "Router(config)#"
    assert "hostname Router\n" in render(s.router)


# ================================================================== errors
@pytest.mark.parametrize("path, line, bad_word", [
    ((), "show ip inspct all", "inspct"),
    ((), "show  ip  inspect  al1", "al1"),
    (("configure terminal",), "ip inspect name X smtp max-data 5", "5"),
    (("configure terminal", "interface Ethernet2/0"), "shutdown now", "now"),
    (("configure terminal", "interface Ethernet2/0"),
     "ip address 1.2.3.4 255.255.255.0 secondry", "secondry"),
    (("configure terminal", "line vty 0 4"), "exec-timeout 5 0 junk", "junk"),
    (("configure terminal", "ip access-list extended X"), "permit tcp any any eq 99999", "99999"),
    (("configure terminal", "ip access-list standard Y"), "permit 10.0.0.300", "10.0.0.300"),
], ids=["exec", "exec-spaces", "config", "config-if", "config-if-2", "config-line",
        "config-ext-nacl", "config-std-nacl"])
def test_invalid_input_caret_is_under_the_bad_word_counted_from_the_prompt(s, path, line, bad_word):
    goto(s, *path)
    prompt, mode = s.prompt(), s.mode
    before = render(s.router)
    assert refused(s, line) == caret(prompt, line, bad_word)
    assert (s.prompt(), s.mode) == (prompt, mode)
    assert render(s.router) == before


@pytest.mark.parametrize("path, line", [
    ((), "show ip"),
    ((), "show ip inspect name"),
    (("configure terminal",), "ip inspect name X"),
    (("configure terminal", "interface Ethernet2/0"), "ip address"),
    (("configure terminal", "ip access-list extended X"), "permit tcp any"),
])
def test_incomplete_command(s, path, line):
    goto(s, *path)
    assert refused(s, line) == "% Incomplete command.\n\n"


def test_ambiguous_command(s):
    assert refused(s, "sh ip in") == '% Ambiguous command:  "sh ip in"\n'


# ================================================================== do
@pytest.mark.parametrize("path, prompt, mode", CONFIG_MODES, ids=[m[2] for m in CONFIG_MODES])
def test_do_runs_an_exec_command_in_every_configuration_mode(s, path, prompt, mode):
    goto(s, *path)
    assert ok(s, "do show access-lists 101") == SEED_ACL
    assert ok(s, "do sh ip insp name OUT-IN") == (
        "Inspection name OUT-IN\n"
        "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600\n")
    assert (s.prompt(), s.mode) == (prompt, mode)


def test_do_show_running_config_sees_the_change_just_made(s):
    goto(s, "configure terminal", "interface Ethernet2/1", "description LAN side")
    out = ok(s, "do show running-config | section interface Ethernet2/1")
    assert out.splitlines()[:2] == ["interface Ethernet2/1", " description LAN side"]


@pytest.mark.parametrize("path", [("configure terminal",),
                                  ("configure terminal", "interface Ethernet2/0")],
                         ids=["config", "config-if"])
def test_do_with_a_bad_exec_command_puts_the_caret_under_the_bad_word(s, path):
    """The caret counts from the prompt the line was typed at, `do ` included:
    `3640-123(config)#do show ip inspct all` has `inspct` at column 28."""
    goto(s, *path)
    prompt = s.prompt()
    line = "do show ip inspct all"
    assert refused(s, line) == caret(prompt, line, "inspct")
    assert s.prompt() == prompt


def test_do_is_recorded_once_in_the_history(s):
    goto(s, "configure terminal", "do show clock", "end")
    assert ok(s, "show history") == (
        "  configure terminal\n  do show clock\n  end\n  show history\n")


@pytest.mark.parametrize("path, prompt, mode", CONFIG_MODES, ids=[m[2] for m in CONFIG_MODES])
def test_help_describes_do_in_every_configuration_mode(s, path, prompt, mode):
    goto(s, *path)
    rows = {line.split()[0]: line for line in s.help("").splitlines() if line.strip()}
    assert rows["do"].split(None, 1)[1:] == ["To run exec commands in config mode"], rows["do"]


# ================================================================== no and default
def test_description_and_no_description_change_show_running_config_at_once(s):
    goto(s, "configure terminal", "interface Ethernet2/0", "description to the Internet")
    section = ok(s, "do show running-config | section interface Ethernet2/0")
    assert section.splitlines()[:2] == ["interface Ethernet2/0", " description to the Internet"]
    ok(s, "no description")
    section = ok(s, "do show running-config | section interface Ethernet2/0")
    assert "description" not in section
    assert section.splitlines()[:2] == ["interface Ethernet2/0",
                                        " ip address 172.22.1.16 255.255.255.0"]


def _serial_status(session: Session) -> str:
    row = next(line for line in ok(session, "do show ip interface brief").splitlines()
               if line.startswith("Serial2/0"))
    return row


@pytest.mark.parametrize("undo", ["no shutdown", "default shutdown"])
def test_shutdown_and_its_no_and_default_forms_change_show_ip_interface_brief(s, undo):
    goto(s, "configure terminal", "interface Serial2/0")
    assert "administratively down" in _serial_status(s)
    ok(s, undo)
    assert "administratively down" not in _serial_status(s)
    ok(s, "shutdown")
    assert "administratively down" in _serial_status(s)


@pytest.mark.parametrize("form", ["no", "default"])
def test_no_and_default_remove_one_protocol_of_an_inspect_rule(s, form):
    goto(s, "configure terminal", f"{form} ip inspect name IN-OUT http")
    assert ok(s, "do show ip inspect name IN-OUT") == (
        "Inspection name IN-OUT\n"
        "    tcp alert is on audit-trail is off timeout 3600\n"
        "    udp alert is on audit-trail is off timeout 30\n"
        "    ftp alert is on audit-trail is off timeout 3600\n"
        "    icmp alert is on audit-trail is off timeout 10\n")


def test_no_access_list_deletes_the_list(s):
    goto(s, "configure terminal", "no access-list 101")
    assert ok(s, "do show access-lists") == ""
    assert "access-list 101" not in render(s.router)


def test_no_ip_domain_lookup_shows_in_running_config(s):
    goto(s, "configure terminal", "no ip domain-lookup")
    assert ok(s, "do show running-config | include domain") == "no ip domain lookup\n"
    ok(s, "ip domain-lookup")
    assert ok(s, "do show running-config | include domain") == ""


def test_no_ip_inspect_name_deletes_the_rule_and_show_config_forgets_it(s):
    goto(s, "configure terminal", "ip inspect name WEB http", "no ip inspect name WEB")
    assert "WEB" not in ok(s, "do show ip inspect config")


@pytest.mark.parametrize("path, setting, line", [
    (("configure terminal", "interface Ethernet2/0"), "description uplink", "description"),
    (("configure terminal", "line vty 0 4"), "exec-timeout 5 0", "exec-timeout"),
], ids=["description", "exec-timeout"])
def test_default_form_without_arguments_restores_the_default(s, path, setting, line):
    """`default description` / `default exec-timeout` need no arguments on IOS."""
    goto(s, *path, setting)
    assert f" {setting}\n" in render(s.router)
    ok(s, f"default {line}")
    assert f" {line}" not in render(s.router)


# ================================================================== named access lists
def test_named_extended_acl_inserts_by_sequence_number(s):
    goto(s, "configure terminal", "ip access-list extended WEB",
         "permit tcp any host 10.10.10.2 eq www", "permit tcp any host 10.10.10.2 eq 443",
         "15 permit icmp any any echo-reply", "deny ip any any log")
    assert ok(s, "do show access-lists WEB") == (
        "Extended IP access list WEB\n"
        "    10 permit tcp any host 10.10.10.2 eq www\n"
        "    15 permit icmp any any echo-reply\n"
        "    20 permit tcp any host 10.10.10.2 eq 443\n"
        "    30 deny ip any any log\n")


def test_named_acl_no_sequence_deletes_that_entry(s):
    goto(s, "configure terminal", "ip access-list extended WEB",
         "permit tcp any any eq www", "permit udp any any eq domain", "permit icmp any any",
         "no 20")
    assert ok(s, "do show access-lists WEB") == (
        "Extended IP access list WEB\n"
        "    10 permit tcp any any eq www\n"
        "    30 permit icmp any any\n")


def test_named_acl_no_entry_text_deletes_that_entry(s):
    goto(s, "configure terminal", "ip access-list extended WEB",
         "permit tcp any any eq www", "permit icmp any any", "no permit tcp any any eq www")
    assert ok(s, "do show access-lists WEB") == (
        "Extended IP access list WEB\n"
        "    20 permit icmp any any\n")


def test_resequence_renumbers_the_list(s):
    goto(s, "configure terminal", "ip access-list extended WEB",
         "permit tcp any any eq www", "5 permit tcp any any eq 443", "permit icmp any any",
         "exit", "ip access-list resequence WEB 100 10")
    assert ok(s, "do show access-lists WEB") == (
        "Extended IP access list WEB\n"
        "    100 permit tcp any any eq 443\n"
        "    110 permit tcp any any eq www\n"
        "    120 permit icmp any any\n")
    # new entries continue after the last number
    goto(s, "ip access-list extended WEB", "deny ip any any")
    assert ok(s, "do show access-lists WEB").splitlines()[-1] == "    130 deny ip any any"


def test_named_standard_acl_is_shown_as_ios_shows_it(s):
    goto(s, "configure terminal", "ip access-list standard MGMT",
         "permit 10.10.10.0 0.0.0.255", "permit host 10.10.10.5", "5 deny 10.10.10.99",
         "deny any")
    assert ok(s, "do show access-lists MGMT") == (
        "Standard IP access list MGMT\n"
        "    5 deny   10.10.10.99\n"
        "    10 permit 10.10.10.0, wildcard bits 0.0.0.255\n"
        "    20 permit 10.10.10.5\n"
        "    30 deny   any\n")


def test_named_acl_in_running_config(s):
    goto(s, "configure terminal", "ip access-list extended WEB",
         "permit tcp any host 10.10.10.2 eq www", "deny ip any any log", "end")
    assert ok(s, "show running-config | section ip access-list extended WEB") == (
        "ip access-list extended WEB\n"
        " permit tcp any host 10.10.10.2 eq www\n"
        " deny   ip any any log\n")


def test_duplicate_sequence_number_is_refused_and_changes_nothing(s):
    goto(s, "configure terminal", "ip access-list extended WEB", "15 permit ip any any")
    before = render(s.router)
    assert refused(s, "15 deny ip any any") == "% Duplicate sequence number\n"
    assert render(s.router) == before
    assert s.mode == "config-ext-nacl"


def test_resequence_of_a_missing_list_is_refused(s):
    goto(s, "configure terminal")
    assert refused(s, "ip access-list resequence NOPE 10 10") == \
        "%Access list NOPE does not exist\n"


def test_a_name_cannot_be_both_standard_and_extended(s):
    goto(s, "configure terminal", "ip access-list extended WEB", "exit")
    before = render(s.router)
    out = refused(s, "ip access-list standard WEB")
    assert "already exists" in out
    assert render(s.router) == before
    assert s.mode == "config"


# ================================================================== inspection rules
def test_new_inspect_rule_shows_in_show_ip_inspect_name(s):
    goto(s, "configure terminal", "ip inspect name WEB http", "ip inspect name WEB tcp timeout 60")
    assert ok(s, "do show ip inspect name WEB") == (
        "Inspection name WEB\n"
        "    http alert is on audit-trail is off timeout 3600\n"
        "    tcp alert is on audit-trail is off timeout 60\n")
    assert ok(s, "do show running-config | include ip inspect name WEB") == (
        "ip inspect name WEB http\nip inspect name WEB tcp timeout 60\n")


@pytest.mark.parametrize("first, second", [("smtp", "esmtp"), ("esmtp", "smtp")])
def test_smtp_and_esmtp_conflict_leaves_the_rule_unchanged(s, first, second):
    goto(s, "configure terminal", f"ip inspect name MAIL {first}", "ip inspect name MAIL tcp")
    shown = ok(s, "do show ip inspect name MAIL")
    before = render(s.router)
    out = refused(s, f"ip inspect name MAIL {second}")
    assert out.startswith("% ")
    assert first in out and second in out
    assert ok(s, "do show ip inspect name MAIL") == shown
    assert render(s.router) == before


def test_the_seed_out_in_rule_refuses_esmtp(s):
    goto(s, "configure terminal")
    refused(s, "ip inspect name OUT-IN esmtp")
    assert ok(s, "do show ip inspect name OUT-IN") == (
        "Inspection name OUT-IN\n"
        "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600\n")


# ================================================================== enable
def test_enable_asks_for_the_password_without_echo_and_accepts_the_seed_one(make):
    session = make(privileged=False)
    reply = session.execute("enable")
    assert reply.ask is not None and reply.ask.prompt == "Password: " and reply.ask.secret
    reply = reply.ask.answer("cisco123")
    assert not reply.error and reply.ask is None and reply.output == ""
    assert session.prompt() == f"{HOST}#"


def test_enable_with_a_wrong_then_the_right_password(make):
    session = make(privileged=False)
    reply = session.execute("enable").ask.answer("cisco")
    assert reply.ask is not None and reply.ask.prompt == "Password: "
    assert session.prompt() == f"{HOST}>"
    reply = reply.ask.answer("cisco123")
    assert reply.ask is None and not reply.error
    assert session.prompt() == f"{HOST}#"


def test_three_wrong_enable_passwords_give_bad_secrets(make):
    session = make(privileged=False)
    reply = session.execute("enable")
    for typed in ("a", "b"):
        reply = reply.ask.answer(typed)
        assert reply.ask is not None
    reply = reply.ask.answer("c")
    assert reply.output == "% Bad secrets\n\n"
    assert reply.error and reply.ask is None
    assert session.prompt() == f"{HOST}>"
    # the count starts again: the next `enable` gets three tries too
    reply = session.execute("enable").ask.answer("x").ask.answer("cisco123")
    assert reply.ask is None and session.prompt() == f"{HOST}#"


def test_enable_secret_takes_precedence_over_enable_password(s):
    goto(s, "configure terminal", "enable secret s3cr3t", "end", "disable")
    reply = s.execute("enable").ask.answer("cisco123")
    assert reply.ask is not None, "the enable password must not open a router with a secret"
    reply = reply.ask.answer("s3cr3t")
    assert reply.ask is None and s.prompt() == f"{HOST}#"


def test_enable_when_already_privileged_does_nothing(s):
    assert ok(s, "enable") == ""
    assert s.prompt() == f"{HOST}#"


# ================================================================== saving the configuration
def test_write_memory_saves_running_config_atomically(s, tmp_path):
    path = tmp_path / "nvram" / "startup-config"
    assert ok(s, "write memory") == "Building configuration...\n[OK]\n"
    assert path.read_text() == "\n".join(running_config.render_lines(s.router)) + "\n"
    assert os.listdir(path.parent) == ["startup-config"]


def test_write_memory_then_a_new_boot_has_the_change(s, tmp_path):
    goto(s, "configure terminal", "ip inspect name WEB http", "end", "write memory")
    text = (tmp_path / "nvram" / "startup-config").read_text()
    rebooted = kit.router(text, "startup-config")
    assert render(rebooted) == render(s.router)
    assert "ip inspect name WEB http" in render(rebooted)


def test_write_alone_is_write_memory(s, tmp_path):
    assert ok(s, "write") == "Building configuration...\n[OK]\n"
    assert (tmp_path / "nvram" / "startup-config").exists()


def test_copy_running_config_startup_config(s, tmp_path):
    goto(s, "configure terminal", "hostname R1", "end")
    out = ok(s, "copy running-config startup-config")
    assert out == "Destination filename [startup-config]? \nBuilding configuration...\n[OK]\n"
    assert "hostname R1\n" in (tmp_path / "nvram" / "startup-config").read_text()


def test_show_startup_config_before_and_after_saving(s):
    assert ok(s, "show startup-config") == "startup-config is not present\n"
    goto(s, "configure terminal", "hostname R1", "end")
    assert ok(s, "show startup-config") == "startup-config is not present\n"
    ok(s, "copy running-config startup-config")
    text = "\n".join(running_config.render_lines(s.router)) + "\n"
    assert ok(s, "show startup-config") == f"Using {len(text.encode())} out of 129016 bytes\n{text}"
    assert ok(s, "show startup-config | include hostname") == "hostname R1\n"


def test_show_startup_config_keeps_the_old_text_until_the_next_save(s):
    ok(s, "write memory")
    goto(s, "configure terminal", "hostname R1", "end")
    assert ok(s, "show startup-config | include hostname") == f"hostname {HOST}\n"


@pytest.fixture
def unwritable_nvram(tmp_path, monkeypatch):
    """A startup-config with old contents in a directory that refuses new files. chmod does
    not stop root, so as root the refusal is the one the kernel gives everyone else."""
    directory = tmp_path / "ro-nvram"
    directory.mkdir()
    path = directory / "startup-config"
    path.write_text("hostname OLD\nend\n")
    if os.geteuid() == 0:
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(directory))
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        yield path
    else:
        directory.chmod(0o555)
        try:
            yield path
        finally:
            directory.chmod(0o755)


@pytest.mark.parametrize("command, head", [
    ("write memory", ""),
    ("copy running-config startup-config", "Destination filename [startup-config]? \n"),
])
def test_saving_to_an_unwritable_nvram_reports_the_error_and_keeps_the_old_file(
        make, unwritable_nvram, command, head):
    session = make(store=StartupStore(unwritable_nvram))
    reply = session.execute(command)  # must not raise
    assert reply.error and reply.ask is None
    assert reply.output == (f"{head}Building configuration...\n"
                            "%Error writing nvram:startup-config (Permission denied)\n")
    assert "[OK]" not in reply.output and "Traceback" not in reply.output
    assert unwritable_nvram.read_text() == "hostname OLD\nend\n"
    assert os.listdir(unwritable_nvram.parent) == ["startup-config"]
    # the session goes on
    assert ok(session, "show startup-config | include hostname") == "hostname OLD\n"


def test_a_write_failing_midway_keeps_the_old_file_and_leaves_no_temporary(make, tmp_path,
                                                                          monkeypatch):
    path = tmp_path / "full" / "startup-config"
    path.parent.mkdir()
    path.write_text("hostname OLD\nend\n")
    session = make(store=StartupStore(path))

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "fsync", disk_full)
    reply = session.execute("write memory")
    monkeypatch.undo()
    assert reply.error
    assert reply.output == ("Building configuration...\n"
                            "%Error writing nvram:startup-config (No space left on device)\n")
    assert path.read_text() == "hostname OLD\nend\n"
    assert os.listdir(path.parent) == ["startup-config"]


# ================================================================== clock
def test_show_clock_before_the_clock_is_set_has_an_asterisk(s):
    assert ok(s, "show clock") == "*00:00:00.000 UTC Mon Mar 1 1993\n"


def test_clock_set_then_show_clock(s):
    assert ok(s, "clock set 10:20:30 15 Jun 2024") == ""
    assert ok(s, "show clock") == "10:20:30.000 UTC Sat Jun 15 2024\n"


def test_clock_set_month_first(s):
    ok(s, "clock set 23:59:59 Dec 31 2035")
    assert ok(s, "show clock") == "23:59:59.000 UTC Mon Dec 31 2035\n"


def test_log_lines_lose_the_asterisk_once_the_clock_is_set(s):
    goto(s, "clock set 10:20:30 5 Jun 2024", "configure terminal")
    assert ok(s, "end") == \
        "Jun  5 10:20:30.000: %SYS-5-CONFIG_I: Configured from console by console\n"


@pytest.mark.parametrize("line", ["clock set 10:20:30 31 Feb 2024", "clock set 25:00:00 1 Jan 2024"])
def test_an_impossible_date_is_refused_and_the_clock_keeps_its_time(s, line):
    reply = s.execute(line)
    assert reply.error
    assert ok(s, "show clock") == "*00:00:00.000 UTC Mon Mar 1 1993\n"


def test_clock_set_is_privileged(make):
    session = make(privileged=False)
    refused(session, "clock set 10:20:30 15 Jun 2024")


# ================================================================== reload
def test_reload_with_unsaved_changes_asks_to_save_and_no_discards_them(s):
    goto(s, "write memory", "configure terminal", "hostname R1", "end")
    reply = s.execute("reload")
    assert reply.ask.prompt == SAVE_QUESTION and not reply.ask.secret
    reply = reply.ask.answer("no")
    assert reply.output == ""
    assert reply.ask.prompt == CONFIRM_QUESTION
    reply = reply.ask.answer("")
    assert reply.output == RELOADED and reply.ask is None
    assert s.prompt() == f"{HOST}>"          # the unsaved hostname is gone, and so is enable
    assert s.mode == "user"


def test_reload_yes_saves_before_reloading(s, tmp_path):
    goto(s, "configure terminal", "hostname R1", "end")
    reply = s.execute("reload").ask.answer("yes")
    assert reply.output == "Building configuration...\n[OK]\n"
    assert reply.ask.prompt == CONFIRM_QUESTION
    assert reply.ask.answer("").output == RELOADED.replace(HOST, "R1")
    assert s.prompt() == "R1>"
    assert "hostname R1\n" in (tmp_path / "nvram" / "startup-config").read_text()


def test_reload_answer_must_be_yes_or_no(s):
    reply = s.execute("reload").ask.answer("maybe")
    assert reply.output == "% Please answer 'yes' or 'no'.\n"
    assert reply.ask.prompt == SAVE_QUESTION


def test_reload_without_changes_only_asks_to_confirm_and_n_cancels(s):
    ok(s, "write memory")
    reply = s.execute("reload")
    assert reply.ask.prompt == CONFIRM_QUESTION
    reply = reply.ask.answer("n")
    assert reply.ask is None and reply.output == ""
    assert s.prompt() == f"{HOST}#"


def test_reload_of_the_freshly_booted_built_in_router_does_not_claim_it_was_modified(make,
                                                                                     tmp_path):
    """Nothing was configured since boot, so there is nothing to save (as `iosfw` boots it:
    no saved file yet, the built-in config as the startup-config)."""
    store = StartupStore(tmp_path / "fresh" / "startup-config", fallback=kit.seed_text())
    session = make(store=store)
    reply = session.execute("reload")
    assert reply.ask is not None
    assert reply.ask.prompt == CONFIRM_QUESTION


def test_reload_is_privileged(make):
    session = make(privileged=False)
    refused(session, "reload")


# ================================================================== history
def test_show_history_lists_the_commands_of_the_session(s):
    goto(s, "show clock", "configure terminal", "interface Ethernet2/0", "end")
    refused(s, "show ip inspct")
    assert ok(s, "show history") == (
        "  show clock\n  configure terminal\n  interface Ethernet2/0\n  end\n"
        "  show ip inspct\n  show history\n")


def test_show_history_keeps_the_last_ten(s):
    for n in range(12):
        ok(s, f"terminal length {n}")
    lines = ok(s, "show history").splitlines()
    assert len(lines) == 10
    assert lines[0] == "  terminal length 3" and lines[-1] == "  show history"


# ================================================================== output filters
@pytest.mark.parametrize("kind, pattern, expected", [
    ("include", "Ethernet", ["Ethernet2/0                172.22.1.16     YES NVRAM  up                    up",
                             "Ethernet2/1                10.10.10.1      YES NVRAM  up                    up"]),
    ("exclude", "Ethernet", ["Interface                  IP-Address      OK? Method Status                Protocol",
                             "Serial2/0                  unassigned      YES NVRAM  administratively down down"]),
    ("begin", "Serial", ["Serial2/0                  unassigned      YES NVRAM  administratively down down",
                         "Ethernet2/1                10.10.10.1      YES NVRAM  up                    up"]),
])
def test_output_filters(s, kind, pattern, expected):
    assert ok(s, f"show ip interface brief | {kind} {pattern}").splitlines() == expected


def test_section_filter_keeps_the_block(s):
    assert ok(s, "show running-config | section line vty") == (
        "line vty 0 4\n password 7 121A0C0411045D5679\n login\n")


# ================================================================== ? and Tab on the Session
def test_help_after_show_ip(s):
    assert s.help("show ip ") == (
        "  access-lists  List IP access lists\n"
        "  inspect       CBAC (Context Based Access Control) information\n"
        "  interface     IP interface status and configuration\n"
        "  nat           IP NAT information\n"
        "  route         IP routing table\n\n")


def test_help_after_show_ip_inspect(s):
    assert s.help("show ip inspect ") == (
        "  all         Inspection all available information\n"
        "  config      Inspection configuration\n"
        "  interfaces  Inspection interfaces\n"
        "  name        Inspection name\n"
        "  sessions    Inspection sessions\n"
        "  statistics  Inspection statistics\n\n")


def test_help_inside_a_word_lists_the_keywords_on_one_line(s):
    assert s.help("co") == "configure  copy\n\n"
    assert s.help("show ip in") == "inspect  interface\n\n"


def test_help_at_the_end_of_a_whole_command_offers_cr(s):
    assert s.help("show ip inspect all ").splitlines()[-2:] == ["  <cr>", ""]


def test_help_after_a_bad_word_prints_the_caret(s):
    assert s.help("show ip inspct ") == caret(f"{HOST}#", "show ip inspct ", "inspct")


def test_help_in_user_exec_has_no_privileged_commands(make):
    session = make(privileged=False)
    words = [line.split()[0] for line in session.help("").splitlines() if line.strip()]
    # `lab` is iosfw's own: a learner at the `>` prompt asks for the tasks and a grade too
    assert words == ["enable", "exit", "lab", "logout", "show", "terminal"]


@pytest.mark.parametrize("path, expected", [
    (("configure terminal", "ip access-list extended X"), {"permit", "deny", "remark", "<1-2147483647>"}),
    (("configure terminal", "ip access-list standard Y"), {"permit", "deny", "remark"}),
    (("configure terminal", "interface Ethernet2/0"), {"description", "shutdown", "ip", "no"}),
    (("configure terminal", "line vty 0 4"), {"password", "login", "exec-timeout"}),
], ids=["ext-nacl", "std-nacl", "if", "line"])
def test_help_in_sub_modes_lists_the_sub_mode_commands(s, path, expected):
    goto(s, *path)
    words = {line.split()[0] for line in s.help("").splitlines() if line.strip()}
    assert expected <= words


@pytest.mark.parametrize("path, typed, completed", [
    ((), "sh ip insp", "sh ip inspect "),
    ((), "conf", "configure "),
    ((), "show ip inspect a", "show ip inspect all "),
    (("configure terminal",), "interf", "interface "),
    (("configure terminal", "ip access-list extended X"), "perm", "permit "),
    (("configure terminal", "ip access-list extended X"), "permit tc", "permit tcp "),
    (("configure terminal", "line vty 0 4"), "exec-t", "exec-timeout "),
])
def test_tab_completes_a_unique_keyword_prefix(s, path, typed, completed):
    goto(s, *path)
    assert s.complete(typed) == completed


@pytest.mark.parametrize("typed", ["sh ip in", "co", "show ", "zzz", ""])
def test_tab_does_nothing_without_a_single_keyword(s, typed):
    assert s.complete(typed) is None

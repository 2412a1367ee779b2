"""The `iosfw` console script: one-shot `-c`, console transcripts from a pipe, `--json`, errors
as IOS prints them, and config files that are broken or not configs at all.

Every run gets its own XDG_DATA_HOME (see conftest.py), and no run may print a traceback.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from kit import golden

SEED_ALL = golden("seed-show-ip-inspect-all.txt")
ACCESS_LISTS = "Extended IP access list 101\n    10 permit tcp any host 172.22.1.110 eq smtp\n"
INVALID = "% Invalid input detected at '^' marker."
PROMPT = "3640-123#"
TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture
def run(iosfw, tmp_path):
    """`run(*args, stdin="")`: the console script (conftest's `iosfw`, private XDG_DATA_HOME)
    with stdin never a terminal; `module=True` runs `python -m iosfw`. No traceback, ever."""
    def call(*args: str, stdin: str = "", module: bool = False) -> subprocess.CompletedProcess:
        if module:
            env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "module-data"))
            proc = subprocess.run([sys.executable, "-m", "iosfw", *args], input=stdin, env=env,
                                  capture_output=True, text=True, timeout=60)
        else:
            proc = iosfw(*args, input=stdin)
        assert TRACEBACK not in proc.stderr, proc.stderr
        assert TRACEBACK not in proc.stdout, proc.stdout
        return proc
    return call


# ------------------------------------------------------------------ -c
def test_dash_c_prints_only_the_command_output(run):
    proc = run("-c", "show access-lists")
    assert proc.returncode == 0
    assert proc.stdout == ACCESS_LISTS
    assert proc.stderr == ""


def test_dash_c_runs_several_commands_in_order(run):
    proc = run("-c", "show access-lists", "-c", "show ip inspect all")
    assert proc.returncode == 0
    assert proc.stdout == ACCESS_LISTS + SEED_ALL


def test_abbreviated_commands_work(run):
    proc = run("-c", "sh ip insp al", "-c", "sh acc")
    assert proc.returncode == 0
    assert proc.stdout == SEED_ALL + ACCESS_LISTS


@pytest.mark.parametrize("command, bad_word", [
    ("show ip inspct all", "inspct"),
    ("show  ip  inspct all", "inspct"),
    ("show ip inspect al1", "al1"),
    ("show acess-lists", "acess-lists"),
    ("show ip nat translations xyz", "xyz"),
])
def test_invalid_command_prints_a_caret_under_the_bad_word_and_exits_1(run, command, bad_word):
    proc = run("-c", command)
    assert proc.returncode == 1
    column = command.index(bad_word)
    assert proc.stdout == f"{command}\n{' ' * column}^\n{INVALID}\n\n"


def test_ambiguous_command(run):
    proc = run("-c", "sh ip in")
    assert proc.returncode == 1
    assert proc.stdout == '% Ambiguous command:  "sh ip in"\n'


@pytest.mark.parametrize("command", ["show ip inspect", "show ip inspect name", "show ip"])
def test_incomplete_command(run, command):
    proc = run("-c", command)
    assert proc.returncode == 1
    assert proc.stdout == "% Incomplete command.\n\n"


def test_a_failed_command_does_not_stop_the_next_one(run):
    proc = run("-c", "show foo", "-c", "show access-lists")
    assert proc.returncode == 1
    assert proc.stdout == f"show foo\n     ^\n{INVALID}\n\n" + ACCESS_LISTS


def test_python_dash_m_iosfw_runs_show_version(run):
    proc = run("-c", "show version", module=True)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0] == ("Cisco IOS Software, 3600 Software (C3640-IK9O3S-M), Version 12.3(4)T, "
                        "RELEASE SOFTWARE (fc1)")
    assert "3640-123 uptime is 0 minutes" in lines
    assert lines[-1] == "Configuration register is 0x2102"


# ------------------------------------------------------------------ commands from a pipe
def test_piped_command_prints_a_console_transcript(run):
    proc = run(stdin="show ip inspect all\n")
    assert proc.returncode == 0
    assert proc.stdout.startswith(PROMPT + "show ip inspect all\n" + SEED_ALL)


def test_piped_commands_each_follow_their_prompt(run):
    proc = run(stdin="show access-lists\nsh ip insp name OUT-IN\n")
    assert proc.returncode == 0
    assert proc.stdout.startswith(
        PROMPT + "show access-lists\n" + ACCESS_LISTS
        + PROMPT + "sh ip insp name OUT-IN\n"
        + "Inspection name OUT-IN\n"
        + "    smtp max-data 20000000 alert is on audit-trail is off timeout 3600\n")


def test_piped_invalid_command_aims_the_caret_past_the_prompt(run):
    proc = run(stdin="show ip inspct all\n")
    column = len(PROMPT) + len("show ip ")
    assert proc.stdout.startswith(f"{PROMPT}show ip inspct all\n{' ' * column}^\n{INVALID}\n")


def test_saved_startup_config_is_read_from_xdg_data_home(run):
    saved = run(stdin="configure terminal\nhostname LAB-R1\nend\nwrite memory\n")
    assert "[OK]" in saved.stdout
    proc = run("-c", "show running-config")
    assert "\nhostname LAB-R1\n" in proc.stdout


# ------------------------------------------------------------------ --json
def _rules_from_text(text: str) -> dict[str, list[tuple]]:
    rules, current = {}, None
    block = text.split("Inspection Rule Configuration\n")[1].split("Interface Configuration\n")[0]
    for line in block.splitlines():
        name = re.match(r"^ Inspection name (\S+)$", line)
        if name:
            current = rules.setdefault(name.group(1), [])
            continue
        m = re.match(r"^    (\S+) .*alert is (on|off) audit-trail is (on|off) timeout (\d+)$", line)
        current.append((m.group(1), m.group(2) == "on", m.group(3) == "on", int(m.group(4))))
    return rules


@pytest.fixture
def inspect_json(run):
    proc = run("--json", "-c", "show ip inspect all")
    assert proc.returncode == 0
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_json_inspect_rules_state_the_same_protocols_and_timeouts_as_the_text(inspect_json):
    from_json = {name: [(p["protocol"], p["alert_effective"], p["audit_trail_effective"],
                         p["timeout_effective"]) for p in protocols]
                 for name, protocols in inspect_json["rules"].items()}
    assert from_json == _rules_from_text(SEED_ALL)


def test_json_inspect_globals_are_the_text_defaults(inspect_json):
    g = inspect_json["globals"]
    assert (g["alert"], g["audit_trail"]) == (True, False)
    assert (g["one_minute_low"], g["one_minute_high"]) == (400, 500)
    assert (g["max_incomplete_low"], g["max_incomplete_high"]) == (400, 500)
    assert (g["host_max_incomplete"], g["host_block_time"]) == (50, 0)
    assert (g["synwait"], g["finwait"], g["tcp_idle"], g["udp_idle"], g["dns_timeout"]) == \
        (30, 5, 3600, 30, 5)


def test_json_inspect_interfaces_in_the_order_the_text_lists_them(inspect_json):
    assert [(i["name"], i["inbound_rule"], i["outgoing_rule"], i["inbound_acl"])
            for i in inspect_json["interfaces"]] == [
        ("Ethernet2/1", "IN-OUT", None, None),
        ("Ethernet2/0", "OUT-IN", None, "101"),
    ]


def test_json_smtp_rule_carries_the_max_data_the_text_shows(inspect_json):
    """The text says `smtp max-data 20000000 ...`; the JSON must carry that figure too."""
    smtp = inspect_json["rules"]["OUT-IN"][0]
    assert smtp["protocol"] == "smtp"
    assert 20000000 in smtp.values(), smtp


@pytest.mark.parametrize("command, check", [
    ("show access-lists", lambda d: d[0]["name"] == "101"
        and d[0]["entries"][0]["text"] == "10 permit tcp any host 172.22.1.110 eq smtp"),
    ("show ip nat translations", lambda d: [r["inside_global"] for r in d]
        == ["172.22.1.110", "172.22.1.111"]),
    ("show ip interface brief", lambda d: [r["interface"] for r in d]
        == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]),
    ("show ip route", lambda d: any(r["network"] == "0.0.0.0" and r["next_hop"] == "172.22.1.1"
                                    for r in d)),
    ("show version", lambda d: d["version"] == "12.3(4)T" and d["hostname"] == "3640-123"),
])
def test_json_of_other_show_commands_parses_and_holds_the_same_facts(run, command, check):
    proc = run("--json", "-c", command)
    assert proc.returncode == 0
    assert check(json.loads(proc.stdout))


# ------------------------------------------------------------------ config files
def test_missing_config_file_is_named_and_exits_1(run, tmp_path):
    missing = tmp_path / "no-such-router.cfg"
    proc = run("--config", str(missing), "-c", "show version")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert str(missing) in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def run_bytes(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """The console script with output taken as bytes (it prints what it read, byte for byte:
    docs/loading.md "Lines and bytes")."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "bytes-data"))
    proc = subprocess.run([sys.executable, "-m", "iosfw", *args], env=env, capture_output=True,
                          timeout=60, check=False)
    assert TRACEBACK.encode() not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_binary_config_file_boots_with_each_nul_named_on_its_line(tmp_path):
    binary = tmp_path / "firmware.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00hostname R1\n\x00\xff\xfe")
    proc = run_bytes(tmp_path, "--config", str(binary), "-c", "show version")
    assert proc.returncode == 0
    errors = [line for line in proc.stderr.splitlines() if b": error: " in line]
    assert errors == [f"{binary}:{n}:{col}: error: % Invalid input: a NUL byte (binary "
                      "data)".encode() for n, col in ((1, 8), (2, 1))]


def test_directory_as_config_file_is_named_and_exits_1(run, tmp_path):
    proc = run("--config", str(tmp_path), "-c", "show version")
    assert proc.returncode == 1
    assert str(tmp_path) in proc.stderr


BROKEN = """\
hostname BROKEN
this line is garbage
!
interface Ethernet0/0
 ip address 10.0.0.1 255.255.255.0
 frobnicate the interface
!
ip inspect name FW tcp
ip inspect name FW https
access-list 101 permit tcp any host 10.0.0.1 eq 25
end
"""


def test_config_with_garbage_lines_still_boots_and_reports_file_and_line(run, tmp_path):
    path = tmp_path / "broken.cfg"
    path.write_text(BROKEN, encoding="utf-8")
    proc = run("--config", str(path), "-c", "show running-config", "-c", "show ip inspect name FW")
    assert proc.returncode == 0
    assert f"{path}:2: warning: " in proc.stderr
    assert f"{path}:6: warning: " in proc.stderr
    assert f"{path}:9:{len('ip inspect name FW ') + 1}: error: " in proc.stderr
    assert "warning" not in proc.stdout and "error" not in proc.stdout
    shown = proc.stdout.splitlines()
    assert "hostname BROKEN" in shown
    assert "this line is garbage" in shown
    assert " frobnicate the interface" in shown
    assert "!% rejected: ip inspect name FW https" in shown
    assert "access-list 101 permit tcp any host 10.0.0.1 eq smtp" in shown
    assert shown[-2:] == ["Inspection name FW",
                          "    tcp alert is on audit-trail is off timeout 3600"]


def test_non_utf8_config_still_loads(tmp_path):
    path = tmp_path / "latin1.cfg"
    path.write_bytes("hostname R1\nbanner motd ^C Caf\xe9 ^C\n".encode("latin-1"))
    proc = run_bytes(tmp_path, "--config", str(path), "-c", "show running-config")
    assert proc.returncode == 0
    assert b"hostname R1" in proc.stdout.splitlines()
    assert b"banner motd ^C Caf\xe9 ^C" in proc.stdout.splitlines()


# ------------------------------------------------------------------ words Python calls digits
@pytest.mark.parametrize("word", ["²", "٣", "½"])
def test_a_unicode_digit_word_in_a_command_is_answered_not_crashed_on(run, word):
    proc = run("-c", f"show ip inspect name {word}", "-c", "show access-lists")
    assert proc.stdout.endswith(ACCESS_LISTS)


@pytest.mark.parametrize("word", ["²", "٣"])
def test_a_unicode_digit_word_in_a_config_file_still_boots(run, tmp_path, word):
    path = tmp_path / "digits.cfg"
    path.write_text(f"hostname {word}\ninterface Ethernet0/0\n ip address {word} 1.2.3.4\n",
                    encoding="utf-8")
    proc = run("--config", str(path), "-c", "show ip interface brief")
    assert proc.returncode == 0
    assert proc.stdout.startswith("Interface ")

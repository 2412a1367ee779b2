"""A lab console as a learner uses it: the `lab tasks|check|hint [N]|topology` EXEC commands
(iosfw/commands/lab.py) on the Device `iosfw.app.lab_device` boots, grading that leaves the
session as it was, `write memory` saving the progress under $XDG_DATA_HOME/iosfw/labs/ and a
restart resuming it — in process, on a real terminal (`iosfw lab start`, pexpect) and served
on telnet (`iosfw serve --lab`, netmiko).

In process the catalog is pointed at a copy of smtp-inspection under tmp_path; the processes
started here load smtp-inspection from examples/labs/ and nothing else. Every test has its own
XDG_DATA_HOME, and every process started is stopped at teardown.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import kit
import pexpect
import pytest

from iosfw.app import lab_device
from iosfw.cli.main import main
from iosfw.config.render import startup_text
from iosfw.labs import catalog, progress

ROOT = Path(__file__).resolve().parent.parent
IOSFW = ROOT / ".venv" / "bin" / "iosfw"
if not IOSFW.exists():  # pragma: no cover - another virtualenv
    IOSFW = Path(sys.executable).with_name("iosfw")
LAB = "smtp-inspection"
SOURCE = catalog.labs_dir() / LAB
HOST = "3640-123"
EXEC = f"{HOST}#"
PASSWORD = "cisco123"           # the seed's line and enable password (both type 7)
TIMEOUT = 10
NOT_IN_A_LAB = ("% (iosfw) this console is not in a lab: start one with "
                "`iosfw lab start NAME` (`iosfw lab list` lists them)\n")
NAT_LINE = "ip nat inside source static 10.10.10.2 172.22.1.110"
# What solution.cfg has that start.cfg lacks, as a learner types it.
SOLUTION_LINES = ["ip inspect name OUT-IN smtp", NAT_LINE,
                  "access-list 101 permit tcp any host 172.22.1.110 eq smtp",
                  "interface Ethernet2/0", "ip access-group 101 in", "ip inspect OUT-IN in"]
TASK_2_HINTS = [                # wrapped at 79 columns, as the router's console shows them
    "Task 2. Let in mail, and only mail",
    "  hint: IOS checks the inbound list before NAT outside->inside: the list names",
    "        the global address 172.22.1.110, not 10.10.10.2.",
    "  hint: The implicit deny at the end of a list drops everything it does not",
    "        permit; return traffic of inside connections rides the IN-OUT sessions,",
    "        not the list.",
    "  hint: access-list 101 permit tcp any host 172.22.1.110 eq smtp, then `ip",
    "        access-group 101 in` on Ethernet2/0.",
]


@pytest.fixture(autouse=True)
def data(one_lab, data_home, tmp_path, monkeypatch) -> Path:
    """$XDG_DATA_HOME of this test; the catalog holds a copy of smtp-inspection only."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return data_home


def lab_session():
    """(lab, device, a privileged console session) of a lab console booted as a restart
    boots it: the saved progress, else the lab's start; on a virtual clock."""
    lab, box = lab_device(LAB, live=False)
    return lab, box, kit.session(on=box)


def saved_file(home: Path) -> Path:
    return home / "iosfw" / "labs" / f"{LAB}.startup-config"


# ------------------------------------------------------------------ the lab commands
def test_lab_tasks_lists_the_tasks():
    _, _, s = lab_session()
    out = kit.ok(s, "lab tasks")
    assert out.startswith("Tasks:\n 1. Publish the mail server\n"
                          "    Give the mail server 10.10.10.2 the global address 172.22.1.110 "
                          "with a\n    static NAT entry.\n 2. Let in mail, and only mail\n")
    assert "\n 3. Inspect the SMTP commands\n" in out
    assert out.endswith("\n\n`lab check` grades the running-config, `lab hint [TASK]` helps, "
                        "`write memory`\nsaves your progress.\n")


def test_lab_hint_gives_the_task_hints_and_what_lint_finds():
    _, _, s = lab_session()
    assert kit.ok(s, "lab hint 2").splitlines() == TASK_2_HINTS
    kit.configure(s, "interface Ethernet2/0", "ip access-group 150 in")
    out = kit.ok(s, "lab hint 2").splitlines()
    assert out[:len(TASK_2_HINTS)] == TASK_2_HINTS
    line = startup_text(s.router).splitlines().index(" ip access-group 150 in") + 1
    assert out[len(TASK_2_HINTS):] == [
        "iosfw lint on the running-config:",
        f"  line {line}: access list 150 is not defined: IOS applies a list that does not",
        "    exist as one that permits everything"]
    every = kit.ok(s, "lab hint").splitlines()
    assert [x for x in every if x.startswith("Task ")] == [
        "Task 1. Publish the mail server", "Task 2. Let in mail, and only mail",
        "Task 3. Inspect the SMTP commands"]


def test_lab_hint_for_a_task_the_lab_lacks_says_which_it_has():
    _, _, s = lab_session()
    assert s.execute("lab hint 9").output == "% (iosfw) the lab has tasks 1 to 3\n"


def test_lab_hint_for_a_task_the_lab_lacks_is_an_error():
    _, _, s = lab_session()
    assert s.execute("lab hint 9").error


def test_lab_topology_draws_the_running_config():
    _, _, s = lab_session()
    assert kit.ok(s, "lab topology").splitlines() == [
        "Topology: the seed's 3640-123 network",
        "",
        "  [ 3640-123 ]",
        "  |                                            |",
        "  Ethernet2/0                                  Ethernet2/1",
        "  172.22.1.16/24                               10.10.10.1/24",
        "  ip nat outside                               ip nat inside",
        "  |                                            inspect IN-OUT in",
        "  +- internet-client 192.0.2.7                 |",
        "  +- web-server 198.51.100.80                  +- mail-server 10.10.10.2 "
        "(as 172.22.1.110)",
        "                                               +- inside-pc 10.10.10.5 "
        "(as 172.22.1.111)",
    ]
    kit.configure(s, "interface Ethernet2/0", "ip access-group 101 in", "ip inspect OUT-IN in")
    outside = [r.strip().split("  ")[0] for r in kit.ok(s, "lab topology").splitlines()[4:10]]
    assert outside == ["Ethernet2/0", "172.22.1.16/24", "ip nat outside", "access-group 101 in",
                       "inspect OUT-IN in", "|"]


def test_lab_check_on_the_start_is_a_failing_scorecard():
    lab, _, s = lab_session()
    out = kit.ok(s, "lab check")
    assert out.startswith(f"Lab {LAB}: running-config\n")
    assert "\nFAIL 1. mail from the Internet reaches 172.22.1.110:25 (task 1)\n" in out
    assert out.endswith("\n1 of 7 checks pass.\n")
    assert progress.passed(lab) is None


def snapshot(s, box) -> dict:
    """What a learner can see of the router's state, and what the router logged."""
    state = {c: kit.ok(s, c) for c in ("show ip inspect sessions", "show access-lists",
                                       "show ip nat translations", "show clock",
                                       "show running-config")}
    state["log"] = [msg.text for msg in box.log.since(0)]
    return state


def test_lab_check_leaves_the_session_as_it_was_and_a_pass_marks_the_lab_done():
    lab, box, s = lab_session()
    kit.configure(s, *SOLUTION_LINES)
    kit.ok(s, "simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    kit.ok(s, "simulate connect tcp 192.0.2.7 40001 172.22.1.110 23")
    kit.ok(s, "simulate clock advance 3")
    before = snapshot(s, box)
    assert "smtp SIS_OPEN" in before["show ip inspect sessions"]
    assert "eq smtp (1 match)" in before["show access-lists"]
    assert "tcp 172.22.1.110:25" in before["show ip nat translations"]
    assert before["log"], "the configuration logged nothing"
    assert progress.passed(lab) is None

    out = kit.ok(s, "lab check")
    assert out.startswith(f"Lab {LAB}: running-config\n")
    assert out.endswith("\n\nall checks pass: lab done.\n")
    assert "FAIL" not in out
    assert snapshot(s, box) == before
    assert progress.passed(lab) == {"lab": LAB, "source": "running-config", "score": [7, 7]}


def test_outside_a_lab_the_lab_commands_say_so():
    s = kit.session()
    for line in ("lab tasks", "lab check", "lab hint", "lab hint 2", "lab topology"):
        reply = s.execute(line)
        assert (reply.error, reply.output) == (True, NOT_IN_A_LAB), line


def test_question_mark_lists_the_lab_commands_as_iosfw_own():
    _, _, s = lab_session()
    assert s.help("lab ") == (
        "  check     (iosfw) Grade the running-config by the traffic it passes\n"
        "  hint      (iosfw) Hints for a task, and what iosfw lint finds\n"
        "  tasks     (iosfw) The lab's tasks\n"
        "  topology  (iosfw) The lab's network: interfaces and hosts\n"
        "\n")
    assert s.help("lab hint ").splitlines()[0] == "  <1-99>  Task number"
    row = ["lab", "(iosfw) The training lab of this console: tasks, check, hint"]
    for level in (s, kit.session(privileged=False)):
        assert row in [line.split(None, 1) for line in level.help("").splitlines()]


# ------------------------------------------------------------------ saving and resuming
def test_write_memory_saves_the_progress_privately_and_a_restart_resumes_it(data):
    lab, box, s = lab_session()
    assert not saved_file(data).exists()
    kit.configure(s, NAT_LINE)
    assert kit.ok(s, "write memory") == "Building configuration...\n[OK]\n"
    path = saved_file(data)
    assert path.read_text(encoding="utf-8") == startup_text(box.router)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(os.listdir(path.parent)) == [path.name]     # no temporary left beside it

    _, again, s2 = lab_session()
    assert again is not box
    assert kit.ok(s2, "show running-config | include static 10.10.10.2") == NAT_LINE + "\n"
    kit.configure(s2, "no " + NAT_LINE)
    kit.ok(s2, "write memory")
    assert sorted(os.listdir(path.parent)) == [path.name]
    assert NAT_LINE not in path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ a real terminal
def spawn_lab(home: Path) -> pexpect.spawn:
    env = dict(os.environ, TERM="vt100", PROMPT_TOOLKIT_NO_CPR="1", XDG_DATA_HOME=str(home),
               XDG_CACHE_HOME=str(home.parent / "cache"))
    for name in ("COLUMNS", "LINES", "PYTHONSTARTUP"):
        env.pop(name, None)
    return pexpect.spawn(str(IOSFW), ["lab", "start", LAB], env=env, cwd=str(home.parent),
                         dimensions=(40, 120), encoding="utf-8", codec_errors="replace",
                         timeout=TIMEOUT)


@pytest.fixture
def spawned():
    children: list[pexpect.spawn] = []
    yield lambda home: children.append(spawn_lab(home)) or children[-1]
    for child in children:
        if child.isalive():
            child.terminate(force=True)
        child.close(force=True)


def at_prompt(child: pexpect.spawn, line: str, prompt: str = EXEC) -> str:
    """Type `line`; what came back until the next `prompt`."""
    child.send(line + "\r")
    child.expect_exact(prompt)
    return child.before


def test_lab_start_shows_the_lab_then_resumes_the_saved_progress(data, spawned):
    child = spawned(data)
    child.expect_exact("Press RETURN to get started.")
    shown = child.before
    order = [shown.find(text) for text in (
        f"Lab {LAB}: Publish a mail server with SMTP inspection (beginner)",
        "  Router 3640-123 joins the company LAN", "Tasks:", " 1. Publish the mail server",
        " 3. Inspect the SMTP commands", "Topology: the seed's 3640-123 network",
        "+- mail-server 10.10.10.2 (as 172.22.1.110)", f"{HOST} con0 is now available")]
    assert -1 not in order and order == sorted(order), shown
    child.expect_exact(f"{HOST}>")
    child.send("enable\r")
    child.expect_exact("Password: ")
    at_prompt(child, PASSWORD)
    assert "172.22.1.110" not in at_prompt(child, "show running-config | include static "
                                                  "10.10.10.2")
    at_prompt(child, "configure terminal", f"{HOST}(config)#")
    at_prompt(child, NAT_LINE, f"{HOST}(config)#")
    at_prompt(child, "end")
    assert "[OK]" in at_prompt(child, "write memory")
    child.send("exit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert NAT_LINE in saved_file(data).read_text(encoding="utf-8")

    child = spawned(data)
    child.expect_exact(f"{HOST}>")
    child.send("enable\r")
    child.expect_exact("Password: ")
    at_prompt(child, PASSWORD)
    child.send("show running-config | include static 10.10.10.2\r")
    child.expect_exact(NAT_LINE)
    child.expect_exact(EXEC)
    assert "Traceback" not in child.before


# ------------------------------------------------------------------ served on telnet
@pytest.fixture
def served_lab(data):
    """`iosfw serve --lab smtp-inspection --telnet 127.0.0.1:0`: its telnet port."""
    with kit.served("--lab", LAB, "--telnet", "127.0.0.1:0",
                    env={"XDG_DATA_HOME": str(data)}) as ports:
        yield ports["telnet"]


def test_netmiko_works_a_served_lab_to_a_pass(data, served_lab):
    import netmiko

    conn = netmiko.ConnectHandler(device_type="cisco_ios_telnet", host="127.0.0.1",
                                  port=served_lab, username="", password=PASSWORD,
                                  secret=PASSWORD, timeout=20)
    try:
        assert "1. Publish the mail server" in conn.send_command("lab tasks")
        conn.enable()
        out = conn.send_command("lab check")
        assert f"Lab {LAB}: running-config" in out
        assert "FAIL 1. mail from the Internet reaches 172.22.1.110:25 (task 1)" in out
        assert out.rstrip().endswith("1 of 7 checks pass.")
        conn.send_config_set(SOLUTION_LINES)
        out = conn.send_command("lab check")
        assert out.rstrip().endswith("all checks pass: lab done.") and "FAIL" not in out
        assert not saved_file(data).exists()
        assert "[OK]" in conn.save_config()
    finally:
        conn.disconnect()
    saved = saved_file(data).read_text(encoding="utf-8")
    assert all(line in saved.splitlines() for line in
               [NAT_LINE, " ip access-group 101 in", " ip inspect OUT-IN in"])
    assert (data / "iosfw" / "labs" / f"{LAB}.passed.json").exists()


def test_serve_an_unknown_lab_exits_2_listing_the_labs(capsys):
    assert main(["serve", "--lab", "nosuch", "--telnet", "127.0.0.1:0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"iosfw serve: no lab named 'nosuch'; the labs are: {LAB}\n"


def test_serve_a_lab_with_a_config_exits_2(tmp_path, capsys):
    config = tmp_path / "r.cfg"
    config.write_text(kit.seed_text())
    assert main(["serve", "--lab", LAB, "--config", str(config),
                 "--telnet", "127.0.0.1:0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("iosfw serve: --lab and --config: a lab boots from its own start "
                            "or your saved progress\n")

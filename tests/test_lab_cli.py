"""`iosfw lab check|solution|reset|list|export` on smtp-inspection, as a learner or an
instructor runs them (iosfw/cli/lab.py): exit status 0 when every check passes, 1 when one
fails, 2 for bad input; a configuration the router refuses a line of fails with the load error
named by file and line; a pass of the saved progress marks the lab done until `reset`.

The catalog is pointed at a copy of smtp-inspection under tmp_path (the other labs under
examples/labs/ are not this file's business) and XDG_DATA_HOME at tmp_path.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from iosfw.cli.main import main
from iosfw.labs import catalog, progress

LAB = "smtp-inspection"
SOURCE = catalog.labs_dir() / LAB
SOLUTION = (SOURCE / "solution.cfg").read_text(encoding="utf-8")
START = (SOURCE / "start.cfg").read_text(encoding="utf-8")
TITLE = "Publish a mail server with SMTP inspection"
FIELDS = {"number", "task", "title", "kind", "passed", "tried", "expected", "happened",
          "where", "path", "log", "hint"}


@pytest.fixture(autouse=True)
def base(one_lab) -> Path:
    return one_lab


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["lab", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out, captured.err


def listed(capsys) -> str:
    """The `done` column of smtp-inspection in `iosfw lab list`."""
    status, out, _ = run(capsys, "list")
    assert status == 0
    row = next(line for line in out.splitlines() if line.startswith(LAB + " "))
    assert row.endswith(" " + TITLE)
    return row.split()[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ check --config
def test_the_solution_passes_and_the_start_fails(base, capsys):
    status, out, err = run(capsys, "check", LAB, "--config", str(base / LAB / "solution.cfg"))
    assert (status, err) == (0, "")
    assert out.startswith(f"Lab {LAB}:")
    assert out.endswith("\nall checks pass: lab done.\n")
    assert "FAIL" not in out

    status, out, err = run(capsys, "check", LAB, "--config", str(base / LAB / "start.cfg"))
    assert (status, err) == (1, "")
    assert out.endswith("\n1 of 7 checks pass.\n")
    block = out.split("\nFAIL 1. ")[1].split("\n\n")[0].splitlines()
    assert block[0] == "mail from the Internet reaches 172.22.1.110:25 (task 1)"
    assert [line[:12] for line in block if not line.startswith("            ")] == [
        "mail from th", "  tried:    ", "  expected: ", "  happened: ", "  where:    ",
        "  path:     ", "  hint:     "]
    text = " ".join(" ".join(block).split())
    assert "expected: the connection opens" in text
    assert "happened: it opened, but with 172.22.1.110 out of Ethernet2/0, not with " \
           "mail-server (10.10.10.2)" in text
    assert "where: step 1: NAT outside->inside: no translation for the destination" in text
    assert "hint: Ethernet2/1 is already `ip nat inside`" in text
    # the table lists each check with its verdict: only check 4 passes on the start
    rows = re.findall(r"^\| +(\d) \| +(\d) \| .* \| (pass|FAIL) +\|$", out, re.MULTILINE)
    assert [(n, verdict) for n, _, verdict in rows] == \
        [("1", "FAIL"), ("2", "FAIL"), ("3", "FAIL"), ("4", "pass"), ("5", "FAIL"),
         ("6", "FAIL"), ("7", "FAIL")]


def test_check_json_has_the_facts_of_every_check(base, capsys):
    status, out, _ = run(capsys, "check", LAB, "--config", str(base / LAB / "start.cfg"),
                         "--json")
    assert status == 1
    facts = json.loads(out)
    assert {k: facts[k] for k in ("lab", "source", "passed", "score", "load_errors")} == {
        "lab": LAB, "source": str(base / LAB / "start.cfg"), "passed": False,
        "score": [1, 7], "load_errors": []}
    assert [c["number"] for c in facts["checks"]] == list(range(1, 8))
    assert all(set(c) == FIELDS for c in facts["checks"])
    first = facts["checks"][0]
    assert (first["kind"], first["task"], first["passed"]) == ("connect", 1, False)
    assert first["tried"] == "tcp from internet-client (192.0.2.7) to mail-server " \
                             "(172.22.1.110) port 25"
    assert first["path"] == ["1 NAT outside->inside: no translation for the destination",
                             "2 routing: 172.22.1.0/24 is directly connected, Ethernet2/0"]

    status, out, _ = run(capsys, "check", LAB, "--config", str(base / LAB / "solution.cfg"),
                         "--json")
    facts = json.loads(out)
    assert (status, facts["passed"], facts["score"]) == (0, True, [7, 7])


@pytest.mark.parametrize("good, bad, column", [
    ("interface Serial2/0\n", "interface Ethernet9/0\n", 19),
    ("ip inspect name OUT-IN smtp\n", "ip inspect name OUT-IN smtp\nip inspect name X bogus\n",
     19),
])
def test_a_line_the_router_refuses_fails_the_grading_with_file_and_line(tmp_path, capsys, good,
                                                                        bad, column):
    assert SOLUTION.count(good) == 1
    config = write(tmp_path, "learner.cfg", SOLUTION.replace(good, bad))
    refused = bad.splitlines()[-1]
    number = config.read_text().splitlines().index(refused) + 1
    status, out, err = run(capsys, "check", LAB, "--config", str(config))
    assert (status, err) == (1, "")
    assert "\nThe configuration did not load cleanly (graded as failing):\n" \
           f"  {config}:{number}:{column}: error: % Invalid input detected at '^' marker.\n" \
           f"      {refused}\n" in out
    assert "all checks pass" not in out

    status, out, _ = run(capsys, "check", LAB, "--config", str(config), "--json")
    facts = json.loads(out)
    assert (status, facts["passed"]) == (1, False)
    assert facts["load_errors"][0].startswith(f"{config}:{number}:{column}: error: ")


def test_an_unreadable_config_exits_2_naming_the_file(tmp_path, capsys):
    missing = tmp_path / "nosuch.cfg"
    status, out, err = run(capsys, "check", LAB, "--config", str(missing))
    assert (status, out) == (2, "")
    assert err == f"iosfw lab: {missing}: cannot read: No such file or directory\n"


# ------------------------------------------------------------------ solution
def test_solution_prints_the_reference_solution_exactly(capsys):
    assert run(capsys, "solution", LAB) == (0, SOLUTION, "")


# ------------------------------------------------------------------ saved progress
def source(capsys, status: int) -> str:
    """What `iosfw lab check NAME` (no --config) graded, as its JSON says."""
    got, out, _ = run(capsys, "check", LAB, "--json")
    assert got == status
    return json.loads(out)["source"]


def test_check_without_config_grades_the_start_until_something_is_saved(base, capsys):
    status, out, _ = run(capsys, "check", LAB)
    assert status == 1
    assert out.endswith("\n1 of 7 checks pass.\n")
    assert source(capsys, 1) == str(base / LAB / "start.cfg")
    assert listed(capsys) == "-"
    assert progress.passed(catalog.find(LAB)) is None


def test_a_pass_of_the_saved_progress_marks_the_lab_done_until_reset(capsys):
    lab = catalog.find(LAB)
    saved = progress.store(lab).path
    progress.store(lab).write(START)
    assert listed(capsys) == "saved"
    assert source(capsys, 1) == str(saved)
    assert listed(capsys) == "saved"

    progress.store(lab).write(SOLUTION)
    status, out, _ = run(capsys, "check", LAB)
    assert status == 0
    assert out.endswith("\nall checks pass: lab done.\n")
    assert listed(capsys) == "yes"
    assert progress.passed(lab) == {"lab": LAB, "source": str(saved), "score": [7, 7]}

    mark = saved.with_name(f"{LAB}.passed.json")
    assert run(capsys, "reset", LAB) == (0, f"{LAB}: removed {saved}, {mark}\n", "")
    assert not saved.exists() and not mark.exists()
    assert listed(capsys) == "-"
    assert run(capsys, "reset", LAB) == (0, f"{LAB}: nothing saved\n", "")


def test_the_scorecard_names_a_long_source_on_one_line(capsys):
    lab = catalog.find(LAB)
    progress.store(lab).write(START)
    status, out, _ = run(capsys, "check", LAB)
    assert status == 1
    assert out.splitlines()[0] == f"Lab {LAB}: {progress.store(lab).path}"


def test_a_pass_of_another_file_does_not_mark_the_lab_done(base, capsys):
    status, _, _ = run(capsys, "check", LAB, "--config", str(base / LAB / "solution.cfg"))
    assert status == 0
    assert listed(capsys) == "-"


# ------------------------------------------------------------------ export
def test_export_writes_the_smtp_check_as_an_svg(tmp_path, capsys):
    picture = tmp_path / "exchange.svg"
    status, out, err = run(capsys, "export", LAB, "--check", "7", "--svg", str(picture))
    assert (status, err) == (0, "")
    assert out == f"{picture}: check 7 of {LAB}, an illegal command reaches the server " \
                  "masked, and the server answers 500\n"
    svg = picture.read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<svg", "<?xml")) and svg.rstrip().endswith("</svg>")
    assert "EXPN" in svg


def test_export_of_a_check_that_is_not_smtp_exits_2_listing_the_smtp_checks(tmp_path, capsys):
    picture = tmp_path / "exchange.svg"
    status, out, err = run(capsys, "export", LAB, "--check", "1", "--svg", str(picture))
    assert (status, out) == (2, "")
    assert err == f"iosfw lab: {LAB}: --check 1 is not an smtp check (its smtp checks: 7)\n"
    assert not picture.exists()


# ------------------------------------------------------------------ check kinds
SOURCE_CHECK = '''
[[checks]]
task = 2
title = "the inside PC browses from its global address"
kind = "connect"
from = "inside-pc"
to = "web-server"
port = 80
expect = "open"
source = "172.22.1.111"
'''


def test_a_connect_check_with_a_source_needs_the_translation(base, capsys, tmp_path):
    """`source`: the first packet leaves the router from that address; without the static
    translation of 10.10.10.5 it leaves from 10.10.10.5 itself, and the step that did not
    translate it is named."""
    toml = base / LAB / "lab.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + SOURCE_CHECK, encoding="utf-8")
    status, out, _ = run(capsys, "check", LAB, "--config", str(base / LAB / "solution.cfg"),
                         "--json")
    assert status == 0 and json.loads(out)["checks"][-1]["passed"]
    nat = "ip nat inside source static 10.10.10.5 172.22.1.111\n"
    assert SOLUTION.count(nat) == 1
    answer = write(tmp_path, "no-nat.cfg", SOLUTION.replace(nat, ""))
    status, out, _ = run(capsys, "check", LAB, "--config", str(answer), "--json")
    last = json.loads(out)["checks"][-1]
    assert status == 1 and not last["passed"]
    assert last["expected"] == "the connection opens, leaving the router from 172.22.1.111"
    assert last["happened"] == "it opened, but its packets leave the router from 10.10.10.5"
    assert last["where"] == "step 2: NAT inside->outside: no translation for the source"

"""The troubleshooting lab: its start is the solution with four mistakes a colleague made, every
one of them reported by `iosfw lint` at the line that holds it (and nothing in the solution);
each symptom fails its checks on the start; and the wrong fixes a learner plausibly makes fail
the check they should, graded as a user grades them (`iosfw lab check troubleshooting`)."""
from __future__ import annotations

import json

import kit
import pytest

from iosfw.cli.main import main

LAB = "troubleshooting"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
FOLDER = ANSWERS.folder
SOLUTION = ANSWERS.solution
START = ANSWERS.start

# The colleague's changes: (the solution's text, what the start has instead).
MISTAKES = [
    ("ip inspect name IN-OUT tcp\n",
     "ip inspect max-incomplete high 100\nip inspect name IN-OUT tcp\n"),
    (" ip inspect OUT-IN in\n", " ip inspect OUTIN in\n"),
    (" ip nat inside\n ip inspect IN-OUT in\n", " ip nat inside\n"),
    ("access-list 101 permit tcp any host 172.22.1.110 eq smtp\n",
     "access-list 101 permit tcp any host 10.10.10.2 eq smtp\n"),
]


def line_of(text: str, line: str) -> int:
    """The number of the one line of `text` that reads `line`."""
    found = [n for n, got in enumerate(text.splitlines(), 1) if got == line]
    assert len(found) == 1, (line, found)
    return found[0]


def lint_json(capsys, path) -> tuple[int, list[dict]]:
    status = main(["lint", str(path), "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_the_start_is_the_solution_with_the_four_mistakes_and_nothing_else():
    text = SOLUTION
    for right, wrong in MISTAKES:
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    assert text == START


def test_lint_reports_every_mistake_of_the_start_at_its_line(capsys):
    status, found = lint_json(capsys, FOLDER / "start.cfg")
    assert status == 1
    expected = [
        # the flood protection "tightened": high 100 under the default low 400
        ("thresholds-reversed", line_of(START, "ip inspect max-incomplete high 100")),
        # IN-OUT no longer applied on Ethernet2/1: the rule, applied nowhere
        ("unapplied-rule", line_of(START, "ip inspect name IN-OUT tcp")),
        # OUT-IN applied as OUTIN: the rule applied nowhere, and the name that is not defined
        ("unapplied-rule", line_of(START, "ip inspect name OUT-IN smtp")),
        ("name-typed-two-ways", line_of(START, " ip inspect OUTIN in")),
        # the inbound list names the mail server's inside local address
        ("acl-names-inside-local",
         line_of(START, "access-list 101 permit tcp any host 10.10.10.2 eq smtp")),
    ]
    assert sorted((f["code"], f["line"]) for f in found) == sorted(expected)
    lines = START.splitlines()
    for f in found:
        assert lines[f["line"] - 1].strip() == f["text"]
    typo = next(f for f in found if f["code"] == "name-typed-two-ways")
    assert "OUT-IN is (line " + str(line_of(START, "ip inspect name OUT-IN smtp")) + ")" in \
        typo["message"]


def test_lint_finds_nothing_in_the_solution(capsys):
    assert lint_json(capsys, FOLDER / "solution.cfg") == (0, [])


def test_each_symptom_fails_on_the_start_and_passes_on_the_solution(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, START, "--json")
    assert status == 1
    assert sorted(kit.failed_checks(card)) == [1, 4, 5, 6, 7, 8]    # 2 and 3: the list still blocks
    assert {c["task"] for c in kit.failed_checks(card).values()} == {1, 2, 3, 4}
    assert "inbound access list 101" in kit.failed_checks(card)[1]["where"]
    assert "SYN-ACK" in kit.failed_checks(card)[6]["happened"]
    status, card = ANSWERS.grade(capsys, tmp_path, SOLUTION, "--json")
    assert status == 0 and card["passed"]


def test_taking_the_access_list_away_lets_mail_in_and_everything_else(capsys, tmp_path):
    """Mail bounced at access list 101, so the learner removes the list from Ethernet2/0."""
    status, card = ANSWERS.grade(capsys, tmp_path,
                                 ANSWERS.changed(" ip access-group 101 in\n", ""), "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [2, 3]
    assert failed[2]["title"] == "telnet from the Internet to the mail server is dropped"
    assert failed[2]["tried"] == ("tcp from internet-client (192.0.2.7) to mail-server "
                                  "(172.22.1.110) port 23")
    assert failed[3]["tried"] == ("tcp from internet-client (192.0.2.7) to inside-pc "
                                  "(172.22.1.111) port 80")
    for check in failed.values():
        assert check["happened"].startswith("it opened:")
        assert check["where"] == ("no access list on the path: nothing filters it in on "
                                  "Ethernet2/0 or out on Ethernet2/1")


def test_in_out_applied_outbound_on_the_inside_never_sees_the_users_connections(
        capsys, tmp_path):
    answer = ANSWERS.changed(" ip nat inside\n ip inspect IN-OUT in\n",
                             " ip nat inside\n ip inspect IN-OUT out\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [6, 7, 8]
    assert failed[6]["title"] == "inside users browse the web, inspected as http"
    assert failed[6]["tried"] == ("tcp from inside-pc (10.10.10.5) to web-server "
                                  "(198.51.100.80) port 80")
    assert failed[6]["happened"].startswith("the SYN-ACK (tcp 198.51.100.80:80 -> "
                                            "172.22.1.111:40001 SA) was dropped on "
                                            "Ethernet2/0 by its inbound access list 101")
    assert failed[7]["tried"] == ("udp from inside-pc (10.10.10.5) to dns-server "
                                  "(198.51.100.53) port 53")
    for n in (6, 7):
        assert failed[n]["where"] == ("step 1: inbound access list 101: denied by the "
                                      "implicit deny at its end")
    assert "no-blocking-acl" in failed[8]["happened"]


def test_an_entry_without_its_port_lets_telnet_in(capsys, tmp_path):
    answer = ANSWERS.changed("access-list 101 permit tcp any host 172.22.1.110 eq smtp\n",
                             "access-list 101 permit tcp any host 172.22.1.110\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [2]
    assert "port 23" in failed[2]["tried"]
    assert failed[2]["where"] == ('step 1: inbound access list 101: permitted by "10 permit '
                                  'tcp any host 172.22.1.110 (1 match)"')


def test_the_scorecard_shows_the_failed_check(capsys, tmp_path):
    status, text = ANSWERS.grade(capsys, tmp_path, ANSWERS.changed(" ip access-group 101 in\n", ""))
    assert status == 1
    heading = "FAIL 2. telnet from the Internet to the mail server is dropped (task 1)"
    labels, block = kit.failure_block(text, heading)
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "192.0.2.7" in block and "port 23" in block
    assert "no access list on the path" in block
    assert "hint: Keep access list 101 applied inbound on Ethernet2/0, permitting SMTP" in block

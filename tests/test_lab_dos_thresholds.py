"""The dos-thresholds lab against the answers a learner plausibly gets wrong, graded as a user
grades them (`iosfw lab check dos-thresholds --config FILE`): each fails the check it should,
and the failure names the flood that was tried and what the router did with it."""
from __future__ import annotations

import kit
import pytest

LAB = "dos-thresholds"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
SOLUTION = ANSWERS.solution
ALARM, BURST, BLOCK = (3, "a slow flood of 70 SYN at 1/s raises %FW-4-ALERT_ON"), \
    (4, "an ordinary burst of 30 mails in 3 s raises no alarm"), \
    (5, "a fast flood of 100 SYN at 100/s blocks the mail server's new connections for 5 "
     "minutes")


def test_the_solution_passes_and_the_start_fails_the_three_tasks(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, SOLUTION, "--json")
    assert status == 0 and card["passed"]
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.start, "--json")
    assert status == 1
    assert sorted(c["task"] for c in card["checks"] if not c["passed"]) == [1, 2, 3]


def test_a_per_host_limit_without_block_time_only_trims_the_oldest(capsys, tmp_path):
    """block-time 0: the router deletes the oldest half-open session to the server for each
    new SYN, blocks nothing, and the flood's rate sets the router-wide alarm off instead."""
    answer = ANSWERS.changed("ip inspect tcp max-incomplete host 40 block-time 5\n",
                             "ip inspect tcp max-incomplete host 40 block-time 0\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card, titled=True)
    assert list(failed) == [BLOCK]
    check = failed[BLOCK]
    assert check["tried"] == ("a flood of 100 SYN at 100/s from attacker (203.0.113.99) to "
                              "mail-server (172.22.1.110) port 25")
    assert check["happened"] == "%FW-4-ALERT_ON, no host blocked"
    # the flood went through the path: what decided is the thresholds, which it names
    assert check["where"] == ("thresholds in force: max-incomplete high 200 low 150, "
                              "one-minute high 50 low 30, tcp max-incomplete host 40 "
                              "block-time 0")
    assert any("HOST_TCP_ALERT_ON" in line and "(40)" in line for line in check["log"])


def test_one_minute_marks_too_low_take_a_burst_of_mail_for_an_attack(capsys, tmp_path):
    """one-minute high 20: an ordinary burst trips the alarm, and the fast flood trips it
    before the per-host limit, whose count aggressive mode then keeps under 40."""
    answer = ANSWERS.changed("ip inspect one-minute low 30\nip inspect one-minute high 50\n",
                             "ip inspect one-minute low 10\nip inspect one-minute high 20\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card, titled=True)
    assert list(failed) == [BURST, BLOCK]
    assert failed[BURST]["tried"] == ("a flood of 30 SYN at 10/s from internet-client "
                                      "(192.0.2.7) to mail-server (172.22.1.110) port 25")
    assert failed[BURST]["expected"] == "no %FW-4-ALERT_ON"
    assert failed[BURST]["happened"] == "%FW-4-ALERT_ON"
    assert any("%FW-4-ALERT_ON" in line and line.endswith("current 1-min rate: 21")
               for line in failed[BURST]["log"])
    assert failed[BLOCK]["happened"] == "%FW-4-ALERT_ON, no host blocked"


def test_denying_the_attacker_in_the_access_list_hides_the_floods_from_inspection(
        capsys, tmp_path):
    answer = ANSWERS.changed("access-list 101 permit tcp any host 172.22.1.110 eq smtp\n",
                             "access-list 101 deny ip host 203.0.113.99 any\n"
                             "access-list 101 permit tcp any host 172.22.1.110 eq smtp\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card, titled=True)
    assert list(failed) == [ALARM, BLOCK]
    for check in failed.values():
        assert "from attacker (203.0.113.99) to mail-server (172.22.1.110) port 25" in \
            check["tried"]
        assert check["happened"].startswith("the flood never reaches inspection: the SYN "
                                            "(tcp 203.0.113.99:40001 -> 172.22.1.110:25 S) "
                                            "was dropped on Ethernet2/0 by its inbound access "
                                            "list 101")
        assert check["where"].startswith("step 1: inbound access list 101: denied by")
        assert "deny ip host 203.0.113.99 any" in check["where"]


def test_the_scorecard_shows_the_failed_flood(capsys, tmp_path):
    answer = ANSWERS.changed("access-list 101 permit tcp any host 172.22.1.110 eq smtp\n",
                             "access-list 101 deny ip host 203.0.113.99 any\n"
                             "access-list 101 permit tcp any host 172.22.1.110 eq smtp\n")
    status, text = ANSWERS.grade(capsys, tmp_path, answer)
    assert status == 1
    heading = "FAIL 3. a slow flood of 70 SYN at 1/s raises %FW-4-ALERT_ON (task 2)"
    labels, block = kit.failure_block(text, heading)
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "203.0.113.99" in block and "inbound access list 101" in block
    assert "one-minute high 50" in block

"""The esmtp-inspection lab against the answers a learner plausibly gets wrong, graded as a user
grades them (`iosfw lab check esmtp-inspection --config FILE`): each fails the checks it
should, and the failure names the SMTP exchange that was tried and the inspection step that
masked (or failed to mask) a command."""
from __future__ import annotations

import kit
import pytest

LAB = "esmtp-inspection"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
SOLUTION = ANSWERS.solution
ESMTP = "ip inspect name OUT-IN esmtp max-data 5000\n"
RULE, SESSION, EHLO, HELO, AUTH, ILLEGAL = 1, 2, 3, 4, 5, 6
BIG_SIZE, SMALL_SIZE, BIG_BODY, NEAR_LIMIT = 7, 8, 9, 10
CLIENT = "SMTP from internet-client (192.0.2.7) to mail-server (172.22.1.110): "


def test_the_start_fails_both_tasks_and_the_solution_refuses_the_big_size(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.start, "--json")
    assert status == 1
    assert sorted(kit.failed_checks(card)) == [RULE, SESSION, EHLO, AUTH, BIG_SIZE, SMALL_SIZE,
                                               BIG_BODY]
    status, card = ANSWERS.grade(capsys, tmp_path, SOLUTION, "--json")
    assert status == 0
    big = card["checks"][BIG_SIZE - 1]
    assert any("%FW-3-SMTP_UNSUPPORTED_PARAMETER" in line and "(SIZE=900000)" in line
               for line in big["log"])


def test_adding_esmtp_beside_smtp_is_refused_and_ehlo_stays_masked(capsys, tmp_path):
    """The router keeps the rule's smtp line and refuses the esmtp one: nothing changes."""
    answer = ANSWERS.changed(ESMTP, "ip inspect name OUT-IN smtp\n" + ESMTP)
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    assert "smtp and esmtp inspection cannot be configured simultaneously" in \
        card["load_errors"][0]
    failed = kit.failed_checks(card)
    assert sorted(failed) == [RULE, SESSION, EHLO, AUTH, BIG_SIZE, SMALL_SIZE, BIG_BODY]
    assert failed[RULE]["happened"] == "rule OUT-IN on Ethernet2/0 in inspects smtp, not esmtp"
    ehlo = failed[EHLO]
    assert ehlo["tried"].startswith(CLIENT + "EHLO client.example.org")
    assert ehlo["happened"].startswith("'EHLO client.example.org' reached the server as "
                                       '"xxxxxxxxxxxxxxxxxxxxxxx\\r\\n"')
    assert ehlo["happened"].endswith("the client got the replies 500 503 221")
    assert ehlo["where"] == ("step 4: smtp inspection: 25 bytes in, 25 forwarded (a command "
                             "masked with x)")
    assert any("%FW-4-SMTP_INVALID_COMMAND" in line for line in ehlo["log"])


def test_esmtp_without_max_data_lets_the_big_message_in(capsys, tmp_path):
    answer = ANSWERS.changed(ESMTP, "ip inspect name OUT-IN esmtp\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [BIG_SIZE, BIG_BODY]
    big = failed[BIG_SIZE]
    assert big["tried"] == CLIENT + ("EHLO client.example.org | MAIL FROM:<alice@example.org> "
                                     "SIZE=900000 | QUIT")
    assert big["happened"].startswith("'MAIL FROM:<alice@example.org> SIZE=900000' reached "
                                      "the server as")
    assert "not masked; the client got the replies 250 250 221" in big["happened"]
    assert big["where"] == "step 4: esmtp inspection: 43 bytes in, 43 forwarded"
    assert failed[BIG_BODY]["happened"] == "the router did not reset the session"


def test_a_max_data_far_too_small_refuses_ordinary_mail(capsys, tmp_path):
    answer = ANSWERS.changed(ESMTP, "ip inspect name OUT-IN esmtp max-data 500\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [HELO, SMALL_SIZE, NEAR_LIMIT]
    small = failed[SMALL_SIZE]
    assert "MAIL FROM:<alice@example.org> SIZE=1200" in small["tried"]
    assert small["where"].startswith("step 4: esmtp inspection:")
    assert small["where"].endswith("(a command masked with x)")
    assert "%FW-3-SMTP_UNSUPPORTED_PARAMETER" in small["log"][0]
    assert failed[NEAR_LIMIT]["happened"].endswith("the router reset the session")


def test_removing_smtp_without_adding_esmtp_leaves_mail_uninspected(capsys, tmp_path):
    answer = ANSWERS.changed(ESMTP, "")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [RULE, SESSION, ILLEGAL, BIG_SIZE, BIG_BODY]
    assert failed[RULE]["happened"] == "Ethernet2/0 applies rule OUT-IN, which is not defined"
    illegal = failed[ILLEGAL]
    assert illegal["tried"] == CLIENT + "HELO client.example.org | EXPN staff | QUIT"
    assert illegal["happened"].startswith("'EXPN staff' reached the server as "
                                          '"EXPN staff\\r\\n", not masked')
    assert illegal["where"] == "no SMTP inspection on the path: no rule inspects this connection"
    assert failed[SESSION]["where"].startswith("no inspection step on the path")


def test_the_scorecard_shows_the_unmasked_size(capsys, tmp_path):
    status, text = ANSWERS.grade(capsys, tmp_path,
                                 ANSWERS.changed(ESMTP, "ip inspect name OUT-IN esmtp\n"))
    assert status == 1
    heading = (f"FAIL {BIG_SIZE}. a message declared larger than 5000 bytes is refused at MAIL "
               "(task 2)")
    labels, block = kit.failure_block(text, heading)
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "192.0.2.7" in block and "SIZE=900000" in block
    assert "where: step 4: esmtp inspection: 43 bytes in" in block and "max-data 5000" in block

"""The outbound-cbac lab against the answers a learner plausibly gets wrong, graded as a user
grades them (`iosfw lab check outbound-cbac --config FILE`): each fails the checks it should,
and the failure names the connection that was tried and the step of the router's path that
dropped it, or what became of the idle session."""
from __future__ import annotations

import kit
import pytest

LAB = "outbound-cbac"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
SOLUTION = ANSWERS.solution
IDLE = "ip inspect tcp idle-time 1800\n"
WEB_IN, UDP_IN, TELNET_IN, MAIL = 1, 2, 3, 4
BROWSE, DNS, SSH = 5, 6, 7
WEB_KEPT, WEB_GONE, SSH_GONE = 8, 9, 10
DENIED = "step 1: inbound access list 101: denied by the implicit deny at its end"


def test_the_start_fails_every_task_and_the_default_idle_time_fails_the_timeouts(
        capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.start, "--json")
    assert status == 1
    assert sorted(kit.failed_checks(card)) == [WEB_IN, UDP_IN, TELNET_IN, BROWSE, DNS, SSH,
                                               WEB_KEPT, WEB_GONE, SSH_GONE]
    assert kit.failed_checks(card)[WEB_IN]["happened"] == (
        "it opened: tcp 192.0.2.7:40001 -> 172.22.1.111:80 S forwarded Ethernet2/0 -> "
        "Ethernet2/1")
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.changed(IDLE, ""), "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [WEB_GONE, SSH_GONE]
    assert failed[WEB_GONE]["happened"] == \
        "the http session is still in the table (it expires after 3600 s idle)"


def test_the_rule_applied_out_on_the_inside_sees_only_what_the_list_already_dropped(
        capsys, tmp_path):
    answer = ANSWERS.changed(" ip inspect IN-OUT in\n", " ip inspect IN-OUT out\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [BROWSE, DNS, SSH, WEB_KEPT, WEB_GONE, SSH_GONE]
    browse = failed[BROWSE]
    assert browse["tried"] == "tcp from inside-pc (10.10.10.5) to web-server (198.51.100.80) " \
                              "port 80"
    assert browse["happened"] == ("the SYN-ACK (tcp 198.51.100.80:80 -> 172.22.1.111:40001 SA) "
                                  "was dropped on Ethernet2/0 by its inbound access list 101")
    assert browse["where"] == DENIED
    assert failed[DNS]["tried"] == ("udp from inside-pc (10.10.10.5) to dns-server "
                                    "(198.51.100.53) port 53")
    assert failed[DNS]["happened"].startswith("the answer (udp 198.51.100.53:53 -> ")
    assert failed[DNS]["where"] == DENIED


def test_a_rule_without_udp_loses_the_dns_answers(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path,
                                 ANSWERS.changed("ip inspect name IN-OUT udp\n", ""),
                                 "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert list(failed) == [DNS]
    assert failed[DNS]["where"] == DENIED


def test_thirty_typed_as_minutes_is_thirty_seconds(capsys, tmp_path):
    answer = ANSWERS.changed(IDLE, "ip inspect tcp idle-time 30\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert list(failed) == [WEB_KEPT]
    assert failed[WEB_KEPT]["tried"] == ("tcp from inside-pc (10.10.10.5) to web-server "
                                         "(198.51.100.80) port 80, then 1680 s without a packet")
    assert failed[WEB_KEPT]["happened"] == "the http session is gone"


def test_a_timeout_on_the_http_line_leaves_other_tcp_sessions_at_an_hour(capsys, tmp_path):
    answer = ANSWERS.changed("ip inspect name IN-OUT http\n",
                             "ip inspect name IN-OUT http timeout 1800\n",
                             ANSWERS.changed(IDLE, ""))
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert list(failed) == [SSH_GONE]
    assert "to ssh-server (198.51.100.22) port 22" in failed[SSH_GONE]["tried"]
    assert failed[SSH_GONE]["happened"] == \
        "the tcp session is still in the table (it expires after 3600 s idle)"


def test_the_list_applied_outbound_filters_the_users_instead(capsys, tmp_path):
    answer = ANSWERS.changed(" ip access-group 101 in\n", " ip access-group 101 out\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [WEB_IN, UDP_IN, TELNET_IN, BROWSE, DNS, SSH, WEB_KEPT, WEB_GONE,
                              SSH_GONE]
    assert failed[WEB_IN]["where"].startswith("step 3: outbound access list 101: denied")
    assert failed[BROWSE]["where"].startswith("step 3: outbound access list 101: denied")
    assert failed[BROWSE]["happened"].startswith("the SYN (tcp 10.10.10.5:40001 -> "
                                                 "198.51.100.80:80 S) was dropped")


def test_the_rule_applied_out_on_the_outside_is_an_answer_too(capsys, tmp_path):
    """The users' first packets leave through Ethernet2/0 as well: inspected there on the way
    out, their sessions open the way back just the same."""
    answer = ANSWERS.changed(" ip inspect IN-OUT in\n", "")
    answer = ANSWERS.changed(" ip inspect OUT-IN in\n",
                             " ip inspect OUT-IN in\n ip inspect IN-OUT out\n",
                             answer)
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 0 and card["passed"]


def test_the_scorecard_shows_the_dropped_answer(capsys, tmp_path):
    answer = ANSWERS.changed(" ip inspect IN-OUT in\n", " ip inspect IN-OUT out\n")
    status, text = ANSWERS.grade(capsys, tmp_path, answer)
    assert status == 1
    heading = f"FAIL {BROWSE}. the PC browses the web, on an http session (task 2)"
    labels, block = kit.failure_block(text, heading)
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "10.10.10.5" in block and "198.51.100.80" in block
    assert "where: step 1: inbound access list 101" in block
    assert "without a session made by a rule on the way out" in block

"""The static-nat lab against the answers a learner plausibly gets wrong, graded as a user
grades them (`iosfw lab check static-nat --config FILE`): each fails the checks it should, and
the failure names the connection that was tried and the step of the router's path that
decided it (the inbound access list, which sees the global address; or NAT outside->inside)."""
from __future__ import annotations

import kit
import pytest

from iosfw.cli.main import main

LAB = "static-nat"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
SOLUTION = ANSWERS.solution
PERMIT = "access-list 101 permit tcp any host 172.22.1.112 eq www\n"
NAT = "ip nat inside source static 10.10.10.3 172.22.1.112\n"
WEB, TELNET, HTTPS, DIRECT, MAIL, MASKED, SESSION, FLOOD = range(1, 9)
WEB_TRIED = "tcp from internet-client (192.0.2.7) to web-server (172.22.1.112) port 80"


def test_the_start_fails_both_tasks(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.start, "--json")
    assert status == 1
    assert sorted(kit.failed_checks(card)) == [WEB, SESSION, FLOOD]


def test_a_list_naming_the_inside_address_lets_nothing_in_but_direct_packets(
        capsys, tmp_path):
    """The classic mistake: the inbound list is read before NAT, so it never sees 10.10.10.3
    on the way to the server, and lets in anyone who sends to 10.10.10.3 untranslated."""
    answer = ANSWERS.changed(PERMIT, "access-list 101 permit tcp any host 10.10.10.3 eq www\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [WEB, DIRECT, SESSION, FLOOD]
    web = failed[WEB]
    assert web["tried"] == WEB_TRIED
    assert web["happened"] == ("the SYN (tcp 192.0.2.7:40001 -> 172.22.1.112:80 S) was dropped "
                               "on Ethernet2/0 by its inbound access list 101")
    assert web["where"] == "step 1: inbound access list 101: denied by the implicit deny at " \
                           "its end"
    direct = failed[DIRECT]
    assert direct["tried"] == "tcp from internet-client (192.0.2.7) to web-server (10.10.10.3) " \
                              "port 80"
    assert direct["where"] == ('step 1: inbound access list 101: permitted by "20 permit tcp '
                               'any host 10.10.10.3 eq www (1 match)"')
    assert main(["lint", str(tmp_path / "answer.cfg")]) == 1
    assert "acl-names-inside-local" in capsys.readouterr().out


def test_a_permit_without_the_translation_sends_the_web_back_out(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path, ANSWERS.changed(NAT, ""), "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [WEB, SESSION]
    web = failed[WEB]
    assert web["tried"] == WEB_TRIED
    assert web["happened"] == ("it opened, but with 172.22.1.112 out of Ethernet2/0, not with "
                               "web-server (10.10.10.3)")
    assert web["where"] == "step 2: NAT outside->inside: no translation for the destination"


def test_a_permit_without_a_port_opens_every_tcp_port(capsys, tmp_path):
    answer = ANSWERS.changed(PERMIT, "access-list 101 permit tcp any host 172.22.1.112\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [TELNET, HTTPS]
    assert failed[HTTPS]["tried"] == WEB_TRIED.replace("port 80", "port 443")
    assert failed[HTTPS]["where"] == ('step 1: inbound access list 101: permitted by "20 permit '
                                      'tcp any host 172.22.1.112 (1 match)"')


def test_a_new_list_for_the_web_server_shuts_out_the_mail(capsys, tmp_path):
    answer = ANSWERS.changed(" ip access-group 101 in\n", " ip access-group 102 in\n",
                             ANSWERS.changed(PERMIT, PERMIT.replace("101", "102")))
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [MAIL, MASKED]
    assert failed[MAIL]["tried"] == ("tcp from internet-client (192.0.2.7) to mail-server "
                                     "(172.22.1.110) port 25")
    assert failed[MAIL]["where"] == "step 1: inbound access list 102: denied by the implicit " \
                                    "deny at its end"


def test_without_http_in_the_rule_the_web_is_not_inspected(capsys, tmp_path):
    status, card = ANSWERS.grade(capsys, tmp_path,
                                 ANSWERS.changed("ip inspect name OUT-IN http\n", ""),
                                 "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [SESSION, FLOOD]
    assert failed[SESSION]["happened"] == "it opened, but the session table holds no session " \
                                          "for it"
    assert failed[SESSION]["where"].startswith("no inspection step on the path of the first "
                                               "packet (Ethernet2/0 -> Ethernet2/1)")
    assert failed[FLOOD]["happened"] == "no %FW-4-ALERT_ON"


def test_a_static_translation_of_port_80_only_is_an_answer_too(capsys, tmp_path):
    answer = ANSWERS.changed(NAT, "ip nat inside source static tcp 10.10.10.3 80 172.22.1.112 80\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 0 and card["passed"]


def test_the_scorecard_points_at_the_inbound_list(capsys, tmp_path):
    answer = ANSWERS.changed(PERMIT, "access-list 101 permit tcp any host 10.10.10.3 eq www\n")
    status, text = ANSWERS.grade(capsys, tmp_path, answer)
    assert status == 1
    heading = f"FAIL {WEB}. web traffic to 172.22.1.112 opens and reaches 10.10.10.3 (task 1)"
    labels, block = kit.failure_block(text, heading)
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "192.0.2.7" in block and "172.22.1.112" in block
    assert "where: step 1: inbound access list 101: denied" in block
    assert "checked before NAT" in block

"""The smtp-inspection lab (the seed document's exercise) against the answers a learner
plausibly gets wrong, graded as a user grades them (`iosfw lab check smtp-inspection --config
FILE`): each fails the check it should, and the failure names the connection tried and the
step of the router's path that decided it."""
from __future__ import annotations

import kit
import pytest

LAB = "smtp-inspection"
ANSWERS = kit.LabAnswers(LAB)
pytestmark = pytest.mark.usefixtures("data_home")
MAIL, TELNET, PC, BROWSE, RULE, SESSION, MASKED = range(1, 8)
PERMIT = "access-list 101 permit tcp any host 172.22.1.110 eq smtp\n"
APPLIED = " ip access-group 101 in\n ip nat outside\n ip inspect OUT-IN in\n"
MAIL_TRIED = "tcp from internet-client (192.0.2.7) to mail-server (172.22.1.110) port 25"


def test_the_solution_is_the_seed_routers_configuration():
    from iosfw.cli.startup import builtin_text

    assert ANSWERS.solution == builtin_text()


def test_a_list_naming_the_inside_address_drops_the_mail(capsys, tmp_path):
    """The list is checked before NAT outside->inside: it sees 172.22.1.110, not 10.10.10.2."""
    answer = ANSWERS.changed(PERMIT, "access-list 101 permit tcp any host 10.10.10.2 eq smtp\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [MAIL, SESSION, MASKED]
    assert failed[MAIL]["tried"] == MAIL_TRIED
    assert failed[MAIL]["happened"] == (
        "the SYN (tcp 192.0.2.7:40001 -> 172.22.1.110:25 S) was dropped on Ethernet2/0 by its "
        "inbound access list 101")
    assert failed[MAIL]["where"] == \
        "step 1: inbound access list 101: denied by the implicit deny at its end"


def test_a_list_permitting_all_tcp_lets_telnet_in(capsys, tmp_path):
    answer = ANSWERS.changed(PERMIT, "access-list 101 permit tcp any host 172.22.1.110\n")
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [TELNET]
    assert failed[TELNET]["tried"] == MAIL_TRIED.replace("port 25", "port 23")
    assert failed[TELNET]["where"] == ('step 1: inbound access list 101: permitted by "10 permit '
                                       'tcp any host 172.22.1.110 (1 match)"')


def test_the_rule_applied_in_on_the_inside_never_sees_the_mail(capsys, tmp_path):
    """`ip inspect OUT-IN in` moved to Ethernet2/1 (in place of IN-OUT): mail enters by
    Ethernet2/0, so it is not inspected and the illegal command reaches the server as sent;
    the users' browsing loses its inspection too."""
    answer = ANSWERS.changed(APPLIED, " ip access-group 101 in\n ip nat outside\n")
    answer = ANSWERS.changed(" ip inspect IN-OUT in\n", " ip inspect OUT-IN in\n", answer)
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [BROWSE, RULE, SESSION, MASKED]
    assert failed[MASKED]["happened"].startswith(
        "'EXPN staff' reached the server as \"EXPN staff\\r\\n\", not masked")
    assert failed[MASKED]["where"] == \
        "no SMTP inspection on the path: no rule inspects this connection"
    assert failed[BROWSE]["where"] == \
        "step 1: inbound access list 101: denied by the implicit deny at its end"


def test_the_rule_applied_out_on_the_inside_works_but_is_not_where_the_task_says(
        capsys, tmp_path):
    """`ip inspect OUT-IN out` on Ethernet2/1 sees the mail's first packet too (it leaves by
    Ethernet2/1): the traffic checks pass, only the check of where the rule goes fails."""
    answer = ANSWERS.changed(APPLIED, " ip access-group 101 in\n ip nat outside\n")
    answer = ANSWERS.changed(" ip inspect IN-OUT in\n",
                             " ip inspect IN-OUT in\n ip inspect OUT-IN out\n", answer)
    status, card = ANSWERS.grade(capsys, tmp_path, answer, "--json")
    assert status == 1
    failed = kit.failed_checks(card)
    assert sorted(failed) == [RULE]
    assert failed[RULE]["happened"] == "Ethernet2/0 applies no inspection rule inbound"


def test_the_scorecard_shows_what_to_fix(capsys, tmp_path):
    answer = ANSWERS.changed(APPLIED, " ip nat outside\n ip inspect OUT-IN in\n")
    status, text = ANSWERS.grade(capsys, tmp_path, answer)
    assert status == 1
    labels, block = kit.failure_block(
        text, "FAIL 2. telnet from the Internet to the mail server is dropped (task 2)")
    assert labels == ["tried", "expected", "happened", "where", "path", "hint"]
    assert "where: no access list on the path: nothing filters it in on Ethernet2/0" in block
    assert "hint: Permit only SMTP (tcp port 25) to 172.22.1.110" in block

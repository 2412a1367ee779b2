"""`iosfw lint`: each classic CBAC and ACL mistake reported at its line with why it matters, and
nothing on a configuration without them (the seed's)."""
from __future__ import annotations

import json

import kit
import pytest

from iosfw.commands.loader import read_config_file
from iosfw.lint import lint

# the seed's network: Ethernet2/0 outside (172.22.1.16/24), Ethernet2/1 inside (10.10.10.1/24)
OUTSIDE = ("interface Ethernet2/0\n ip address 172.22.1.16 255.255.255.0\n ip nat outside\n")
INSIDE = ("interface Ethernet2/1\n ip address 10.10.10.1 255.255.255.0\n ip nat inside\n")


def findings(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint(kit.load(text, "lab.cfg"), "lab.cfg")]


def test_the_seed_configuration_has_no_finding():
    assert lint(kit.load(kit.seed_text(), "seed"), "seed") == []


def test_an_inspection_rule_applied_nowhere():
    text = "ip inspect name IN-OUT tcp\nip inspect name IN-OUT udp\n" + INSIDE
    assert findings(text) == [(1, "unapplied-rule")]


def test_a_list_no_line_defines_permits_everything():
    found = lint(kit.load(OUTSIDE + " ip access-group 150 in\n", "lab.cfg"), "lab.cfg")
    assert [(f.line, f.column, f.code) for f in found] == [(4, 17, "undefined-list")]
    assert "permits everything" in found[0].why
    assert found[0].format().startswith("lab.cfg:4:18: undefined-list: access list 150 is not "
                                        "defined\n    ip access-group 150 in\n    why: ")


def test_a_name_typed_two_ways_points_at_the_one_defined():
    text = "ip inspect name OUT-IN smtp\n" + OUTSIDE + " ip inspect OUT_IN in\n"
    found = lint(kit.load(text, "lab.cfg"), "lab.cfg")
    assert [(f.line, f.code) for f in found] == [(1, "unapplied-rule"),
                                                  (5, "name-typed-two-ways")]
    assert "OUT-IN is (line 1)" in found[1].message


def test_an_outside_inbound_list_naming_the_inside_local_address():
    text = (OUTSIDE + " ip access-group 101 in\n" + INSIDE +
            "ip nat inside source static 10.10.10.2 172.22.1.110\n"
            "access-list 101 permit tcp any host 10.10.10.2 eq smtp\n")
    found = lint(kit.load(text, "lab.cfg"), "lab.cfg")
    assert [(f.line, f.code) for f in found] == [(9, "acl-names-inside-local")]  # the entry
    assert found[0].text == "access-list 101 permit tcp any host 10.10.10.2 eq smtp"
    assert "172.22.1.110" in found[0].why and "10.10.10.2" in found[0].message
    fixed = text.replace("host 10.10.10.2 eq", "host 172.22.1.110 eq")
    assert findings(fixed) == []


def test_a_named_list_naming_the_inside_local_address_is_reported_where_it_is_applied():
    """The entries of a named list are written in its sub-mode: the finding names the line
    that applies the list."""
    text = (OUTSIDE + " ip access-group OUTSIDE-IN in\n" + INSIDE +
            "ip nat inside source static 10.10.10.2 172.22.1.110\n"
            "ip access-list extended OUTSIDE-IN\n permit tcp any host 10.10.10.2 eq smtp\n")
    assert findings(text) == [(4, "acl-names-inside-local")]


def test_inspection_outbound_without_a_list_that_blocks_what_comes_back():
    text = "ip inspect name IN-OUT tcp\n" + OUTSIDE + " ip inspect IN-OUT out\n"
    assert findings(text) == [(5, "no-blocking-acl")]
    blocked = text + " ip access-group 101 in\naccess-list 101 deny ip any any\n"
    assert findings(blocked) == []


def test_a_rule_applied_out_on_two_open_interfaces_is_reported_once_at_each_line():
    text = ("ip inspect name IN-OUT tcp\n" + OUTSIDE + " ip inspect IN-OUT out\n"
            "interface Serial2/0\n ip address 172.23.1.1 255.255.255.0\n ip inspect IN-OUT out\n")
    found = lint(kit.load(text, "lab.cfg"), "lab.cfg")
    assert [(f.line, f.code) for f in found] == [(5, "no-blocking-acl"), (8, "no-blocking-acl")]
    assert "leaving Ethernet2/0" in found[0].message and "leaving Serial2/0" in found[1].message


def test_smtp_and_esmtp_in_one_rule():
    text = ("ip inspect name OUT-IN smtp\nip inspect name OUT-IN esmtp\n" + OUTSIDE +
            " ip inspect OUT-IN in\n")
    assert findings(text) == [(2, "smtp-and-esmtp")]


def test_thresholds_with_low_above_high():
    text = "ip inspect max-incomplete high 300\nip inspect max-incomplete low 350\n"
    found = lint(kit.load(text, "lab.cfg"), "lab.cfg")
    assert [(f.line, f.code) for f in found] == [(2, "thresholds-reversed")]
    assert found[0].message == "ip inspect max-incomplete low 350 is above high 300"


WEB_RULE = "ip inspect name IN-OUT http\nip inspect name IN-OUT udp\nip inspect name IN-OUT icmp\n"
MAIL_ONLY = "access-list 101 permit tcp any host 172.22.1.110 eq smtp\n"


def test_a_rule_applied_in_behind_a_list_that_lets_none_of_its_connections_start():
    """Inside users' rule applied inbound on the outside, where list 101 lets in only mail:
    nothing it inspects ever starts there."""
    text = WEB_RULE + OUTSIDE + " ip access-group 101 in\n ip inspect IN-OUT in\n" + MAIL_ONLY
    found = lint(kit.load(text, "lab.cfg"), "lab.cfg")
    assert [(f.line, f.column, f.code) for f in found] == [(8, 12, "wrong-direction")]
    assert found[0].message == ("inspection rule IN-OUT, applied in on Ethernet2/0, sees no "
                                "first packet: its inbound access list 101 permits none of "
                                "http, udp, icmp")
    assert found[0].text == " ip inspect IN-OUT in"
    assert "inbound access list before inspection" in found[0].why
    assert "`out` on Ethernet2/0 or `in` on the interface they enter by" in found[0].why


@pytest.mark.parametrize("rule, entry", [
    ("ip inspect name R tcp", "permit tcp any any eq smtp"),       # tcp takes port 25 too
    ("ip inspect name R smtp", "permit tcp any host 172.22.1.110 eq smtp"),   # the seed's
    ("ip inspect name R http", "permit ip any any"),
    ("ip inspect name R http", "permit tcp any any range 79 81"),
    ("ip inspect name R http", "permit tcp any any neq smtp"),
    ("ip inspect name R udp", "permit udp any any eq domain"),
    ("ip inspect name R icmp", "permit icmp any any echo"),
    ("ip inspect name R rtsp", "permit tcp any any eq 554"),
    ("ip inspect name R fragment maximum 256 timeout 1", "deny ip any any"),  # not known here
])
def test_no_finding_when_an_entry_could_let_a_connection_start(rule, entry):
    text = f"{rule}\n{OUTSIDE} ip access-group 120 in\n ip inspect R in\naccess-list 120 {entry}\n"
    assert findings(text) == []


@pytest.mark.parametrize("rule, entry", [
    ("ip inspect name R http", "permit tcp any any eq smtp"),
    ("ip inspect name R http", "permit tcp any any established"),   # a SYN has no ACK
    ("ip inspect name R http", "permit tcp any any lt 80"),
    ("ip inspect name R http", "permit udp any any eq 80"),
    ("ip inspect name R udp", "permit tcp any any"),
    ("ip inspect name R icmp", "permit icmp any any echo-reply"),
    ("ip inspect name R http", "deny tcp any any eq www"),
])
def test_a_finding_when_no_entry_can(rule, entry):
    text = f"{rule}\n{OUTSIDE} ip access-group 120 in\n ip inspect R in\naccess-list 120 {entry}\n"
    assert findings(text) == [(6, "wrong-direction")]


def test_a_rule_applied_out_behind_an_outbound_list():
    text = (WEB_RULE + INSIDE + " ip access-group 130 out\n ip inspect IN-OUT out\n"
            "access-list 130 permit tcp any host 10.10.10.2 eq smtp\n")
    found = [f for f in lint(kit.load(text, "lab.cfg"), "lab.cfg")
             if f.code != "no-blocking-acl"]      # Ethernet2/1 has no inbound list either
    assert [(f.line, f.column, f.code) for f in found] == [(8, 12, "wrong-direction")]
    assert "applied out on Ethernet2/1" in found[0].message
    assert "outbound access list 130" in found[0].message
    assert "`in` on Ethernet2/1 or `out` on the interface they leave by" in found[0].why


def test_the_line_is_the_one_that_applied_the_rule_on_that_interface():
    """One rule applied in on two interfaces, only one of them behind a list that stops it:
    the finding is at that interface's line."""
    text = (WEB_RULE + OUTSIDE + " ip access-group 101 in\n ip inspect IN-OUT in\n" +
            INSIDE + " ip inspect IN-OUT in\n" + MAIL_ONLY)
    assert findings(text) == [(8, "wrong-direction")]


def test_ports_are_not_trusted_when_a_static_translation_changes_them():
    """The inbound list sees port 2525, inspection the port 25 it is translated to."""
    text = ("ip inspect name R smtp\n" + OUTSIDE + " ip access-group 120 in\n ip inspect R in\n"
            "ip nat inside source static tcp 10.10.10.2 25 172.22.1.110 2525\n"
            "access-list 120 permit tcp any host 172.22.1.110 eq 2525\n")
    assert findings(text) == []
    assert findings(text.replace("ip nat inside source static tcp 10.10.10.2 25 "
                                 "172.22.1.110 2525\n", "")) == [(6, "wrong-direction")]


def test_no_finding_for_the_example_configurations():
    """Neither the branch example nor the one made of other mistakes has this one."""
    for path in sorted((kit.ROOT / "examples" / "configs").glob("*.cfg")):
        text = read_config_file(path)
        assert [f for f in lint(kit.load(text, path.name), path.name)
                if f.code == "wrong-direction"] == [], path.name


def test_the_command_line_exit_status_and_json(iosfw, tmp_path):
    clean = iosfw("lint", str(kit.ROOT / "iosfw" / "data" / "3640-123.cfg"))
    assert clean.returncode == 0 and clean.stdout.endswith("0 findings in " +
                                                           str(kit.ROOT / "iosfw" / "data" /
                                                               "3640-123.cfg") + "\n")
    bad = tmp_path / "bad.cfg"
    bad.write_text(OUTSIDE + " ip access-group 150 in\n")
    proc = iosfw("lint", "--json", str(bad))
    assert proc.returncode == 1
    assert [(f["line"], f["code"]) for f in json.loads(proc.stdout)] == [(4, "undefined-list")]
    missing = iosfw("lint", str(tmp_path / "nowhere.cfg"))
    assert missing.returncode == 2 and missing.stderr.startswith("iosfw lint: ")


def _corpus_files() -> list:
    if not kit.CORPUS.is_dir():
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(p, id=p.name) for p in sorted(kit.CORPUS.iterdir())
            if p.is_file() and p.name != "README.md"]


@pytest.mark.parametrize("path", _corpus_files())
def test_on_real_configurations_every_finding_points_at_the_line_it_names(path):
    """Real configs written by others (../shared/corpus): each finding's line is the file's
    line with that number, and holds the name the finding is about."""
    if path is None:
        pytest.skip(f"../shared/corpus not present: {kit.CORPUS}")
    text = read_config_file(path)
    lines = text.splitlines()
    for finding in lint(kit.load(text, path.name), path.name):
        assert lines[finding.line - 1].strip() == finding.text.strip()
        named = finding.message.split()[2].rstrip(",;") if finding.code != "smtp-and-esmtp" \
            else "smtp"
        assert named in finding.text or finding.code == "thresholds-reversed", finding.format()

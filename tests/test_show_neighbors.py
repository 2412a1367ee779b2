"""`show cdp`, `show cdp neighbors [detail]`, `show ipv6 interface`: CDP on as IOS defaults it,
no neighbor (no simulated host speaks CDP), no IPv6 interface — what Ansible's ios_facts reads
to decide there are no neighbors and no IPv6 addresses."""
from __future__ import annotations

import json

import kit
from ntc_templates.parse import parse_output


def test_show_cdp_says_cdp_runs_with_the_default_timers():
    s = kit.session()
    assert kit.ok(s, "show cdp") == (
        "Global CDP information:\n"
        "\tSending CDP packets every 60 seconds\n"
        "\tSending a holdtime value of 180 seconds\n"
        "\tSending CDPv2 advertisements is  enabled\n")
    assert "CDP is not enabled" not in kit.ok(s, "show cdp")   # what ios_facts looks for


def test_the_neighbor_table_is_empty_and_parses():
    s = kit.session()
    table = kit.ok(s, "show cdp neighbors")
    assert table.splitlines()[-1].startswith("Device ID        Local Intrfce")
    assert parse_output(platform="cisco_ios", command="show cdp neighbors", data=table) == []
    assert kit.ok(s, "show cdp neighbors detail") == ""
    assert kit.ok(s, "sh cdp nei det") == ""


def test_no_interface_runs_ipv6():
    s = kit.session()
    assert kit.ok(s, "show ipv6 interface") == ""
    assert kit.ok(s, "show ipv6 interface Ethernet2/0") == ""


def test_json_facts():
    s = kit.session()
    s.as_json = True
    assert json.loads(kit.ok(s, "show cdp")) == {
        "enabled": True, "holdtime": 180, "neighbors": [], "timer": 60,
        "v2_advertisements": True}
    assert json.loads(kit.ok(s, "show cdp neighbors")) == []

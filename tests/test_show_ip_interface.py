"""`show ip interface [IF]`, `show arp` and `show hosts` (issue 14): the 12.3 layouts
(docs/formats.md), `--json`, and what ntc-templates' parsers read from them.

`show arp` rows are compared with rows of captured output; the seed router's outputs are
golden files built from the layouts and checked by eye against the captures."""
from __future__ import annotations

import json

import kit
from ntc_templates.parse import parse_output

from iosfw.show.arp import HEADER, ArpRow, row_text, rows

# rows of a captured `show arp` (ntc-templates' cisco_ios_show_arp.raw)
CAPTURED_ARP_HEADER = "Protocol  Address          Age (min)  Hardware Addr   Type   Interface"
CAPTURED_ARP_OWN = "Internet  10.100.88.1             -   c4f7.d564.b716  ARPA   Vlan10"
CAPTURED_ARP_LEARNED = "Internet  10.152.1.229            0   488f.5a5a.87ea  ARPA   Vlan1"

MAIL = "192.0.2.7 40001 172.22.1.110 25"        # an outside client to the inside mail server


def block(text: str, name: str) -> list[str]:
    """One interface's lines of `show ip interface`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(name + " is "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")),
               len(lines))
    return lines[start:end]


# ------------------------------------------------------------------ show ip interface
def test_the_seed_routers_outside_interface():
    s = kit.session(privileged=False)
    kit.assert_golden("show-ip-interface-Ethernet2-0.txt",
                      kit.ok(s, "show ip interface Ethernet2/0"))
    assert kit.ok(s, "sh ip int e2/0") == kit.ok(s, "show ip interface Ethernet2/0")


def test_without_an_argument_every_interface_in_the_routers_order():
    text = kit.ok(kit.session(), "show ip interface")
    kit.assert_golden("show-ip-interface.txt", text)
    heads = [line.split()[0] for line in text.splitlines() if not line.startswith(" ")]
    assert heads == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]


def test_what_the_seed_configures_shows_and_the_12_3_lines_are_in_order():
    outside = block(kit.ok(kit.session(), "show ip interface"), "Ethernet2/0")
    assert "  Inbound  access list is 101" in outside          # two spaces, as IOS prints it
    assert "  Outgoing access list is not set" in outside
    assert "  Network address translation is enabled, interface in domain outside" in outside
    assert outside[-4:] == ["  WCCP Redirect outbound is disabled",
                            "  WCCP Redirect inbound is disabled",
                            "  WCCP Redirect exclude is disabled",
                            "  BGP Policy Mapping is disabled"]
    inside = block(kit.ok(kit.session(), "show ip interface"), "Ethernet2/1")
    assert "  Internet address is 10.10.10.1/24" in inside
    assert "  Network address translation is enabled, interface in domain inside" in inside


def test_an_interface_without_an_address_has_no_ip_processing():
    assert kit.ok(kit.session(), "show ip interface Serial2/0") == (
        "Serial2/0 is administratively down, line protocol is down\n"
        "  Internet protocol processing disabled\n")
    s = kit.session(None, "interface Serial2/0", "no shutdown")
    assert kit.ok(s, "show ip interface Serial2/0").splitlines()[0] == \
        "Serial2/0 is up, line protocol is up"


def test_shutdown_keeps_the_block_and_says_administratively_down():
    s = kit.session(None, "interface Ethernet2/1", "shutdown")
    lines = kit.ok(s, "show ip interface Ethernet2/1").splitlines()
    assert lines[0] == "Ethernet2/1 is administratively down, line protocol is down"
    assert lines[1] == "  Internet address is 10.10.10.1/24"


def test_typed_addresses_secondaries_and_access_lists():
    s = kit.session(None, "ip access-list extended OUTBOUND", "permit ip any any",
                    "interface Ethernet2/1", "ip address 10.20.0.1 255.255.0.0 secondary",
                    "ip address 10.10.10.1 255.255.255.128", "ip access-group OUTBOUND out",
                    "no ip nat inside")
    lines = block(kit.ok(s, "show ip interface"), "Ethernet2/1")
    assert lines[1:4] == ["  Internet address is 10.10.10.1/25",
                          "  Broadcast address is 255.255.255.255",
                          "  Address determined by setup command"]
    secondary = lines.index("  Secondary address 10.20.0.1/16")
    assert lines[secondary - 1] == "  Directed broadcast forwarding is disabled"
    assert lines[secondary + 1] == "  Outgoing access list is OUTBOUND"
    assert "  Network address translation is disabled" in lines


def test_without_cef_the_fast_switching_lines():
    s = kit.session(None, "no ip cef")
    lines = block(kit.ok(s, "show ip interface"), "Ethernet2/0")
    assert not [line for line in lines if "CEF" in line]
    flags = lines.index("  IP route-cache flags are Fast")
    assert lines[flags - 3] == "  IP Fast switching turbo vector"


def test_loopbacks_and_negotiated_addresses():
    s = kit.session(None, "interface Loopback0", "ip address 192.0.2.1 255.255.255.255",
                    "interface Ethernet2/1", "ip address dhcp")
    loopback = kit.ok(s, "show ip interface Loopback0").splitlines()
    assert loopback[1] == "  Internet address is 192.0.2.1/32"
    assert "  MTU is 1514 bytes" in loopback
    dhcp = kit.ok(s, "show ip interface Ethernet2/1").splitlines()
    assert dhcp[1:3] == ["  Internet address will be negotiated using DHCP",
                         "  Broadcast address is 255.255.255.255"]
    assert not [line for line in dhcp if "Address determined" in line]


def test_an_interface_the_router_lacks_is_refused_under_its_number():
    s = kit.session()
    at = len(s.prompt())
    assert kit.caret(s, "show ip interface Ethernet3/0") == at + len("show ip interface Ethernet")
    assert kit.caret(s, "sh ip int lo7") == at + len("sh ip int lo")


def test_show_ip_interface_as_json():
    s = kit.session()
    s.as_json = True
    found = json.loads(kit.ok(s, "show ip interface"))
    outside, serial, inside = found
    assert outside == {
        "interface": "Ethernet2/0", "status": "up", "protocol": "up", "ip_enabled": True,
        "ip_address": "172.22.1.16", "prefix_length": 24, "negotiated_by": None,
        "address_method": "NVRAM", "secondary_addresses": [],
        "broadcast_address": "255.255.255.255", "mtu": 1500, "helper_addresses": [],
        "outgoing_access_list": None, "inbound_access_list": "101", "proxy_arp": True,
        "nat": "outside", "cef": True}
    assert serial == {"interface": "Serial2/0", "status": "administratively down",
                      "protocol": "down", "ip_enabled": False}
    assert inside["nat"] == "inside" and inside["inbound_access_list"] is None
    assert json.loads(kit.ok(s, "show ip interface e2/1")) == [inside]


def test_ntc_templates_parse_show_ip_interface():
    s = kit.session(None, "interface Ethernet2/1", "ip address 10.20.0.1 255.255.0.0 secondary")
    parsed = parse_output(platform="cisco_ios", command="show ip interface",
                          data=kit.ok(s, "show ip interface"))
    by_name = {row["interface"]: row for row in parsed}
    assert list(by_name) == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]
    outside = by_name["Ethernet2/0"]
    assert (outside["link_status"], outside["protocol_status"]) == ("up", "up")
    assert (outside["ip_address"], outside["prefix_length"]) == (["172.22.1.16"], ["24"])
    assert (outside["mtu"], outside["inbound_acl"], outside["outgoing_acl"]) == ("1500", "101", "")
    assert by_name["Serial2/0"]["link_status"] == "administratively down"
    assert by_name["Serial2/0"]["ip_address"] == []
    inside = by_name["Ethernet2/1"]
    assert (inside["ip_address"], inside["prefix_length"]) == (["10.10.10.1", "10.20.0.1"],
                                                               ["24", "16"])


# ------------------------------------------------------------------ show arp
def test_arp_rows_have_the_columns_of_captured_output():
    assert HEADER == CAPTURED_ARP_HEADER
    assert row_text(ArpRow(0x0A64_5801, None, 0xC4F7_D564_B716, "Vlan10")) == CAPTURED_ARP_OWN
    assert row_text(ArpRow(0x0A98_01E5, 0, 0x488F_5A5A_87EA, "Vlan1")) == CAPTURED_ARP_LEARNED


def test_the_seed_routers_arp_table_is_its_own_addresses():
    text = kit.ok(kit.session(privileged=False), "show arp")
    kit.assert_golden("show-arp.txt", text)
    table = [line.split() for line in text.splitlines()[1:]]
    assert [(r[1], r[2], r[-1]) for r in table] == [("10.10.10.1", "-", "Ethernet2/1"),
                                                   ("172.22.1.16", "-", "Ethernet2/0")]


def test_arp_learns_the_stations_traffic_came_from_and_ages_them():
    s = kit.session()
    kit.ok(s, f"simulate connect tcp {MAIL}")
    table = {line.split()[1]: line.split() for line in kit.ok(s, "show arp").splitlines()[1:]}
    assert set(table) == {"10.10.10.1", "10.10.10.2", "172.22.1.1", "172.22.1.16"}
    assert table["172.22.1.1"][2] == "0" and table["172.22.1.1"][-1] == "Ethernet2/0"
    assert table["10.10.10.2"][2] == "0" and table["10.10.10.2"][-1] == "Ethernet2/1"
    kit.ok(s, "simulate clock advance 150")
    aged = {line.split()[1]: line.split()[2] for line in kit.ok(s, "show arp").splitlines()[1:]}
    assert aged["172.22.1.1"] == "2" and aged["172.22.1.16"] == "-"


def test_show_arp_as_json_and_parsed_by_ntc_templates():
    s = kit.session()
    kit.ok(s, f"simulate connect tcp {MAIL}")
    text = kit.ok(s, "show arp")
    s.as_json = True
    found = json.loads(kit.ok(s, "show arp"))
    assert [f["address"] for f in found] == ["10.10.10.1", "10.10.10.2", "172.22.1.1",
                                             "172.22.1.16"]
    assert found[0]["age_min"] is None and found[2]["age_min"] == 0
    parsed = parse_output(platform="cisco_ios", command="show arp", data=text)
    assert [(p["address"], p["age_min"], p["hardware_address"], p["interface"])
            for p in parsed] == [(f["address"], "-" if f["age_min"] is None else
                                  str(f["age_min"]), f["mac"], f["interface"]) for f in found]


def test_a_shut_interface_a_serial_line_and_a_loopback_answer_no_arp():
    r = kit.router(kit.seed_with("interface Loopback0", " ip address 192.0.2.1 255.255.255.255",
                                 "interface Serial2/0", " ip address 192.0.2.5 255.255.255.252",
                                 " no shutdown", "interface Ethernet2/1", " shutdown"))
    assert [row.interface for row in rows(r, [], 0.0)] == ["Ethernet2/0"]


# ------------------------------------------------------------------ show hosts
def test_the_seed_routers_hosts():
    kit.assert_golden("show-hosts.txt", kit.ok(kit.session(privileged=False), "show hosts"))


def test_hosts_show_the_domain_the_servers_and_static_lookup():
    s = kit.session(None, "ip domain name example.net", "ip name-server 192.0.2.53 192.0.2.54",
                    "no ip domain lookup")
    assert kit.ok(s, "show hosts").splitlines()[:3] == [
        "Default domain is example.net",
        "Name/address lookup uses static mappings",
        "Name servers are 192.0.2.53, 192.0.2.54"]
    s.as_json = True
    assert json.loads(kit.ok(s, "show hosts")) == {
        "default_domain": "example.net", "lookup": "static mappings",
        "name_servers": ["192.0.2.53", "192.0.2.54"], "hosts": []}


def test_napalm_reads_the_domain_from_show_hosts():
    """napalm's get_facts takes the fqdn's domain from the `Default domain is` line."""
    s = kit.session(None, "ip domain name example.net")
    line = next(x for x in kit.ok(s, "show hosts").splitlines() if "Default domain" in x)
    assert line.split("Default domain is ")[1].strip() == "example.net"

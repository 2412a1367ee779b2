"""`show interfaces [IF]` and `show interfaces summary` on the seed router: the 12.3 layout
(golden files read against 12.3 captures of the same port hardware, docs/formats.md), the
counters the engine keeps per interface, the ARP table it learns, `--json`, and what
ntc-templates and napalm read from the text."""
from __future__ import annotations

import json
import re

import kit
import pytest
from kit import assert_golden, ok

from iosfw.config.names import interface_mac, ip_to_int
from iosfw.engine.packet import ACK, PSH, RST, SYN, Packet
from iosfw.engine.pipeline import FLOW_CACHE, station_mac

CLIENT, MAIL_GLOBAL = ip_to_int("192.0.2.7"), ip_to_int("172.22.1.110")
MAIL, HOST5, GATEWAY = ip_to_int("10.10.10.2"), ip_to_int("10.10.10.5"), ip_to_int("172.22.1.1")
CONNECT = "simulate connect tcp 192.0.2.7 40001 172.22.1.110 25"
ETHERNET_HEADER = 14


def block(text: str, name: str) -> str:
    """The block of interface `name` in `show interfaces` output."""
    found = re.search(rf"^{re.escape(name)} is .*?(?=^\S|\Z)", text, re.M | re.S)
    assert found, f"no block for {name}:\n{text}"
    return found.group()


def counters(text: str) -> tuple[int, int, int, int]:
    """(packets in, bytes in, packets out, bytes out) of one block."""
    (pin, bin_), = re.findall(r"(\d+) packets input, (\d+) bytes", text)
    (pout, bout), = re.findall(r"(\d+) packets output, (\d+) bytes", text)
    return int(pin), int(bin_), int(pout), int(bout)


# ------------------------------------------------------------------ the text
@pytest.mark.parametrize("command, name", [
    ("show interfaces", "show-interfaces.txt"),
    ("show interfaces Ethernet2/0", "show-interfaces-Ethernet2-0.txt"),
    ("show interfaces summary", "show-interfaces-summary.txt"),
])
def test_the_seed_router_prints_its_golden_output(session, command, name):
    assert_golden(name, ok(session, command))


def test_a_shutdown_serial_port_is_administratively_down_with_its_own_hardware(session):
    serial = block(ok(session, "show interfaces"), "Serial2/0")
    assert serial.startswith("Serial2/0 is administratively down, line protocol is down \n")
    assert "  Hardware is QUICC Serial\n" in serial and "address is" not in serial
    assert "  Encapsulation HDLC, loopback not set\n" in serial
    assert "  Queueing strategy: weighted fair\n" in serial
    assert "DCD=down  DSR=down  DTR=down  RTS=down  CTS=down\n\n" in serial
    ok(session, "configure terminal")
    ok(session, "interface Serial2/0")
    ok(session, "no shutdown")
    ok(session, "end")
    serial = ok(session, "show interfaces Serial2/0")
    assert serial.startswith("Serial2/0 is up, line protocol is up \n")
    assert "DCD=up  DSR=up  DTR=up  RTS=up  CTS=up" in serial


def test_abbreviated_names_and_the_interface_s_configuration_show(session):
    kit.configure(session, "interface Ethernet2/1", "description inside LAN",
                  "ip address 10.20.0.1 255.255.255.0 secondary")
    text = ok(session, "sh int e2/1")
    assert text.startswith("Ethernet2/1 is up, line protocol is up \n"
                           "  Hardware is AmdP2, address is 0007.50c3.4a21 (bia 0007.50c3.4a21)\n"
                           "  Description: inside LAN\n"
                           "  Internet address is 10.10.10.1/24\n"
                           "  Secondary address 10.20.0.1/24\n")
    assert "Ethernet2/0" not in text


def test_an_interface_the_router_lacks_is_refused_under_its_number(session):
    assert kit.caret(session, "show interfaces Ethernet3/0") == len("3640-123#show interfaces "
                                                                    "Ethernet")
    assert kit.caret(session, "show interfaces Loopback0") == len("3640-123#show interfaces "
                                                                  "Loopback")


def test_the_mac_addresses_are_the_chassis_block_s_by_port():
    assert f"{interface_mac('Ethernet2/0'):012x}" == "000750c34a20"
    assert f"{interface_mac('Ethernet2/1'):012x}" == "000750c34a21"
    assert interface_mac("Ethernet2/1.10") == interface_mac("Ethernet2/1")
    assert interface_mac("Serial2/0") is None and interface_mac("Loopback0") is None


def test_summary_marks_the_interfaces_that_are_up(session):
    rows = ok(session, "show interfaces summary").splitlines()[10:]
    assert rows == ["* Ethernet2/0              0     0    0     0     0    0     0    0    0",
                    "  Serial2/0                0     0    0     0     0    0     0    0    0",
                    "* Ethernet2/1              0     0    0     0     0    0     0    0    0"]


# ------------------------------------------------------------------ counters
def test_a_connection_moves_the_counters_of_both_interfaces(session):
    before = ok(session, "show interfaces")
    ok(session, CONNECT)
    after = ok(session, "show interfaces")
    # the client's SYN and ACK (40 bytes each) come in on Ethernet2/0 and leave by Ethernet2/1
    client = (2, 2 * (40 + ETHERNET_HEADER))
    outside_in = [a - b for a, b in zip(counters(block(after, "Ethernet2/0"))[:2],
                                        counters(block(before, "Ethernet2/0"))[:2])]
    inside_out = [a - b for a, b in zip(counters(block(after, "Ethernet2/1"))[2:],
                                        counters(block(before, "Ethernet2/1"))[2:])]
    assert tuple(outside_in) == client and tuple(inside_out) == client
    # the server's SYN-ACK and banner the other way
    assert counters(block(after, "Ethernet2/1"))[:2] == counters(block(after, "Ethernet2/0"))[2:]
    assert counters(block(after, "Serial2/0")) == (0, 0, 0, 0)
    assert "Last input 00:00:00, output 00:00:00," in block(after, "Ethernet2/0")


def test_last_input_and_output_age_with_the_clock(session):
    ok(session, CONNECT)
    ok(session, "simulate clock advance 75")
    assert "  Last input 00:01:15, output 00:01:15, output hang never\n" in ok(
        session, "show interfaces Ethernet2/1")
    assert "  Last input never, output never, output hang never\n" in ok(
        session, "show interfaces Serial2/0")


def test_showing_the_interfaces_does_not_build_the_engine(session):
    ok(session, "show interfaces")
    ok(session, "show interfaces summary")
    assert session.device._engine is None
    assert session.device.arp_entries() == []


def test_a_dropped_packet_counts_as_input_only():
    engine = kit.engine()
    out = engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40001, 23), "Ethernet2/0", 3.0)
    assert not out.forwarded
    c = engine.interface_counters("Ethernet2/0")
    assert (c.packets_in, c.bytes_in, c.packets_out, c.last_input, c.last_output) == \
        (1, 40, 0, 3.0, None)
    assert engine.interface_counters("Ethernet2/1").packets_out == 0
    assert engine.interface_counters("Serial2/0").packets_in == 0


def _established(engine):
    engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25), "Ethernet2/0", 0.0)
    engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, SYN | ACK), "Ethernet2/1", 0.1)
    engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25, ACK), "Ethernet2/0", 0.2)


def test_fast_path_packets_count_and_their_counts_survive_the_flow_cache():
    engine = kit.engine()
    _established(engine)
    for i in range(10):     # acknowledgements: the fast path after the first
        engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, ACK), "Ethernet2/1", 1.0 + i)
    assert engine._flows, "the acknowledgements took the fast path"
    inside, outside = (engine.interface_counters(n) for n in ("Ethernet2/1", "Ethernet2/0"))
    assert (inside.packets_in, inside.bytes_in, inside.last_input) == (11, 440, 10.0)
    assert (outside.packets_out, outside.bytes_out, outside.last_output) == (11, 440, 10.0)
    assert (outside.packets_in, inside.packets_out) == (2, 2)
    engine.refresh()        # a configuration change empties the flow cache
    assert not engine._flows
    assert engine.interface_counters("Ethernet2/1") == inside
    assert engine.interface_counters("Ethernet2/0") == outside


def test_a_closed_flow_s_fast_path_counts_stay_when_its_record_goes():
    engine = kit.engine()
    _established(engine)
    for flags in (ACK, ACK, RST):    # the reset ends the session on the fast path
        engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, flags), "Ethernet2/1", 1.0)
    engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, ACK), "Ethernet2/1", 2.0)
    assert all(f.session.live for (ingress, _), f in engine._flows.items()
               if ingress == "Ethernet2/1")
    c = engine.interface_counters("Ethernet2/1")
    assert (c.packets_in, c.packets_out, c.last_input) == (5, 2, 2.0)
    assert engine.interface_counters("Ethernet2/0").packets_out == 5


def test_a_full_flow_cache_keeps_the_counts_of_the_flows_it_drops():
    engine = kit.engine()
    sent = 0
    for i in range(FLOW_CACHE + 10):    # UDP flows of inside hosts, two packets each
        src = HOST5 if i % 2 else MAIL
        for _ in range(2):
            out = engine.forward(Packet.udp(src, CLIENT, 1024 + i, 53), "Ethernet2/1", 1.0)
            assert out.forwarded
            sent += 1
        engine.forward(Packet.udp(CLIENT, MAIL_GLOBAL if src == MAIL else
                                  ip_to_int("172.22.1.111"), 53, 1024 + i), "Ethernet2/0", 1.0)
        engine.forward(Packet.udp(src, CLIENT, 1024 + i, 53), "Ethernet2/1", 1.0)
        sent += 1
    assert len(engine._flows) < FLOW_CACHE
    c = engine.interface_counters("Ethernet2/1")
    assert (c.packets_in, c.bytes_in) == (sent, 28 * sent)
    assert engine.interface_counters("Ethernet2/0").packets_out == sent


def test_payload_bytes_count_as_they_leave():
    engine = kit.engine()
    _established(engine)
    engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, PSH | ACK, payload=b"220 hi\r\n"),
                   "Ethernet2/1", 1.0)
    assert engine.interface_counters("Ethernet2/0").bytes_out == 40 + 48


def test_counters_start_afresh_at_a_reload(session):
    ok(session, CONNECT)
    session.device.reloaded()
    assert counters(ok(session, "show interfaces Ethernet2/0")) == (0, 0, 0, 0)


# ------------------------------------------------------------------ ARP
def test_the_arp_table_holds_the_stations_the_router_talked_to_not_its_own_addresses():
    engine = kit.engine()
    _established(engine)
    entries = {(e.address, e.mac, e.interface) for e in engine.arp_entries()}
    # the mail server (a forwarded packet's destination, and a source on Ethernet2/1) and the
    # default route's next hop (the answers left to it); the remote client is not on a link
    assert entries == {(MAIL, station_mac(MAIL), "Ethernet2/1"),
                       (GATEWAY, station_mac(GATEWAY), "Ethernet2/0")}
    assert [e.address for e in engine.arp_entries()] == sorted([MAIL, GATEWAY])
    assert {e.learned for e in engine.arp_entries()} == {0.0, 0.1}
    engine.forward(Packet.udp(ip_to_int("10.10.10.1"), CLIENT, 5, 53), "Ethernet2/1", 2.0)
    assert ip_to_int("10.10.10.1") not in {e.address for e in engine.arp_entries()}


def test_a_station_heard_on_its_link_is_learnt_even_when_its_packet_is_dropped():
    engine = kit.engine()
    neighbour = ip_to_int("172.22.1.50")
    assert not engine.forward(Packet.tcp(neighbour, MAIL_GLOBAL, 1, 23), "Ethernet2/0", 4.0) \
        .forwarded
    (entry,) = engine.arp_entries()
    assert (entry.address, entry.interface, entry.learned) == (neighbour, "Ethernet2/0", 4.0)


def test_a_station_s_entry_goes_when_its_network_leaves_the_interface(session):
    ok(session, "simulate connect tcp 10.10.10.5 40001 198.51.100.9 80")
    assert HOST5 in {e.address for e in session.device.arp_entries()}
    kit.configure(session, "interface Ethernet2/1", "ip address 10.99.0.1 255.255.255.0")
    assert HOST5 not in {e.address for e in session.device.arp_entries()}
    assert GATEWAY in {e.address for e in session.device.arp_entries()}


# ------------------------------------------------------------------ structured data
def test_json_facts(session):
    ok(session, CONNECT)
    session.as_json = True
    facts = json.loads(ok(session, "show interfaces"))
    assert [f["interface"] for f in facts] == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]
    outside, serial, _ = facts
    assert outside["mac_address"] == "0007.50c3.4a20" and serial["mac_address"] is None
    assert (outside["ip_address"], outside["prefix_length"], outside["mtu"]) == \
        ("172.22.1.16", 24, 1500)
    assert (outside["input_packets"], outside["input_bytes"]) == (2, 108)
    assert (serial["link_status"], serial["protocol_status"]) == ("administratively down",
                                                                  "down")
    assert outside["last_input"] == 0.0 and serial["last_input"] is None
    (one,) = json.loads(ok(session, "show interfaces Ethernet2/0"))
    assert one == outside
    rows = json.loads(ok(session, "show interfaces summary"))
    assert [(r["interface"], r["up"], r["rxbs"]) for r in rows] == [
        ("Ethernet2/0", True, 0), ("Serial2/0", False, 0), ("Ethernet2/1", True, 0)]


def test_ntc_templates_read_every_interface(session):
    from ntc_templates.parse import parse_output

    ok(session, CONNECT)
    parsed = {row["interface"]: row for row in parse_output(
        platform="cisco_ios", command="show interfaces", data=ok(session, "show interfaces"))}
    assert list(parsed) == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]
    outside, serial, inside = parsed.values()
    assert (outside["link_status"], outside["protocol_status"]) == ("up", "up")
    assert (serial["link_status"], serial["protocol_status"]) == ("administratively down",
                                                                  "down")
    assert (outside["hardware_type"], serial["hardware_type"]) == ("AmdP2", "QUICC Serial")
    assert outside["mac_address"] == outside["bia"] == "0007.50c3.4a20"
    assert (outside["ip_address"], outside["prefix_length"]) == ("172.22.1.16", "24")
    assert (inside["ip_address"], serial["ip_address"]) == ("10.10.10.1", "")
    assert (outside["mtu"], outside["bandwidth"], outside["delay"]) == \
        ("1500", "10000 Kbit", "1000 usec")
    assert (serial["bandwidth"], serial["encapsulation"]) == ("1544 Kbit", "HDLC")
    assert (outside["encapsulation"], outside["queue_strategy"]) == ("ARPA", "fifo")
    assert serial["queue_strategy"] == "weighted fair"
    assert (outside["input_packets"], outside["output_packets"]) == ("2", "2")
    assert (inside["input_packets"], inside["output_packets"]) == ("2", "2")
    assert (outside["last_input"], serial["last_input"]) == ("00:00:00", "never")
    assert outside["input_errors"] == outside["output_errors"] == "0"

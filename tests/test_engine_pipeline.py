"""Packets through the seed router 3640-123 in IOS order (ACL, NAT, routing, inspection)."""
import kit
import pytest

from iosfw.config.names import ip_to_int
from iosfw.engine.packet import ACK, SYN, Packet
from iosfw.show.access_lists import text as show_access_lists

CLIENT = ip_to_int("192.0.2.7")
MAIL_GLOBAL, MAIL = ip_to_int("172.22.1.110"), ip_to_int("10.10.10.2")
HOST5, HOST5_GLOBAL = ip_to_int("10.10.10.5"), ip_to_int("172.22.1.111")
DNS = ip_to_int("8.8.8.8")


@pytest.fixture
def engine():
    return kit.engine()


def phases(outcome):
    return [(s.phase, s.verdict) for s in outcome.steps]


def test_outside_hosts_arrive_on_the_outside_interface(engine):
    assert engine.ingress_for(CLIENT) == "Ethernet2/0"
    assert engine.ingress_for(HOST5) == "Ethernet2/1"


def test_smtp_to_the_mail_servers_global_address_is_permitted_translated_and_inspected(engine):
    out = engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25), "Ethernet2/0", 0.0)
    assert phases(out) == [("inbound-acl", "permit"), ("nat-in", "translated"),
                           ("routing", "route"), ("inspection", "opened")]
    assert out.forwarded and out.egress == "Ethernet2/1"
    assert (out.out_packet.dst, out.out_packet.dport) == (MAIL, 25)
    assert out.session.protocol == "smtp" and out.session.responder == (MAIL, 25)
    assert "(1 match)" in show_access_lists(engine.router, engine.acl_matches)


def test_the_servers_answer_passes_on_the_session_not_on_an_acl(engine):
    engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25), "Ethernet2/0", 0.0)
    out = engine.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, SYN | ACK), "Ethernet2/1", 0.1)
    assert phases(out) == [("routing", "route"), ("nat-out", "translated"), ("session", "matched")]
    assert out.forwarded and out.egress == "Ethernet2/0"
    assert out.out_packet.src == MAIL_GLOBAL
    engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25, ACK), "Ethernet2/0", 0.2)
    assert out.session.state == "SIS_OPEN"


def test_telnet_to_the_mail_server_meets_the_implicit_deny(engine):
    out = engine.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40001, 23), "Ethernet2/0", 0.0)
    assert phases(out) == [("inbound-acl", "implicit-deny")]
    assert not out.forwarded and not engine.sessions.sessions


def test_inside_host_query_opens_a_udp_session_that_lets_the_answer_back(engine):
    out = engine.forward(Packet.udp(HOST5, DNS, 5353, 53), "Ethernet2/1", 0.0)
    assert out.forwarded and out.egress == "Ethernet2/0"
    assert out.out_packet.src == HOST5_GLOBAL
    assert out.session.protocol == "udp" and out.session.initiator == (HOST5, 5353)
    back = engine.forward(Packet.udp(DNS, HOST5_GLOBAL, 53, 5353), "Ethernet2/0", 1.0)
    assert back.forwarded and back.egress == "Ethernet2/1"
    assert (back.out_packet.dst, back.out_packet.dport) == (HOST5, 5353)
    assert ("inbound-acl", "implicit-deny") not in phases(back)


def test_an_answer_after_the_session_timed_out_is_denied(engine):
    engine.forward(Packet.udp(HOST5, DNS, 5353, 53), "Ethernet2/1", 0.0)
    back = engine.forward(Packet.udp(DNS, HOST5_GLOBAL, 53, 5353), "Ethernet2/0", 10.0)
    assert [e.reason for e in back.events if hasattr(e, "reason")] == ["idle"]  # dns-timeout 5 s
    assert not back.forwarded and phases(back) == [("inbound-acl", "implicit-deny")]


def test_unsolicited_traffic_to_an_inside_host_is_denied(engine):
    out = engine.forward(Packet.udp(DNS, HOST5_GLOBAL, 53, 5353), "Ethernet2/0", 0.0)
    assert not out.forwarded


def test_a_packet_to_an_unknown_network_without_a_default_route_is_dropped():
    e = kit.engine(kit.router("interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\n"))
    out = e.forward(Packet.udp(ip_to_int("10.0.0.9"), DNS, 1, 53), "Ethernet0/0", 0)
    assert phases(out) == [("routing", "no-route")] and not out.forwarded

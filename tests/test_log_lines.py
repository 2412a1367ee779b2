"""The texts of the engine's log lines against the router's: the ICMP audit trail (the
initiator's ICMP type as its port, bytes counted after the IP header) and `log-input` with the
source MAC address on an Ethernet. The golden strings are real captures (ios-facts, "Added
2026-12-02" and §4.1/§4.2)."""
import kit

from iosfw.cli.session import Session
from iosfw.config.names import ip_to_int
from iosfw.engine.events import AclLogged
from iosfw.engine.packet import TCP
from iosfw.engine.pipeline import station_mac
from iosfw.show import syslog_text

# Two FastEthernet links with inspection of ICMP from the first: 13.13.2.2 pings 13.13.5.5.
TWO_LANS = """\
service timestamps log datetime msec
interface FastEthernet0/0
 ip address 13.13.2.1 255.255.255.0
 ip inspect PING in
interface FastEthernet0/1
 ip address 13.13.5.1 255.255.255.0
interface Serial1/0
 ip address 192.168.9.1 255.255.255.252
ip route 121.160.20.0 255.255.255.0 192.168.9.2
ip inspect name PING icmp
ip inspect audit-trail
"""


def lans_session(tmp_path, *config: str) -> Session:
    return kit.session(tmp_path, *config, router=kit.router(TWO_LANS))


def message(event) -> str:
    [text] = syslog_text.messages(event, router=None)
    return text


# ------------------------------------------------------------------ audit trail of ICMP
def test_the_icmp_audit_trail_names_the_echo_type_as_the_initiators_port(tmp_path):
    """Four echoes of 56 ICMP bytes each way (48 bytes of data after the 8-byte header)."""
    s = lans_session(tmp_path)
    for _ in range(4):
        assert s.execute("simulate icmp 13.13.2.2 13.13.5.5 echo bytes 48").output == (
            "forwarded FastEthernet0/0 -> FastEthernet0/1: icmp 13.13.2.2 -> 13.13.5.5 type 8 "
            "id 1\n")
        s.execute("simulate icmp 13.13.5.5 13.13.2.2 echo-reply bytes 48")
    assert s.execute("simulate clock advance 10").output == (
        "*Mar  1 00:00:10.000: %FW-6-SESS_AUDIT_TRAIL: icmp session initiator (13.13.2.2:8) "
        "sent 224 bytes -- responder (13.13.5.5:0) sent 224 bytes\n")


def test_an_icmp_session_counts_the_icmp_message_a_100_byte_ping_80_bytes(tmp_path):
    """A 100-byte ping (72 bytes of data) counts 80: the bytes after the IP header, as the
    router counts them."""
    s = lans_session(tmp_path)
    s.execute("simulate icmp 13.13.2.2 13.13.5.5 echo bytes 72")
    s.execute("simulate icmp 13.13.5.5 13.13.2.2 echo-reply bytes 72")
    s.execute("simulate icmp 13.13.2.2 13.13.5.5 echo bytes 72")
    assert s.execute("show ip inspect sessions detail").output == (
        "Established Sessions\n"
        " Session 6155930C (13.13.2.2:8)=>(13.13.5.5:0) icmp SIS_OPEN\n"
        "  Created 00:00:00, Last heard 00:00:00\n"
        "  Bytes sent (initiator:responder) [160:80]\n")


def test_an_echo_without_data_counts_its_icmp_header(tmp_path):
    s = lans_session(tmp_path)
    s.execute("simulate trace icmp 13.13.2.2 13.13.5.5 echo")
    [session] = s.engine.sessions.sessions.values()
    assert (session.bytes_initiator, session.bytes_responder) == (8, 0)


def test_the_audit_trail_keeps_the_old_form_without_start_or_stop(tmp_path):
    s = kit.session(tmp_path, "ip inspect audit-trail")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123 bytes 48")
    out = s.execute("simulate clock advance 30").output
    assert out == ("*Mar  1 00:00:30.000: %FW-6-SESS_AUDIT_TRAIL: udp session initiator "
                   "(10.10.10.5:3000) sent 48 bytes -- responder (198.51.100.20:123) "
                   "sent 0 bytes\n")
    assert "Start" not in out and "Stop" not in out and "SESS_AUDIT_TRAIL_START" not in out


# ------------------------------------------------------------------ log-input
def test_log_input_on_an_ethernet_puts_the_source_mac_after_the_interface():
    event = AclLogged("101", False, False, TCP, ip_to_int("10.10.10.2"), 14013,
                      ip_to_int("10.10.10.1"), 80, (0, 0), "FastEthernet0/0", True, 1,
                      0x00AAAABBCCDD)
    assert message(event) == (
        "%SEC-6-IPACCESSLOGP: list 101 denied tcp 10.10.10.2(14013) (FastEthernet0/0 "
        "00aa.aabb.ccdd) -> 10.10.10.1(80), 1 packet")


def test_log_input_on_a_serial_interface_names_only_the_interface():
    event = AclLogged("ACL_IN", False, False, 1, ip_to_int("121.160.20.2"), 0,
                      ip_to_int("100.100.1.1"), 0, (0, 0), "Serial1/0.10", True, 1)
    assert message(event) == (
        "%SEC-6-IPACCESSLOGDP: list ACL_IN denied icmp 121.160.20.2 (Serial1/0.10) -> "
        "100.100.1.1 (0/0), 1 packet")


def test_a_simulated_station_has_a_stable_mac_made_of_its_address():
    assert station_mac(ip_to_int("10.10.10.2")) == 0x02000A0A0A02
    assert syslog_text.mac_text(station_mac(ip_to_int("172.22.1.1"))) == "0200.ac16.0101"


def test_log_input_gives_the_mac_of_a_host_on_the_link(tmp_path):
    s = lans_session(tmp_path, "access-list 101 deny tcp any any log-input",
                     "interface FastEthernet0/0", "ip access-group 101 in")
    assert s.execute("simulate tcp 13.13.2.2 14013 13.13.5.5 80 syn").output == (
        "dropped on FastEthernet0/0 by access list 101 (a deny entry)\n"
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 13.13.2.2(14013) "
        "(FastEthernet0/0 0200.0d0d.0202) -> 13.13.5.5(80), 1 packet\n")


def test_log_input_gives_the_next_hops_mac_for_a_source_beyond_a_router(tmp_path):
    """The seed's Internet hosts arrive through 172.22.1.1, its default route's next hop: the
    frame's source MAC is that router's."""
    s = kit.session(tmp_path, "access-list 101 deny icmp any any log-input")
    assert s.execute("simulate icmp 192.0.2.66 172.22.1.110 echo").output == (
        "dropped on Ethernet2/0 by access list 101 (a deny entry)\n"
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGDP: list 101 denied icmp 192.0.2.66 "
        "(Ethernet2/0 0200.ac16.0101) -> 172.22.1.110 (8/0), 1 packet\n")


def test_log_input_on_a_serial_link_has_no_mac(tmp_path):
    s = lans_session(tmp_path, "access-list 102 deny icmp any any log-input",
                     "interface Serial1/0", "ip access-group 102 in")
    assert s.execute("simulate icmp 121.160.20.2 13.13.5.5 echo").output == (
        "dropped on Serial1/0 by access list 102 (a deny entry)\n"
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGDP: list 102 denied icmp 121.160.20.2 "
        "(Serial1/0) -> 13.13.5.5 (8/0), 1 packet\n")


def test_the_five_minute_sum_keeps_the_mac(tmp_path):
    s = lans_session(tmp_path, "access-list 101 deny udp any any log-input",
                     "interface FastEthernet0/0", "ip access-group 101 in")
    for _ in range(3):
        s.execute("simulate udp 13.13.2.2 5000 13.13.5.5 161")
    assert s.execute("simulate clock advance 300").output == (
        "*Mar  1 00:05:00.000: %SEC-6-IPACCESSLOGP: list 101 denied udp 13.13.2.2(5000) "
        "(FastEthernet0/0 0200.0d0d.0202) -> 13.13.5.5(161), 2 packets\n")


def test_plain_log_prints_no_interface_and_no_mac(tmp_path):
    s = lans_session(tmp_path, "access-list 101 deny tcp any any log",
                     "interface FastEthernet0/0", "ip access-group 101 in")
    assert s.execute("simulate tcp 13.13.2.2 14013 13.13.5.5 80 syn").output.endswith(
        "%SEC-6-IPACCESSLOGP: list 101 denied tcp 13.13.2.2(14013) -> 13.13.5.5(80), "
        "1 packet\n")

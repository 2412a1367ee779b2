"""The CBAC session table: which flows a rule inspects, TCP/UDP/ICMP states, timers."""
import kit
import pytest

from iosfw.config.names import ip_to_int
from iosfw.engine.cbac import CLOSING, OPEN, OPENING, SessionTable, flow_keys
from iosfw.engine.packet import ACK, FIN, RST, SYN, Packet

CLIENT, SERVER = ip_to_int("192.0.2.7"), ip_to_int("172.22.1.110")


def P(proto, src, dst, sport=0, dport=0, tcp_flags=0, icmp_type=None, length=40):
    return Packet(proto, src, dst, sport, dport, icmp_type=icmp_type, tcp_flags=tcp_flags,
                  length=length)


def tcp(flags, back=False, length=40, sport=40000, dport=25):
    if back:
        return P(6, SERVER, CLIENT, dport, sport, flags, length=length)
    return P(6, CLIENT, SERVER, sport, dport, flags, length=length)


def table_and_rules(config: str):
    router = kit.router(config)
    return SessionTable(router.inspect), router.inspect_rules


SEED_RULES = ("ip inspect name IN-OUT tcp\nip inspect name IN-OUT udp\nip inspect name IN-OUT ftp\n"
              "ip inspect name IN-OUT http\nip inspect name IN-OUT icmp\n"
              "ip inspect name OUT-IN smtp\n")


def opened(table, rules, packet, rule="OUT-IN", now=0.0):
    line = table.protocol_for(rules[rule], packet)
    assert line is not None
    return table.open(packet, rules[rule], line, "Ethernet2/0", "in", now)


@pytest.mark.parametrize("packet, rule, expected", [
    (tcp(SYN), "OUT-IN", "smtp"),
    (tcp(SYN, dport=80), "OUT-IN", None),           # OUT-IN inspects only mail
    (tcp(SYN, dport=80), "IN-OUT", "http"),
    (tcp(SYN, dport=21), "IN-OUT", "ftp"),
    (tcp(SYN, dport=25), "IN-OUT", "tcp"),          # no smtp line: generic tcp
    (P(17, CLIENT, SERVER, 5000, 53), "IN-OUT", "udp"),
    (P(1, CLIENT, SERVER, icmp_type=8), "IN-OUT", "icmp"),
    (P(1, CLIENT, SERVER, icmp_type=0), "IN-OUT", None),   # a reply opens nothing
    (P(47, CLIENT, SERVER), "IN-OUT", None),
])
def test_the_rule_line_that_inspects_a_first_packet(packet, rule, expected):
    table, rules = table_and_rules(SEED_RULES)
    line = table.protocol_for(rules[rule], packet)
    assert (line.protocol if line else None) == expected


def test_tcp_handshake_opens_the_session_and_counts_bytes_both_ways():
    table, rules = table_and_rules(SEED_RULES)
    s = opened(table, rules, tcp(SYN))
    assert s.state == OPENING and len(table.half_open) == 1
    found, from_initiator = table.find(tcp(SYN | ACK, back=True))
    assert found is s and not from_initiator
    table.seen(s, tcp(SYN | ACK, back=True), False, 0.1)
    table.seen(s, tcp(ACK), True, 0.2)
    assert s.state == OPEN and not table.half_open
    table.seen(s, tcp(ACK, length=100), True, 1.0)
    table.seen(s, tcp(ACK, back=True, length=300), False, 1.1)
    assert (s.bytes_initiator, s.bytes_responder) == (60, 260)   # payload, not headers
    assert s.last_heard == 1.1 and s.id == 0x6155930C


def test_reset_removes_the_session_at_once():
    table, rules = table_and_rules(SEED_RULES)
    s = opened(table, rules, tcp(SYN))
    closed = table.seen(s, tcp(RST, back=True), False, 0.5)
    assert closed.reason == "rst" and not table.sessions


def test_half_open_session_expires_after_synwait():
    table, rules = table_and_rules(SEED_RULES + "ip inspect tcp synwait-time 15\n")
    opened(table, rules, tcp(SYN), now=100.0)
    assert table.expire(114.9) == []
    (closed,) = table.expire(115.0)
    assert closed.reason == "synwait" and not table.sessions


def test_established_session_expires_after_its_idle_time_and_traffic_rearms_it():
    table, rules = table_and_rules(SEED_RULES.replace("smtp", "smtp timeout 60"))
    s = opened(table, rules, tcp(SYN))
    table.seen(s, tcp(SYN | ACK, back=True), False, 1.0)
    table.seen(s, tcp(ACK), True, 2.0)
    table.seen(s, tcp(ACK, length=10), True, 50.0)
    assert table.expire(100.0) == []              # re-armed at 50 s: due at 110 s
    (closed,) = table.expire(110.0)
    assert closed.reason == "idle"


def test_fin_starts_finwait():
    table, rules = table_and_rules(SEED_RULES)
    s = opened(table, rules, tcp(SYN))
    table.seen(s, tcp(SYN | ACK, back=True), False, 0.0)
    table.seen(s, tcp(ACK), True, 0.0)
    table.seen(s, tcp(FIN | ACK), True, 10.0)
    assert s.state == CLOSING
    (closed,) = table.expire(15.0)                 # finwait-time 5 s by default
    assert closed.reason == "finwait"


def test_udp_opens_on_the_answer_and_dns_uses_dns_timeout():
    table, rules = table_and_rules(SEED_RULES)
    query = P(17, CLIENT, SERVER, 5353, 53)
    s = opened(table, rules, query, rule="IN-OUT")
    assert s.state == OPENING
    answer = P(17, SERVER, CLIENT, 53, 5353)
    found, from_initiator = table.find(answer)
    table.seen(found, answer, from_initiator, 1.0)
    assert s.state == OPEN
    (closed,) = table.expire(6.0)                  # dns-timeout 5 s
    assert closed.reason == "idle"


def test_icmp_echo_reply_matches_its_request_and_idles_out_after_10_seconds():
    table, rules = table_and_rules(SEED_RULES)
    s = opened(table, rules, P(1, CLIENT, SERVER, icmp_type=8), rule="IN-OUT")
    found, from_initiator = table.find(P(1, SERVER, CLIENT, icmp_type=0))
    assert found is s and not from_initiator
    assert table.find(P(1, SERVER, CLIENT, icmp_type=14)) is None
    assert table.expire(9.9) == [] and len(table.expire(10.0)) == 1


def test_flow_keys_of_a_reply_are_the_initiators_keys_reversed():
    forward, _ = flow_keys(tcp(SYN))
    _, reply = flow_keys(tcp(ACK, back=True))
    assert forward == reply


def test_half_open_sessions_to_one_host_are_counted_for_the_host_limit():
    table, rules = table_and_rules(SEED_RULES)
    for port in range(40000, 40005):
        opened(table, rules, tcp(SYN, sport=port))
    assert len(table.half_open_to(SERVER)) == 5 and table.half_open_to(CLIENT) == []
    assert len(table.clear()) == 5 and not table.sessions

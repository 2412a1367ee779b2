"""Access-list matching (iosfw.engine.acl): IOS's rules one at a time, on lists loaded from
configuration text; then a property: the indexed lookup finds the very entry that trying every
entry in order finds, on random lists with overlapping addresses and ports."""
from __future__ import annotations

from dataclasses import replace

import kit
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from iosfw.config.names import int_to_ip, ip_to_int
from iosfw.engine.acl import CompiledAcl, naive_first_match
from iosfw.engine.packet import ACK, FIN, ICMP, PSH, RST, SYN, TCP, UDP, URG, Packet

A, B, C = ip_to_int("10.0.0.1"), ip_to_int("10.0.0.2"), ip_to_int("192.168.1.9")


def compiled(text: str, name: str = "101") -> CompiledAcl:
    result = kit.load(text)
    assert not result.diagnostics, [d.format() for d in result.diagnostics]
    return CompiledAcl(result.router.access_lists[name])


def numbered(*entries: str, number: str = "101") -> CompiledAcl:
    return compiled("".join(f"access-list {number} {e}\n" for e in entries), number)


def named(*lines: str) -> CompiledAcl:
    return compiled("ip access-list extended L\n" + "".join(f" {x}\n" for x in lines), "L")


def seq(acl: CompiledAcl, packet: Packet):
    """The sequence number of the deciding entry (None: the implicit deny), checked against
    the naive loop as well."""
    entry = acl.first_match(packet)
    assert entry is naive_first_match(acl, packet)
    return None if entry is None else entry.seq


# ------------------------------------------------------------------ first match, implicit deny
def test_first_match_wins_and_the_implicit_deny_ends_the_list():
    acl = numbered("deny tcp any host 10.0.0.2 eq telnet", "permit tcp any host 10.0.0.2",
                   "deny tcp any any")
    assert acl.check(Packet.tcp(A, B, 1025, 23)) == (False, acl.acl.entries[0])
    assert acl.check(Packet.tcp(A, B, 1025, 80)) == (True, acl.acl.entries[1])
    assert seq(acl, Packet.tcp(A, C, 1025, 80)) == 30
    assert acl.check(Packet.udp(A, B, 1025, 53)) == (False, None)


def test_an_empty_list_denies_everything():
    acl = named("remark nothing yet")
    assert acl.check(Packet.tcp(A, B, 1, 2)) == (False, None)


# ------------------------------------------------------------------ protocols
@pytest.mark.parametrize("proto", [TCP, UDP, ICMP, 47, 41, 0])
def test_ip_matches_every_protocol(proto):
    assert seq(numbered("permit ip any any"), Packet(proto, A, B)) == 10


@pytest.mark.parametrize("keyword, number", [("gre", 47), ("esp", 50), ("ahp", 51),
                                             ("eigrp", 88), ("ospf", 89), ("igmp", 2),
                                             ("pim", 103), ("pcp", 108)])
def test_a_protocol_keyword_matches_its_number_only(keyword, number):
    acl = numbered(f"permit {keyword} any any")
    assert seq(acl, Packet(number, A, B)) == 10
    assert seq(acl, Packet(number + 1, A, B)) is None


def test_a_numeric_protocol_matches_that_protocol_number():
    acl = numbered("permit 41 any any", "permit 6 any host 10.0.0.2")
    assert seq(acl, Packet(41, A, B)) == 10
    assert seq(acl, Packet(42, A, B)) is None
    assert acl.acl.entries[1].protocol == "tcp"     # stored as IOS shows it
    assert seq(acl, Packet.tcp(A, B, 1, 2)) == 20
    assert seq(acl, Packet.udp(A, B, 1, 2)) is None


def test_tcp_udp_and_icmp_entries_match_their_protocol_only():
    acl = numbered("permit tcp any any", "permit udp any any", "permit icmp any any")
    assert seq(acl, Packet.tcp(A, B, 1, 2)) == 10
    assert seq(acl, Packet.udp(A, B, 1, 2)) == 20
    assert seq(acl, Packet.icmp(A, B, 8)) == 30
    assert seq(acl, Packet(47, A, B)) is None


# ------------------------------------------------------------------ addresses
def test_wildcards_are_dont_care_bits_contiguous_or_not():
    acl = numbered("permit ip 10.0.0.0 0.0.3.0 host 192.168.1.9",
                   "permit ip any 192.168.0.0 0.0.255.255")
    assert seq(acl, Packet(TCP, ip_to_int("10.0.2.0"), C)) == 10
    assert seq(acl, Packet(TCP, ip_to_int("10.0.2.1"), C)) == 20      # last octet must be 0
    assert seq(acl, Packet(TCP, A, ip_to_int("192.169.1.9"))) is None


def test_a_standard_list_matches_every_protocol_on_the_source_alone():
    acl = numbered("deny host 10.0.0.1", "permit 10.0.0.0 0.255.0.255", number="5")
    assert acl.check(Packet.tcp(A, C, 1, 2)) == (False, acl.acl.entries[0])
    assert seq(acl, Packet(47, ip_to_int("10.9.0.7"), C)) == 20
    assert seq(acl, Packet.icmp(ip_to_int("10.9.1.7"), C, 8)) is None


def test_a_named_standard_list():
    acl = compiled("ip access-list standard S\n permit 10.0.0.0 0.0.0.255\n", "S")
    assert seq(acl, Packet.udp(A, C, 1, 2)) == 10
    assert seq(acl, Packet.udp(C, A, 1, 2)) is None


# ------------------------------------------------------------------ ports
@pytest.mark.parametrize("spec, hits, misses", [
    ("eq 80", [80], [79, 81]),
    ("eq www", [80], [443]),
    ("neq 80", [0, 79, 81, 65535], [80]),
    ("lt 1024", [0, 1023], [1024, 65535]),
    ("gt 1023", [1024, 65535], [0, 1023]),
    ("range 20 23", [20, 21, 23], [19, 24]),
    ("range ftp-data telnet", [20, 23], [24]),
])
def test_destination_port_operators(spec, hits, misses):
    acl = numbered(f"permit tcp any any {spec}")
    for port in hits:
        assert seq(acl, Packet.tcp(A, B, 5000, port)) == 10, port
    for port in misses:
        assert seq(acl, Packet.tcp(A, B, 5000, port)) is None, port


def test_source_ports_and_udp_port_names():
    acl = numbered("permit udp any eq domain any gt 1023", "permit udp any range 1 10 any")
    assert seq(acl, Packet.udp(A, B, 53, 1024)) == 10
    assert seq(acl, Packet.udp(A, B, 53, 1023)) is None
    assert seq(acl, Packet.udp(A, B, 10, 53)) == 20
    assert seq(acl, Packet.tcp(A, B, 53, 2000)) is None     # ports of udp, not tcp


def test_many_entries_for_one_host_and_port_keep_their_order():
    acl = numbered("permit tcp any host 10.0.0.2 gt 1023", "deny tcp any host 10.0.0.2 eq 8080",
                   "permit tcp host 192.168.1.9 host 10.0.0.2 eq 8080",
                   "permit tcp any host 10.0.0.2 eq 8080")
    assert seq(acl, Packet.tcp(C, B, 1025, 8080)) == 10
    assert seq(acl, Packet.tcp(C, B, 1025, 80)) is None


# ------------------------------------------------------------------ established
@pytest.mark.parametrize("flags, matched", [
    (ACK, True), (RST, True), (ACK | PSH, True), (SYN | ACK, True), (FIN | ACK, True),
    (SYN, False), (FIN, False), (0, False), (PSH | URG, False),
])
def test_established_means_ack_or_rst(flags, matched):
    acl = numbered("permit tcp any any established")
    assert (seq(acl, Packet.tcp(A, B, 80, 1025, flags=flags)) == 10) is matched


# ------------------------------------------------------------------ icmp
def test_an_icmp_type_without_a_code_matches_every_code():
    acl = numbered("permit icmp any any 3", "permit icmp any any echo")
    assert seq(acl, Packet.icmp(A, B, 3, 0)) == 10
    assert seq(acl, Packet.icmp(A, B, 3, 13)) == 10
    assert seq(acl, Packet.icmp(A, B, 8, 0)) == 20
    assert seq(acl, Packet.icmp(A, B, 0, 0)) is None


def test_an_icmp_type_and_code_match_exactly():
    acl = numbered("deny icmp any any 3 4", "deny icmp any any host-unreachable",
                   "permit icmp any any")
    assert seq(acl, Packet.icmp(A, B, 3, 4)) == 10
    assert seq(acl, Packet.icmp(A, B, 3, 1)) == 20
    assert seq(acl, Packet.icmp(A, B, 3, 3)) == 30
    assert seq(acl, Packet.tcp(A, B, 3, 4)) is None


# ------------------------------------------------------------------ precedence, tos, dscp
@pytest.mark.parametrize("option, hits, misses", [
    ("precedence critical", [0xA0, 0xB8, 0xBF], [0x80, 0x00, 0xE0]),
    ("precedence 5", [0xA0], [0xC0]),
    ("precedence routine", [0x00, 0x1E], [0x20]),
    ("tos min-delay", [0x10, 0xF0, 0x11], [0x08, 0x18]),
    ("tos 8", [0x10], [0x00]),
    ("tos max-reliability", [0x04], [0x00, 0x06]),
    ("dscp 46", [0xB8, 0xBB], [0xB0, 0xBC]),
    ("dscp 0", [0x00, 0x03], [0x04]),
])
def test_precedence_tos_and_dscp_compare_the_tos_byte(option, hits, misses):
    acl = numbered(f"permit ip any any {option}")
    for tos in hits:
        assert seq(acl, Packet(TCP, A, B, tos=tos)) == 10, hex(tos)
    for tos in misses:
        assert seq(acl, Packet(TCP, A, B, tos=tos)) is None, hex(tos)


def test_precedence_and_tos_together_both_count():
    acl = numbered("permit ip any any precedence flash tos max-throughput")
    assert seq(acl, Packet(TCP, A, B, tos=0x68)) == 10        # 011 0100 0
    assert seq(acl, Packet(TCP, A, B, tos=0x60)) is None
    assert seq(acl, Packet(TCP, A, B, tos=0x48)) is None


def test_options_that_contradict_each_other_match_nothing():
    acl = named("permit ip any any precedence 5 dscp 0", "deny ip any any")
    for tos in (0x00, 0xA0):
        assert seq(acl, Packet(TCP, A, B, tos=tos)) == 20


# ------------------------------------------------------------------ options that change nothing
def test_time_range_entries_are_always_active_and_reflect_changes_nothing():
    acl = named("permit tcp any any eq 80 time-range WORK",
                "permit tcp any any eq 443 reflect OUT timeout 30", "permit udp any any log")
    assert seq(acl, Packet.tcp(A, B, 1025, 80)) == 10
    assert seq(acl, Packet.tcp(A, B, 1025, 443)) == 20
    assert seq(acl, Packet.udp(A, B, 1025, 443)) == 30


def test_remarks_and_evaluate_are_skipped():
    acl = named("remark web", "evaluate OUT", "permit tcp any any eq 80")
    assert seq(acl, Packet.tcp(A, B, 1025, 80)) == 20
    assert seq(acl, Packet.tcp(A, B, 1025, 81)) is None
    assert seq(named("evaluate OUT"), Packet.tcp(A, B, 1025, 80)) is None


# ------------------------------------------------------------------ fragments
# Cisco, "Access Control Lists and IP Fragments": which entry decides an unfragmented packet,
# a first fragment (offset 0, more fragments) and a non-initial one (offset > 0).
FRAGMENT_CASES = [
    # an entry without layer-4 information matches every fragment on layer 3
    (["permit ip any host 10.0.0.2"], 10, 10, 10),
    (["deny ip any host 10.0.0.2", "permit ip any any"], 10, 10, 10),
    (["permit tcp any host 10.0.0.2"], 10, 10, 10),
    # layer-4 information: a non-initial fragment matches a permit on layer 3 alone...
    (["permit tcp any host 10.0.0.2 eq 80"], 10, 10, 10),
    # ... and never a deny: it goes on to the next entry
    (["deny tcp any host 10.0.0.2 eq 80", "permit ip any any"], 10, 10, 20),
    (["deny tcp any host 10.0.0.2 eq 80"], 10, 10, None),
    (["deny tcp any any established", "permit tcp any any"], 10, 10, 20),
    (["deny icmp any any echo", "permit icmp any any"], 10, 10, 20),
    # the `fragments` keyword: non-initial fragments only, on layer 3
    (["deny ip any host 10.0.0.2 fragments", "permit ip any any"], 20, 20, 10),
    (["permit tcp any host 10.0.0.2 fragments"], None, None, 10),
    (["permit tcp any host 10.0.0.2 eq 80 fragments"], None, None, 10),
]


@pytest.mark.parametrize("entries, whole, first, later", FRAGMENT_CASES)
def test_fragments(entries, whole, first, later):
    acl = numbered(*entries)
    packet = Packet.tcp(A, B, 1025, 80, flags=ACK)
    if "icmp" in entries[0]:
        packet = Packet.icmp(A, B, 8)
    assert seq(acl, packet) == whole
    assert seq(acl, replace(packet, more_fragments=True)) == first
    assert seq(acl, replace(packet, fragment_offset=185, more_fragments=True)) == later


def test_a_non_initial_fragment_still_needs_the_layer_3_fields():
    acl = numbered("permit tcp any host 10.0.0.2 eq 80", "permit ip any any precedence 7")
    later = Packet(TCP, A, C, fragment_offset=185)
    assert seq(acl, later) is None
    assert seq(acl, replace(later, dst=B)) == 10
    assert seq(acl, replace(later, proto=UDP, dst=B)) is None
    assert seq(acl, replace(later, tos=0xE0)) == 20


# ------------------------------------------------------------------ the index
def test_many_sources_to_one_destination_and_port():
    sources = [f"permit tcp 172.16.{i}.0 0.0.0.255 any eq 80" for i in range(40)]
    acl = numbered("deny tcp host 172.16.7.7 any", *sources, "permit tcp any any eq 80",
                   number="150")
    assert seq(acl, Packet.tcp(ip_to_int("172.16.7.7"), B, 1025, 80)) == 10
    assert seq(acl, Packet.tcp(ip_to_int("172.16.7.8"), B, 1025, 80)) == 90
    assert seq(acl, Packet.tcp(ip_to_int("172.16.39.8"), C, 1025, 80)) == 410
    assert seq(acl, Packet.tcp(ip_to_int("172.16.40.8"), C, 1025, 80)) == 420
    assert seq(acl, Packet.tcp(ip_to_int("172.16.39.8"), C, 1025, 81)) is None


def test_a_wide_entry_ahead_of_host_entries_wins():
    hosts = [f"permit tcp any host 10.1.{i}.1 eq 22" for i in range(30)]
    acl = numbered(*hosts[:10], "deny tcp any 10.0.0.0 0.255.255.255 eq 22", *hosts[10:])
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.5.1"), 1025, 22)) == 60
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.15.1"), 1025, 22)) == 110
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.15.2"), 1025, 22)) == 110
    assert seq(acl, Packet.tcp(C, ip_to_int("11.1.15.1"), 1025, 22)) is None


def test_entries_in_different_groups_keep_list_order():
    """A match found in one group does not hide an earlier entry of a group tried later."""
    acl = numbered("permit tcp any host 10.1.0.9 eq 22",
                   "deny tcp any 10.0.0.0 0.255.255.255 eq 22",
                   "permit tcp any host 10.1.0.1 eq 22",
                   "permit tcp any host 10.1.0.1 range 1 100")
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.0.1"), 1025, 22)) == 20
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.0.1"), 1025, 23)) == 40
    assert seq(acl, Packet.tcp(C, ip_to_int("10.1.0.9"), 1025, 22)) == 10


# ------------------------------------------------------------------ counters
def test_hits_are_counted_by_check_only():
    acl = numbered("permit tcp any any eq 80", "deny udp any any")
    web, dns = Packet.tcp(A, B, 1025, 80), Packet.udp(A, B, 1025, 53)
    acl.check(web)
    acl.check(web)
    acl.check(dns)
    acl.check(web, count=False)
    acl.first_match(web)
    naive_first_match(acl, web)
    acl.check(Packet(47, A, B))          # the implicit deny counts nowhere
    assert acl.counts(acl.acl.entries) == [2, 1]


# ------------------------------------------------------------------ property: index == naive
# Few addresses and ports, so that entries overlap and a packet often matches several.
ADDRESSES = ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.1.0.1", "192.168.1.1"]
WILDCARDS = ["0.0.0.255", "0.0.0.3", "0.0.255.255", "0.255.255.255", "0.0.3.0", "0.255.0.255",
             "255.255.255.255", "0.0.0.0"]
PORTS = [0, 22, 23, 79, 80, 81, 443, 1024, 65535]
OPTIONS = ["precedence critical", "precedence 0", "tos min-delay", "tos 0", "dscp 46",
           "dscp 10", "fragments", "log", "log-input", "time-range T", "reflect R"]


@st.composite
def address(draw) -> str:
    kind = draw(st.sampled_from(["any", "host", "net", "net"]))
    if kind == "any":
        return "any"
    if kind == "host":
        return "host " + draw(st.sampled_from(ADDRESSES))
    return f"{draw(st.sampled_from(ADDRESSES))} {draw(st.sampled_from(WILDCARDS))}"


@st.composite
def ports(draw) -> str:
    op = draw(st.sampled_from(["", "", "eq", "eq", "eq", "neq", "lt", "gt", "range"]))
    if not op:
        return ""
    first = draw(st.sampled_from(PORTS))
    if op != "range":
        return f" {op} {first}"
    return f" range {first} {draw(st.sampled_from([p for p in PORTS if p >= first]))}"


@st.composite
def extended_entry(draw) -> str:
    action = draw(st.sampled_from(["permit", "permit", "deny"]))
    proto = draw(st.sampled_from(["tcp", "tcp", "udp", "udp", "icmp", "ip", "ip", "gre",
                                  "41", "6"]))
    src, dst = draw(address()), draw(address())
    options = draw(st.lists(st.sampled_from(OPTIONS), max_size=2, unique=True))
    if proto in ("tcp", "udp"):
        match = f"{proto} {src}{draw(ports())} {dst}{draw(ports())}"
        if proto == "tcp" and draw(st.integers(0, 4)) == 0:
            options.append("established")
    elif proto == "icmp":
        icmp = draw(st.sampled_from(["", "", "echo", "echo-reply", "3", "3 1", "3 3",
                                     "host-unreachable", "8"]))
        match = f"icmp {src} {dst} {icmp}".rstrip()
    else:
        match = f"{proto} {src} {dst}"
    return " ".join([action, match, *options])


@st.composite
def access_list(draw) -> CompiledAcl:
    """A named extended list, or a numbered standard one, as configuration text."""
    if draw(st.integers(0, 4)) == 0:
        lines = draw(st.lists(st.builds(lambda a, s: f"access-list 7 {a} {s}",
                                        st.sampled_from(["permit", "deny"]), address()),
                              min_size=5, max_size=40))
        text, name = "\n".join(lines), "7"
    else:
        entries = draw(st.lists(st.one_of(extended_entry(), extended_entry(),
                                          extended_entry(), extended_entry(),
                                          st.sampled_from(["remark r", "evaluate E"])),
                                min_size=20, max_size=120))
        text, name = "ip access-list extended P\n" + "\n".join(f" {e}" for e in entries), "P"
    note(text)
    result = kit.load(text + "\n")
    assert not result.diagnostics, [d.format() for d in result.diagnostics]
    return CompiledAcl(result.router.access_lists[name])


def inside(draw, addr) -> int:
    """An address the entry's address takes, or one just outside it."""
    bits = draw(st.integers(0, 0xFFFFFFFF))
    value = addr.ip | bits & addr.wildcard
    return value ^ (1 << draw(st.integers(0, 31))) if draw(st.integers(0, 5)) == 0 else value


def near(draw, port_match) -> int:
    if port_match is None:
        return draw(st.sampled_from(PORTS))
    return max(0, min(0xFFFF, draw(st.sampled_from(port_match.ports)) + draw(st.integers(-1, 1))))


@st.composite
def packet_for(draw, acl: CompiledAcl) -> Packet:
    """A packet aimed at one of the list's entries (mostly), so entries do get matched."""
    proto = draw(st.sampled_from([TCP, UDP, ICMP, 47, 41, 0]))
    src, dst = draw(st.integers(0, 0xFFFFFFFF)), draw(st.integers(0, 0xFFFFFFFF))
    sport, dport = draw(st.sampled_from(PORTS)), draw(st.sampled_from(PORTS))
    icmp = (draw(st.integers(0, 12)), draw(st.integers(0, 4)))
    if acl.rules and draw(st.integers(0, 7)):
        entry = draw(st.sampled_from(acl.rules)).entry
        src = inside(draw, entry.src)
        dst = inside(draw, entry.dst) if entry.dst is not None else dst
        if entry.protocol != "ip":
            proto = {"tcp": TCP, "udp": UDP, "icmp": ICMP, "gre": 47}.get(entry.protocol, 41)
        sport, dport = near(draw, entry.src_port), near(draw, entry.dst_port)
        if entry.icmp is not None:
            icmp = (entry.icmp[0], entry.icmp[1] if entry.icmp[1] is not None else icmp[1])
    tcp, udp = proto == TCP, proto in (TCP, UDP)
    return Packet(proto, src, dst, sport if udp else 0, dport if udp else 0,
                  icmp[0] if proto == ICMP else None, icmp[1] if proto == ICMP else None,
                  tcp_flags=draw(st.sampled_from([SYN, ACK, RST, SYN | ACK, FIN])) if tcp else 0,
                  tos=draw(st.sampled_from([0, 0xA0, 0xB8, 0x10, 0x28, 0xFF])),
                  fragment_offset=draw(st.sampled_from([0, 0, 0, 1, 185])))


@given(st.data())
def test_the_index_finds_the_entry_the_naive_loop_finds(data):
    acl = data.draw(access_list())
    for _ in range(60):
        packet = data.draw(packet_for(acl))
        found = acl.first_match(packet)
        expected = naive_first_match(acl, packet)
        assert found is expected, (packet, int_to_ip(packet.src), int_to_ip(packet.dst))
        if found is not None:     # and the addresses agree with the model's own test
            assert found.src.matches(packet.src)
            assert found.dst is None or found.dst.matches(packet.dst)

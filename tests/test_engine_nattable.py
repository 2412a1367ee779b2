"""The NAT translation table through the seed router's engine: PAT port keeping and allocation,
pool leases and exhaustion, outside-initiated traffic to a leased address, every
`ip nat translation` timeout, the hit/miss/expired counters, `clear ip nat translation *`, and
the `show ip nat` texts."""
import kit
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iosfw.cli.session import Session
from iosfw.config.names import ip_to_int
from iosfw.engine.nattable import PORT_GROUPS, PortPool, port_group
from iosfw.engine.packet import ACK, FIN, ICMP, RST, SYN, TCP, UDP, Packet
from iosfw.engine.pipeline import Engine
from iosfw.show import nat as show_nat

INSIDE, OUTSIDE = "Ethernet2/1", "Ethernet2/0"
ROUTER_OUT = ip_to_int("172.22.1.16")          # Ethernet2/0's address, the PAT address
POOL_A, POOL_B = ip_to_int("172.22.1.200"), ip_to_int("172.22.1.201")
WEB = ip_to_int("198.51.100.1")
DNS = ip_to_int("198.51.100.53")
CLIENT = ip_to_int("192.0.2.9")
HOST5, HOST5_GLOBAL = ip_to_int("10.10.10.5"), ip_to_int("172.22.1.111")


def h(n: int) -> int:
    """An inside host without a static translation: 10.10.10.<n>."""
    return ip_to_int(f"10.10.10.{n}")


PAT = ("access-list 1 permit 10.10.10.0 0.0.0.255\n"
       "ip nat inside source list 1 interface Ethernet2/0 overload\n")
POOL = ("ip nat pool P 172.22.1.200 172.22.1.201 netmask 255.255.255.0\n"
        "access-list 1 permit 10.10.10.0 0.0.0.255\n"
        "ip nat inside source list 1 pool P\n")


def engine_with(extra: str = "") -> Engine:
    result = kit.load(kit.seed_with(extra))
    assert [d for d in result.diagnostics if "error" in str(d).lower()] == []
    return kit.engine(result.router)


def session_with(tmp_path, extra: str = "") -> Session:
    return kit.session(tmp_path, router=kit.router(kit.seed_with(extra)))


def extended(engine):
    return [e for e in engine.nat.entries.values() if e.proto]


def simple(engine):
    return [e for e in engine.nat.entries.values() if e.proto == 0]


def reply_to(out: Packet, flags: int = SYN | ACK) -> Packet:
    """The answer to a packet as it left the router, arriving from outside."""
    if out.proto == TCP:
        return Packet.tcp(out.dst, out.src, out.dport, out.sport, flags)
    if out.proto == UDP:
        return Packet.udp(out.dst, out.src, out.dport, out.sport)
    return Packet.icmp(out.dst, out.src, 0)


# ------------------------------------------------------------------ PAT
def test_pat_keeps_the_inside_port_when_it_is_free_on_the_global_address():
    e = engine_with(PAT)
    out = e.forward(Packet.tcp(h(20), WEB, 3000, 80), INSIDE, 0.0)
    assert out.forwarded and (out.out_packet.src, out.out_packet.sport) == (ROUTER_OUT, 3000)
    assert [(s.phase, s.verdict) for s in out.steps] == [
        ("routing", "route"), ("nat-out", "translated"), ("inspection", "opened")]


@pytest.mark.parametrize("port, taken_next", [
    (1000, 512),         # group 512-1023: its first port
    (511, 1),            # group 0-511: its first port (0 is never given)
    (1023, 512),
    (65535, 1024),       # group 1024-65535
    (5000, 1024),
    (1, 2),              # 1 itself is taken: the next one up
])
def test_pat_takes_the_first_free_port_of_the_same_group(port, taken_next):
    """IOS: "If the source port is already allocated, PAT attempts to find the first
    available port number. It starts from the beginning of the appropriate port group, 0 to
    511, 512 to 1023, or 1024 to 65535" (ios-facts, Added 2026-12-02)."""
    e = engine_with(PAT)
    first = e.forward(Packet.tcp(h(20), WEB, port, 80), INSIDE, 0.0)
    second = e.forward(Packet.tcp(h(21), WEB, port, 80), INSIDE, 0.1)
    assert first.out_packet.sport == port
    assert second.forwarded and second.out_packet.src == ROUTER_OUT
    assert second.out_packet.sport == taken_next


def test_pat_skips_every_port_in_use_and_frees_ports_when_entries_expire():
    e = engine_with(PAT)
    for n, expected in enumerate((2000, 1024, 1025)):   # three hosts all from port 2000
        out = e.forward(Packet.udp(h(20 + n), WEB, 2000, 9999), INSIDE, n * 100.0)
        assert out.out_packet.sport == expected
    assert sorted(x.inside_global[1] for x in extended(e)) == [1024, 1025, 2000]
    e.tick(400.0)               # udp-timeout 300: the first two go, their ports are free again
    assert [x.inside_global[1] for x in extended(e)] == [1025]
    out = e.forward(Packet.udp(h(23), WEB, 1025, 9999), INSIDE, 401.0)
    assert out.out_packet.sport == 1024          # the lowest free port of the group again
    out = e.forward(Packet.udp(h(24), WEB, 2000, 9999), INSIDE, 402.0)
    assert out.out_packet.sport == 2000


def test_pat_moves_to_the_next_pool_address_when_a_group_is_full():
    """IOS: with no port of the group left on an address, PAT tries the original port on the
    pool's next address."""
    e = engine_with("ip nat pool P 172.22.1.200 172.22.1.201 netmask 255.255.255.0\n"
                    "access-list 1 permit 10.10.10.0 0.0.0.255\n"
                    "ip nat inside source list 1 pool P overload\n")
    given = [e.forward(Packet.udp(h(20), WEB, 511, 1000 + n), INSIDE, 0.0).out_packet
             for n in range(512)]                   # 512 flows all from port 511
    assert [(p.src, p.sport) for p in given[:3]] == [(POOL_A, 511), (POOL_A, 1), (POOL_A, 2)]
    assert (given[510].src, given[510].sport) == (POOL_A, 510)      # 1-511 all given
    assert (given[511].src, given[511].sport) == (POOL_B, 511)


def test_pat_keeps_an_icmp_identifier_or_gives_the_first_free_one_from_1024():
    """The reference entry `icmp 172.22.1.16:1024  10.10.10.20:1  198.51.100.9:1
    198.51.100.9:1024`: a taken identifier 1 becomes 1024; the outside global column carries
    the identifier the outside sees, the outside local one the inside's."""
    e = engine_with(PAT)
    far = ip_to_int("198.51.100.9")
    first = e.forward(Packet.icmp(h(21), far, 8, sport=1), INSIDE, 0.0)
    second = e.forward(Packet.icmp(h(20), far, 8, sport=1), INSIDE, 0.0)
    assert (first.out_packet.src, first.out_packet.sport) == (ROUTER_OUT, 1)
    assert (second.out_packet.src, second.out_packet.sport) == (ROUTER_OUT, 1024)
    [_, changed] = [x for x in extended(e) if x.proto == ICMP]
    assert (changed.outside_local, changed.outside_global) == ((far, 1), (far, 1024))
    back = e.forward(Packet.icmp(far, ROUTER_OUT, 0, sport=1024), OUTSIDE, 0.1)
    assert back.forwarded and (back.out_packet.dst, back.out_packet.sport) == (h(20), 1)
    back = e.forward(Packet.icmp(far, ROUTER_OUT, 0, sport=1), OUTSIDE, 0.1)
    assert back.forwarded and (back.out_packet.dst, back.out_packet.sport) == (h(21), 1)


def test_show_ip_nat_translations_of_an_icmp_pat_entry_whose_identifier_changed(tmp_path):
    s = session_with(tmp_path, PAT)
    s.execute("simulate icmp 10.10.10.21 198.51.100.9 echo")
    assert s.execute("simulate icmp 10.10.10.20 198.51.100.9 echo id 1").output == (
        "forwarded Ethernet2/1 -> Ethernet2/0: icmp 172.22.1.16 -> 198.51.100.9 type 8 "
        "id 1024\n")
    out = s.execute("show ip nat translations").output
    assert out.splitlines()[-1] == ("icmp 172.22.1.16:1024  10.10.10.20:1      "
                                    "198.51.100.9:1     198.51.100.9:1024")
    assert s.execute("simulate icmp 198.51.100.9 172.22.1.16 echo-reply id 1024").output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: icmp 198.51.100.9 -> 10.10.10.20 type 0 id 1\n")


def test_pat_replies_are_translated_back_to_each_inside_host():
    e = engine_with(PAT)
    a = e.forward(Packet.tcp(h(20), WEB, 1500, 80), INSIDE, 0.0)
    b = e.forward(Packet.tcp(h(21), WEB, 1500, 80), INSIDE, 0.0)
    back_b = e.forward(reply_to(b.out_packet), OUTSIDE, 0.1)
    back_a = e.forward(reply_to(a.out_packet), OUTSIDE, 0.1)
    assert back_a.forwarded and back_a.egress == INSIDE
    assert (back_a.out_packet.dst, back_a.out_packet.dport) == (h(20), 1500)
    assert (back_b.out_packet.dst, back_b.out_packet.dport) == (h(21), 1500)


def test_pat_lets_two_inside_hosts_ping_the_same_outside_host():
    """IOS translates ICMP queries on PAT too (the query id plays the port): a second host's
    echo to the same destination is translated, not dropped."""
    e = engine_with(PAT)
    first = e.forward(Packet.icmp(h(20), WEB, 8), INSIDE, 0.0)
    second = e.forward(Packet.icmp(h(21), WEB, 8), INSIDE, 0.1)
    assert first.forwarded and first.out_packet.src == ROUTER_OUT
    assert ("nat-out", "no-address") not in [(s.phase, s.verdict) for s in second.steps]
    assert second.forwarded and second.out_packet.src == ROUTER_OUT
    assert len([x for x in extended(e) if x.proto == ICMP]) == 2


# ------------------------------------------------------------------ PAT port choice
TAKEN = (st.sets(st.integers(0, 65535), max_size=300) | st.sets(st.integers(0, 1100))
         | st.just(set(range(512))))            # the whole of 0-511: nothing left


@given(taken=TAKEN, pick=st.integers(0, 65535), reuse=st.booleans())
def test_pat_port_choice_is_the_wanted_port_or_the_lowest_free_of_its_group(taken, pick, reuse):
    want = sorted(taken)[pick % len(taken)] if reuse and taken else pick
    ports = PortPool()
    ports.used |= taken
    first, last = port_group(TCP, want)
    chosen = ports.choose(want, (first, last))
    if want not in taken:
        assert chosen == want
    else:
        free = [p for p in range(first, last + 1) if p not in taken]
        assert chosen == (free[0] if free else None)
    assert chosen is None or chosen not in taken


@given(steps=st.lists(st.tuples(st.booleans(), st.integers(1020, 1060)), max_size=60))
def test_pat_port_choice_stays_the_lowest_free_as_ports_come_and_go(steps):
    """Taking and giving back ports in any order: every choice is still the lowest free port
    of the group, never one in use (the floor PortPool keeps never skips a free port)."""
    ports, group = PortPool(), port_group(UDP, 2000)
    for take, port in steps:
        if take:
            chosen = ports.choose(port, group)
            free = [p for p in range(group[0], group[1] + 1) if p not in ports.used]
            assert chosen == (port if port not in ports.used else free[0])
            ports.used.add(chosen)
        elif port in ports.used:
            ports.give_back(port, port_group(UDP, port))


def test_port_groups_are_the_references_and_port_0_is_never_given():
    assert PORT_GROUPS == ((0, 511), (512, 1023), (1024, 65535))
    assert [port_group(TCP, p) for p in (0, 1, 511, 512, 1023, 1024, 65535)] == [
        (1, 511), (1, 511), (1, 511), (512, 1023), (512, 1023), (1024, 65535), (1024, 65535)]
    assert port_group(ICMP, 1) == port_group(ICMP, 40000) == (1024, 65535)


# ------------------------------------------------------------------ pools
def test_a_pool_leases_the_lowest_free_address_one_per_inside_host():
    e = engine_with(POOL)
    a = e.forward(Packet.tcp(h(20), WEB, 1000, 80), INSIDE, 0.0)
    a2 = e.forward(Packet.udp(h(20), DNS, 1001, 53), INSIDE, 0.0)
    b = e.forward(Packet.tcp(h(21), WEB, 1000, 80), INSIDE, 0.0)
    assert (a.out_packet.src, a.out_packet.sport) == (POOL_A, 1000)   # no port change
    assert a2.out_packet.src == POOL_A                                 # same lease
    assert (b.out_packet.src, b.out_packet.sport) == (POOL_B, 1000)
    leases = {(x.inside_local[0], x.inside_global[0]) for x in simple(e)}
    assert leases == {(h(20), POOL_A), (h(21), POOL_B)}


def test_a_pool_without_overload_makes_no_extended_entries():
    """IOS (ios-facts, Added 2026-12-02): a dynamic pool without `overload` creates only the
    simple `---` entry per inside host; its flows, both ways, go through that entry."""
    e = engine_with(POOL)
    out = e.forward(Packet.tcp(h(20), WEB, 1000, 80), INSIDE, 0.0)
    e.forward(Packet.udp(h(20), DNS, 1001, 53), INSIDE, 0.0)
    e.forward(Packet.icmp(h(20), WEB, 8, sport=7), INSIDE, 0.0)
    assert extended(e) == [] and len(simple(e)) == 1
    back = e.forward(reply_to(out.out_packet), OUTSIDE, 0.1)
    assert back.forwarded and (back.out_packet.dst, back.out_packet.dport) == (h(20), 1000)
    assert [(s.phase, s.verdict) for s in back.steps][:1] == [("nat-in", "translated")]
    assert back.steps[0].subject.entry is simple(e)[0]
    assert (e.nat.hits, e.nat.misses) == (3, 1)     # the first packet leased: a miss
    assert e.nat.counts() == (2, 1, 0)


def test_the_statistics_of_a_pool_without_overload_count_no_extended_entry(tmp_path):
    """The reference line for one host of a non-overload pool, on a router without statics."""
    router = kit.router(
        "interface Ethernet0/0\n ip address 198.51.100.2 255.255.255.0\n ip nat outside\n"
        "interface Ethernet0/1\n ip address 10.1.1.1 255.255.255.0\n ip nat inside\n"
        "ip nat pool P 198.51.100.10 198.51.100.20 netmask 255.255.255.0\n"
        "access-list 1 permit 10.1.1.0 0.0.0.255\n"
        "ip nat inside source list 1 pool P\n")
    s = kit.session(tmp_path, router=router)
    s.execute("simulate tcp 10.1.1.5 3000 198.51.100.80 80 syn")
    s.execute("simulate udp 10.1.1.5 3001 198.51.100.53 53")
    assert s.execute("show ip nat statistics").output.splitlines()[0] == (
        "Total active translations: 1 (0 static, 1 dynamic; 0 extended)")
    assert s.execute("show ip nat translations").output == (
        "Pro Inside global      Inside local       Outside local      Outside global\n"
        "--- 198.51.100.10      10.1.1.5           ---                ---\n")


def test_an_exhausted_pool_drops_the_packet():
    e = engine_with(POOL)
    e.forward(Packet.tcp(h(20), WEB, 1000, 80), INSIDE, 0.0)
    e.forward(Packet.tcp(h(21), WEB, 1000, 80), INSIDE, 0.0)
    out = e.forward(Packet.tcp(h(22), WEB, 1000, 80), INSIDE, 0.0)
    assert not out.forwarded and out.out_packet is None
    assert out.steps[-1].phase == "nat-out" and out.steps[-1].verdict == "no-address"
    assert out.steps[-1].subject == "P"
    assert {x.initiator for x in e.sessions.sessions.values()} == {(h(20), 1000),
                                                                   (h(21), 1000)}


def test_an_exhausted_pool_in_the_simulator_says_so(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate tcp 10.10.10.21 1000 198.51.100.1 80 syn")
    assert s.execute("simulate tcp 10.10.10.22 1000 198.51.100.1 80 syn").output == (
        "dropped on Ethernet2/1: NAT inside->outside: no address left in P, so the packet is "
        "dropped\n")


def test_a_lease_lives_timeout_seconds_after_the_hosts_last_packet():
    e = engine_with(POOL + "ip nat translation timeout 1000\n")
    e.forward(Packet.udp(h(20), WEB, 1000, 7), INSIDE, 0.0)
    e.tick(999.0)
    assert len(simple(e)) == 1
    e.forward(Packet.udp(h(20), WEB, 1001, 7), INSIDE, 999.0)   # any packet of the host renews it
    e.tick(1998.0)
    assert len(simple(e)) == 1
    e.tick(1999.0)                                               # 1000 s after its last use
    assert simple(e) == [] and e.nat.entries == {} and e.nat.expired == 1
    # the address is free again: the next host gets it
    out = e.forward(Packet.tcp(h(22), WEB, 1000, 80), INSIDE, 2000.0)
    assert out.out_packet.src == POOL_A


def test_an_exhausted_pool_has_room_again_after_a_lease_expires():
    e = engine_with(POOL + "ip nat translation timeout 100\n")
    e.forward(Packet.icmp(h(20), WEB, 8), INSIDE, 0.0)          # icmp-timeout 60
    e.forward(Packet.icmp(h(21), WEB, 8), INSIDE, 50.0)
    assert e.forward(Packet.icmp(h(22), WEB, 8), INSIDE, 99.0).forwarded is False
    out = e.forward(Packet.icmp(h(22), WEB, 8), INSIDE, 100.0)  # h(20)'s lease ends at 100
    assert out.forwarded and out.out_packet.src == POOL_A


def test_outside_hosts_reach_a_leased_address_only_while_the_lease_lasts():
    e = engine_with(POOL + "access-list 101 permit tcp any host 172.22.1.200\n"
                    "ip nat translation timeout 600\n")
    before = e.forward(Packet.tcp(CLIENT, POOL_A, 5555, 22), OUTSIDE, 0.0)
    assert before.egress != INSIDE
    assert ("nat-in", "none") in [(s.phase, s.verdict) for s in before.steps]
    e.forward(Packet.udp(h(20), WEB, 1000, 7), INSIDE, 1.0)       # leases 172.22.1.200
    during = e.forward(Packet.tcp(CLIENT, POOL_A, 5555, 22), OUTSIDE, 2.0)
    assert during.forwarded and during.egress == INSIDE
    assert (during.out_packet.dst, during.out_packet.dport) == (h(20), 22)
    assert ("nat-in", "translated") in [(s.phase, s.verdict) for s in during.steps]
    assert extended(e) == []                     # through the lease itself
    e.tick(10_000.0)
    after = e.forward(Packet.tcp(CLIENT, POOL_A, 5556, 22), OUTSIDE, 10_000.0)
    assert after.egress != INSIDE


# ------------------------------------------------------------------ timeouts
TIMEOUTS = ("ip nat translation tcp-timeout 400\nip nat translation udp-timeout 200\n"
            "ip nat translation dns-timeout 30\nip nat translation finrst-timeout 20\n"
            "ip nat translation icmp-timeout 15\nip nat translation syn-timeout 10\n")


def _syn(e):
    e.forward(Packet.tcp(HOST5, WEB, 2000, 22), INSIDE, 0.0)


def _established(e):
    out = e.forward(Packet.tcp(HOST5, WEB, 2000, 22), INSIDE, 0.0)
    e.forward(reply_to(out.out_packet), OUTSIDE, 0.0)
    e.forward(Packet.tcp(HOST5, WEB, 2000, 22, ACK), INSIDE, 0.0)


def _fin(e):
    _established(e)
    e.forward(Packet.tcp(HOST5, WEB, 2000, 22, FIN | ACK), INSIDE, 0.0)


def _rst(e):
    _established(e)
    e.forward(Packet.tcp(WEB, HOST5_GLOBAL, 22, 2000, RST), OUTSIDE, 0.0)


def _udp(e):
    e.forward(Packet.udp(HOST5, WEB, 3000, 123), INSIDE, 0.0)


def _dns(e):
    e.forward(Packet.udp(HOST5, DNS, 3000, 53), INSIDE, 0.0)


def _icmp(e):
    e.forward(Packet.icmp(HOST5, WEB, 8), INSIDE, 0.0)


@pytest.mark.parametrize("make, configured, default", [
    (_syn, 10, 60), (_established, 400, 86400), (_fin, 20, 60), (_rst, 20, 60),
    (_udp, 200, 300), (_dns, 30, 60), (_icmp, 15, 60),
], ids=["syn", "tcp", "finrst-fin", "finrst-rst", "udp", "dns", "icmp"])
@pytest.mark.parametrize("config", ["default", "configured"])
def test_each_kind_of_extended_entry_times_out_after_its_timeout(make, configured, default,
                                                                 config):
    lifetime = configured if config == "configured" else default
    e = engine_with(TIMEOUTS if config == "configured" else "")
    make(e)
    [entry] = extended(e)
    assert entry.inside_global[0] == HOST5_GLOBAL and entry.timeout == lifetime
    assert e.nat.next_deadline() == lifetime
    e.tick(lifetime - 0.001)
    assert len(extended(e)) == 1
    e.tick(lifetime)
    assert extended(e) == [] and e.nat.expired == 1
    assert e.nat.next_deadline() is None


def test_an_entry_lives_timeout_seconds_after_its_last_packet_not_its_first():
    e = engine_with("")
    _udp(e)
    e.forward(Packet.udp(HOST5, WEB, 3000, 123), INSIDE, 250.0)
    e.tick(549.0)
    assert len(extended(e)) == 1
    e.tick(550.0)
    assert extended(e) == []


@pytest.mark.parametrize("kind, make", [("udp-timeout", _udp), ("tcp-timeout", _established),
                                        ("icmp-timeout", _icmp), ("syn-timeout", _syn)])
def test_never_keeps_the_entry_for_ever(kind, make):
    e = engine_with(f"ip nat translation {kind} never\n")
    make(e)
    [entry] = extended(e)
    assert entry.timeout is None and entry.expires is None
    assert e.nat.next_deadline() is None
    e.tick(10 * 86400.0)
    assert extended(e) == [entry] and e.nat.expired == 0


def test_timeout_never_keeps_a_lease_after_its_flows_go():
    e = engine_with(POOL + "ip nat translation timeout never\n")
    _icmp_flow = e.forward(Packet.icmp(h(20), WEB, 8), INSIDE, 0.0)
    assert _icmp_flow.forwarded
    e.tick(30 * 86400.0)
    assert extended(e) == [] and len(simple(e)) == 1
    assert e.nat.next_deadline() is None


def test_a_configured_timeout_reaches_a_running_engine(tmp_path):
    s = session_with(tmp_path)
    s.execute("configure terminal")
    s.execute("ip nat translation udp-timeout 45")
    s.execute("end")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123")
    [entry] = extended(s.engine)
    assert entry.timeout == 45
    s.execute("simulate clock advance 44")
    assert len(extended(s.engine)) == 1
    s.execute("simulate clock advance 1")
    assert extended(s.engine) == []


# ------------------------------------------------------------------ counters
def test_hits_misses_and_expired_count_lookups_and_expiries():
    e = engine_with("")
    out = e.forward(Packet.udp(HOST5, WEB, 3000, 123), INSIDE, 0.0)      # new: a miss
    assert (e.nat.hits, e.nat.misses) == (0, 1)
    e.forward(Packet.udp(HOST5, WEB, 3000, 123), INSIDE, 1.0)            # found: a hit
    e.forward(reply_to(out.out_packet), OUTSIDE, 2.0)                    # found: a hit
    assert (e.nat.hits, e.nat.misses, e.nat.expired) == (2, 1, 0)
    e.forward(Packet.icmp(HOST5, WEB, 8), INSIDE, 3.0)                   # another flow
    assert (e.nat.hits, e.nat.misses) == (2, 2)
    e.tick(1000.0)
    assert e.nat.expired == 2
    text = show_nat.statistics_text(e.router, e.nat)
    assert "Hits: 2  Misses: 2\nExpired translations: 2\n" in text


# ------------------------------------------------------------------ clear
def test_clear_ip_nat_translation_star_removes_dynamic_and_extended_entries(tmp_path):
    s = session_with(tmp_path, POOL.replace("list 1 pool P", "list 1 pool P overload"))
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123")
    s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn")
    assert len(s.engine.nat.entries) == 3
    reply = s.execute("clear ip nat translation *")
    assert reply.output == "" and not reply.error
    assert s.engine.nat.entries == {} and not s.engine.nat.ports[(TCP, POOL_A)].used
    assert s.execute("show ip nat translations").output == (
        "Pro Inside global      Inside local       Outside local      Outside global\n"
        "--- 172.22.1.110       10.10.10.2         ---                ---\n"
        "--- 172.22.1.111       10.10.10.5         ---                ---\n")
    assert s.execute("show ip nat statistics").output.startswith(
        "Total active translations: 2 (2 static, 0 dynamic; 0 extended)\n")
    # the freed port is given out again
    assert s.execute("simulate tcp 10.10.10.21 1000 198.51.100.1 80 syn").output == (
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.200:1000 -> 198.51.100.1:80 S\n")


def test_clear_ip_nat_translation_frees_pool_addresses():
    e = engine_with(POOL)
    e.forward(Packet.tcp(h(20), WEB, 1000, 80), INSIDE, 0.0)
    e.forward(Packet.tcp(h(21), WEB, 1000, 80), INSIDE, 0.0)
    assert e.nat.clear() == 2
    out = e.forward(Packet.tcp(h(22), WEB, 1000, 80), INSIDE, 1.0)
    assert out.forwarded and out.out_packet.src == POOL_A
    assert e.nat.next_deadline() == 86401.0                   # the new lease's timeout


# ------------------------------------------------------------------ show texts
def test_show_ip_nat_translations_for_a_pool(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate tcp 10.10.10.21 1000 198.51.100.1 80 syn")
    s.execute("simulate udp 10.10.10.20 5000 198.51.100.53 53")
    s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn")
    assert s.execute("show ip nat translations").output == (
        "Pro Inside global      Inside local       Outside local      Outside global\n"
        "tcp 172.22.1.110:25    10.10.10.2:25      192.0.2.7:40000    192.0.2.7:40000\n"
        "--- 172.22.1.110       10.10.10.2         ---                ---\n"
        "--- 172.22.1.111       10.10.10.5         ---                ---\n"
        "--- 172.22.1.200       10.10.10.20        ---                ---\n"
        "--- 172.22.1.201       10.10.10.21        ---                ---\n")


def test_show_ip_nat_translations_puts_one_space_after_an_overrunning_field(tmp_path):
    s = session_with(tmp_path, PAT)
    s.execute("simulate udp 10.10.10.123 65000 203.113.254.254 65001")
    s.execute("simulate icmp 10.10.10.5 198.51.100.10 echo")
    out = s.execute("show ip nat translations").output
    assert "udp 172.22.1.16:65000  10.10.10.123:65000 203.113.254.254:65001 " \
           "203.113.254.254:65001\n" in out
    assert "icmp 172.22.1.111:1    10.10.10.5:1       198.51.100.10:1    198.51.100.10:1\n" in out


def test_show_ip_nat_translations_verbose_gives_ages_and_time_left(tmp_path):
    s = session_with(tmp_path, POOL.replace("list 1 pool P", "list 1 pool P overload"))
    s.execute("simulate udp 10.10.10.20 5000 198.51.100.9 123")
    s.execute("simulate udp 10.10.10.5 5001 198.51.100.9 123")
    s.execute("simulate clock advance 20")
    assert s.execute("show ip nat translations verbose").output == (
        "Pro Inside global      Inside local       Outside local      Outside global\n"
        "--- 172.22.1.110       10.10.10.2         ---                ---\n"
        "    create 00:00:20, use 00:00:20, \n"
        "    flags: \n"
        "static, use_count: 0\n"
        "udp 172.22.1.111:5001  10.10.10.5:5001    198.51.100.9:123   198.51.100.9:123\n"
        "    create 00:00:20, use 00:00:20, left 00:04:40, \n"
        "    flags: \n"
        "extended, use_count: 0\n"
        "--- 172.22.1.111       10.10.10.5         ---                ---\n"
        "    create 00:00:20, use 00:00:20, \n"
        "    flags: \n"
        "static, use_count: 1\n"
        "udp 172.22.1.200:5000  10.10.10.20:5000   198.51.100.9:123   198.51.100.9:123\n"
        "    create 00:00:20, use 00:00:20, left 00:04:40, Map-Id(In): 1, \n"
        "    flags: \n"
        "extended, use_count: 0\n")


def test_show_ip_nat_translations_verbose_of_a_pool_lease(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate udp 10.10.10.20 5000 198.51.100.9 123")
    s.execute("simulate clock advance 20")
    assert s.execute("show ip nat translations verbose").output.endswith(
        "--- 172.22.1.200       10.10.10.20        ---                ---\n"
        "    create 00:00:20, use 00:00:20, left 23:59:40, Map-Id(In): 1, \n"
        "    flags: \n"
        "none, use_count: 0\n")


def test_show_ip_nat_statistics_for_a_pool(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 ack")
    assert s.execute("show ip nat statistics").output == (
        "Total active translations: 3 (2 static, 1 dynamic; 0 extended)\n"
        "Outside interfaces:\n"
        "  Ethernet2/0\n"
        "Inside interfaces:\n"
        "  Ethernet2/1\n"
        "Hits: 1  Misses: 1\n"
        "Expired translations: 0\n"
        "Dynamic mappings:\n"
        "-- Inside Source\n"
        "[Id: 1] access-list 1 pool P refcount 1\n"
        " pool P: netmask 255.255.255.0\n"
        "\tstart 172.22.1.200 end 172.22.1.201\n"
        "\ttype generic, total addresses 2, allocated 1 (50%), misses 0\n")


def test_show_ip_nat_statistics_counts_a_pool_miss_when_the_pool_is_exhausted(tmp_path):
    """IOS's pool `misses` counts the times the pool had no address to give."""
    s = session_with(tmp_path, POOL)
    for n in (20, 21, 22):
        s.execute(f"simulate tcp 10.10.10.{n} 1000 198.51.100.1 80 syn")
    out = s.execute("show ip nat statistics").output
    assert "\ttype generic, total addresses 2, allocated 2 (100%), misses 1\n" in out


def test_show_ip_nat_statistics_for_pat_on_the_interface(tmp_path):
    s = session_with(tmp_path, PAT)
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate udp 10.10.10.21 1000 198.51.100.1 53")
    assert s.execute("show ip nat statistics").output == (
        "Total active translations: 4 (2 static, 2 dynamic; 2 extended)\n"
        "Outside interfaces:\n"
        "  Ethernet2/0\n"
        "Inside interfaces:\n"
        "  Ethernet2/1\n"
        "Hits: 0  Misses: 2\n"
        "Expired translations: 0\n"
        "Dynamic mappings:\n"
        "-- Inside Source\n"
        "[Id: 1] access-list 1 interface Ethernet2/0 refcount 2\n")


def test_show_ip_nat_translations_is_empty_without_entries(tmp_path):
    s = kit.session(tmp_path, router=kit.router("interface Ethernet0/0\n"
                                                " ip address 10.0.0.1 255.255.255.0\n"
                                                " ip nat inside\n"))
    assert s.execute("show ip nat translations").output == ""


# ------------------------------------------------------------------ property
SOURCE_PORT = st.sampled_from([1, 2, 511, 512, 1023, 1024, 1025, 3000]) | st.integers(1, 65535)
FLOW = st.tuples(st.sampled_from([TCP, UDP]), st.integers(10, 40), SOURCE_PORT,
                 st.sampled_from([WEB, DNS, ip_to_int("203.0.113.7")]),
                 st.sampled_from([22, 53, 80, 443, 8080]))


def _range_of(port):
    return next(r for r in PORT_GROUPS if r[0] <= port <= r[1])


@given(st.lists(FLOW, min_size=1, max_size=40))
def test_pat_gives_unique_global_ports_and_translates_every_reply_back(flows):
    """Each new flow gets its own port if free, else the lowest free port of its group."""
    e = engine_with(PAT)
    now = 0.0
    for proto, host, sport, dst, dport in flows:
        now += 0.5
        p = Packet.tcp(h(host), dst, sport, dport) if proto == TCP else \
            Packet.udp(h(host), dst, sport, dport)
        taken = set(e.nat.ports[(proto, ROUTER_OUT)].used) if (proto, ROUTER_OUT) in \
            e.nat.ports else set()
        out = e.forward(p, INSIDE, now)
        assert out.forwarded and out.egress == OUTSIDE
        assert out.out_packet.src == ROUTER_OUT
        assert _range_of(out.out_packet.sport) == _range_of(sport)
        [made] = [step.subject for step in out.steps if step.phase == "nat-out"]
        if made.created:
            first, last = port_group(proto, sport)
            lowest = next(n for n in range(first, last + 1) if n not in taken)
            assert out.out_packet.sport == (sport if sport not in taken else lowest)
        live = [(x.proto, x.inside_global) for x in extended(e)]
        assert len(live) == len(set(live))
        back = e.forward(reply_to(out.out_packet), OUTSIDE, now + 0.1)
        assert back.forwarded and back.egress == INSIDE
        assert (back.out_packet.dst, back.out_packet.dport) == (h(host), sport)
        assert (back.out_packet.src, back.out_packet.sport) == (dst, dport)
    # the ports in use are exactly those of the live entries
    for (proto, address), ports in e.nat.ports.items():
        assert ports.used == {x.inside_global[1] for x in extended(e)
                              if x.proto == proto and x.inside_global[0] == address}

"""The NAT translation table through the seed router's engine: PAT port keeping and allocation,
pool leases and exhaustion, outside-initiated traffic to a leased address, every
`ip nat translation` timeout, the hit/miss/expired counters, `clear ip nat translation *`, and
the `show ip nat` texts."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iosfw.cli.session import Session
from iosfw.cli.startup import StartupStore, builtin_text
from iosfw.clock import Clock
from iosfw.config.loader import load_text
from iosfw.config.names import ip_to_int
from iosfw.device import Device
from iosfw.engine.nattable import PORT_RANGES
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


def seed_with(extra: str = "") -> str:
    text = builtin_text()
    cut = text.rindex("\nend")
    return text[:cut] + "\n" + extra + text[cut:]


def engine_with(extra: str = "") -> Engine:
    result = load_text(seed_with(extra))
    assert [d for d in result.diagnostics if "error" in str(d).lower()] == []
    return Engine(result.router)


def session_with(tmp_path, extra: str = "") -> Session:
    router = load_text(seed_with(extra)).router
    return Session(Device(router, StartupStore(tmp_path / "startup"), Clock()), privileged=True)


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
    (1000, 1001),        # in 512-1023
    (511, 1),            # the top of 1-511 wraps to its bottom
    (1023, 512),         # the top of 512-1023 wraps to 512
    (65535, 1024),       # the top of 1024-65535 wraps to 1024
    (5000, 5001),
    (1, 2),
])
def test_pat_takes_the_next_free_port_of_the_same_range(port, taken_next):
    e = engine_with(PAT)
    first = e.forward(Packet.tcp(h(20), WEB, port, 80), INSIDE, 0.0)
    second = e.forward(Packet.tcp(h(21), WEB, port, 80), INSIDE, 0.1)
    assert first.out_packet.sport == port
    assert second.forwarded and second.out_packet.src == ROUTER_OUT
    assert second.out_packet.sport == taken_next


def test_pat_skips_every_port_in_use_and_frees_ports_when_entries_expire():
    e = engine_with(PAT)
    for n in range(3):          # three hosts all from port 2000: 2000, 2001, 2002
        out = e.forward(Packet.udp(h(20 + n), WEB, 2000, 9999), INSIDE, 0.0)
        assert out.out_packet.sport == 2000 + n
    assert sorted(x.inside_global[1] for x in extended(e)) == [2000, 2001, 2002]
    e.tick(300.0)               # udp-timeout 300: all three go, their ports are free again
    assert extended(e) == []
    out = e.forward(Packet.udp(h(22), WEB, 2000, 9999), INSIDE, 301.0)
    assert out.out_packet.sport == 2000


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
    assert {x.inside_local[0]: x.children for x in simple(e)} == {h(20): 2, h(21): 1}


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


def test_a_lease_stays_while_flows_use_it_then_times_out_after_timeout():
    e = engine_with(POOL + "ip nat translation timeout 1000\n")
    e.forward(Packet.udp(h(20), WEB, 1000, 7), INSIDE, 0.0)     # udp-timeout 300
    e.tick(999.0)
    assert extended(e) == [] and len(simple(e)) == 1             # flow gone at 300, lease stays
    e.forward(Packet.udp(h(20), WEB, 1001, 7), INSIDE, 999.0)   # a new flow renews it
    e.tick(1998.0)
    assert len(simple(e)) == 1
    e.tick(1999.0)                                               # 1000 s after its last use
    assert simple(e) == [] and e.nat.entries == {} and e.nat.expired == 3
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
    made = [x for x in extended(e) if x.outside_local == (CLIENT, 5555)]
    assert len(made) == 1 and made[0].inside_global == (POOL_A, 22)
    assert made[0].parent is not None and made[0].parent.inside_local == (h(20), 0)
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
    assert s.engine.nat.entries == {} and s.engine.nat.ports.get((TCP, POOL_A), set()) == set()
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
    assert e.nat.clear() == 4
    out = e.forward(Packet.tcp(h(22), WEB, 1000, 80), INSIDE, 1.0)
    assert out.forwarded and out.out_packet.src == POOL_A
    assert e.nat.next_deadline() == 61.0                      # syn-timeout of the new flow


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
        "tcp 172.22.1.200:1000  10.10.10.20:1000   198.51.100.1:80    198.51.100.1:80\n"
        "udp 172.22.1.200:5000  10.10.10.20:5000   198.51.100.53:53   198.51.100.53:53\n"
        "--- 172.22.1.200       10.10.10.20        ---                ---\n"
        "tcp 172.22.1.201:1000  10.10.10.21:1000   198.51.100.1:80    198.51.100.1:80\n"
        "--- 172.22.1.201       10.10.10.21        ---                ---\n")


def test_show_ip_nat_translations_puts_one_space_after_an_overrunning_field(tmp_path):
    s = session_with(tmp_path, PAT)
    s.execute("simulate udp 10.10.10.123 65000 203.113.254.254 65001")
    s.execute("simulate icmp 10.10.10.5 198.51.100.10 echo")
    out = s.execute("show ip nat translations").output
    assert "udp 172.22.1.16:65000  10.10.10.123:65000 203.113.254.254:65001 " \
           "203.113.254.254:65001\n" in out
    assert "icmp 172.22.1.111:0    10.10.10.5:0       198.51.100.10:0    198.51.100.10:0\n" in out


def test_show_ip_nat_translations_verbose_gives_ages_and_time_left(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate udp 10.10.10.20 5000 198.51.100.9 123")
    s.execute("simulate clock advance 20")
    assert s.execute("show ip nat translations verbose").output == (
        "Pro Inside global      Inside local       Outside local      Outside global\n"
        "--- 172.22.1.110       10.10.10.2         ---                ---\n"
        "    create 00:00:20, use 00:00:20, \n"
        "    flags: \n"
        "static, use_count: 0\n"
        "--- 172.22.1.111       10.10.10.5         ---                ---\n"
        "    create 00:00:20, use 00:00:20, \n"
        "    flags: \n"
        "static, use_count: 0\n"
        "udp 172.22.1.200:5000  10.10.10.20:5000   198.51.100.9:123   198.51.100.9:123\n"
        "    create 00:00:20, use 00:00:20, left 00:04:40, Map-Id(In): 1, \n"
        "    flags: \n"
        "extended, use_count: 0\n"
        "--- 172.22.1.200       10.10.10.20        ---                ---\n"
        "    create 00:00:20, use 00:00:20, left 23:59:40, Map-Id(In): 1, \n"
        "    flags: \n"
        "none, use_count: 1\n")


def test_show_ip_nat_statistics_for_a_pool(tmp_path):
    s = session_with(tmp_path, POOL)
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 syn")
    s.execute("simulate tcp 10.10.10.20 1000 198.51.100.1 80 ack")
    assert s.execute("show ip nat statistics").output == (
        "Total active translations: 4 (2 static, 2 dynamic; 1 extended)\n"
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
    router = load_text("interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\n"
                       " ip nat inside\n").router
    s = Session(Device(router, StartupStore(tmp_path / "startup"), Clock()), privileged=True)
    assert s.execute("show ip nat translations").output == ""


# ------------------------------------------------------------------ property
FLOW = st.tuples(st.sampled_from([TCP, UDP]), st.integers(10, 40), st.integers(1, 65535),
                 st.sampled_from([WEB, DNS, ip_to_int("203.0.113.7")]),
                 st.sampled_from([22, 53, 80, 443, 8080]))


def _range_of(port):
    return next(r for r in PORT_RANGES if r[0] <= port <= r[1])


@given(st.lists(FLOW, min_size=1, max_size=40))
def test_pat_gives_unique_global_ports_and_translates_every_reply_back(flows):
    e = engine_with(PAT)
    now = 0.0
    for proto, host, sport, dst, dport in flows:
        now += 0.5
        p = Packet.tcp(h(host), dst, sport, dport) if proto == TCP else \
            Packet.udp(h(host), dst, sport, dport)
        out = e.forward(p, INSIDE, now)
        assert out.forwarded and out.egress == OUTSIDE
        assert out.out_packet.src == ROUTER_OUT
        assert _range_of(out.out_packet.sport) == _range_of(sport)
        live = [(x.proto, x.inside_global) for x in extended(e)]
        assert len(live) == len(set(live))
        back = e.forward(reply_to(out.out_packet), OUTSIDE, now + 0.1)
        assert back.forwarded and back.egress == INSIDE
        assert (back.out_packet.dst, back.out_packet.dport) == (h(host), sport)
        assert (back.out_packet.src, back.out_packet.sport) == (dst, dport)
    # the ports in use are exactly those of the live entries
    for (proto, address), ports in e.nat.ports.items():
        assert ports == {x.inside_global[1] for x in extended(e)
                         if x.proto == proto and x.inside_global[0] == address}

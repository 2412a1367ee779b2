"""Hypothesis: whatever traffic went through the seed router (random TCP flags, UDP, ICMP echo,
from inside hosts and from outside to the mail server, replies included, at random times), once
it stops and the virtual clock passes the longest timeout, every timer-driven table is empty:
sessions, half-open indexes, dynamic and extended NAT entries, the DoS state and the ACL log.
Only the static translations remain and nothing is pending. And at any moment, nothing overdue
survives a tick."""
import kit
from hypothesis import given, note
from hypothesis import strategies as st

from iosfw.config.names import int_to_ip, ip_to_int
from iosfw.engine.packet import ACK, FIN, PSH, RST, SYN, TCP, UDP, Packet
from iosfw.engine.pipeline import Engine

INSIDE, OUTSIDE = "Ethernet2/1", "Ethernet2/0"
MAIL_GLOBAL = ip_to_int("172.22.1.110")
TWO_DAYS = 2 * 86400.0

# PAT for the other inside hosts, logged denies, and thresholds low enough to be reached
EXTRAS = """
access-list 1 permit 10.10.10.0 0.0.0.255
ip nat inside source list 1 interface Ethernet2/0 overload
access-list 101 deny tcp any any eq telnet log
access-list 101 deny icmp any any log-input
ip inspect max-incomplete high 6
ip inspect max-incomplete low 3
ip inspect one-minute high 8
ip inspect one-minute low 4
ip inspect audit-trail
"""
# a pool without overload in place of PAT: address entries only, two addresses for four hosts
POOL = ("ip nat pool P 172.22.1.200 172.22.1.201 netmask 255.255.255.0\n"
        "ip nat inside source list 1 pool P\n")
# None: the seed router as it is; else the extras and this per-host limit (or the pool)
VARIANT = st.sampled_from([None, "", "ip inspect tcp max-incomplete host 3 block-time 0",
                           "ip inspect tcp max-incomplete host 3 block-time 1", "pool"])

FLAGS = st.sampled_from([SYN, SYN, ACK, SYN | ACK, FIN | ACK, RST, PSH | ACK, 0])
INSIDE_HOST = st.sampled_from([2, 5, 9, 20, 21, 33]).map(lambda n: ip_to_int(f"10.10.10.{n}"))
OUTSIDE_HOST = st.sampled_from(["198.51.100.1", "198.51.100.53", "203.0.113.9",
                                "192.0.2.7"]).map(ip_to_int)
PORT = st.sampled_from([25, 53, 80, 123, 1023, 1024, 40000, 65535])

STEP = st.one_of(
    st.tuples(st.just("tcp-out"), INSIDE_HOST, PORT, OUTSIDE_HOST, PORT, FLAGS),
    st.tuples(st.just("udp-out"), INSIDE_HOST, PORT, OUTSIDE_HOST, PORT, st.just(0)),
    st.tuples(st.just("icmp-out"), INSIDE_HOST, st.just(0), OUTSIDE_HOST, st.just(0),
              st.just(0)),
    st.tuples(st.just("tcp-in"), OUTSIDE_HOST, PORT, st.just(MAIL_GLOBAL),
              st.sampled_from([25, 25, 23]), FLAGS),
    st.tuples(st.just("reply"), st.integers(0, 30), st.just(0), st.just(0), st.just(0), FLAGS),
    # a burst of SYNs (to the mail server, or from one inside host out): the thresholds
    st.tuples(st.just("burst"), st.booleans(), PORT, OUTSIDE_HOST, st.integers(2, 12),
              st.just(SYN)),
)
GAP = st.one_of(st.just(0.0), st.floats(0.0, 5.0), st.sampled_from([29.0, 30.0, 60.0, 300.0]),
                st.floats(0.0, 4000.0))


def router(variant):
    if variant is None:
        return kit.seed_router()
    if variant == "pool":
        extra = EXTRAS.replace("ip nat inside source list 1 interface Ethernet2/0 overload\n",
                               POOL)
    else:
        extra = EXTRAS + variant
    return kit.router(kit.seed_with(extra))


def packets_of(step, sent: list) -> list:
    """The packets a step describes, each with the interface it arrives on."""
    kind, a, ap, b, bp, flags = step
    if kind == "reply":
        if not sent:
            return []
        out = sent[a % len(sent)]
        if out.proto == TCP:
            return [(Packet.tcp(out.dst, out.src, out.dport, out.sport, flags), OUTSIDE)]
        if out.proto == UDP:
            return [(Packet.udp(out.dst, out.src, out.dport, out.sport), OUTSIDE)]
        return [(Packet.icmp(out.dst, out.src, 0), OUTSIDE)]
    if kind == "burst":
        if a:
            return [(Packet.tcp(b, MAIL_GLOBAL, 1024 + ap + n, 25, SYN), OUTSIDE)
                    for n in range(bp)]
        return [(Packet.tcp(ip_to_int("10.10.10.20"), b, 1024 + ap + n, 80, SYN), INSIDE)
                for n in range(bp)]
    if kind == "tcp-out":
        return [(Packet.tcp(a, b, ap, bp, flags), INSIDE)]
    if kind == "udp-out":
        return [(Packet.udp(a, b, ap, bp), INSIDE)]
    if kind == "icmp-out":
        return [(Packet.icmp(a, b, 8), INSIDE)]
    return [(Packet.tcp(a, b, ap, bp, flags), OUTSIDE)]


def assert_nothing_overdue(engine: Engine, now: float) -> None:
    for s in engine.sessions.sessions.values():
        assert s.deadline > now, (s, now)
    live = {id(s) for s in engine.sessions.sessions.values()}
    half_open = {id(s) for s in engine.sessions.half_open.values()}
    for s in engine.sessions.half_open.values():
        assert id(s) in live and s.state == "SIS_OPENING"
    for per_host in engine.sessions.half_open_by_host.values():
        assert per_host and all(id(s) in half_open and s.ip_proto == TCP
                                for s in per_host.values())
    for e in engine.nat.entries.values():
        if e.expires is not None:
            assert e.expires > now, (e, now)
    for until in engine.dos.blocked.values():
        assert until > now
    pending = engine.next_deadline(now)
    assert pending is None or pending > now


def assert_all_gone(engine: Engine, now: float) -> None:
    sessions, nat, dos = engine.sessions, engine.nat, engine.dos
    assert sessions.sessions == {}
    assert sessions.half_open == {} and sessions.half_open_by_host == {}
    assert nat.entries == {}
    assert nat.ext_in == {} and nat.ext_out == {}
    assert nat.simple_local == {} and nat.simple_global == {}
    assert all(not ports.used for ports in nat.ports.values())
    listing = nat.listing()
    assert [(int_to_ip(e.inside_local[0]), e.static) for e in listing] == [
        ("10.10.10.2", True), ("10.10.10.5", True)]
    assert not dos.aggressive and dos.blocked == {} and dos.rate(now) == 0
    assert engine.acl_log.pending == {}
    assert engine.next_deadline(now) is None


@given(variant=VARIANT, steps=st.lists(st.tuples(GAP, STEP), max_size=40))
def test_everything_expires_through_the_engine(variant, steps):
    engine = kit.engine(router(variant))
    now, sent = 0.0, []
    for gap, step in steps:
        if gap:
            now += gap
            engine.tick(now)
            assert_nothing_overdue(engine, now)
        for packet, ingress in packets_of(step, sent):
            note(f"{now:.3f} {ingress} {packet}")
            outcome = engine.forward(packet, ingress, now)
            assert_nothing_overdue(engine, now)
            if outcome.forwarded and ingress == INSIDE:
                sent.append(outcome.out_packet)
    now += TWO_DAYS
    engine.tick(now)
    assert_all_gone(engine, now)


@given(variant=VARIANT, steps=st.lists(st.tuples(GAP, STEP), max_size=30))
def test_everything_expires_on_the_devices_clock(variant, steps):
    device = kit.device(router(variant))
    sent = []
    for gap, step in steps:
        device.advance(gap)
        assert_nothing_overdue(device.engine, device.now())
        for packet, ingress in packets_of(step, sent):
            outcome = device.forward(packet, ingress)
            if outcome.forwarded and ingress == INSIDE:
                sent.append(outcome.out_packet)
    start = device.now()
    device.advance(TWO_DAYS)
    assert device.now() == start + TWO_DAYS
    assert_all_gone(device.engine, device.now())

"""CBAC's denial-of-service thresholds on the seed router: the max-incomplete and one-minute
alerts (%FW-4-ALERT_ON / ALERT_OFF) with aggressive deletion of the oldest half-open session,
and the per-host limit (%FW-4-HOST_TCP_ALERT_ON, %FW-2-BLOCK_HOST, %FW-4-UNBLOCK_HOST)."""
import kit
import pytest

from iosfw.config.names import ip_to_int
from iosfw.engine import events as ev
from iosfw.engine.packet import ACK, SYN, Packet
from iosfw.engine.pipeline import Engine

MAIL, MAIL_GLOBAL = ip_to_int("10.10.10.2"), ip_to_int("172.22.1.110")
ATTACKER, CLIENT = ip_to_int("203.0.113.99"), ip_to_int("192.0.2.7")
OUTSIDE = "Ethernet2/0"


def engine_with(*lines: str) -> Engine:
    return kit.engine(kit.router(kit.seed_with(*lines)))


def syn(sport: int, src: int = ATTACKER) -> Packet:
    return Packet.tcp(src, MAIL_GLOBAL, sport, 25, SYN)


LAB = ("ip inspect max-incomplete high 40", "ip inspect max-incomplete low 20",
       "ip inspect one-minute high 60", "ip inspect one-minute low 30",
       "ip inspect tcp synwait-time 10")


# ------------------------------------------------------------------ max-incomplete
def test_alert_on_then_off_with_exact_messages_and_times(tmp_path):
    s = kit.session(tmp_path, *LAB)
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 45 rate 20").output
    assert out == (
        "flood: 45 SYN to 172.22.1.110:25 from 203.0.113.99 at 20/s over 2.200 s: "
        "45 forwarded, 0 dropped\n"
        "*Mar  1 00:00:02.000: %FW-4-ALERT_ON: getting aggressive, count (41/40) "
        "current 1-min rate: 41\n")
    assert s.engine.dos.aggressive
    # the half-open sessions go after synwait (10 s), but the one-minute rate (45) stays above
    # its low mark until the first SYNs are a minute old
    assert s.execute("simulate clock advance 20").output == ""
    assert len(s.engine.sessions.half_open) == 0 and s.engine.dos.aggressive
    out = s.execute("simulate clock advance 60").output
    # rate < 30 once 16 of the 45 are older than 60 s: the 16th SYN left at 0.75 s
    assert out == ("*Mar  1 00:01:00.750: %FW-4-ALERT_OFF: calming down, count (0/20) "
                   "current 1-min rate: 29\n")
    assert not s.engine.dos.aggressive
    assert s.execute("simulate clock advance 600").output == ""


def test_aggressive_mode_deletes_the_oldest_half_open_session_for_each_new_one(tmp_path):
    s = kit.session(tmp_path, *LAB)
    s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 41 rate 20")
    half_open = s.engine.sessions.half_open
    assert len(half_open) == 41 and s.engine.dos.aggressive
    oldest = next(iter(half_open.values()))
    assert oldest.initiator == (ATTACKER, 1024)
    out = s.execute("simulate trace tcp 192.0.2.7 40000 172.22.1.110 25 syn").output
    assert (f" 4 thresholds: aggressive mode (half-open thresholds): half-open session "
            f"{oldest.id:X} deleted\n") in out
    assert out.endswith("Result: forwarded Ethernet2/0 -> Ethernet2/1: "
                        "tcp 192.0.2.7:40000 -> 10.10.10.2:25 S\n")
    assert len(half_open) == 41
    assert all(x is not oldest for x in s.engine.sessions.sessions.values())
    assert next(iter(half_open.values())).initiator == (ATTACKER, 1025)
    s.execute("simulate flood tcp 203.0.113.98 172.22.1.110 25 count 3 rate 20")
    assert len(half_open) == 41
    assert [x.initiator[1] for x in list(half_open.values())[:2]] == [1028, 1029]


def test_aggressive_deletion_does_not_touch_established_sessions():
    e = engine_with(*LAB)
    e.forward(syn(40000, CLIENT), OUTSIDE, 0.0)
    e.forward(Packet.tcp(MAIL, CLIENT, 25, 40000, SYN | ACK), "Ethernet2/1", 0.0)
    e.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 40000, 25, ACK), OUTSIDE, 0.0)
    established = e.sessions.find(Packet.tcp(CLIENT, MAIL, 40000, 25, ACK))[0]
    assert established.state == "SIS_OPEN"
    for n in range(50):
        e.forward(syn(1024 + n), OUTSIDE, 0.01 * n)
    assert e.dos.aggressive and len(e.sessions.half_open) == 41
    assert any(x is established for x in e.sessions.sessions.values())


def test_an_ended_session_is_reported_with_the_aggressive_reason():
    e = engine_with(*LAB)
    for n in range(41):
        e.forward(syn(1024 + n), OUTSIDE, 0.01 * n)
    out = e.forward(syn(2000), OUTSIDE, 1.0)
    ended = [x for x in out.events if isinstance(x, ev.SessionEnded)]
    assert [(x.reason, x.session.initiator) for x in ended] == [("aggressive", (ATTACKER, 1024))]
    assert ("thresholds", "aggressive") in [(st.phase, st.verdict) for st in out.steps]


def test_max_incomplete_alone_counts_half_open_sessions_not_established_ones():
    e = engine_with("ip inspect max-incomplete high 5", "ip inspect max-incomplete low 3")
    for n in range(5):                     # five complete handshakes
        e.forward(syn(3000 + n, CLIENT), OUTSIDE, float(n))
        e.forward(Packet.tcp(MAIL, CLIENT, 25, 3000 + n, SYN | ACK), "Ethernet2/1", float(n))
        e.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 3000 + n, 25, ACK), OUTSIDE, float(n))
    for n in range(5):                     # five half-open: 5 is not above 5
        out = e.forward(syn(4000 + n), OUTSIDE, 10.0)
        assert not [x for x in out.events if isinstance(x, ev.Alert)]
    out = e.forward(syn(5000), OUTSIDE, 10.0)
    assert [x for x in out.events if isinstance(x, ev.Alert)] == [ev.Alert(True, 6, 5, 11)]


# ------------------------------------------------------------------ one-minute rate
def test_the_one_minute_rate_alone_turns_the_alert_on_and_off(tmp_path):
    s = kit.session(tmp_path, "ip inspect max-incomplete high 500",
                     "ip inspect max-incomplete low 400", "ip inspect one-minute high 30",
                     "ip inspect one-minute low 20")
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 30 rate 10").output
    assert "%FW-4" not in out                 # 30 in the last minute is not above 30
    out = s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn").output
    assert out == ("forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 S\n"
                   "*Mar  1 00:00:02.900: %FW-4-ALERT_ON: getting aggressive, count (31/500) "
                   "current 1-min rate: 31\n")
    # synwait (30 s) empties the half-open table long before the rate falls below 20
    assert s.execute("simulate clock advance 40").output == ""
    assert s.engine.dos.aggressive and not s.engine.sessions.half_open
    # 12 of the 31 must be a minute old: the 12th SYN left at 1.1 s
    assert s.execute("simulate clock advance 30").output == (
        "*Mar  1 00:01:01.100: %FW-4-ALERT_OFF: calming down, count (0/400) "
        "current 1-min rate: 19\n")


def test_the_one_minute_rate_counts_connections_that_completed():
    """The rate is of new sessions, whether or not they are still half-open."""
    e = engine_with("ip inspect one-minute high 4", "ip inspect one-minute low 2")
    alerts = []
    for n in range(5):
        out = e.forward(syn(3000 + n, CLIENT), OUTSIDE, float(n))
        alerts += [x for x in out.events if isinstance(x, ev.Alert)]
        e.forward(Packet.tcp(MAIL, CLIENT, 25, 3000 + n, SYN | ACK), "Ethernet2/1", float(n))
        e.forward(Packet.tcp(CLIENT, MAIL_GLOBAL, 3000 + n, 25, ACK), OUTSIDE, float(n))
    assert alerts == [ev.Alert(True, 1, 500, 5)]
    assert not e.sessions.half_open
    events = e.tick(62.0)                 # two left in the last minute: rate 2 is not below 2
    assert not [x for x in events if isinstance(x, ev.Alert)]
    assert e.tick(63.0) == [ev.Alert(False, 0, 400, 1)]
    assert e.next_deadline(63.0) is not None      # the established sessions' idle timers


# ------------------------------------------------------------------ per host
def test_host_limit_with_block_time_zero_deletes_the_oldest_to_that_host(tmp_path):
    s = kit.session(tmp_path, "ip inspect tcp max-incomplete host 3 block-time 0")
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 5 rate 10").output
    assert out == (
        "flood: 5 SYN to 172.22.1.110:25 from 203.0.113.99 at 10/s over 0.400 s: "
        "5 forwarded, 0 dropped\n"
        "*Mar  1 00:00:00.300: %FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (3) "
        "exceeded for host 10.10.10.2.\n")
    waiting = s.engine.sessions.half_open_to(MAIL)
    assert [x.initiator[1] for x in waiting] == [1026, 1027, 1028]
    out = s.execute("simulate trace tcp 192.0.2.7 40001 172.22.1.110 25 syn").output
    assert (f" 4 thresholds: host 10.10.10.2 is over its half-open limit: half-open session "
            f"{waiting[0].id:X} deleted\n") in out
    assert "Result: forwarded Ethernet2/0 -> Ethernet2/1" in out
    assert "%FW-4-HOST_TCP_ALERT_ON" not in out       # already alerted for this host
    assert [x.initiator for x in s.engine.sessions.half_open_to(MAIL)] == [
        (ATTACKER, 1027), (ATTACKER, 1028), (CLIENT, 40001)]
    assert not s.engine.dos.blocked


def test_host_limit_counts_per_host():
    e = engine_with("ip inspect tcp max-incomplete host 2 block-time 0")
    for n in range(2):
        e.forward(syn(1024 + n), OUTSIDE, 0.0)
        e.forward(Packet.tcp(ATTACKER, ip_to_int("172.22.1.111"), 1024 + n, 25, SYN),
                  OUTSIDE, 0.0)          # denied by list 101: nothing to 10.10.10.5
    e.forward(Packet.tcp(ip_to_int("10.10.10.9"), ip_to_int("198.51.100.1"), 1, 80),
              "Ethernet2/1", 0.0)
    e.forward(Packet.tcp(ip_to_int("10.10.10.9"), ip_to_int("198.51.100.1"), 2, 80),
              "Ethernet2/1", 0.0)
    assert len(e.sessions.half_open_to(MAIL)) == 2
    assert len(e.sessions.half_open_to(ip_to_int("198.51.100.1"))) == 2
    assert not e.dos.alerted


def test_host_limit_with_a_block_time_blocks_then_unblocks(tmp_path):
    s = kit.session(tmp_path, "ip inspect tcp max-incomplete host 20 block-time 1")
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 30 rate 50").output
    assert out == (
        "flood: 30 SYN to 172.22.1.110:25 from 203.0.113.99 at 50/s over 0.580 s: "
        "20 forwarded, 10 dropped\n"
        "  10 dropped on Ethernet2/0: inspection: new TCP connections to host 10.10.10.2 are "
        "blocked (half-open limit per host)\n"
        "*Mar  1 00:00:00.400: %FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (20) "
        "exceeded for host 10.10.10.2.\n"
        "*Mar  1 00:00:00.400: %FW-2-BLOCK_HOST: Blocking new TCP connections to host "
        "10.10.10.2 for 1 minute (half-open count 20 exceeded).\n")
    assert s.engine.sessions.half_open_to(MAIL) == []       # all of them deleted
    assert s.execute("show ip inspect sessions").output == ""
    out = s.execute("simulate trace tcp 192.0.2.7 40001 172.22.1.110 25 syn").output
    assert out.endswith(
        " 4 inspection: new TCP connections to host 10.10.10.2 are blocked (half-open limit "
        "per host)\n"
        "Result: dropped on Ethernet2/0: inspection: new TCP connections to host 10.10.10.2 "
        "are blocked (half-open limit per host)\n")
    assert s.execute("simulate clock advance 59").output == ""
    assert s.execute("simulate tcp 192.0.2.7 40002 172.22.1.110 25 syn").output.startswith(
        "dropped on Ethernet2/0: inspection: new TCP connections")
    out = s.execute("simulate clock advance 1").output
    assert out == ("*Mar  1 00:01:00.400: %FW-4-UNBLOCK_HOST: New TCP connections to host "
                   "10.10.10.2 no longer blocked\n")
    assert s.execute("simulate tcp 192.0.2.7 40003 172.22.1.110 25 syn").output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40003 -> 10.10.10.2:25 S\n")
    assert not s.engine.dos.blocked


def test_a_block_of_several_minutes_says_minutes_and_lasts_that_long(tmp_path):
    s = kit.session(tmp_path, "ip inspect tcp max-incomplete host 2 block-time 3")
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 3 rate 1").output
    assert ("*Mar  1 00:00:02.000: %FW-2-BLOCK_HOST: Blocking new TCP connections to host "
            "10.10.10.2 for 3 minutes (half-open count 2 exceeded).\n") in out
    assert s.engine.dos.next_deadline(s.device.now()) == 2.0 + 180
    assert s.execute("simulate clock advance 179").output == ""
    assert s.execute("simulate clock advance 1").output == (
        "*Mar  1 00:03:02.000: %FW-4-UNBLOCK_HOST: New TCP connections to host 10.10.10.2 "
        "no longer blocked\n")


def test_a_blocked_host_blocks_only_tcp_to_that_host():
    e = engine_with("ip inspect tcp max-incomplete host 1 block-time 5",
                    "access-list 101 permit tcp any host 172.22.1.111")
    e.forward(syn(1024), OUTSIDE, 0.0)
    blocked = e.forward(syn(1025), OUTSIDE, 0.1)
    assert not blocked.forwarded
    assert [(st.phase, st.verdict) for st in blocked.steps][-1] == ("inspection", "blocked")
    assert sorted(type(x).__name__ for x in blocked.events) == [
        "HostAlert", "HostBlocked", "SessionEnded"]
    assert [x.reason for x in blocked.events if isinstance(x, ev.SessionEnded)] == ["host"]
    other = e.forward(Packet.tcp(ATTACKER, ip_to_int("172.22.1.111"), 1026, 80), OUTSIDE, 0.2)
    assert other.forwarded        # list 101 lets it in; 10.10.10.5 is not blocked
    again = e.forward(syn(1027), OUTSIDE, 299.9)
    assert not again.forwarded
    later = e.forward(syn(1028), OUTSIDE, 300.1)
    assert [type(x) for x in later.events if not isinstance(x, ev.SessionEnded)] == [
        ev.HostUnblocked]
    assert later.forwarded


@pytest.mark.parametrize("limit", [1, 5])
def test_the_host_alert_is_given_again_after_the_count_fell_below_the_limit(limit):
    e = engine_with(f"ip inspect tcp max-incomplete host {limit} block-time 0",
                    "ip inspect tcp synwait-time 5")
    alerts = []
    for n in range(limit + 2):
        alerts += [x for x in e.forward(syn(1024 + n), OUTSIDE, 0.0).events
                   if isinstance(x, ev.HostAlert)]
    assert alerts == [ev.HostAlert(MAIL, limit)]
    e.tick(10.0)                                    # all half-open sessions gone
    alerts = []
    for n in range(limit + 1):
        alerts += [x for x in e.forward(syn(2024 + n), OUTSIDE, 20.0).events
                   if isinstance(x, ev.HostAlert)]
    assert alerts == [ev.HostAlert(MAIL, limit)]

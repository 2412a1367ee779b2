"""`show ip inspect statistics` (the 12.4 layout, docs/formats.md) after a known sequence of
traffic on the seed router, `clear ip inspect statistics`, and --json."""
import json

import kit
from kit import configure

from iosfw.cli.session import Session

WEB = "10.10.10.5 1040 198.51.100.80 80"

FRESH = (
    "Packet inspection statistics [process switch:fast switch]\n"
    "  tcp packets: [0:0]\n"
    "  udp packets: [0:0]\n"
    "  icmp packets: [0:0]\n"
    "Interfaces configured for inspection 2\n"
    "Session creations since subsystem startup or last reset 0\n"
    "Current session counts (estab/half-open/terminating) [0:0:0]\n"
    "Maxever session counts (estab/half-open/terminating) [0:0:0]\n"
    "Last session created never\n"
    "Last statistic reset never\n"
    "Last session creation rate 0\n"
    "Maxever session creation rate 0\n"
    "Last half-open session total 0\n")


def traffic(s: Session) -> None:
    """Five sessions of every kind; some time out, one closes."""
    for command in (
            f"simulate connect tcp {WEB}",                   # 3 packets, full path
            f"simulate send tcp {WEB} bytes 120",            # fast path (the flow is known)
            f"simulate send tcp {WEB} bytes 1400 reply",     # fast path
            "simulate connect tcp 192.0.2.7 40000 172.22.1.110 25",  # 4, full: smtp reads bytes
            "simulate clock advance 2",
            "simulate udp 10.10.10.5 1053 198.51.100.53 53 bytes 40",  # dns: 5 s
            "simulate icmp 10.10.10.5 198.51.100.80 echo",   # icmp: 10 s
            "simulate icmp 198.51.100.80 172.22.1.111 echo-reply",
            f"simulate close tcp {WEB}",                     # 3, fast path; finwait 5 s
            "simulate tcp 192.0.2.66 1 172.22.1.110 25 syn",  # half-open
            "simulate clock advance 12"):
        assert not s.execute(command).error, command


def test_a_fresh_router_has_counted_nothing(tmp_path):
    assert kit.session(tmp_path).execute("show ip inspect statistics").output == FRESH


def test_statistics_after_known_traffic(tmp_path):
    s = kit.session(tmp_path)
    traffic(s)
    assert s.execute("show ip inspect statistics").output == (
        "Packet inspection statistics [process switch:fast switch]\n"
        "  tcp packets: [8:5]\n"
        "  udp packets: [1:0]\n"
        "  icmp packets: [2:0]\n"
        "Interfaces configured for inspection 2\n"
        "Session creations since subsystem startup or last reset 5\n"
        "Current session counts (estab/half-open/terminating) [1:1:0]\n"
        "Maxever session counts (estab/half-open/terminating) [3:2:1]\n"
        "Last session created 00:00:12\n"
        "Last statistic reset never\n"
        "Last session creation rate 5\n"
        "Maxever session creation rate 5\n"
        "Last half-open session total 1\n")


def test_clear_starts_counting_again_from_what_is_there(tmp_path):
    s = kit.session(tmp_path)
    traffic(s)
    assert s.execute("clear ip inspect statistics").output == ""
    s.execute("simulate clock advance 3")
    assert s.execute("show ip inspect statistics").output == (
        "Packet inspection statistics [process switch:fast switch]\n"
        "  tcp packets: [0:0]\n"
        "  udp packets: [0:0]\n"
        "  icmp packets: [0:0]\n"
        "Interfaces configured for inspection 2\n"
        "Session creations since subsystem startup or last reset 0\n"
        "Current session counts (estab/half-open/terminating) [1:1:0]\n"
        "Maxever session counts (estab/half-open/terminating) [1:1:0]\n"
        "Last session created never\n"
        "Last statistic reset 00:00:03\n"
        "Last session creation rate 5\n"
        "Maxever session creation rate 5\n"
        "Last half-open session total 1\n")


def test_a_configuration_change_keeps_the_counters_and_a_reload_drops_them(tmp_path):
    s = kit.session(tmp_path)
    traffic(s)
    configure(s, "ip inspect tcp idle-time 1800", "interface Serial2/0", "ip inspect IN-OUT out")
    out = s.execute("show ip inspect statistics").output
    assert "  tcp packets: [8:5]\n" in out
    assert "Interfaces configured for inspection 3\n" in out
    s.device.reloaded()
    assert s.execute("show ip inspect statistics").output == FRESH.replace(
        "inspection 2", "inspection 3")


def test_json_gives_the_same_figures(tmp_path):
    s = kit.session(tmp_path)
    traffic(s)
    s.as_json = True
    assert json.loads(s.execute("show ip inspect statistics").output) == {
        "packets": {"tcp": {"process_switch": 8, "fast_switch": 5},
                    "udp": {"process_switch": 1, "fast_switch": 0},
                    "icmp": {"process_switch": 2, "fast_switch": 0}},
        "interfaces_inspected": 2,
        "sessions_created": 5,
        "current": {"established": 1, "half_open": 1, "terminating": 0},
        "maxever": {"established": 3, "half_open": 2, "terminating": 1},
        "last_session_created": 12.0,
        "last_statistic_reset": None,
        "creation_rate": 5,
        "maxever_creation_rate": 5,
        "half_open_total": 1}


def test_user_exec_may_show_them_and_help_offers_them(tmp_path):
    s = kit.session(tmp_path)
    user = kit.session(on=s.device, privileged=False)
    assert user.execute("sh ip insp stat").output == FRESH
    assert "  statistics  Inspection statistics\n" in user.help("show ip inspect ")
    assert "  statistics  Clear inspection statistics\n" in s.help("clear ip inspect ")
    assert user.execute("clear ip inspect statistics").error


def test_the_current_counts_agree_with_the_session_table(tmp_path):
    """Closing sessions leave by RST, by finwait, by clear: the terminating count follows."""
    s = kit.session(tmp_path)
    table = s.engine.sessions

    def scanned():
        states = [x.state for x in table.sessions.values()]
        return (states.count("SIS_OPEN"), states.count("SIS_OPENING"),
                states.count("SIS_CLOSING"))

    for port in (1040, 1041, 1042, 1043):
        s.execute(f"simulate connect tcp 10.10.10.5 {port} 198.51.100.80 80")
        s.execute(f"simulate tcp 10.10.10.5 {port} 198.51.100.80 80 fin")
    assert table.counts() == scanned() == (0, 0, 4)
    s.execute("simulate tcp 10.10.10.5 1040 198.51.100.80 80 rst")
    s.execute("simulate tcp 10.10.10.5 1041 198.51.100.80 80 fin")     # a second FIN
    assert table.counts() == scanned() == (0, 0, 3)
    s.execute("simulate connect tcp 10.10.10.5 1044 198.51.100.80 80")
    s.execute("simulate tcp 10.10.10.5 1045 198.51.100.80 80 syn")
    assert table.counts() == scanned() == (1, 1, 3)
    s.execute("simulate clock advance 5")
    assert table.counts() == scanned() == (1, 1, 0)
    s.execute("clear ip inspect session")
    assert table.counts() == scanned() == (0, 0, 0)
    assert "Maxever session counts (estab/half-open/terminating) [1:1:4]\n" in \
        s.execute("show ip inspect statistics").output

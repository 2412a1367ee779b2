"""The router's log on the seed router: `show logging` (buffered on/off, sizes, levels), which
lines show messages (console, vty with `terminal monitor`), `clear logging`, the access-list
log lines and their five-minute sums, audit trail, and the timestamp prefixes."""
import kit
from kit import configure

from iosfw.cli.session import Session

CONFIG_I = "%SYS-5-CONFIG_I: Configured from console by console"


def vty(s: Session) -> Session:
    return kit.session(on=s.device, line="vty0", peer="192.0.2.50")


def buffer_lines(s: Session) -> list[str]:
    out = s.execute("show logging").output
    _, sep, body = out.partition(" bytes):\n\n")
    assert sep, out
    return body.splitlines()


SHOW_LOGGING_HEAD = (     # 12.4(25d) on a 3745: the first line wraps after `rate-limited,`
    "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited,\n"
    "                0 flushes, 0 overruns, xml disabled, filtering disabled)\n")


# ------------------------------------------------------------------ show logging
def test_show_logging_without_a_buffer(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("show logging").output == SHOW_LOGGING_HEAD + (
        "    Console logging: level debugging, 0 messages logged, xml disabled,\n"
        "                     filtering disabled\n"
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,\n"
        "                     filtering disabled\n"
        "    Buffer logging: disabled, xml disabled,\n"
        "                    filtering disabled\n"
        "    Logging Exception size (4096 bytes)\n"
        "    Count and timestamp logging messages: disabled\n"
        "\n"
        "No active filter modules.\n"
        "\n"
        "    Trap logging: level informational, 0 message lines logged\n"
        "          \n")


def test_show_logging_with_a_buffer_lists_the_messages_after_a_blank_line(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered 8192 informational")
    s.execute("simulate clock advance 5")
    configure(s, "ip inspect audit-trail")
    assert s.execute("show logging").output == SHOW_LOGGING_HEAD + (
        "    Console logging: level debugging, 2 messages logged, xml disabled,\n"
        "                     filtering disabled\n"
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,\n"
        "                     filtering disabled\n"
        "    Buffer logging: level informational, 2 messages logged, xml disabled,\n"
        "                    filtering disabled\n"
        "    Logging Exception size (4096 bytes)\n"
        "    Count and timestamp logging messages: disabled\n"
        "\n"
        "No active filter modules.\n"
        "\n"
        "    Trap logging: level informational, 2 message lines logged\n"
        "          \n"
        "Log Buffer (8192 bytes):\n"
        "\n"
        f"*Mar  1 00:00:00.000: {CONFIG_I}\n"
        f"*Mar  1 00:00:05.000: {CONFIG_I}\n")


def test_logging_buffered_without_a_size_takes_4096_bytes_and_every_level(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered")
    out = s.execute("show logging").output
    assert "    Buffer logging: level debugging, 1 messages logged, xml disabled,\n" in out
    assert out.endswith(f"Log Buffer (4096 bytes):\n\n*Mar  1 00:00:00.000: {CONFIG_I}\n")


def test_the_buffer_level_keeps_only_severe_enough_messages(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered 4096 warnings", "ip inspect max-incomplete high 3",
              "ip inspect max-incomplete low 2")
    s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 4 rate 1")
    assert buffer_lines(s) == [
        ("*Mar  1 00:00:03.000: %FW-4-ALERT_ON: getting aggressive, count (4/3) current 1-min "
         "rate: 4")]
    assert "    Buffer logging: level warnings, 1 messages logged, xml disabled,\n" in \
        s.execute("show logging").output


def test_a_full_buffer_drops_its_oldest_messages(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered 4096", "access-list 101 deny tcp any any log")
    sent = [f"simulate tcp 192.0.2.66 {31000 + n} 172.22.1.110 23 syn" for n in range(60)]
    for line in sent:
        s.execute(line)
    lines = buffer_lines(s)
    assert sum(len(x) + 1 for x in lines) <= 4096
    assert lines[-1] == ("*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp "
                         "192.0.2.66(31059) -> 172.22.1.110(23), 1 packet")
    assert CONFIG_I not in "\n".join(lines)                       # the oldest went first
    assert "192.0.2.66(31000)" not in "\n".join(lines)
    ports = [int(x.split("(")[1].split(")")[0]) for x in lines]
    assert ports == list(range(ports[0], 31060))                   # the newest, in order
    assert len(lines) > 30


def test_no_logging_buffered_turns_the_buffer_off(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered 16384")
    configure(s, "no logging buffered")
    out = s.execute("show logging").output
    assert "    Buffer logging: disabled, xml disabled,\n" in out
    assert "Log Buffer" not in out


# ------------------------------------------------------------------ console and monitor
def test_the_console_shows_messages_after_the_command_output(tmp_path):
    s = kit.session(tmp_path)
    assert configure(s) == f"*Mar  1 00:00:00.000: {CONFIG_I}\n"


def test_no_logging_console_stops_messages_on_the_console(tmp_path):
    s = kit.session(tmp_path)
    assert configure(s, "no logging console") == ""
    assert "    Console logging: disabled\n" in s.execute("show logging").output
    assert s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn").output.startswith(
        "forwarded")
    assert configure(s, "logging console") == f"*Mar  1 00:00:00.000: {CONFIG_I}\n"


def test_logging_console_warnings_hides_notices_and_information_but_not_warnings(tmp_path):
    s = kit.session(tmp_path)
    assert configure(s, "logging console warnings", "access-list 101 deny tcp any any log",
                     "ip inspect max-incomplete high 2", "ip inspect max-incomplete low 1") == ""
    assert s.execute("simulate tcp 192.0.2.66 31000 172.22.1.110 23 syn").output == (
        "dropped on Ethernet2/0 by access list 101 (a deny entry)\n")       # %SEC-6 hidden
    out = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 3 rate 1").output
    assert out.endswith("*Mar  1 00:00:02.000: %FW-4-ALERT_ON: getting aggressive, count (3/2) "
                        "current 1-min rate: 3\n")
    assert "    Console logging: level warnings, 1 messages logged, xml disabled,\n" in \
        s.execute("show logging").output


def test_a_vty_sees_messages_only_with_terminal_monitor(tmp_path):
    s = kit.session(tmp_path)
    v = vty(s)
    configure(s)
    assert v.execute("show clock").output == "*00:00:00.000 UTC Mon Mar 1 1993\n"
    assert v.execute("terminal monitor").output == ""
    console_saw = configure(s)
    assert console_saw == f"*Mar  1 00:00:00.000: {CONFIG_I}\n"
    assert v.execute("show clock").output == (
        f"*00:00:00.000 UTC Mon Mar 1 1993\n*Mar  1 00:00:00.000: {CONFIG_I}\n")
    assert v.execute("terminal no monitor").output == ""
    configure(s)
    assert v.execute("show clock").output == "*00:00:00.000 UTC Mon Mar 1 1993\n"


def test_a_vty_configuring_is_named_in_the_message_the_console_sees(tmp_path):
    s = kit.session(tmp_path)
    v = vty(s)
    assert configure(v) == ""                  # no monitor on the vty
    assert s.execute("show clock").output.endswith(
        "*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console by vty0 "
        "(192.0.2.50)\n")


def test_terminal_monitor_does_not_replay_messages_logged_before_it(tmp_path):
    """Messages that came while the vty was not monitoring were never sent to it; turning the
    monitor on shows what comes afterwards, not what came before."""
    s = kit.session(tmp_path)
    v = vty(s)
    v.execute("show clock")
    configure(s)                                # logged while the vty does not monitor
    assert v.execute("terminal monitor").output == ""
    configure(s)
    assert v.execute("show clock").output.count("%SYS-5-CONFIG_I") == 1


def test_no_logging_monitor_turns_monitor_logging_off(tmp_path):
    s = kit.session(tmp_path)
    v = vty(s)
    v.execute("terminal monitor")
    configure(s, "no logging monitor")
    assert "    Monitor logging: disabled\n" in s.execute("show logging").output
    configure(s)
    assert "%SYS-5-CONFIG_I" not in v.execute("show clock").output


def test_logging_monitor_level_filters_what_a_monitoring_vty_sees(tmp_path):
    s = kit.session(tmp_path)
    v = vty(s)
    v.execute("terminal monitor")
    configure(s, "logging monitor errors")
    v.execute("show clock")
    configure(s)
    assert v.execute("show clock").output == "*00:00:00.000 UTC Mon Mar 1 1993\n"
    assert "    Monitor logging: level errors, 0 messages logged, xml disabled,\n" in \
        s.execute("show logging").output


# ------------------------------------------------------------------ clear logging
def test_clear_logging_asks_and_empties_the_buffer_on_enter(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered")
    reply = s.execute("clear logging")
    assert reply.output == "" and reply.ask is not None
    assert reply.ask.prompt == "Clear logging buffer [confirm]"
    reply.ask.answer("")
    assert buffer_lines(s) == []
    assert s.execute("show logging").output.endswith("\nLog Buffer (4096 bytes):\n\n")
    configure(s)
    assert buffer_lines(s) == [f"*Mar  1 00:00:00.000: {CONFIG_I}"]


def test_clear_logging_keeps_the_buffer_when_not_confirmed(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "logging buffered")
    s.execute("clear logging").ask.answer("n")
    assert buffer_lines(s) == [f"*Mar  1 00:00:00.000: {CONFIG_I}"]


# ------------------------------------------------------------------ access-list log lines
def test_acl_log_reports_the_first_packet_then_five_minute_sums(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 101 deny tcp any any log")
    telnet = "simulate tcp 192.0.2.66 31000 172.22.1.110 23 syn"
    assert s.execute(telnet).output == (
        "dropped on Ethernet2/0 by access list 101 (a deny entry)\n"
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.66(31000) -> "
        "172.22.1.110(23), 1 packet\n")
    s.execute("simulate clock advance 10")
    assert "%SEC" not in s.execute(telnet).output
    s.execute("simulate clock advance 10")
    assert "%SEC" not in s.execute(telnet).output
    assert s.execute("simulate clock advance 279").output == ""
    assert s.execute("simulate clock advance 1").output == (
        "*Mar  1 00:05:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.66(31000) -> "
        "172.22.1.110(23), 2 packets\n")
    # a quiet interval: nothing at 00:10:00, and the next packet is new again
    assert s.execute("simulate clock advance 350").output == ""
    assert s.execute(telnet).output.endswith(
        "*Mar  1 00:10:50.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.66(31000) -> "
        "172.22.1.110(23), 1 packet\n")


def test_acl_log_sums_flows_separately(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 101 deny tcp any any log")
    for port in (31000, 31001, 31000, 31000, 31001):
        s.execute(f"simulate tcp 192.0.2.66 {port} 172.22.1.110 23 syn")
    out = s.execute("simulate clock advance 300").output
    assert sorted(out.splitlines()) == sorted([
        ("*Mar  1 00:05:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.66(31000) -> "
         "172.22.1.110(23), 2 packets"),
        ("*Mar  1 00:05:00.000: %SEC-6-IPACCESSLOGP: list 101 denied tcp 192.0.2.66(31001) -> "
         "172.22.1.110(23), 1 packet")])


def test_acl_log_of_a_permit_entry_says_permitted(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "no access-list 101",
              "access-list 101 permit tcp any host 172.22.1.110 eq smtp log")
    assert s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn").output.endswith(
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGP: list 101 permitted tcp 192.0.2.7(40000) -> "
        "172.22.1.110(25), 1 packet\n")


def test_acl_log_input_names_the_interface_after_the_source(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 101 deny udp any any log-input")
    assert s.execute("simulate udp 192.0.2.66 5000 172.22.1.110 161").output.endswith(
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGP: list 101 denied udp 192.0.2.66(5000) "
        "(Ethernet2/0 0200.ac16.0101) -> 172.22.1.110(161), 1 packet\n")   # 172.22.1.1's MAC


def test_acl_log_of_icmp_gives_type_and_code(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 101 deny icmp any any log")
    assert s.execute("simulate icmp 192.0.2.66 172.22.1.110 echo").output == (
        "dropped on Ethernet2/0 by access list 101 (a deny entry)\n"
        "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGDP: list 101 denied icmp 192.0.2.66 -> "
        "172.22.1.110 (8/0), 1 packet\n")


def test_acl_log_of_a_standard_list_has_no_comma(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 5 deny 10.1.1.1 log", "access-list 5 permit any",
              "interface Ethernet2/1", "ip access-group 5 out")
    out = s.execute("simulate tcp 10.1.1.1 1000 172.22.1.110 25 syn").output
    assert out == ("dropped on Ethernet2/0 by access list 5 (a deny entry)\n"
                   "*Mar  1 00:00:00.000: %SEC-6-IPACCESSLOGS: list 5 denied 10.1.1.1 1 packet\n")


# ------------------------------------------------------------------ audit trail
def test_audit_trail_reports_a_session_when_it_ends(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "ip inspect audit-trail")
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 172 reply")
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 18")
    assert "%FW-6" not in s.execute("simulate close tcp 192.0.2.7 40000 172.22.1.110 25").output
    assert s.execute("simulate clock advance 5").output == (
        "*Mar  1 00:00:05.000: %FW-6-SESS_AUDIT_TRAIL: smtp session initiator "
        "(192.0.2.7:40000) sent 18 bytes -- responder (10.10.10.2:25) sent 236 bytes\n")


def test_audit_trail_on_one_protocol_line_covers_only_its_sessions(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "ip inspect name IN-OUT udp audit-trail on")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123 bytes 48")
    s.execute("simulate tcp 10.10.10.5 2000 198.51.100.10 22 syn")
    assert s.execute("simulate clock advance 30").output == (
        "*Mar  1 00:00:30.000: %FW-6-SESS_AUDIT_TRAIL: udp session initiator "
        "(10.10.10.5:3000) sent 48 bytes -- responder (198.51.100.20:123) sent 0 bytes\n")
    assert s.engine.sessions.sessions == {}          # the tcp one went quietly at 30 s too


def test_clear_ip_inspect_session_reports_each_session_with_audit_trail(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "ip inspect audit-trail")
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 18")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123 bytes 48")
    s.execute("simulate clock advance 3")
    assert s.execute("clear ip inspect session").output == (
        "*Mar  1 00:00:03.000: %FW-6-SESS_AUDIT_TRAIL: smtp session initiator "
        "(192.0.2.7:40000) sent 18 bytes -- responder (10.10.10.2:25) sent 64 bytes\n"
        "*Mar  1 00:00:03.000: %FW-6-SESS_AUDIT_TRAIL: udp session initiator "
        "(10.10.10.5:3000) sent 48 bytes -- responder (198.51.100.20:123) sent 0 bytes\n")
    assert s.execute("show ip inspect sessions").output == ""


def test_without_audit_trail_sessions_end_silently(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    assert s.execute("clear ip inspect session").output == ""
    assert s.engine.sessions.sessions == {}


# ------------------------------------------------------------------ timestamps
def test_timestamps_follow_service_timestamps_log(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate clock advance 3725")
    assert configure(s, "service timestamps log uptime") == f"01:02:05: {CONFIG_I}\n"
    assert configure(s, "service timestamps log datetime") == f"*Mar  1 01:02:05: {CONFIG_I}\n"
    s.execute("simulate clock advance 1")
    assert configure(s, "service timestamps log datetime msec") == \
        f"*Mar  1 01:02:06.000: {CONFIG_I}\n"
    assert configure(s, "no service timestamps log") == f"{CONFIG_I}\n"
    assert configure(s, "service timestamps log datetime msec") == \
        f"*Mar  1 01:02:06.000: {CONFIG_I}\n"


def test_no_service_timestamps_turns_off_log_timestamps_too(tmp_path):
    """`no service timestamps` without a keyword turns off debug and log timestamps."""
    s = kit.session(tmp_path)
    assert configure(s, "no service timestamps") == f"{CONFIG_I}\n"
    running = s.execute("show running-config").output
    assert "no service timestamps log\n" in running
    assert "no service timestamps debug\n" in running


def test_uptime_timestamps_switch_to_days_and_weeks(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "service timestamps log uptime")
    s.execute("simulate clock advance 90000")
    assert configure(s) == f"1d01h: {CONFIG_I}\n"
    s.execute("simulate clock advance 864000")
    assert configure(s) == f"1w4d: {CONFIG_I}\n"


def test_engine_messages_carry_the_time_they_happened_at(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "ip inspect audit-trail", "ip inspect tcp synwait-time 7",
              "service timestamps log uptime")
    s.execute("simulate clock advance 3")
    s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn")
    assert s.execute("simulate clock advance 100").output == (
        "00:00:10: %FW-6-SESS_AUDIT_TRAIL: smtp session initiator (192.0.2.7:40000) sent 0 "
        "bytes -- responder (10.10.10.2:25) sent 0 bytes\n")

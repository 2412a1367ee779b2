"""Behaviour held against real router captures (12.3(4)T where one exists, else the closest
train; docs/formats.md names each source): the 12.3T `show version` banner, the chassis of a
3640, logging levels by number, where asynchronous messages appear, `show logging`."""
from __future__ import annotations

import kit
from kit import configure, privileged_vty

INVALID = "% Invalid input detected at '^' marker."


# ------------------------------------------------------------------ show version
def test_show_version_prints_the_new_banner_of_12_3_4_t(tmp_path):
    lines = kit.session(tmp_path).execute("show version").output.splitlines()
    assert lines[:4] == [
        "Cisco IOS Software, 3600 Software (C3640-IK9O3S-M), Version 12.3(4)T, RELEASE SOFTWARE "
        "(fc1)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2003 by Cisco Systems, Inc.",
        "Compiled Thu 18-Sep-03 15:37 by ccai",
    ]
    assert "SuperLAT software (copyright 1990 by Meridian Technology Corp)." in lines
    assert not any(line.startswith(("Cisco Internetwork", "IOS (tm)", "Image text-base"))
                   for line in lines)


def test_show_version_counts_the_ports_of_the_chassis_not_of_the_configuration(tmp_path):
    s = kit.session(tmp_path, "interface Loopback0", "interface Ethernet2/0.5")
    lines = s.execute("show version").output.splitlines()
    assert ["2 Ethernet interfaces", "1 Serial interface", "1 Channelized T1/PRI port",
            "4 Voice FXS interfaces"] == lines[lines.index("TN3270 Emulation software.") + 1:
                                             lines.index("DRAM configuration is 64 bits wide "
                                                         "with parity disabled.")]


# ------------------------------------------------------------------ the chassis
def test_a_port_beyond_the_four_slots_of_a_3640_is_refused_at_its_number(tmp_path):
    s = kit.session(tmp_path)
    s.execute("configure terminal")
    reply = s.execute("interface Ethernet9/9")
    assert reply.error
    assert reply.output == " " * len("3640-123(config)#interface Ethernet") + "^\n" + \
        INVALID + "\n\n"
    assert s.prompt() == "3640-123(config)#"


def test_a_port_the_network_modules_do_not_have_is_not_created(tmp_path):
    s = kit.session(tmp_path)
    s.execute("configure terminal")
    for typed, column in (("interface Ethernet0/0", 18), ("interface ethernet 2/2", 19),
                          ("interface Serial2/1", 16), ("interface FastEthernet2/0", 22)):
        reply = s.execute(typed)
        assert reply.output == " " * (len("3640-123(config)#") + column) + "^\n" + INVALID + \
            "\n\n", typed
    s.execute("end")
    assert "Ethernet0/0" not in s.execute("show ip interface brief").output
    assert "interface Ethernet0/0" not in s.execute("show running-config").output


def test_logical_interfaces_and_subinterfaces_of_real_ports_are_created(tmp_path):
    s = kit.session(tmp_path, "interface Loopback0", "ip address 192.0.2.1 255.255.255.255",
                     "interface Ethernet2/0.5", "interface Tunnel1")
    shown = s.execute("show running-config").output
    assert "interface Loopback0\n" in shown and "interface Ethernet2/0.5\n" in shown
    assert "interface Tunnel1\n" in shown


def test_a_config_for_missing_hardware_boots_without_those_ports(tmp_path):
    result = kit.load("hostname R1\ninterface Ethernet0/0\n ip address 10.0.0.1 255.0.0.0\n"
                      "interface Ethernet7/0\n ip address 10.1.0.1 255.255.0.0\n", "r1.cfg")
    assert sorted(result.router.interfaces) == ["Ethernet0/0"]
    assert [d.format() for d in result.diagnostics if d.line == 4] == [
        "r1.cfg:4:19: error: % Invalid input detected at '^' marker.\n"
        "    interface Ethernet7/0\n"
        "                      ^"]


def test_a_reload_keeps_the_chassis_and_refuses_ports_it_lacks(tmp_path):
    s = kit.session(tmp_path)
    text = s.execute("show running-config").output.split("\n", 3)[3]
    s.store.write(text.replace("interface Serial2/0\n", "interface Serial3/0\n"))
    reply = s.execute("reload").ask.answer("no").ask.answer("")
    assert "is now available" in reply.output
    s.execute("enable").ask.answer("cisco123")
    brief = s.execute("show ip interface brief").output
    assert "Serial3/0" not in brief and "Ethernet2/0" in brief


# ------------------------------------------------------------------ show logging
def test_show_logging_wraps_its_first_line_and_keeps_the_blank_line_of_spaces(tmp_path):
    lines = kit.session(tmp_path).execute("show logging").output.split("\n")
    assert lines[:2] == [
        "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited,",
        "                0 flushes, 0 overruns, xml disabled, filtering disabled)"]
    trap = lines.index("    Trap logging: level informational, 0 message lines logged")
    assert lines[trap + 1] == " " * 10


def test_monitor_logging_counts_only_messages_that_reached_a_monitoring_terminal(tmp_path):
    s = kit.session(tmp_path)
    configure(s)
    vty = kit.session(on=s.device, line="vty0", peer="192.0.2.9")
    configure(s)
    vty.execute("terminal monitor")
    configure(s)
    configure(s)
    shown = s.execute("show logging").output
    assert "    Console logging: level debugging, 4 messages logged, xml disabled,\n" in shown
    assert "    Monitor logging: level debugging, 2 messages logged, xml disabled,\n" in shown


# ------------------------------------------------------------------ asynchronous messages
def test_a_message_comes_after_the_next_prompt_in_a_console_transcript(iosfw):
    proc = iosfw(input="configure terminal\nhostname R1\nend\nshow clock\n")
    assert proc.stdout.splitlines()[3:] == [
        "R1(config)#end",
        "R1#",
        "*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console by console",
        "show clock",                       # typed at the left margin: no prompt came back
        "*00:00:00.000 UTC Mon Mar 1 1993"]


def test_logging_synchronous_reprints_the_prompt_after_a_message(iosfw):
    proc = iosfw(input="configure terminal\nline con 0\nlogging synchronous\nend\nshow clock\n")
    assert proc.stdout.splitlines()[4:] == [
        "3640-123(config-line)#end",
        "3640-123#",
        "*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console by console",
        "3640-123#show clock",
        "*00:00:00.000 UTC Mon Mar 1 1993"]


def test_logging_synchronous_is_a_line_setting_written_after_the_password(tmp_path):
    s = kit.session(tmp_path, "line vty 0 4", "logging synchronous")
    shown = s.execute("show running-config").output
    assert "line vty 0 4\n password 7 121A0C0411045D5679\n logging synchronous\n login\n" in shown
    configure(s, "line vty 0 4", "no logging synchronous")
    assert "logging synchronous" not in s.execute("show running-config").output


def _vtys(s):
    from iosfw.remote.vty import VtyPool

    pool = VtyPool(s.device)
    return [privileged_vty(pool, "192.0.2.7") for _ in range(2)]


def test_a_monitoring_vty_is_shown_another_lines_message_when_it_happens(tmp_path):
    (watcher, seen), (worker, _) = _vtys(kit.session(tmp_path))
    watcher.data_received(b"terminal monitor\r")
    watcher.data_received(b"sh")                       # typed, not yet sent
    seen.take()
    worker.data_received(b"configure terminal\rend\r")
    assert seen.take() == ("\r\n*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console "
                           "by vty1 (192.0.2.7)\r\n")


def test_logging_synchronous_on_a_vty_reprints_the_prompt_and_what_was_typed(tmp_path):
    s = kit.session(tmp_path, "line vty 0 4", "logging synchronous")
    (watcher, seen), (worker, _) = _vtys(s)
    watcher.data_received(b"terminal monitor\r")
    watcher.data_received(b"sh")
    seen.take()
    worker.data_received(b"configure terminal\rend\r")
    assert seen.take() == ("\r\n*Mar  1 00:00:00.000: %SYS-5-CONFIG_I: Configured from console "
                           "by vty1 (192.0.2.7)\r\n3640-123#sh")

"""What automation tools read of the router's state (issue 14): `show privilege`, `show
processes cpu`, `show memory statistics`, `show inventory`, `show running-config full` and
`show ip route A.B.C.D [MASK]`.

Layouts are compared with captured lines (docs/formats.md gives the sources); the seed
router's outputs are golden files; the parsers the tools use (ntc-templates, napalm's ios
driver, Ansible's cisco.ios facts) read them back."""
from __future__ import annotations

import json
import re

import kit
import pytest
from napalm.ios.ios import IOSDriver
from ntc_templates.parse import parse_output

from iosfw.show import memory, processes

UPTIME = 3 * 86400 + 4 * 3600 + 17 * 60 + 23       # the goldens' uptime: 3d04h

# a 12.x `show processes cpu` capture's header and first row (trailing spaces included)
CAPTURED_HEADER = " PID Runtime(ms)   Invoked      uSecs   5Sec   1Min   5Min TTY Process "
CAPTURED_ROW = "   1          17       231         73  0.00%  0.00%  0.00%   0 Chunk Manager    "
# the captured 3640's chassis entry
CAPTURED_CHASSIS = ('NAME: "3640 chassis", DESCR: "3640 chassis"\n'
                    "PID:                   , VID: 0xFF, SN: FF1045C5\n")


def session(*config: str, privileged: bool = True, uptime: float = UPTIME):
    s = kit.session(None, *config, privileged=privileged)
    s.clock.advance(uptime)
    return s


def as_json(s, line: str):
    s.as_json = True
    try:
        return json.loads(kit.ok(s, line))
    finally:
        s.as_json = False


class Netmiko:
    """What napalm's driver talks to: netmiko's send_command, here on a session's lines."""

    def __init__(self, s):
        self.session = s

    def send_command(self, line: str) -> str:
        return self.session.execute(line).output.rstrip("\n")


def napalm(s) -> IOSDriver:
    driver = IOSDriver("127.0.0.1", "admin", "cisco123")
    driver.device = Netmiko(s)
    return driver


# ------------------------------------------------------------------ show privilege
def test_show_privilege_is_15_once_enabled_and_1_in_user_exec():
    assert kit.ok(session(), "show privilege") == "Current privilege level is 15\n"
    user = session(privileged=False)
    assert kit.ok(user, "show privilege") == "Current privilege level is 1\n"
    reply = user.execute("enable")
    reply.ask.answer(kit.SEED_PASSWORD)
    assert kit.ok(user, "show privilege") == "Current privilege level is 15\n"
    assert as_json(user, "show privilege") == {"privilege": 15}


def test_show_privilege_reads_as_ansible_reads_it():
    """cisco.ios's terminal plugin takes the level from this line after `enable`."""
    from ansible_collections.cisco.ios.plugins.terminal.ios import TerminalModule

    found = TerminalModule.privilege_level_re.search(kit.ok(session(), "show privilege"))
    assert found and int(found.group(1)) == 15


# ------------------------------------------------------------------ show processes cpu
def test_the_process_table_has_the_captured_layout():
    assert processes.HEADER == CAPTURED_HEADER
    row = processes.Row(1, 17, 231, 73, 0.0, 0, "Chunk Manager")
    assert processes.row_text(row) == CAPTURED_ROW
    long = processes.Row(7, 0, 2, 0, 0.0, 0, "Serial Background")
    assert processes.row_text(long).endswith("   0 Serial Backgroun ")


def test_show_processes_cpu_of_the_seed_router():
    kit.assert_golden("show-processes-cpu.txt", kit.ok(session(), "show processes cpu"))


def test_the_figures_are_stable_and_grow_with_the_uptime():
    first = kit.ok(session(), "show processes cpu")
    assert kit.ok(session(), "show processes cpu") == first      # another router, same uptime
    later = {r.pid: r for r in processes.rows(UPTIME + 3600)}
    now = processes.rows(UPTIME)
    assert all(later[r.pid].invoked >= r.invoked and later[r.pid].runtime_ms >= r.runtime_ms
               for r in now)
    grown = {r.name for r in now if later[r.pid].invoked > r.invoked}
    assert {"Load Meter", "Check heaps", "Per-Second Jobs", "IP NAT Ager"} <= grown
    assert processes.rows(0)[1].invoked == 1                     # Load Meter, just booted


def test_ntc_templates_read_every_process():
    text = kit.ok(session(), "show processes cpu")
    parsed = parse_output(platform="cisco_ios", command="show processes cpu", data=text)
    assert [int(p["process_pid"]) for p in parsed] == list(range(1, len(processes.PROCESSES) + 1))
    heaps = next(p for p in parsed if p["process_name"] == "Check heaps")
    assert heaps["cpu_usage_5_sec"] == heaps["cpu_usage_1_min"] == "0"
    assert int(heaps["process_invoked"]) == 1 + UPTIME // 60
    assert int(heaps["process_runtime"]) == int(heaps["process_invoked"]) * 19
    assert heaps["process_cpu_usage_5_min"] == "0.03"
    names = [p["process_name"] for p in parsed]
    for name in ("Load Meter", "Exec", "Pool Manager", "Timers", "ARP Input", "IP Input",
                 "CEF process", "IP NAT Ager"):
        assert name in names


def test_show_processes_cpu_as_json():
    found = as_json(session(), "show processes cpu")
    assert found["one_minute"] == 0 and found["five_seconds_interrupt"] == 0
    assert found["processes"][1] == {"pid": 2, "name": "Load Meter", "invoked": 1 + UPTIME // 5,
                                     "runtime_ms": (1 + UPTIME // 5) * 9 // 1000, "usecs": 8,
                                     "tty": 0, "five_seconds": 0.0, "one_minute": 0.0,
                                     "five_minutes": 0.0}


# ------------------------------------------------------------------ show memory statistics
def test_show_memory_statistics_of_the_seed_router():
    kit.assert_golden("show-memory-statistics.txt", kit.ok(session(), "show memory statistics"))


def test_the_pools_add_up_to_the_memory_show_version_reports():
    s = session()
    main, io = map(int, re.search(r"with (\d+)K/(\d+)K bytes of memory",
                                  kit.ok(s, "show version")).groups())
    processor, io_pool = memory.pools()
    assert processor.head - memory.DRAM_BASE + processor.total == main * 1024
    assert io_pool.total == io * 1024 and io_pool.head == main * 1024
    for pool in (processor, io_pool):
        assert pool.used + pool.free == pool.total
        assert pool.lowest <= pool.largest <= pool.free
    assert (main + io) * 1024 == 128 * 1024 * 1024


def test_napalm_reads_cpu_and_memory():
    env = napalm(session()).get_environment()
    processor, io_pool = memory.pools()
    assert env["cpu"][0]["%usage"] == 0.0
    assert env["memory"] == {"used_ram": processor.used + io_pool.used,
                             "available_ram": processor.total + io_pool.total}


def test_ansible_hardware_facts_read_cpu_and_memory():
    from ansible_collections.cisco.ios.plugins.module_utils.network.ios.facts.legacy.base import (
        Hardware,
    )

    s = session()
    cpu = kit.ok(s, "show processes cpu | include CPU utilization")
    assert Hardware.parse_cpu_utilization(None, cpu) == {
        "core": {"five_seconds": 0, "five_seconds_interrupt": 0, "one_minute": 0,
                 "five_minutes": 0}}
    line = next(x for x in kit.ok(s, "show memory statistics").splitlines()
                if x.startswith("Processor"))
    found = re.match(r"Processor\s+(\S+|\d+)\s+(?P<total>\d+)\s+\d+\s+(?P<free>\d+)", line)
    assert int(found["total"]) == memory.pools()[0].total
    assert int(found["free"]) == memory.pools()[0].free


def test_show_memory_statistics_as_json():
    found = as_json(session(), "show memory statistics")
    assert [p["pool"] for p in found] == ["Processor", "I/O"]
    assert found[1] == {"pool": "I/O", "head": "7A00000", "total": 6291456, "used": 1689184,
                        "free": 4602272, "lowest": 4522576, "largest": 4601948}


# ------------------------------------------------------------------ show inventory
def test_show_inventory_of_the_seed_router():
    text = kit.ok(session(), "show inventory")
    kit.assert_golden("show-inventory.txt", text)
    assert text.replace("01010000", "FF1045C5").startswith(CAPTURED_CHASSIS)


def test_the_chassis_serial_number_is_the_board_id_of_show_version():
    s = session()
    board = int(re.search(r"Processor board ID (\d+)", kit.ok(s, "show version")).group(1))
    parsed = parse_output(platform="cisco_ios", command="show inventory",
                          data=kit.ok(s, "show inventory"))
    assert parsed == [{"name": "3640 chassis", "descr": "3640 chassis", "pid": "",
                       "vid": "0xFF", "sn": f"{board:08X}"}]
    assert as_json(s, "show inventory") == [{"name": "3640 chassis", "descr": "3640 chassis",
                                             "pid": "", "vid": "0xFF", "sn": f"{board:08X}"}]


# ------------------------------------------------------------------ show running-config full
def test_show_running_config_full_of_the_seed_router():
    text = kit.ok(session(), "show running-config full")
    kit.assert_golden("show-running-config-full.txt", text)


def body(text: str) -> list[str]:
    return text.split("\n", 3)[3].splitlines()


def test_full_is_the_running_config_with_the_defaults_written_out():
    s = session()
    plain = body(kit.ok(s, "show running-config"))
    full = body(kit.ok(s, "show running-config full"))
    it = iter(full)
    assert all(line in it for line in plain), "a line of the plain form is missing or moved"
    added = list(full)
    for line in plain:
        added.remove(line)
    assert added == ["ip ssh time-out 120", "ip ssh authentication-retries 3",
                     "ip inspect max-incomplete low 400", "ip inspect max-incomplete high 500",
                     "ip inspect one-minute low 400", "ip inspect one-minute high 500",
                     "ip inspect dns-timeout 5", "ip inspect tcp idle-time 3600",
                     "ip inspect tcp finwait-time 5", "ip inspect tcp synwait-time 30",
                     "ip inspect udp idle-time 30",
                     "ip inspect tcp max-incomplete host 50 block-time 0"]
    text = kit.ok(s, "show running-config full")
    size = int(re.search(r"Current configuration : (\d+) bytes", text).group(1))
    assert size == len("\n".join(full) + "\n")


def test_a_value_that_is_set_is_shown_once_where_its_default_would_be():
    s = session("ip inspect tcp idle-time 1800", "ip ssh authentication-retries 2",
                "ip inspect audit-trail")
    full = body(kit.ok(s, "show running-config full"))
    assert [x for x in full if x.startswith("ip inspect tcp idle-time")] == [
        "ip inspect tcp idle-time 1800"]
    assert [x for x in full if x.startswith("ip ssh")] == [
        "ip ssh time-out 120", "ip ssh authentication-retries 2"]
    at = full.index("ip inspect audit-trail")
    assert full[at + 1] == "ip inspect max-incomplete low 400"
    assert full[at + 11] == "ip inspect name IN-OUT tcp"


def test_full_without_inspection_rules_keeps_the_defaults_in_the_cbac_place():
    s = session("no ip inspect name IN-OUT", "no ip inspect name OUT-IN", "no ip cef",
                "ip dhcp use vrf connected")
    full = body(kit.ok(s, "show running-config full"))
    at = full.index("ip inspect max-incomplete low 400")
    assert full[at - 2:at] == ["!", "!"]
    assert full[at + 10:at + 12] == ["!", "no ip ips deny-action ips-interface"]
    ssh = full.index("ip ssh time-out 120")
    assert full[ssh - 3:ssh] == ["ip subnet-zero", "!", "!"]


def test_full_as_json_and_the_running_config_still_reads_back():
    s = session()
    text = as_json(s, "show running-config full")["text"]
    assert text.splitlines() == body(kit.ok(s, "show running-config full"))
    loaded = kit.load(text, "full")
    assert loaded.diagnostics == []
    assert loaded.router.inspect == s.router.inspect and loaded.router.ssh == s.router.ssh


# ------------------------------------------------------------------ show ip route A.B.C.D
def test_a_connected_route_and_the_default_route():
    s = session()
    kit.assert_golden("show-ip-route-10.10.10.0.txt", kit.ok(s, "show ip route 10.10.10.0"))
    kit.assert_golden("show-ip-route-0.0.0.0.txt", kit.ok(s, "show ip route 0.0.0.0"))
    assert kit.ok(s, "show ip route 10.10.10.77") == kit.ok(s, "show ip route 10.10.10.0")
    assert kit.ok(s, "show ip route 172.22.1.0 255.255.255.0").startswith(
        "Routing entry for 172.22.1.0/24\n")


@pytest.mark.parametrize("line, answer", [
    ("show ip route 8.8.8.8", "% Network not in table\n"),         # only the default holds it
    ("show ip route 192.0.2.1", "% Network not in table\n"),
    ("show ip route 10.20.0.1", "% Subnet not in table\n"),         # 10.0.0.0 has subnets
    ("show ip route 10.10.10.0 255.255.0.0", "% Subnet not in table\n"),
    ("show ip route 10.10.10.0 255.0.255.0", "% Subnet not in table\n"),
    ("show ip route 192.0.2.0 255.255.255.0", "% Network not in table\n"),
])
def test_an_address_or_prefix_without_a_route(line, answer):
    assert kit.ok(session(), line) == answer


def test_static_routes_through_a_next_hop_an_interface_or_both():
    s = session("ip route 192.168.5.0 255.255.255.0 10.10.10.9",
                "ip route 192.168.6.0 255.255.255.0 Ethernet2/1",
                "ip route 192.168.7.0 255.255.255.0 Ethernet2/1 10.10.10.9 7",
                "ip route 192.168.8.0 255.255.255.0 10.10.10.9",
                "ip route 192.168.8.0 255.255.255.0 172.22.1.2",
                "ip route 192.168.0.0 255.255.0.0 Null0")
    lines = kit.ok(s, "show ip route 192.168.5.1").splitlines()
    assert lines[1:4] == ['  Known via "static", distance 1, metric 0',
                          "  Routing Descriptor Blocks:", "  * 10.10.10.9"]
    lines = kit.ok(s, "show ip route 192.168.6.0").splitlines()
    assert lines[1] == '  Known via "static", distance 1, metric 0 (connected)'
    assert lines[3] == "  * directly connected, via Ethernet2/1"
    lines = kit.ok(s, "show ip route 192.168.7.0 255.255.255.0").splitlines()
    assert lines[1:4] == ['  Known via "static", distance 7, metric 0',
                          "  Routing Descriptor Blocks:", "  * 10.10.10.9, via Ethernet2/1"]
    assert kit.ok(s, "show ip route 192.168.8.0").splitlines()[3:] == [
        "  * 10.10.10.9", "      Route metric is 0, traffic share count is 1",
        "    172.22.1.2", "      Route metric is 0, traffic share count is 1"]
    assert kit.ok(s, "show ip route 192.168.9.1").splitlines()[0] == (
        "Routing entry for 192.168.0.0 255.255.0.0, supernet")
    assert kit.ok(s, "show ip route 192.168.9.0 255.255.255.0") == "% Network not in table\n"


def test_a_shut_interface_takes_its_connected_route_away():
    s = session("interface Ethernet2/1", "shutdown")
    assert kit.ok(s, "show ip route 10.10.10.1") == "% Network not in table\n"


def test_show_ip_route_address_as_json():
    s = session()
    assert as_json(s, "show ip route 0.0.0.0") == {
        "found": True, "network": "0.0.0.0", "prefix_length": 0, "protocol": "static",
        "distance": 1, "metric": 0, "candidate_default": True,
        "paths": [{"next_hop": "172.22.1.1", "interface": None, "active": True}]}
    assert as_json(s, "show ip route 10.10.10.3")["paths"] == [
        {"next_hop": None, "interface": "Ethernet2/1", "active": True}]
    assert as_json(s, "show ip route 10.99.0.1") == {"found": False,
                                                     "message": "% Subnet not in table"}


def test_napalm_get_route_to():
    driver = napalm(session())
    assert driver.get_route_to("10.10.10.0/24")["10.10.10.0/24"][0] | {"age": ""} == {
        "protocol": "connected", "outgoing_interface": "Ethernet2/1", "age": "",
        "current_active": True, "routing_table": "default", "last_active": True,
        "protocol_attributes": {}, "next_hop": "", "selected_next_hop": True,
        "inactive_reason": "", "preference": 0}
    assert list(driver.get_route_to("10.10.10.5")) == ["10.10.10.0/24"]
    default = driver.get_route_to("0.0.0.0/0")["0.0.0.0/0"]
    assert [(r["protocol"], r["next_hop"]) for r in default] == [("static", "172.22.1.1")]
    assert driver.get_route_to("198.51.100.1") == {}

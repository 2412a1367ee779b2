"""napalm's `ios` driver against `iosfw serve` over SSH, as an automation engineer uses it:
every getter the issue names returns the router's facts (not `{}`, not an exception).

The configuration operations (load_merge_candidate, compare_config, commit_config) need a
flash file system and SCP on the router: they are tested where those land."""
from __future__ import annotations

import kit
import pytest


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    """An open napalm connection to a freshly served built-in router (in privileged EXEC via
    its enable secret); closed and the server stopped at the end."""
    import napalm

    data = tmp_path_factory.mktemp("napalm")
    with kit.served("--ssh", "127.0.0.1:0", env={"XDG_DATA_HOME": str(data)}) as ports:
        driver = napalm.get_network_driver("ios")
        device = driver(hostname="127.0.0.1", username="admin", password=kit.SEED_PASSWORD,
                        optional_args={"port": ports["ssh"], "secret": kit.SEED_PASSWORD,
                                       "ssh_strict": False, "conn_timeout": 20,
                                       "use_keys": False, "allow_agent": False})
        device.open()
        try:
            yield device
        finally:
            device.close()


def test_get_facts(router):
    facts = router.get_facts()
    assert facts["hostname"] == "3640-123"
    assert facts["vendor"] == "Cisco"
    assert facts["model"] == "3640"
    assert facts["os_version"].startswith("3600 Software (C3640-IK9O3S-M), Version 12.3(4)T")
    assert facts["interface_list"] == ["Ethernet2/0", "Serial2/0", "Ethernet2/1"]
    # `show hosts` says `Default domain is not set`, and napalm joins what follows "is" to the
    # hostname, on a real router as here
    assert facts["fqdn"] == "3640-123.not set"


def test_get_interfaces(router):
    interfaces = router.get_interfaces()
    assert set(interfaces) == {"Ethernet2/0", "Serial2/0", "Ethernet2/1"}
    e20 = interfaces["Ethernet2/0"]
    assert e20["is_up"] and e20["is_enabled"]
    assert e20["mtu"] == 1500 and e20["speed"] == 10.0
    assert e20["mac_address"] != "" and e20["mac_address"].count(":") == 5
    s20 = interfaces["Serial2/0"]
    assert not s20["is_enabled"] and not s20["is_up"]


def test_get_interfaces_ip(router):
    assert router.get_interfaces_ip() == {
        "Ethernet2/0": {"ipv4": {"172.22.1.16": {"prefix_length": 24}}},
        "Ethernet2/1": {"ipv4": {"10.10.10.1": {"prefix_length": 24}}},
    }


def test_get_arp_table_lists_the_routers_own_addresses(router):
    table = router.get_arp_table()
    addresses = {entry["ip"]: entry for entry in table}
    assert {"172.22.1.16", "10.10.10.1"} <= set(addresses)
    assert addresses["172.22.1.16"]["interface"] == "Ethernet2/0"


def test_get_interfaces_counters(router):
    counters = router.get_interfaces_counters()
    assert set(counters) == {"Ethernet2/0", "Serial2/0", "Ethernet2/1"}
    assert {"rx_unicast_packets", "tx_octets"} <= set(counters["Ethernet2/0"])


def test_get_environment(router):
    env = router.get_environment()
    assert env["memory"]["available_ram"] > env["memory"]["used_ram"] > 0
    assert 0.0 <= env["cpu"][0]["%usage"] <= 100.0


def test_get_route_to(router):
    routes = router.get_route_to("10.10.10.2")
    assert list(routes) == ["10.10.10.0/24"]
    (route,) = routes["10.10.10.0/24"]
    assert route["protocol"] == "connected" and route["current_active"]
    default = router.get_route_to("0.0.0.0/0")
    assert list(default) == ["0.0.0.0/0"]
    assert default["0.0.0.0/0"][0]["next_hop"] == "172.22.1.1"
    assert default["0.0.0.0/0"][0]["protocol"] == "static"


def test_ping_with_options(router):
    result = router.ping("10.10.10.2", count=3, size=200, timeout=1)
    assert result["success"]["packet_loss"] == 0
    assert result["success"]["probes_sent"] == 3
    assert [r["ip_address"] for r in result["success"]["results"]] == ["10.10.10.2"] * 3
    assert 0 < result["success"]["rtt_min"] <= result["success"]["rtt_avg"] <= result["success"]["rtt_max"]

"""napalm's `ios` driver against `iosfw serve` over SSH, as an automation engineer uses it:
every getter the issue names returns the router's facts (not `{}`, not an exception), and the
configuration operations work as far as 12.3(4)T allows: a merge (the candidate put on flash:
by SCP, `show archive config incremental-diffs` for its diff, `copy FILE running-config`, the
save) and its discard; a replace candidate's diff, but not its commit nor a rollback, which
need `configure replace` (12.3(7)T) and do nothing here, as on a real 12.3(4)T router
(docs/automation.md)."""
from __future__ import annotations

import contextlib

import kit
import pytest


@contextlib.contextmanager
def connected(data, *options: str):
    """An open napalm connection to `iosfw serve OPTIONS` (its data under `data`), in
    privileged EXEC; closed and the server stopped at the end."""
    import napalm

    with kit.served("--ssh", "127.0.0.1:0", *options,
                    env={"XDG_DATA_HOME": str(data)}) as ports:
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


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    """A freshly served built-in router, logged in with its line password, enabled with its
    enable secret."""
    with connected(tmp_path_factory.mktemp("napalm")) as device:
        yield device


@pytest.fixture(scope="module")
def scp_router(tmp_path_factory):
    """The built-in router with its SCP server on, which copies only for a privilege-15 user
    of `login local` (docs/remote.md): `admin` is one, with the seed's password."""
    data = tmp_path_factory.mktemp("napalm-config")
    config = data / "scp.cfg"
    config.write_text(kit.seed_with(f"username admin privilege 15 secret {kit.SEED_PASSWORD}",
                                    "ip scp server enable", "line vty 0 4", " login local"))
    with connected(data, "--config", str(config)) as device:
        yield device


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
    success = result["success"]
    assert 0 < success["rtt_min"] <= success["rtt_avg"] <= success["rtt_max"]


# ------------------------------------------------------------------ configuration operations
MERGE = "interface Ethernet2/1\n description merged by napalm\n"


def test_merge_is_compared_committed_and_saved(scp_router):
    scp_router.load_merge_candidate(config=MERGE)
    assert scp_router.compare_config() == (
        "+interface Ethernet2/1\n+ description merged by napalm")
    scp_router.commit_config()
    config = scp_router.get_config()
    assert " description merged by napalm\n" in config["running"]
    assert " description merged by napalm\n" in config["startup"]     # napalm saved it
    assert scp_router.compare_config() == ""          # nothing left to merge
    # commit copied the running-config first: napalm's rollback file
    listing = scp_router.cli(["dir flash:"])["dir flash:"]
    assert "rollback_config.txt" in listing and "merge_config.txt" in listing


def test_a_discarded_merge_leaves_the_running_config_as_it_was(scp_router):
    before = scp_router.get_config()["running"]
    scp_router.load_merge_candidate(config="interface Ethernet2/1\n description second\n")
    assert scp_router.compare_config() == "+interface Ethernet2/1\n+ description second"
    scp_router.discard_config()
    assert scp_router.get_config()["running"] == before
    assert scp_router.compare_config() == ""       # `copy null:` emptied the candidate


def test_a_merge_the_router_refuses_raises_and_stays_half_applied(scp_router):
    """napalm answers a refused line with its automatic rollback, a `configure replace` this
    release refuses: what the merge configured before the refused line stays."""
    from napalm.base.exceptions import MergeConfigException

    scp_router.load_merge_candidate(
        config="interface Ethernet2/1\n description half applied\n bogus command\n")
    with pytest.raises(MergeConfigException, match="Invalid input detected"):
        scp_router.commit_config()
    assert " description half applied\n" in scp_router.get_config()["running"]


def test_a_revert_timer_needs_the_archive_of_a_later_release(scp_router):
    from napalm.base.exceptions import MergeConfigException

    before = scp_router.get_config()["running"]
    scp_router.load_merge_candidate(config="ip route 192.168.9.0 255.255.255.0 10.10.10.254\n")
    with pytest.raises(MergeConfigException, match="requires 'archive' feature"):
        scp_router.commit_config(revert_in=60)
    assert scp_router.get_config()["running"] == before


def test_replace_is_compared_but_its_commit_and_rollback_change_nothing(scp_router):
    """`configure replace` is refused (12.3(7)T has it), and napalm does not notice: its check
    of the answer looks for `error` or `failed`, not `% Invalid input`. So the commit and the
    rollback return as if they had worked, and the running-config is as it was."""
    before = scp_router.get_config()["running"]
    candidate = before.replace("ip route 0.0.0.0 0.0.0.0 172.22.1.1\n",
                               "ip route 0.0.0.0 0.0.0.0 172.22.1.254\n")
    assert candidate != before
    scp_router.load_replace_candidate(config=candidate)
    assert scp_router.compare_config() == ("+ip route 0.0.0.0 0.0.0.0 172.22.1.254\n"
                                           "-ip route 0.0.0.0 0.0.0.0 172.22.1.1")
    scp_router.commit_config()
    assert scp_router.get_config()["running"] == before
    scp_router.rollback()
    assert scp_router.get_config()["running"] == before
    refusal = scp_router.cli(["configure replace flash:/candidate_config.txt force"])
    assert "% Invalid input detected at '^' marker." in refusal[
        "configure replace flash:/candidate_config.txt force"]

"""Ansible's cisco.ios collection against `iosfw serve` over SSH, as an automation engineer
runs it (tests/ansible/playbook.yml): `become: enable` (network_cli sends `show privilege`
after `enable`), `ios_command`, `ios_facts` with `gather_subset: all`, and `ios_config` with
`parents`/`lines` and `save_when: modified` — which must change the router once, save it, and
change nothing the second time."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import kit
import pytest

PLAYBOOK = kit.ROOT / "tests" / "ansible" / "playbook.yml"
ANSIBLE = Path(sys.executable).with_name("ansible-playbook")


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """The playbook run once against a freshly served built-in router: (results, the saved
    startup-config's text, ansible's output)."""
    tmp = tmp_path_factory.mktemp("ansible")
    data = tmp / "data"
    results = tmp / "results.json"
    with kit.served("--ssh", "127.0.0.1:0", env={"XDG_DATA_HOME": str(data)}) as ports:
        inventory = tmp / "inventory.ini"
        inventory.write_text(
            "[routers]\n"
            f"r1 ansible_host=127.0.0.1 ansible_port={ports['ssh']}\n"
            "[routers:vars]\n"
            "ansible_connection=ansible.netcommon.network_cli\n"
            "ansible_network_os=cisco.ios.ios\n"
            "ansible_network_cli_ssh_type=paramiko\n"
            f"ansible_user=admin\nansible_password={kit.SEED_PASSWORD}\n"
            "ansible_become=true\nansible_become_method=enable\n"
            f"ansible_become_password={kit.SEED_PASSWORD}\n")
        config = tmp / "ansible.cfg"       # none of the user's: only what the test says
        config.write_text("[defaults]\nhost_key_checking = False\n")
        env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"), HOME=str(tmp),
                   ANSIBLE_PERSISTENT_COMMAND_TIMEOUT="30", ANSIBLE_COMMAND_TIMEOUT="30",
                   ANSIBLE_CONFIG=str(config), XDG_DATA_HOME=str(data),
                   PATH=f"{ANSIBLE.parent}{os.pathsep}{os.environ.get('PATH', '')}")
        run = subprocess.run([str(ANSIBLE), "-i", str(inventory), str(PLAYBOOK),
                              "-e", f"results_file={results}"],
                             capture_output=True, text=True, env=env, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    saved = data / "iosfw" / "3640-123.startup-config"
    return json.loads(results.read_text()), saved.read_text(), output


def test_ios_command_runs_show_commands_after_become_enable(played):
    results, _, _ = played
    version, brief = results["shown"]["stdout"]
    assert "Cisco IOS Software, 3600 Software (C3640-IK9O3S-M), Version 12.3(4)T" in version
    assert brief.splitlines()[0].startswith("Interface")
    assert "Ethernet2/0                172.22.1.16" in brief


def test_ios_facts_gathers_the_router(played):
    facts = played[0]["facts"]["ansible_facts"]
    assert facts["ansible_net_hostname"] == "3640-123"
    assert facts["ansible_net_version"] == "12.3(4)T"
    interfaces = facts["ansible_net_interfaces"]
    assert interfaces["Ethernet2/0"]["ipv4"] == [{"address": "172.22.1.16", "subnet": "24"}]
    assert interfaces["Ethernet2/1"]["ipv4"] == [{"address": "10.10.10.1", "subnet": "24"}]
    assert facts["ansible_net_all_ipv4_addresses"] == ["172.22.1.16", "10.10.10.1"]
    assert "flash:" in facts["ansible_net_filesystems"]


def test_ios_config_changes_once_and_saves(played):
    results, saved, _ = played
    assert results["configured"]["changed"] is True
    assert results["again"]["changed"] is False
    assert " description inside LAN (set by Ansible)" in saved.splitlines()

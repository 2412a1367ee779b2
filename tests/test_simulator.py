"""iosfw's `simulate` commands on the seed router: a scenario replayed through the console
script, compared to its golden transcript, and the session blocks of `show ip inspect`."""
import os
import subprocess
import sys

import kit
from kit import ROOT, assert_golden

SCENARIO = ROOT / "examples" / "scenarios" / "seed-smtp-and-dns.txt"


def test_seed_scenario_replays_to_its_golden_transcript(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    with open(SCENARIO) as stdin:
        proc = subprocess.run([sys.executable, "-m", "iosfw"], stdin=stdin, env=env,
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert_golden("scenario-seed-smtp-and-dns.txt", proc.stdout)


def test_show_ip_inspect_all_ends_with_the_sessions(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn")
    out = s.execute("show ip inspect all").output
    assert out.endswith("Half-open Sessions\n"
                        " Session 6155930C (192.0.2.7:40000)=>(10.10.10.2:25) smtp SIS_OPENING\n")


def test_a_half_open_smtp_session_goes_after_synwait(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn")
    s.execute("simulate clock advance 29")
    assert "SIS_OPENING" in s.execute("show ip inspect sessions").output
    s.execute("simulate clock advance 1")
    assert s.execute("show ip inspect sessions").output == ""


def test_a_configuration_change_applies_to_the_next_packet(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("simulate tcp 192.0.2.7 40001 172.22.1.110 23 syn").output.startswith("dropped")
    for line in ("configure terminal", "access-list 101 permit tcp any host 172.22.1.110 eq telnet",
                 "end"):
        s.execute(line)
    assert s.execute("simulate tcp 192.0.2.7 40001 172.22.1.110 23 syn").output.startswith(
        "forwarded Ethernet2/0 -> Ethernet2/1")


def test_simulate_is_offered_by_help_as_iosfws_own_command(tmp_path):
    listing = kit.session(tmp_path).help("")
    assert "  simulate   (iosfw) Simulate traffic through the router on the virtual clock" in listing


def test_a_source_no_interface_leads_to_is_refused(tmp_path):
    s = kit.session(tmp_path, router=kit.router(
        "interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\n"))
    reply = s.execute("simulate udp 192.0.2.9 1 10.0.0.9 53")
    assert reply.error and "no route back to that source" in reply.output

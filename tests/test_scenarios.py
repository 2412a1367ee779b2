"""Every example scenario replays, through `iosfw --script`, to its golden transcript (written
by us and checked by hand against the behaviour docs/simulator.md describes), and a failing
line stops the replay with its file, line and column."""
import os
import subprocess
import sys

import pytest
from kit import ROOT, assert_golden

SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.txt"))


def replay(tmp_path, *args, config=None):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "iosfw", *args]
    if config:
        command += ["--config", str(config)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_there_are_scenarios_for_each_behaviour_of_the_issue():
    names = {p.stem for p in SCENARIOS}
    assert {"smtp-permitted", "telnet-denied", "inside-browsing", "syn-flood",
            "timeouts"} <= names


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_replays_to_its_golden_transcript(scenario, tmp_path):
    proc = replay(tmp_path, "--script", str(scenario))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert_golden(f"scenario-{scenario.stem}.txt", proc.stdout)


def test_a_refused_line_stops_the_replay_with_file_line_and_column(tmp_path):
    script = tmp_path / "lab.txt"
    script.write_text("show clock\nsimulate tcp 192.0.2.7 40000 172.22.1.110 99999\n"
                      "show access-lists\n")
    proc = replay(tmp_path, "--script", str(script))
    assert proc.returncode == 1
    assert proc.stderr == f"{script}:2:43: % Invalid input detected at '^' marker.\n"
    assert "show access-lists" not in proc.stdout
    assert proc.stdout.endswith(" " * (len("3640-123#") + 42) + "^\n"
                                "% Invalid input detected at '^' marker.\n\n")


def test_keep_going_reports_every_refused_line_and_ends_with_status_1(tmp_path):
    script = tmp_path / "lab.txt"
    script.write_text("simulate udp 10.10.10.5 1 8.8.8.8\nshow ip nat translations\n"
                      "simulate clock advance 0\nshow clock\n")
    proc = replay(tmp_path, "--script", str(script), "--keep-going")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"{script}:1: % Incomplete command.", f"{script}:3:24: % Invalid input detected at "
        "'^' marker."]
    assert "3640-123#show clock\n*00:00:00.000 UTC Mon Mar 1 1993\n" in proc.stdout


def test_a_missing_scenario_is_one_line_on_stderr(tmp_path):
    proc = replay(tmp_path, "--script", str(tmp_path / "nowhere.txt"))
    assert proc.returncode == 1
    assert proc.stderr == f"iosfw: {tmp_path / 'nowhere.txt'}: No such file or directory\n"
    assert proc.stdout == ""

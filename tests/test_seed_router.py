"""The built-in router 3640-123 (Cisco document 69309) answers as the document's router does.

`tests/golden/seed-show-ip-inspect-all.txt` is a byte-for-byte copy of the project's acceptance
reference (`../shared/reference/seed-show-ip-inspect-all.txt`). The other golden files were
taken from iosfw's output and read against the formats of ios-facts.md §3 and §6; regenerate
them with `IOSFW_UPDATE_GOLDEN=1 pytest tests/test_seed_router.py` (the reference copy is a
capture, never rewritten: tests/kit.py) and review the diff before committing it.
"""
from __future__ import annotations

import re

import kit
import pytest
from kit import assert_golden, golden

from iosfw.show import running_config

SEED_REFERENCE = "seed-show-ip-inspect-all.txt"

GOLDEN_FILES = {
    "show ip inspect all": SEED_REFERENCE,
    "show running-config": "seed-show-running-config.txt",
    "show access-lists": "seed-show-access-lists.txt",
    "show ip nat translations": "seed-show-ip-nat-translations.txt",
    "show ip interface brief": "seed-show-ip-interface-brief.txt",
    "show ip route": "seed-show-ip-route.txt",
    "show ip inspect config": "seed-show-ip-inspect-config.txt",
    "show ip inspect interfaces": "seed-show-ip-inspect-interfaces.txt",
    "show ip inspect name OUT-IN": "seed-show-ip-inspect-name-OUT-IN.txt",
    "show version": "seed-show-version.txt",
}

HEADER = re.compile(r"\ABuilding configuration\.\.\.\n\nCurrent configuration : (\d+) bytes\n")


def command_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip() and not line.lstrip().startswith("!")]


# ------------------------------------------------------------------ golden outputs
def test_golden_seed_reference_is_a_byte_copy_of_the_shared_reference():
    reference = kit.REFERENCE / SEED_REFERENCE
    if not reference.exists():
        pytest.skip(f"../shared/reference not present: {reference}")
    assert (kit.GOLDEN / SEED_REFERENCE).read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("command, name", GOLDEN_FILES.items(), ids=list(GOLDEN_FILES))
def test_show_command_on_the_seed_router_prints_its_golden_output(session, command, name):
    reply = session.execute(command)
    assert not reply.error
    assert_golden(name, reply.output)


def test_seed_show_ip_inspect_all_via_the_console_script(iosfw):
    proc = iosfw("-c", "show ip inspect all")
    assert proc.returncode == 0
    assert_golden(SEED_REFERENCE, proc.stdout)
    assert proc.stderr == ""


def test_abbreviated_show_ip_inspect_all_via_the_console_script(iosfw):
    proc = iosfw("-c", "sh ip insp al")
    assert proc.returncode == 0
    assert_golden(SEED_REFERENCE, proc.stdout)


def test_every_golden_command_in_one_console_script_run_prints_them_back_to_back(iosfw):
    args = [arg for command in GOLDEN_FILES for arg in ("-c", command)]
    proc = iosfw(*args)
    assert proc.returncode == 0
    assert proc.stdout == "".join(golden(name) for name in GOLDEN_FILES.values())


# ------------------------------------------------------------------ running-config
def test_the_seed_config_loads_without_any_diagnostic():
    result = kit.load(kit.seed_text(), kit.SEED_NAME)
    assert [d.format() for d in result.diagnostics] == []


def test_running_config_command_lines_are_the_seed_config_lines_in_order(seed_router):
    seed = command_lines(kit.seed_text().splitlines())
    shown = command_lines(running_config.render_lines(seed_router))
    assert shown == seed


def test_running_config_body_runs_from_the_first_bang_to_end(seed_router):
    lines = running_config.render_lines(seed_router)
    assert lines[0] == "!"
    assert lines[-1] == "end"


@pytest.mark.parametrize("source", ["session", "render"])
def test_current_configuration_counts_the_bytes_printed_after_it(session, seed_router, source):
    text = session.execute("show running-config").output if source == "session" \
        else running_config.render(seed_router)
    header = HEADER.match(text)
    assert header, text[:120]
    body = text[header.end():]
    assert int(header.group(1)) == len(body.encode("utf-8"))
    assert body == "\n".join(running_config.render_lines(seed_router)) + "\n"


def test_rendered_running_config_reloads_to_the_same_running_config(seed_router):
    first = running_config.render_lines(seed_router)
    again = kit.load("\n".join(first) + "\n", "reloaded")
    assert [d.format() for d in again.diagnostics] == []
    assert running_config.render_lines(again.router) == first


def test_write_memory_saves_a_startup_config_that_boots_the_same_router(session, tmp_path):
    before = session.execute("show running-config").output
    reply = session.execute("write memory")
    assert not reply.error
    assert reply.output.endswith("[OK]\n")
    saved = (tmp_path / "startup-config").read_text(encoding="utf-8")
    rebooted = kit.load(saved, "startup-config")
    assert rebooted.diagnostics == []
    assert running_config.render(rebooted.router) == before

"""The Contextual Configuration Diff Utility of 12.3(4)T (issue 14): `show archive config
differences [FILE1 [FILE2]]` and `show archive config incremental-diffs FILE [ignorecase]`, as
napalm's compare_config reads them; the refusal of what came with 12.3(7)T (`configure
replace`, `show archive`); and the properties of the comparison (iosfw/config/diff.py)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import kit
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kit import assert_golden, ok

from iosfw.cli.help import listing
from iosfw.cli.startup import StartupStore
from iosfw.config import diff

MERGE = "merge_config.txt"


def saved_session(tmp_path):
    """Privileged EXEC on the seed router whose startup-config is the seed's, quiet about
    files (as napalm makes it) so that copies ask nothing."""
    store = StartupStore(tmp_path / kit.STARTUP, fallback=kit.seed_text())
    s = kit.session(on=kit.device(store=store))
    kit.configure(s, "file prompt quiet")
    return s


def on_flash(s, name: str, text: str) -> None:
    """A file put on flash: as an SCP client leaves it (the test stands in for the transfer)."""
    s.device.files.flash.write(name, text.encode())


def running_lines(s) -> list[str]:
    """The running-config as a file (what `show running-config` shows after its header)."""
    return ok(s, "more system:running-config").splitlines()


# ------------------------------------------------------------------ differences
def test_differences_of_the_startup_and_the_running_config_after_changes(tmp_path):
    s = saved_session(tmp_path)
    kit.configure(s, "hostname fw-lab", "interface Ethernet2/1", "description inside LAN",
                  "exit", "access-list 101 deny ip any any log", "no ip http server",
                  "ip route 192.168.50.0 255.255.255.0 10.10.10.254")
    text = ok(s, "show archive config differences nvram:startup-config system:running-config")
    assert_golden("show-archive-config-differences.txt", text)
    # added lines first, in the second file's order, each under the parents that place it;
    # then the removed ones; `deny   ip` with its runs of spaces made one, as IOS prints it
    lines = text.splitlines()
    assert lines.index("interface Ethernet2/1") + 1 == lines.index(" +description inside LAN")
    assert lines.index("+hostname fw-lab") < lines.index("-hostname 3640-123")
    assert "+access-list 101 deny ip any any log" in lines
    assert "access-list 101 deny   ip any any log" in ok(s, "show running-config")


def test_without_files_the_running_config_is_compared_with_the_startup_config(tmp_path):
    s = saved_session(tmp_path)
    kit.configure(s, "interface Serial2/0", "description spare")
    both = "show archive config differences system:running-config nvram:startup-config"
    assert ok(s, "show archive config differences") == ok(s, both)
    assert "interface Serial2/0\n -description spare\n" in ok(s, both)
    # one file: the running-config first, the file second (its lines are the `+` ones)
    assert ok(s, "show archive config differences nvram:startup-config") == ok(s, both)


def test_a_configuration_compared_with_itself_has_no_changes(tmp_path):
    s = saved_session(tmp_path)
    ok(s, "write memory")
    expected = "Contextual Config Diffs:\n!No changes were found\n"
    assert ok(s, "show archive config differences") == expected
    assert ok(s, "show archive config differences system:running-config "
                 "system:running-config") == expected


def test_differences_name_a_whole_new_block_and_a_whole_removed_one(tmp_path):
    s = saved_session(tmp_path)
    kit.configure(s, "interface Loopback4", "description old", "shutdown")
    ok(s, "copy running-config flash:before.cfg")
    kit.configure(s, "interface Loopback3", "description test", "ip address 10.3.3.3 "
                  "255.255.255.255", "exit", "no interface Loopback4")
    text = ok(s, "show archive config differences flash:before.cfg system:running-config")
    assert text.endswith("+interface Loopback3\n +description test\n"
                         " +ip address 10.3.3.3 255.255.255.255\n"
                         "-interface Loopback4\n -description old\n -no ip address\n"
                         " -shutdown\n")


def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path):
    s = saved_session(tmp_path)
    missing = s.execute("show archive config differences flash:nothing.cfg")
    assert missing.error
    assert missing.output == "%Error opening flash:nothing.cfg (File not found)\n"
    assert kit.refused(s, "show archive config incremental-diffs nvram:private-config") == (
        "%Error opening nvram:private-config (Permission denied)\n")


def test_differences_json_gives_the_lines_with_their_depth(tmp_path):
    s = saved_session(tmp_path)
    kit.configure(s, "interface Ethernet2/1", "description inside LAN")
    s.as_json = True
    facts = json.loads(ok(s, "show archive config differences nvram:startup-config "
                             "system:running-config"))
    assert facts["first"] == "nvram:startup-config"
    assert facts["second"] == "system:running-config"
    assert facts["added"][1:] == [
        {"depth": 0, "text": "interface Ethernet2/1", "changed": False},
        {"depth": 1, "text": "description inside LAN", "changed": True}]
    assert facts["removed"] == []


# ------------------------------------------------------------------ incremental-diffs
def test_incremental_diffs_list_what_a_merge_file_would_configure(tmp_path):
    s = saved_session(tmp_path)
    on_flash(s, MERGE, "interface Ethernet2/1\n description merged by napalm\n ip nat inside\n"
                       "ip cef\nip route 192.168.60.0 255.255.255.0 10.10.10.254\nend\n"
                       "hostname after-the-end\n")
    text = ok(s, f"show archive config incremental-diffs flash:/{MERGE}")
    assert_golden("show-archive-config-incremental-diffs.txt", text)
    # what the router has (ip nat inside, ip cef) left out, what follows `end` not read
    assert "ip nat inside" not in text and "ip cef" not in text and "after" not in text


def test_incremental_diffs_of_a_file_the_router_already_has(tmp_path):
    s = saved_session(tmp_path)
    on_flash(s, MERGE, "interface Ethernet2/1\n ip nat inside\n")
    assert ok(s, f"show archive config incremental-diffs flash:{MERGE}") == (
        "!List of Commands:\nend\n!No changes were found\n")


def test_ignorecase_matches_lines_that_differ_only_in_case(tmp_path):
    s = saved_session(tmp_path)
    on_flash(s, MERGE, "INTERFACE ethernet2/1\n description Merged\n IP NAT INSIDE\n")
    plain = ok(s, f"show archive config incremental-diffs flash:{MERGE}")
    assert plain == ("!List of Commands:\nINTERFACE ethernet2/1\n description Merged\n"
                     " IP NAT INSIDE\nend\n")
    assert ok(s, f"show archive config incremental-diffs flash:{MERGE} ignorecase") == (
        "!List of Commands:\nINTERFACE ethernet2/1\n description Merged\nend\n")


def test_a_mode_entered_twice_in_a_file_holds_the_lines_of_both(tmp_path):
    s = saved_session(tmp_path)
    on_flash(s, MERGE, "interface Ethernet2/1\n description one\ninterface Ethernet2/0\n"
                       " half-duplex\ninterface Ethernet2/1\n ip nat inside\n shutdown\n")
    assert ok(s, f"show archive config incremental-diffs flash:{MERGE}") == (
        "!List of Commands:\ninterface Ethernet2/1\n description one\n shutdown\nend\n")


def test_incremental_diffs_json(tmp_path):
    s = saved_session(tmp_path)
    on_flash(s, MERGE, "ip route 192.168.60.0 255.255.255.0 10.10.10.254\n")
    s.as_json = True
    facts = json.loads(ok(s, f"show archive config incremental-diffs flash:/{MERGE}"))
    assert facts == {"file": f"flash:/{MERGE}", "commands": [
        {"depth": 0, "text": "ip route 192.168.60.0 255.255.255.0 10.10.10.254",
         "changed": True}]}


def test_help_offers_the_diff_commands():
    assert "archive" in listing("exec", "show ")
    offered = listing("exec", "show archive ")       # `log`: the Config Logger's (test_archive_log)
    assert [line.split()[0] for line in offered.splitlines() if line] == ["config", "log"]
    offered = listing("exec", "show archive config ")
    assert [line.split()[0] for line in offered.splitlines() if line] == [
        "differences", "incremental-diffs"]
    assert "ignorecase" in listing("exec", "show archive config incremental-diffs flash:x ")
    assert "archive" not in listing("user", "show ")     # privileged EXEC only


# ------------------------------------------------------------------ napalm's merge, in-process
def test_napalm_reads_the_incremental_diff_as_its_merge_diff(tmp_path):
    """The commands napalm's ios driver sends for load_merge_candidate, compare_config,
    commit_config and discard_config (the SCP transfer aside), and what its own parsing makes
    of the answers."""
    from napalm.ios.ios import IOSDriver

    s = saved_session(tmp_path)
    on_flash(s, MERGE, "interface Ethernet2/1\n description merged by napalm\n")
    url = f"flash:/{MERGE}"
    assert "Directory of flash:/merge_config.txt" in ok(s, f"dir {url}")
    diff_text = ok(s, f"show archive config incremental-diffs {url} ignorecase")
    assert IOSDriver._normalize_merge_diff_incr(diff_text) == (
        "+interface Ethernet2/1\n+ description merged by napalm")
    # commit: a rollback copy, then the merge (napalm saves after it)
    ok(s, "copy running-config flash:/rollback_config.txt")
    ok(s, f"copy {url} running-config")
    assert " description merged by napalm\n" in ok(s, "show running-config")
    assert IOSDriver._normalize_merge_diff_incr(
        ok(s, f"show archive config incremental-diffs {url} ignorecase")) == ""
    # discard: napalm makes its replace candidate the running-config
    ok(s, "copy running-config flash:/candidate_config.txt")
    assert ok(s, "show archive config differences system:running-config "
                 "flash:/candidate_config.txt") == (
        "Contextual Config Diffs:\n!No changes were found\n")


def test_napalm_reads_the_replace_diff_though_it_cannot_commit_it(tmp_path):
    from napalm.ios.ios import IOSDriver

    s = saved_session(tmp_path)
    ok(s, "copy running-config flash:/candidate_config.txt")
    kit.configure(s, "ip route 192.168.70.0 255.255.255.0 10.10.10.254")
    text = ok(s, "show archive config differences system:running-config "
                 "flash:/candidate_config.txt")
    driver = SimpleNamespace(auto_file_prompt=True)
    assert IOSDriver._normalize_compare_config(driver, text) == (
        "-ip route 192.168.70.0 255.255.255.0 10.10.10.254")


# ------------------------------------------------------------------ what came with 12.3(7)T
@pytest.mark.parametrize("line, word", [
    ("configure replace flash:/candidate_config.txt force", "replace"),
    ("configure revert now", "revert"),
    ("configure confirm", "confirm"),
    ("show archive config rollback timer", "rollback"),
])
def test_the_archive_and_replace_of_12_3_7_t_are_refused_as_this_release_does(line, word):
    s = kit.session()
    assert kit.caret(s, line) == len(s.prompt()) + line.index(word)
    assert kit.refused(s, line).endswith("% Invalid input detected at '^' marker.\n\n")


def test_show_archive_alone_is_incomplete():
    # napalm's _check_archive_feature finds no `Archive feature not enabled` in this, and its
    # pending-commit check then reads `show archive config rollback timer`'s refusal as none
    assert kit.refused(kit.session(), "show archive") == "% Incomplete command.\n\n"


# ------------------------------------------------------------------ properties
WORDS = st.text(st.sampled_from("abcXYZ019-./ "), min_size=1, max_size=12).filter(str.strip)


@st.composite
def config_lines(draw) -> list[str]:
    """Indented configuration text: each line at most one level deeper than the one above."""
    lines, depth = [], 0
    for _ in range(draw(st.integers(0, 25))):
        depth = draw(st.integers(0, depth + 1 if lines else 0))
        lines.append(" " * depth + draw(WORDS).strip())
    return lines


@given(config_lines())
def test_a_configuration_has_no_differences_with_itself(lines):
    assert diff.contextual(lines, lines).empty
    assert diff.incremental(lines, lines) == ()


@given(config_lines(), config_lines())
def test_what_one_side_adds_the_other_side_removes(a, b):
    forward, back = diff.contextual(a, b), diff.contextual(b, a)
    flip = {"+": "-", "-": "+", "": ""}
    assert back.removed == tuple(diff.DiffLine(x.depth, x.text, flip[x.sign])
                                 for x in forward.added)
    assert diff.incremental(a, b) == forward.added


INTERFACES = ["Ethernet2/0", "Ethernet2/1", "Serial2/0", "Loopback3"]
CHANGES = st.one_of(
    st.builds(lambda i, t: [f"interface {i}", f"description {t}", "exit"],
              st.sampled_from(INTERFACES), st.sampled_from(["uplink", "lab  LAN", "spare"])),
    st.builds(lambda i: [f"interface {i}", "shutdown", "exit"], st.sampled_from(INTERFACES)),
    st.builds(lambda n: [f"ip route 192.168.{n}.0 255.255.255.0 10.10.10.254"],
              st.integers(0, 255)),
    st.builds(lambda a, n: [f"access-list 150 {a} tcp any host 10.10.10.{n} eq www"],
              st.sampled_from(["permit", "deny"]), st.integers(1, 254)),
    st.builds(lambda p: [f"ip inspect name LAB {p}"], st.sampled_from(["tcp", "udp", "ftp"])),
    st.sampled_from([["hostname lab-fw"], ["no ip http server"], ["no ip cef"],
                     ["logging buffered 16384"], ["ip domain-name example.net"]]),
)


@given(st.lists(CHANGES, min_size=1, max_size=6))
def test_merging_the_incremental_diff_leaves_nothing_to_add(changes):
    """Applying the `+` lines of the seed against a changed router (copied into the seed's
    running-config, as napalm's merge does) gives a router that lacks nothing the changed
    one has."""
    target = kit.session()
    kit.configure(target, *[line for change in changes for line in change])
    wanted = running_lines(target)
    base = kit.session()
    commands = ok(base, "show archive config incremental-diffs system:running-config")
    assert commands == "!List of Commands:\nend\n!No changes were found\n"
    on_flash(base, MERGE, "\n".join(line.shown(signed=False) for line in
                                    diff.incremental(running_lines(base), wanted)) + "\n")
    kit.configure(base, "file prompt quiet")
    ok(base, f"copy flash:{MERGE} running-config")
    assert diff.contextual(running_lines(base), wanted).added == ()

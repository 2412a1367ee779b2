"""The test kit (tests/kit.py) does what the other tests take it to do: the helpers read IOS's
answers as IOS gives them, and IOSFW_UPDATE_GOLDEN rewrites golden files but never a capture."""
import os
import warnings

import kit
import pytest
from kit import assert_golden, caret, ok, refused


def test_ok_returns_the_output_of_an_accepted_line():
    assert ok(kit.session(), "show ip inspect name OUT-IN") == kit.golden(
        "seed-show-ip-inspect-name-OUT-IN.txt")


def test_ok_fails_on_a_refused_line():
    with pytest.raises(AssertionError, match="was refused"):
        ok(kit.session(), "show ip inspct all")


def test_refused_returns_the_error_text():
    assert refused(kit.session(), "show ip inspct all").endswith(
        "% Invalid input detected at '^' marker.\n\n")


def test_caret_counts_from_the_start_of_the_prompt():
    s = kit.session()
    assert caret(s, "show ip inspct all") == len("3640-123#show ip ")
    ok(s, "configure terminal")
    assert caret(s, "ip inspect nmae X smtp") == len("3640-123(config)#ip inspect ")


def test_a_session_with_config_is_configured_from_its_console(tmp_path):
    s = kit.session(tmp_path, "hostname R1")
    assert s.prompt() == "R1#"


def test_a_vty_session_shares_the_device_of_the_console():
    console = kit.session()
    vty = kit.session(on=console.device, line="vty0", peer="192.0.2.9", privileged=False)
    kit.configure(console, "hostname R1")
    assert vty.prompt() == "R1>"


def test_seed_with_adds_lines_before_end():
    router = kit.router(kit.seed_with("ip inspect name WEB http", "ip inspect name WEB ftp"))
    assert sorted(router.inspect_rules) == ["IN-OUT", "OUT-IN", "WEB"]


# ------------------------------------------------------------------ golden files
@pytest.fixture
def goldens(tmp_path, monkeypatch):
    """A golden directory of the test's own, with one ordinary golden and one capture."""
    monkeypatch.setattr(kit, "GOLDEN", tmp_path)
    capture = next(iter(kit.CAPTURES))
    (tmp_path / "ordinary.txt").write_text("old\n")
    (tmp_path / capture).write_text("captured\n")
    return tmp_path, capture


def test_a_golden_that_differs_fails_and_says_how_to_rewrite_it(goldens, monkeypatch):
    monkeypatch.delenv(kit.UPDATE_GOLDEN, raising=False)
    with pytest.raises(AssertionError, match="IOSFW_UPDATE_GOLDEN=1"):
        assert_golden("ordinary.txt", "new\n")


def test_update_golden_rewrites_the_file_whole_and_reports_it(goldens, monkeypatch):
    directory, _ = goldens
    monkeypatch.setenv(kit.UPDATE_GOLDEN, "1")
    with pytest.warns(kit.GoldenRewritten, match="ordinary.txt"):
        assert_golden("ordinary.txt", "new\n")
    assert (directory / "ordinary.txt").read_text() == "new\n"
    assert sorted(os.listdir(directory)) == sorted(["ordinary.txt", next(iter(kit.CAPTURES))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # the same text again: nothing to report
        assert_golden("ordinary.txt", "new\n")


def test_update_golden_never_rewrites_a_capture(goldens, monkeypatch):
    directory, capture = goldens
    monkeypatch.setenv(kit.UPDATE_GOLDEN, "1")
    with pytest.raises(AssertionError, match="it is a capture"):
        assert_golden(capture, "regenerated\n")
    assert (directory / capture).read_text() == "captured\n"
    assert_golden(capture, "captured\n")

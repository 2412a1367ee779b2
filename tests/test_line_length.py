"""`length N` in line configuration (the configuration example of docs/adding-a-command.md):
the screen length sessions on the line start with, written back in running-config."""
from __future__ import annotations

import kit

from iosfw.cli.session import Session


def _line_block(s, header: str) -> list[str]:
    lines = kit.ok(s, "show running-config").splitlines()
    start = lines.index(header)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[start:end]


def test_length_is_written_back_after_login_and_before_transport():
    s = kit.session(None, "line vty 0 4", "transport input telnet", "length 0")
    assert _line_block(s, "line vty 0 4")[-2:] == [" length 0", " transport input telnet"]
    kit.configure(s, "line vty 0 4", "no length")
    assert " length 0" not in _line_block(s, "line vty 0 4")
    kit.configure(s, "line vty 0 4", "length 40", "default length")
    assert not any(line.startswith(" length") for line in _line_block(s, "line vty 0 4"))


def test_a_session_starts_with_its_lines_length_and_terminal_length_still_wins():
    device = kit.device()
    kit.configure(kit.session(on=device), "line con 0", "length 0")
    console = kit.session(on=device)
    assert console.terminal_length == 0                      # no --More-- on this line
    assert kit.session(on=device, line="vty0").terminal_length == 24
    kit.ok(console, "terminal length 30")
    assert console.terminal_length == 30
    assert Session(device).terminal_length == 0              # the next one starts from the line


def test_a_length_out_of_range_is_refused_at_the_number():
    s = kit.session()
    kit.ok(s, "configure terminal")
    kit.ok(s, "line con 0")
    out = kit.refused(s, "length 600")
    assert out.startswith(" " * len(s.prompt() + "length ") + "^\n% Invalid input")


def test_help_for_length():
    s = kit.session()
    kit.ok(s, "configure terminal")
    kit.ok(s, "line vty 0 4")
    assert ["length", "Set number of lines on a screen"] in \
        [line.split(None, 1) for line in s.help("").splitlines()]

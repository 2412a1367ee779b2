"""The command layer (iosfw/commands/): every command the grammar has is one registered handler
of its mode, handlers get their values by position (None for an optional word left out), and
the loader says which accepted lines the engine does not act on."""
from __future__ import annotations

import copy
from collections import defaultdict

import kit
import pytest
from lark import Lark

from iosfw.commands.registry import COMMANDS, arguments, lookup
from iosfw.commands.values import IP, Number
from iosfw.parser.grammar import grammar_text
from iosfw.parser.modes import START_RULES, START_SYMBOLS
from iosfw.parser.words import parse

# what the session routes itself, before any handler: `do` runs its EXEC command, and a show
# command with its `| include ...` filter (a node of the start rule) runs the show command
ROUTED = {("config", "do"), ("exec", "exec_cmd"), ("exec", "user_cmd")}


def _grammar_commands() -> set[tuple[str, str]]:
    """(mode kind, alias) of every command a line can be, found from the grammar with Lark
    itself: the aliases reached from each start rule through what iosfw's unwrap passes
    (the start rules, `no`/`default`, and `?` rules that hand up their only child)."""
    lark = Lark(grammar_text(), parser="lalr", lexer="basic",
                start=sorted(START_SYMBOLS), maybe_placeholders=True)
    alternatives = defaultdict(list)
    for rule in lark.rules:
        alternatives[rule.origin.name].append(rule)

    def reached(origin: str, seen: set) -> set[str]:
        found = set()
        for rule in alternatives[origin]:
            kids = [s for s in rule.expansion
                    if not (s.is_term and (s.filter_out or s.name in ("NO", "DEFAULT")))]
            single = len(kids) == 1 and not kids[0].is_term
            passes = origin in START_SYMBOLS or rule.options.expand1 or rule.alias in START_SYMBOLS
            if rule.alias and not (rule.alias in START_SYMBOLS and single):
                found.add(str(rule.alias))
            elif single and passes:
                if kids[0].name not in seen:
                    found |= reached(kids[0].name, seen | {kids[0].name})
            else:
                found.add(str(origin))
        return found

    out = set()
    for mode, start in START_RULES.items():
        kind = "exec" if mode in ("user", "exec") else "config"
        out |= {(kind, alias) for alias in reached(start, {start})}
    return out


def test_every_command_of_the_grammar_has_one_handler_and_every_handler_a_command():
    lookup("config", "hostname")          # the families register themselves
    wanted = _grammar_commands() - ROUTED
    assert sorted(wanted - set(COMMANDS)) == []
    assert sorted(set(COMMANDS) - wanted) == []


@pytest.mark.parametrize("line, values", [
    ("logging buffered", [None, None]),
    ("logging buffered 8192", [8192, None]),
    ("logging buffered 8192 warnings", [8192, "warnings"]),
    ("logging buffered 4", [None, "warnings"]),
    ("logging console", [None]),
])
def test_an_optional_value_left_out_is_none_at_its_position(line, values):
    tree = parse(line, "config_cmd").children[0]
    assert arguments(tree) == values


def test_numbers_and_addresses_keep_their_column_but_the_model_keeps_plain_values():
    tree = parse("ip route 10.0.0.0 255.0.0.0 192.0.2.1 7", "config_cmd").children[0]
    prefix, mask, _, distance, *_ = arguments(tree)
    assert isinstance(prefix, IP) and str(prefix) == "10.0.0.0" and prefix.start_pos == 9
    assert int(mask) == 0xFF000000 and f"{mask}" == "255.0.0.0"
    assert isinstance(distance, Number) and distance == 7 and distance.start_pos == 38
    assert type(copy.deepcopy(distance)) is int and type(copy.deepcopy(prefix)) is int


def test_a_handler_runs_with_the_no_form_and_its_values():
    s = kit.session()
    kit.configure(s, "logging buffered 16384 informational")
    assert s.router.logging_buffered == (16384, "informational")
    kit.configure(s, "no logging buffered")
    assert s.router.logging_buffered is None


def _warnings(text: str) -> list[str]:
    result = kit.load(text, "lab.cfg")
    assert result.diagnostics == []       # every line applied: these are notes on applied lines
    return [d.format() for d in result.notes]


def test_loading_warns_of_what_is_accepted_but_not_simulated_with_file_line_and_column():
    text = ("ip access-list extended OUT\n"
            " permit tcp any any reflect MIRROR\n"
            " evaluate MIRROR\n"
            "access-list 101 permit ip any any time-range NIGHTS\n")
    found = _warnings(text)
    assert any(w.startswith("lab.cfg:2:") and "accepted, not simulated: reflect" in w
               for w in found), found
    assert any(w.startswith("lab.cfg:3:") and "accepted, not simulated: evaluate" in w
               for w in found), found
    assert any(w.startswith("lab.cfg:4:") and "accepted, not simulated: time-range" in w
               for w in found), found


def test_loading_warns_of_a_name_no_line_defines_wherever_it_is_defined_in_the_file():
    text = ("interface Ethernet0/0\n"
            " ip access-group 150 in\n"
            " ip access-group 101 out\n"
            " ip inspect NOSUCH out\n"
            "access-list 101 permit ip any any\n")      # defined after it is used: no warning
    found = _warnings(text)
    assert [w for w in found if "not defined" in w] == [
        "lab.cfg:2:18: warning: access list 150 is not defined in this configuration: "
        "ip access-group 150 in",
        "lab.cfg:4:13: warning: inspection rule NOSUCH is not defined in this configuration: "
        "ip inspect NOSUCH out",
    ]

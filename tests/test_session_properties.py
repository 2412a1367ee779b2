"""A property of the console Session: whatever is typed, in whatever mode, the Session answers
without raising, and a line it refuses changes nothing.

Lines are drawn three ways: walks of the command language one word at a time (each next word
is one `?` would offer after the words so far: a keyword, possibly abbreviated, or a value for
a placeholder such as `A.B.C.D` or `<1-99>`, sometimes out of range), mutations of such lines
(a word dropped, replaced, truncated, repeated, upper-cased, swapped, a `no`/`default`/`do` put
in front), and random text. Each example reaches a mode the way a user does (`configure
terminal`, `interface Ethernet2/0`, `line vty 0 4`, `ip access-list extended X`,
`ip access-list standard Y`) and types a few lines there; a refused line must leave
`show running-config` and the prompt exactly as they were.
"""
from __future__ import annotations

import functools
import itertools
import re

import kit
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from iosfw.cli.help import entries
from iosfw.cli.session import Session
from iosfw.parser.words import CommandError
from iosfw.show.running_config import render

MODE_PATHS = {
    "user": (),
    "exec": (),
    "config": ("configure terminal",),
    "config-if": ("configure terminal", "interface Ethernet2/0"),
    "config-line": ("configure terminal", "line vty 0 4"),
    "config-ext-nacl": ("configure terminal", "ip access-list extended X"),
    "config-std-nacl": ("configure terminal", "ip access-list standard Y"),
}

# Values for the placeholders `?` shows; names and addresses the seed router already has
# come up often, so commands meet existing objects as well as new ones.
PLACEHOLDER_VALUES = {
    "A.B.C.D": ["10.10.10.1", "10.10.10.0", "172.22.1.110", "172.22.1.16", "0.0.0.0",
                "255.255.255.0", "0.0.0.255", "255.255.255.255", "255.0.255.0", "1.2.3.4"],
    "WORD": ["X", "Y", "IN-OUT", "OUT-IN", "101", "10", "150", "NEW", "cisco123", "0",
             "02050D4808095E731F", "$1$abcd$abcdefghijklmnopqrstuv", "a,b", "^C"],
    "LINE": ["hello world", "^C motd ^C", "#x#", "^Cunclosed", "show clock", "show ip inspct",
             "sh ip in", "configure terminal", "exit", "reload", "enable", "write memory", "."],
    "<interface>": ["Ethernet2/0", "Ethernet2/1", "Serial2/0", "e2/1", "Loopback0",
                    "Ethernet2/0.5", "Tunnel1", "Ethernet9/9", "FastEthernet0/0", "Dialer1"],
    "<interface-type>": ["Ethernet", "Serial", "Loopback", "Bogus"],
    "hh:mm:ss": ["10:20:30", "00:00:00", "23:59:59", "24:00:00", "99:99:99", "7:05:09"],
    "MONTH": ["Jan", "february", "Jun", "DEC", "sep"],
    "<0-6>/<0-23>": ["3/0", "1/0/0", "0/0", "9/99"],
}
RANGE = re.compile(r"<(-?\d+) ?- ?(-?\d+)>")
ODD_WORDS = ["Ethernet2/0", "IN-OUT", "X", "101", "any", "host", "eq", "www", "0", "-1",
             "4294967296", "|", "?", "no", "default", "do", "exit", "end", "é", "a" * 40]


@functools.lru_cache(maxsize=None)
def _offers(mode: str, typed: str):
    """What `?` offers after `typed` (ending in a space), or None if `typed` is already wrong."""
    try:
        return tuple(entries(mode, typed))
    except CommandError:
        return None


@st.composite
def value_for(draw, shown: str) -> str:
    match = RANGE.fullmatch(shown)
    if match:
        lo, hi = int(match.group(1)), int(match.group(2))
        return str(draw(st.one_of(st.sampled_from([lo, hi, lo - 1, hi + 1]),
                                  st.integers(lo, min(hi, lo + 500)))))
    choices = PLACEHOLDER_VALUES.get(shown)
    if choices is None:
        return draw(st.sampled_from(ODD_WORDS))
    return draw(st.sampled_from(choices))


@st.composite
def grammar_line(draw, mode: str) -> str:
    """A walk of the command language from the start of `mode`, word by word."""
    typed = ""
    for _ in range(draw(st.integers(1, 14))):
        offers = _offers(mode, typed)
        if not offers:
            break
        words = [e for e in offers if e.word != "<cr>"]
        if len(words) < len(offers) and draw(st.booleans()):
            break  # the line could end here
        if not words:
            break
        entry = draw(st.sampled_from(words))
        if entry.keyword:
            word = entry.word
            if len(word) > 2 and draw(st.integers(0, 3)) == 0:
                word = word[:draw(st.integers(1, len(word)))]  # an abbreviation, maybe ambiguous
        else:
            word = draw(value_for(entry.word))
        typed += word + " "
    return typed.rstrip()


@st.composite
def mutated(draw, line: str) -> str:
    words = line.split()
    for _ in range(draw(st.integers(1, 2))):
        if not words:
            words = [draw(st.sampled_from(ODD_WORDS))]
            continue
        i = draw(st.integers(0, len(words) - 1))
        op = draw(st.sampled_from(["drop", "insert", "replace", "truncate", "cut", "prefix",
                                   "upper", "swap", "repeat"]))
        if op == "drop":
            del words[i]
        elif op == "insert":
            words.insert(i, draw(st.sampled_from(ODD_WORDS)))
        elif op == "replace":
            words[i] = draw(st.one_of(st.sampled_from(ODD_WORDS),
                                      st.text(st.characters(min_codepoint=33, max_codepoint=126),
                                              min_size=1, max_size=6)))
        elif op == "truncate":
            words[i] = words[i][:draw(st.integers(1, len(words[i])))]
        elif op == "cut":
            words = words[:i]
        elif op == "prefix":
            words.insert(0, draw(st.sampled_from(["no", "default", "do"])))
        elif op == "upper":
            words[i] = words[i].upper()
        elif op == "swap":
            j = draw(st.integers(0, len(words) - 1))
            words[i], words[j] = words[j], words[i]
        else:
            words.insert(i, words[i])
    spacing = draw(st.sampled_from([" ", " ", "  ", "\t"]))
    return spacing.join(words)


def typed_line(mode: str):
    walk = grammar_line(mode)
    return st.one_of(
        walk,
        walk,
        walk.flatmap(mutated),
        walk.flatmap(mutated),
        grammar_line("exec").map("do {}".format) if mode.startswith("config") else walk,
        st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
        st.text(st.sampled_from(list("abcdeinprstu0129/.:- |?!\t")), max_size=25),
    )


_store_names = itertools.count()


@pytest.fixture(scope="module")
def nvram(tmp_path_factory):
    return tmp_path_factory.mktemp("nvram-property")


def _answer(draw, reply, session: Session):
    """Answer the router's questions (`Password:`, `Save? [yes/no]`, `[confirm]`) a few times."""
    for _ in range(3):
        if reply.ask is None:
            return reply
        typed = draw(st.sampled_from(["", "yes", "no", "y", "n", "cisco123", "wrong", "maybe"]))
        reply = reply.ask.answer(typed)
        assert isinstance(reply.output, str)
    return reply


@settings(max_examples=150,
          suppress_health_check=[*settings().suppress_health_check, HealthCheck.filter_too_much])
@given(mode=st.sampled_from(sorted(MODE_PATHS)), data=st.data())
def test_typed_lines_never_raise_and_a_refused_line_changes_nothing(nvram, mode, data):
    session = kit.session(nvram / str(next(_store_names)), privileged=mode != "user")
    for command in MODE_PATHS[mode]:
        assert not session.execute(command).error, command
    assert session.mode == mode

    for _ in range(data.draw(st.integers(1, 5), label="lines")):
        current = session.mode
        line = data.draw(typed_line(current) if current in MODE_PATHS else
                         grammar_line(current), label=f"line in {current}")
        before, prompt = render(session.router), session.prompt()

        reply = session.execute(line)            # never raises

        assert isinstance(reply.output, str)
        if reply.error:
            note(f"refused in {current}: {line!r}\n{reply.output}")
            assert render(session.router) == before, f"{line!r} was refused but applied"
            assert session.prompt() == prompt, f"{line!r} was refused but changed the mode"
        # `?` and Tab on the same text never raise either
        assert isinstance(session.help(line), str)
        assert isinstance(session.help(line + " "), str)
        completed = session.complete(line)
        assert completed is None or completed.endswith(" ")
        reply = _answer(data.draw, reply, session)
        if reply.closed:
            break

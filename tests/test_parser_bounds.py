"""The parser's caches stay bounded whatever is typed: unique long lines and long words are
read afresh and kept nowhere; the commands typed again stay cached (least recently used
first out)."""
import tracemalloc

import pytest

from iosfw.parser import words as w
from iosfw.parser.words import CommandError, WordParser, parse, word_parser


def fresh() -> WordParser:
    return WordParser(word_parser().g)


def test_unique_long_lines_keep_nothing_and_memory_stays_flat():
    p = fresh()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n in range(3000):
        line = f"description {'x' * 1500}{n} " + " ".join(f"w{n}-{i}" for i in range(60))
        with pytest.raises(CommandError):
            p.parse(line, "exec_cmd")
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    assert len(p._templates) <= w.TEMPLATE_CACHE and len(p._resolved) <= w.RESOLVED_CACHE
    assert grown < 8 * 1024 * 1024, grown


def test_the_caches_never_grow_past_their_bounds():
    p = fresh()
    for n in range(w.TEMPLATE_CACHE + 500):
        p.parse(f"hostname R{n}", "config_cmd")
        p.parse(f"ip route 10.{n % 250}.{n // 250}.0 255.255.255.0 192.0.2.{n % 200 + 1}",
                "config_cmd")
    assert len(p._templates) <= w.TEMPLATE_CACHE
    assert len(p._resolved) <= w.RESOLVED_CACHE


def test_a_command_typed_again_stays_cached_while_others_come_and_go():
    p = fresh()
    p.parse("show ip inspect all", "exec_cmd")
    kept = next(iter(p._templates))
    for n in range(w.TEMPLATE_CACHE * 2):
        p.parse(f"access-list {n % 99 + 1} permit 10.0.{n % 250}.{n // 250}", "config_cmd")
        p.parse(f"interface Loopback{n}", "config_cmd")
        p.parse("show ip inspect all", "exec_cmd")
    assert kept in p._templates


def test_a_long_line_parses_the_same_as_through_the_cache():
    line = "description " + " ".join(f"word{i}" for i in range(200))
    assert str(parse(line, "if_cmd")) == str(fresh()._parse_words(line, "if_cmd",
                                                                   w.split_words(line)))

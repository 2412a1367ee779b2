"""The grammar's sections and their metadata: every file is part of the grammar, every keyword
a state offers has help, no help is given twice, and the numbers the program reads (ports,
ICMP, precedence and TOS) are the ones `?` shows."""
from __future__ import annotations

from collections import defaultdict
from importlib import resources

import pytest

from iosfw.cli.help import _help_text
from iosfw.parser.grammar import SECTIONS, grammar_text, load_grammar, section_texts, tables_key
from iosfw.parser.meta import read_meta


def rule_keywords(rule: str) -> set[str]:
    """The keywords the tables offer inside `rule`."""
    g = load_grammar()
    return {word for context in g.contexts.values() for term, names in context.items()
            if term in g.keywords and any(origin == rule for _, origin in names)
            for word in g.keywords[term]}


def test_every_lark_file_in_grammar_is_a_section():
    files = {p.name for p in resources.files("iosfw.grammar").iterdir()
             if p.name.endswith(".lark")}
    assert files == {f"{name}.lark" for name in SECTIONS}


def test_the_grammar_text_holds_every_section_and_the_tables_key_names_every_file():
    text = grammar_text()
    for name, section in section_texts():
        assert f"// ---- grammar/{name}\n{section}" in text
    key = tables_key(["exec_cmd"])
    assert all(f"('{name}', " in key for name in SECTIONS)


def test_a_section_edited_gives_another_tables_key(tmp_path, monkeypatch):
    """The cache is checked by each file's size and modification time, as Python checks its
    bytecode against its sources: an edited section is compiled afresh."""
    from iosfw.parser import grammar

    for name in SECTIONS:
        (tmp_path / f"{name}.lark").write_text("// " + name + "\n")
    monkeypatch.setattr(grammar, "grammar_dir", lambda: tmp_path)
    before = grammar.tables_key(["exec_cmd"])
    (tmp_path / "line.lark").write_text("// line, edited\n")
    assert grammar.tables_key(["exec_cmd"]) != before


def test_every_keyword_a_state_offers_has_help():
    g = load_grammar()
    missing = sorted({(term, word) for state, context in g.contexts.items() for term in context
                      if term in g.keywords for word in g.keywords[term]
                      if not _help_text(state, term, word)})
    assert missing == []


def test_help_for_the_same_rule_and_keyword_twice_is_an_error():
    section = ('//@ tcp_port "smtp" port=25 Simple Mail Transport Protocol ({port})\n'
               '//@ tcp_port,udp_port "smtp" port=25 SMTP ({port})\n')
    with pytest.raises(ValueError, match="x.lark:2: help for tcp_port 'smtp' already given"):
        read_meta([("x.lark", section)])


def test_no_section_gives_the_same_help_for_a_keyword_on_two_lines():
    """Rules that offer a keyword with the same help share one line (`rule,rule "word"`)."""
    meta = load_grammar().meta
    lines = defaultdict(set)
    for key, (section, number) in meta.origin.items():
        lines[(section, key[1], meta.keyword_help[key])].add(number)
    assert {k: v for k, v in lines.items() if len(v) > 1} == {}


@pytest.mark.parametrize("family, word, number", [("tcp", "smtp", 25), ("udp", "domain", 53)])
def test_every_port_name_has_its_number_and_the_help_shows_it(family, word, number):
    meta = load_grammar().meta
    ports = meta.numbers[(f"{family}_port", "port")]
    assert set(ports) == rule_keywords(f"{family}_port")
    assert ports[word] == number
    for name, port in ports.items():
        assert meta.keyword_help[(f"{family}_port", name)].endswith(f"{port})"), name


def test_every_icmp_name_has_type_and_code_and_the_help_shows_them():
    meta = load_grammar().meta
    types, codes = meta.numbers[("icmp_name", "type")], meta.numbers[("icmp_name", "code")]
    assert set(types) == set(codes) == rule_keywords("icmp_name")
    for word, itype in types.items():
        assert meta.keyword_help[("icmp_name", word)].endswith(f"({itype}/{codes[word]})")
    assert (types["echo"], codes["echo"]) == (8, -1)


@pytest.mark.parametrize("rule", ["precedence", "tos"])
def test_every_precedence_and_tos_name_has_its_value_and_the_help_shows_it(rule):
    meta = load_grammar().meta
    values = meta.numbers[(rule, "value")]
    assert set(values) == rule_keywords(rule)
    for word, value in values.items():
        assert meta.keyword_help[(rule, word)].endswith(f"({value})"), word

"""The one grammar: loads grammar/ios.lark once per process and exposes its LALR tables."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from lark import Lark

from .meta import GrammarMeta, read_meta

# CLI mode -> start rule of the grammar.
START_RULES = {
    "user": "user_cmd",
    "exec": "exec_cmd",
    "config": "config_cmd",
    "config-if": "if_cmd",
    "config-subif": "if_cmd",
    "config-line": "line_cmd",
    "config-ext-nacl": "ext_nacl_cmd",
    "config-std-nacl": "std_nacl_cmd",
    "config-controller": "controller_cmd",
    "config-voiceport": "voiceport_cmd",
    "config-voicecard": "voicecard_cmd",
    "config-cp": "cp_cmd",
}

_ALTERNATION = re.compile(r"^\(\?:((?:[^()|]+\|)*[^()|]+)\)$")


@dataclass(frozen=True)
class ValueTerminal:
    name: str
    regex: re.Pattern
    priority: int
    ranges: tuple[tuple[int, int], ...] = ()

    def fits(self, word: str) -> bool:
        if not self.regex.fullmatch(word):
            return False
        if self.ranges:
            try:
                number = int(word)
            except ValueError:
                return False
            return any(lo <= number <= hi for lo, hi in self.ranges)
        return True


@dataclass
class Grammar:
    lark: Lark
    meta: GrammarMeta
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # terminal -> words
    values: dict[str, ValueTerminal] = field(default_factory=dict)
    states: dict = field(default_factory=dict)
    parse_conf: dict = field(default_factory=dict)  # start rule -> ParseConf

    def base_state(self, start: str):
        return self.parse_conf[start]


def _grammar_text() -> str:
    return resources.files("iosfw.grammar").joinpath("ios.lark").read_text(encoding="utf-8")


def _keywords_of(pattern) -> tuple[str, ...] | None:
    """Literal words of a string terminal or of an alternation of strings; None for a real regex."""
    if pattern.type == "str":
        return (pattern.value,)
    match = _ALTERNATION.match(pattern.value)
    if not match:
        return None
    words = tuple(re.sub(r"\\(.)", r"\1", w) for w in match.group(1).split("|"))
    if all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", w) for w in words):
        return words
    return None


@functools.lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    text = _grammar_text()
    meta = read_meta(text)
    lark = Lark(text, parser="lalr", lexer="basic", start=sorted(set(START_RULES.values())),
                maybe_placeholders=False, cache=True)
    grammar = Grammar(lark=lark, meta=meta)
    for term in lark.terminals:
        words = _keywords_of(term.pattern)
        if words is not None:
            grammar.keywords[term.name] = words
        else:
            flags = re.IGNORECASE if term.name in ("IFNAME", "IFTYPE", "MONTH") else 0
            grammar.values[term.name] = ValueTerminal(
                term.name, re.compile(term.pattern.to_regexp(), flags), term.priority,
                meta.ranges.get(term.name, ()))
    for start in set(START_RULES.values()):
        interactive = lark.parse_interactive("", start=start)
        grammar.parse_conf[start] = interactive.parser_state
    grammar.states = next(iter(grammar.parse_conf.values())).parse_conf.states
    return grammar

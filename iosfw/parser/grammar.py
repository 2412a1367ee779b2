"""The one grammar: grammar/ios.lark, compiled once to LALR tables, with its terminals sorted
into keywords and value patterns."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from .meta import GrammarMeta, read_meta
from .modes import START_RULES
from .tables import load_tables

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
    meta: GrammarMeta
    states: dict                      # state -> {symbol: (SHIFT|REDUCE, state|rule index)}
    rules: list                       # (origin, tree name, size, included children, expand1)
    start_states: dict
    end_states: dict
    contexts: dict                    # state -> {terminal: ((alias, rule), ...)} for help texts
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # terminal -> words
    values: dict[str, ValueTerminal] = field(default_factory=dict)


def grammar_text() -> str:
    return resources.files("iosfw.grammar").joinpath("ios.lark").read_text(encoding="utf-8")


def keywords_of(kind: str, value: str) -> tuple[str, ...] | None:
    """Literal words of a string terminal or of an alternation of strings; None for a real regex."""
    if kind == "str":
        return (value,)
    match = _ALTERNATION.match(value)
    if not match:
        return None
    words = tuple(re.sub(r"\\(.)", r"\1", w) for w in match.group(1).split("|"))
    if all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", w) for w in words):
        return words
    return None


@functools.lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    text = grammar_text()
    meta = read_meta(text)
    tables = load_tables(text, sorted(set(START_RULES.values())))
    grammar = Grammar(meta, tables["states"], tables["rules"], tables["start_states"],
                      tables["end_states"], tables["contexts"])
    for name, (kind, value, regexp, priority) in tables["terminals"].items():
        words = keywords_of(kind, value)
        if words is not None:
            grammar.keywords[name] = words
        else:
            flags = re.IGNORECASE if name in ("IFNAME", "IFTYPE", "MONTH") else 0
            grammar.values[name] = ValueTerminal(name, re.compile(regexp, flags), priority,
                                                 meta.ranges.get(name, ()))
    return grammar

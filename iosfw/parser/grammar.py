"""The one grammar: the sections in grammar/, joined in the order SECTIONS gives, compiled once to
LALR tables, with their terminals sorted into keywords and value patterns.

The sections are joined as text rather than with Lark's `%import`: an imported grammar brings
in only the names it lists and renames what they depend on into its own namespace, so every
rule, terminal and alias another section uses would have to be listed, and sections that refer
to each other both ways (global configuration enters the interface, access-list and inspect
sections, which use its values and shared rules) could not import each other. Joined, the
sections are one grammar with the rule names they had as one file, and the metadata comments,
which Lark ignores, are read from each file with its name for error messages.

The order is part of the trees' contract: Lark names keywords that are not identifiers
(`"running-config"`) `__ANON_0`, `__ANON_1`, ... in order of first appearance, and `!` rules
keep those names as token types. So a new section goes at the end, and a new such keyword
anywhere moves the names after it.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .meta import GrammarMeta, read_meta
from .modes import START_RULES
from .tables import compile_tables, load_tables

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
    rules: list                       # (origin, tree name, size, included, expand1, Nones after)
    start_states: dict
    end_states: dict
    contexts: dict                    # state -> {terminal: ((alias, rule), ...)} for help texts
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # terminal -> words
    values: dict[str, ValueTerminal] = field(default_factory=dict)
    # the nodes of `!` rules, which keep their keywords: a phrase of words to a handler
    phrases: frozenset = frozenset()


# The files of grammar/ (without `.lark`), in the order they are joined.
SECTIONS = ("values", "exec", "clear_debug", "simulate", "lab", "ping", "files", "show",
            "global", "inspect", "nat_routes", "access_lists", "interface", "line", "blocks",
            "archive")


def grammar_dir() -> Path:
    """Where the sections are: the package's `iosfw/grammar/` when installed, the source
    tree's `grammar/` in a checkout or an editable install. Found from the package's own
    path, not with importlib.resources, whose import alone costs a run of iosfw more than
    reading the tables."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "grammar"
    return installed if installed.is_dir() else package.parent / "grammar"


def section_texts() -> list[tuple[str, str]]:
    """(file name, text) of each section, in SECTIONS order."""
    base = grammar_dir()
    return [(f"{name}.lark", (base / f"{name}.lark").read_text(encoding="utf-8"))
            for name in SECTIONS]


def tables_key(starts: list[str]) -> str:
    """What the compiled tables depend on: every section file (its path, size and
    modification time, as Python's own bytecode cache checks its sources) and the start
    rules. A run that finds tables under this key reads no grammar text at all."""
    base = grammar_dir()
    stamps = []
    for name in SECTIONS:
        st = os.stat(base / f"{name}.lark")
        stamps.append((name, st.st_size, st.st_mtime_ns))
    return repr((str(base), stamps, sorted(starts)))


def join_sections(sections: list[tuple[str, str]]) -> str:
    """The one grammar text: each section after a comment naming its file (Lark's errors
    then say which section a line is in)."""
    return "".join(f"// ---- grammar/{name}\n{text}\n" for name, text in sections)


def grammar_text() -> str:
    return join_sections(section_texts())


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


def _compile(starts: list[str]) -> dict:
    """The tables and the metadata, from the sections' text (a cache miss)."""
    sections = section_texts()
    tables = compile_tables(join_sections(sections), starts)
    tables["meta"] = read_meta(sections)
    return tables


@functools.lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    starts = sorted(set(START_RULES.values()))
    tables = load_tables(tables_key(starts), lambda: _compile(starts))
    meta = tables["meta"]
    grammar = Grammar(meta, tables["states"], tables["rules"], tables["start_states"],
                      tables["end_states"], tables["contexts"],
                      phrases=frozenset(tables["phrases"]))
    for name, (kind, value, regexp, priority) in tables["terminals"].items():
        words = keywords_of(kind, value)
        if words is not None:
            grammar.keywords[name] = words
        else:
            flags = re.IGNORECASE if name in ("IFNAME", "IFTYPE", "MONTH") else 0
            grammar.values[name] = ValueTerminal(name, re.compile(regexp, flags), priority,
                                                 meta.ranges.get(name, ()))
    return grammar

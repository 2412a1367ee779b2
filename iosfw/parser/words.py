"""IOS's own way of reading a command line: word by word, each word read in the parser's state.

For each word the LALR state says which terminals may come next. An exact keyword wins, then a
unique keyword prefix (abbreviation), then every value terminal whose pattern and range fit. A
word that fits several value terminals forks the parse (`access-list 101` is a number for a
standard list, an extended list and a remark until the next word decides); forks that fail are
dropped. This is the only parser of command text: config files, the shell, `?` and Tab.
"""
from __future__ import annotations

import functools
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

from .grammar import Grammar, load_grammar
from .tables import SHIFT
from .tree import Token, Tree

_WORD = re.compile(r"\S+")


class Word(NamedTuple):
    text: str
    start: int  # column of the first character, 0-based


def split_words(line: str) -> list[Word]:
    return [Word(m.group(), m.start()) for m in _WORD.finditer(line)]


class CommandError(Exception):
    """A line the grammar does not accept, with what IOS would print for it."""

    def __init__(self, kind: str, line: str, column: int = 0, expected: tuple[str, ...] = (),
                 identified: bool = False, consumed: int = 0):
        self.kind = kind            # "invalid", "incomplete" or "ambiguous"
        self.line = line
        self.column = column        # 0-based column of the offending word
        self.expected = expected    # what the parser would have taken there, as `?` shows it
        self.identified = identified  # the command itself was recognised before it failed
        self.consumed = consumed    # words read before the failure
        super().__init__(self.ios_message())

    def ios_message(self) -> str:
        if self.kind == "ambiguous":
            return f'% Ambiguous command:  "{self.line.strip()}"'
        if self.kind == "incomplete":
            return "% Incomplete command."
        return "% Invalid input detected at '^' marker."

    def describe_expected(self) -> str:
        return ", ".join(self.expected[:12]) + (", ..." if len(self.expected) > 12 else "")


@dataclass(frozen=True)
class StateInfo:
    """What one LALR state accepts, indexed for matching words."""
    keywords: tuple[tuple[str, str, str], ...]  # (lower word, terminal, canonical word)
    values: tuple                               # ValueTerminal, highest priority first
    rest: bool
    end: bool
    prefixes: frozenset = frozenset()           # every prefix of every keyword here


@dataclass
class Choice:
    kind: str              # "keyword", "value", "rest", "ambiguous" or "none"
    terminals: tuple = ()  # (terminal, text) pairs to try


# The caches are bounded and least-recently-used first out, so that what they keep is what a
# router's users type again (commands of the same shape), never what one long or unique line
# brings: a word longer than CACHED_WORD or a line of more than CACHED_WORDS words is read
# afresh each time (it costs what reading it costs, and keeps nothing).
RESOLVED_CACHE = 16_384        # (state, word) decisions
TEMPLATE_CACHE = 4_096         # tree shapes by the line's keywords
CACHED_WORD = 64
CACHED_WORDS = 48


class WordParser:
    def __init__(self, grammar: Grammar):
        self.g = grammar
        self._info: dict = {}
        self._resolved: OrderedDict = OrderedDict()
        self._templates: OrderedDict = OrderedDict()
        self._prefixes = {w.lower()[:n] for words in grammar.keywords.values() for w in words
                          for n in range(1, len(w) + 1)}

    def info(self, state) -> StateInfo:
        cached = self._info.get(state)
        if cached is None:
            actions = self.g.states[state]
            keywords, values = [], []
            for term in actions:
                if term in self.g.keywords:
                    keywords.extend((w.lower(), term, w) for w in self.g.keywords[term])
                elif term in self.g.values and term != "REST":
                    values.append(self.g.values[term])
            values.sort(key=lambda v: -v.priority)
            cached = StateInfo(tuple(sorted(keywords)), tuple(values), "REST" in actions,
                               "$END" in actions,
                               frozenset(lw[:n] for lw, _, _ in keywords
                                         for n in range(1, len(lw) + 1)))
            self._info[state] = cached
        return cached

    def resolve(self, state, word: str) -> Choice:
        if len(word) > CACHED_WORD:
            return self._resolve(self.info(state), word)
        key = (state, word)
        cache = self._resolved
        choice = cache.get(key)
        if choice is None:
            choice = cache[key] = self._resolve(self.info(state), word)
            if len(cache) > RESOLVED_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return choice

    @staticmethod
    def _resolve(info: StateInfo, word: str) -> Choice:
        lower = word.lower()
        if lower in info.prefixes:
            exact = [(t, w) for lw, t, w in info.keywords if lw == lower]
            if exact:
                return Choice("keyword", tuple(exact))
            prefixed = [(lw, t, w) for lw, t, w in info.keywords if lw.startswith(lower)]
        else:
            prefixed = []
        if len({lw for lw, _, _ in prefixed}) > 1:
            return Choice("ambiguous", tuple((t, w) for _, t, w in prefixed))
        if prefixed:
            return Choice("keyword", tuple((t, w) for _, t, w in prefixed))
        fitting = tuple((v.name, None) for v in info.values if v.fits(word))
        if fitting:
            return Choice("value", fitting)
        if info.rest:
            return Choice("rest")
        return Choice("none")

    def expected(self, state) -> tuple[str, ...]:
        info = self.info(state)
        shown = sorted({w for _, _, w in info.keywords})
        shown += [self.g.meta.shown.get(v.name, v.name) for v in info.values]
        if info.rest:
            shown.append(self.g.meta.shown.get("REST", "LINE"))
        if info.end:
            shown.append("<cr>")
        return tuple(dict.fromkeys(shown))

    def parse(self, line: str, start: str) -> Tree | None:
        """The parse tree of `line` read in the mode whose start rule is `start`; None if blank.

        A line with the same keywords as one parsed before, whose other words each resolve as
        that parse's did in the states it met them in, reuses that parse's tree shape with its
        own words: the word-by-word reading would make exactly the same decisions."""
        words = split_words(line)
        if not words:
            return None
        if len(words) > CACHED_WORDS:
            return self._parse_words(line, start, words)
        prefixes = self._prefixes
        key = (start, tuple(w.text.lower() if w.text.lower() in prefixes else None
                            for w in words))
        candidates = self._templates.get(key)
        if candidates is not None:
            self._templates.move_to_end(key)
            resolve = self.resolve
            for checks, template in candidates:
                if all(resolve(state, words[i].text) == choice for i, state, choice in checks):
                    if isinstance(template, CommandError):
                        raise _again(template, words, line)
                    return _instantiate(template, words, line)
        trace: list = []
        try:
            tree = self._parse_words(line, start, words, trace)
            outcome = _template(tree, {w.start: i for i, w in enumerate(words)}, self.g.values)
        except CommandError as err:
            tree, outcome = None, err
        if len(self._templates) >= TEMPLATE_CACHE and key not in self._templates:
            self._templates.popitem(last=False)
        checks = tuple((i, state, choice) for i, state, choice in trace
                       if choice.kind != "keyword")
        candidates = self._templates.setdefault(key, [])
        if len(candidates) < 16:
            candidates.append((checks, outcome))
        if tree is None:
            raise outcome
        return tree

    def _parse_words(self, line: str, start: str, words: list[Word], trace=None) -> Tree:
        paths, finished = self.advance(line, start, words, trace)
        end_state = self.g.end_states[start]
        for stack, values, _ in paths + finished:
            result = self._finish(stack, values, end_state)
            if result is not None:
                return result
        last = words[-1]
        raise CommandError("incomplete", line, last.start + len(last.text), consumed=len(words),
                           identified=True)

    def advance(self, line: str, start: str, words: list[Word], trace=None):
        """Read `words` from the start state: (open paths, paths that ended with REST).
        A path is (state stack, value stack, saw a value). Raises CommandError."""
        paths = [([self.g.start_states[start]], [], False)]
        finished = []
        for index, word in enumerate(words):
            alive = []
            ambiguous = False
            for stack, values, seen in paths:
                choice = self.resolve(stack[-1], word.text)
                if trace is not None:
                    trace.append((index, stack[-1], choice))
                if choice.kind == "ambiguous":
                    ambiguous = True
                    continue
                if choice.kind == "rest":
                    text = line[word.start:].rstrip()
                    if self._feed(stack, values, "REST", Token("REST", text, word.start)):
                        finished.append((stack, values, True))
                    continue
                options = choice.terminals
                for n, (term, text) in enumerate(options):
                    if n == len(options) - 1:
                        branch = (stack, values)
                    else:
                        branch = (list(stack), list(values))
                    token = Token(term, word.text if text is None else text, word.start)
                    if self._feed(branch[0], branch[1], term, token):
                        alive.append((branch[0], branch[1], seen or choice.kind == "value"))
            if not alive:
                if finished:
                    break
                if ambiguous:
                    raise CommandError("ambiguous", line, word.start, consumed=index)
                states = [stack[-1] for stack, _, _ in paths]
                expected = tuple(dict.fromkeys(e for s in states for e in self.expected(s)))
                identified = any(seen for _, _, seen in paths) or any(
                    self.info(s).values and not self.info(s).keywords for s in states)
                raise CommandError("invalid", line, word.start, expected, identified, index)
            paths = alive
        else:
            return paths, finished
        return [], finished

    def shift_state(self, stack: list, term: str):
        """The state in which `term` would be shifted after the reductions it causes, or None
        if the path cannot take it (LALR lookaheads alone may promise more than that)."""
        stack = list(stack)
        states, rules = self.g.states, self.g.rules
        while True:
            action = states[stack[-1]].get(term)
            if action is None:
                return None
            if action[0] == SHIFT:
                return stack[-1]
            origin, _, size = rules[action[1]][:3]
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][origin][1])

    def can_end(self, stack: list, start: str) -> bool:
        """Whether the line could end here (`<cr>` in help)."""
        end_state = self.g.end_states[start]
        stack = list(stack)
        states, rules = self.g.states, self.g.rules
        while True:
            action = states[stack[-1]].get("$END")
            if action is None or action[0] == SHIFT:
                return False
            origin, _, size = rules[action[1]][:3]
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][origin][1])
            if stack[-1] == end_state:
                return True

    def _feed(self, stack: list, values: list, term: str, token: Token) -> bool:
        """Shift `term`, reducing first as the tables say; False if the state refuses it."""
        states, rules = self.g.states, self.g.rules
        while True:
            action = states[stack[-1]].get(term)
            if action is None:
                return False
            kind, arg = action
            if kind == SHIFT:
                stack.append(arg)
                values.append(token)
                return True
            self._reduce(stack, values, rules[arg])

    def _finish(self, stack: list, values: list, end_state):
        """Feed the end of the line; the tree, or None if the line is not a whole command."""
        states, rules = self.g.states, self.g.rules
        stack, values = list(stack), list(values)
        while True:
            action = states[stack[-1]].get("$END")
            if action is None or action[0] == SHIFT:
                return None
            self._reduce(stack, values, rules[action[1]])
            if stack[-1] == end_state:
                return values[-1]

    def _reduce(self, stack: list, values: list, rule) -> None:
        """Build the node as Lark would: drop anonymous keywords (unless the rule is `!`),
        put None where an optional `[x]` was left out, splice `_` helper rules, and hand up a
        lone child of a `?` rule."""
        origin, name, size, include, expand1, trailing = rule
        if size:
            children = values[-size:]
            del stack[-size:]
            del values[-size:]
        else:
            children = []
        kept = []
        for i, expand, nones in include:
            if nones:
                kept.extend([None] * nones)
            if expand:
                kept.extend(children[i].children)
            else:
                kept.append(children[i])
        if trailing:
            kept.extend([None] * trailing)
        values.append(kept[0] if expand1 and len(kept) == 1 else Tree(name, kept))
        stack.append(self.g.states[stack[-1]][origin][1])


def _again(error: CommandError, words: list[Word], line: str) -> CommandError:
    """The error a line with the same decisions as `error`'s line gets, at its own columns."""
    if error.kind == "incomplete":
        last = words[-1]
        column = last.start + len(last.text)
    else:
        column = words[error.consumed].start
    return CommandError(error.kind, line, column, error.expected, error.identified,
                        error.consumed)


def _template(node, index_of: dict, values: dict):
    """The tree with each token replaced by (type, word index, keyword text or None)."""
    if node is None:
        return None
    if isinstance(node, Token):
        keyword = node.type != "REST" and node.type not in values
        return (node.type, index_of[node.start_pos], str(node) if keyword else None)
    return (node.data, [_template(c, index_of, values) for c in node.children])


def _instantiate(template, words: list[Word], line: str):
    data, children = template
    out = []
    for c in children:
        if c is None:
            out.append(None)
        elif len(c) == 3:
            kind, index, text = c
            word = words[index]
            if kind == "REST":
                out.append(Token(kind, line[word.start:].rstrip(), word.start))
            else:
                out.append(Token(kind, word.text if text is None else text, word.start))
        else:
            out.append(_instantiate(c, words, line))
    return Tree(data, out)


@functools.lru_cache(maxsize=1)
def word_parser() -> WordParser:
    return WordParser(load_grammar())


def parse(line: str, start: str) -> Tree | None:
    return word_parser().parse(line, start)

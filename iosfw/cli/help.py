"""`?` help and Tab completion, read from the grammar's LALR state after the typed words."""
from __future__ import annotations

from dataclasses import dataclass

from ..parser.grammar import START_RULES, load_grammar
from ..parser.words import CommandError, split_words, word_parser


@dataclass(frozen=True)
class HelpEntry:
    word: str          # keyword, placeholder (`WORD`, `A.B.C.D`, `<1-99>`) or `<cr>`
    text: str
    keyword: bool


def _help_text(state, term: str, word: str) -> str:
    g = load_grammar()
    for alias, origin in g.contexts.get(state, {}).get(term, ()):
        for rule in (alias, origin):
            text = g.meta.keyword_help.get((rule, word))
            if text:
                return text
    return g.meta.keyword_help.get(("*", word), "")


def entries(mode: str, line: str) -> list[HelpEntry]:
    """What may follow `line` (which ends after a space, or is empty). Raises CommandError
    when a word before the end is already wrong."""
    wp, g = word_parser(), load_grammar()
    start = START_RULES[mode]
    paths, finished = wp.advance(line, start, split_words(line))
    values, keywords, rest, cr = {}, {}, False, bool(finished)
    for stack, _, _ in paths:
        info = wp.info(stack[-1])
        for _, term, word in info.keywords:
            state = wp.shift_state(stack, term)
            if state is not None and word not in keywords:
                keywords[word] = _help_text(state, term, word)
        for value in info.values:
            if wp.shift_state(stack, value.name) is not None:
                shown = g.meta.shown.get(value.name, value.name)
                values.setdefault(shown, g.meta.value_help.get(value.name, ""))
        if info.rest and wp.shift_state(stack, "REST") is not None:
            rest = True
        if wp.can_end(stack, start):
            cr = True
    out = [HelpEntry(w, t, False) for w, t in sorted(values.items(), key=_value_order)]
    if rest:
        out.append(HelpEntry(g.meta.shown.get("REST", "LINE"), g.meta.value_help.get("REST", ""),
                             False))
    out += [HelpEntry(w, keywords[w], True) for w in sorted(keywords, key=_keyword_order)]
    if cr:
        out.append(HelpEntry("<cr>", "", False))
    return out


def _value_order(item):
    """`<1-99>` before `<100-199>` before `<1300-1999>`; names keep the grammar's order."""
    shown = item[0]
    if shown.startswith("<") and shown[1:2].isdigit():
        return (0, int(shown[1:].split("-")[0]))
    return (1, 0)


def _keyword_order(word: str):
    return (word == "|", word.lower())


def listing(mode: str, line: str) -> str:
    """The text IOS prints for `?`: after a space the full help, inside a word the keywords
    that word could begin."""
    if line and not line[-1].isspace():
        words = split_words(line)
        head = line[:words[-1].start]
        partial = words[-1].text.lower()
        found = [e.word for e in entries(mode, head) if e.keyword and e.word.lower().startswith(partial)]
        if not found:
            return "% Unrecognized command\n"
        return "  ".join(found) + "\n\n"
    items = entries(mode, line)
    if not items:
        return "% Unrecognized command\n"
    width = max(len(e.word) for e in items)
    rows = []
    for e in items:
        rows.append(f"  {e.word:<{width}}  {e.text}".rstrip() if e.text else f"  {e.word}")
    return "\n".join(rows) + "\n\n"


def complete(mode: str, line: str) -> str | None:
    """Tab: the line with its last word completed when exactly one keyword fits, else None."""
    words = split_words(line)
    if not words or line[-1].isspace():
        return None
    head = line[:words[-1].start]
    partial = words[-1].text.lower()
    try:
        found = {e.word for e in entries(mode, head) if e.keyword and e.word.lower().startswith(partial)}
    except CommandError:
        return None
    if len(found) != 1:
        return None
    return head + found.pop() + " "

"""The contextual comparison of two configurations, as IOS's Contextual Configuration Diff
Utility (12.3(4)T) makes it for `show archive config differences` and `incremental-diffs`.

A configuration is read as a tree by its indentation: a line belongs to the nearest line above
it that is indented less (an interface and its settings, a named list and its entries). Two
trees are compared level by level: a line of one that the other lacks at the same place in the
tree (the same parents) is a difference, and every line under it with it; a line both have is
shown only as the context of a difference under it, without a sign, so that a `+ description`
says which interface it is in. Lines are compared, and shown, with runs of spaces made one
(`deny   tcp` is `deny tcp`, as the router prints them), and with `ignorecase` without regard
to case. `!` lines, blank lines and what follows a top-level `end` are not configuration.

A banner is one line here, its text and closing delimiter included: its text lines are not
commands of their own, and a banner changed is the whole banner added and the old one removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

_SPACES = re.compile(r"\s+")
_BANNER = re.compile(r"banner\s+\S+\s+(\^C|\S)", re.IGNORECASE)


@dataclass(frozen=True)
class Node:
    """One configuration line (spaces made single) and the lines indented under it."""
    text: str
    children: tuple["Node", ...] = ()


@dataclass(frozen=True)
class DiffLine:
    """A line of a diff: its depth in the tree (0 at the top), its text, and its sign: `+` or
    `-` for a difference, "" for a parent shown as context."""
    depth: int
    text: str
    sign: str = ""

    def shown(self, signed: bool = True) -> str:
        """As IOS prints it: one space per level, then the sign, then the text."""
        return " " * self.depth + (self.sign if signed else "") + self.text


@dataclass(frozen=True)
class Diff:
    added: tuple[DiffLine, ...]      # what the second configuration has and the first lacks
    removed: tuple[DiffLine, ...]    # what the first has and the second lacks

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


# ------------------------------------------------------------------ reading
def _flat(lines: Sequence[str]) -> Iterable[tuple[int, str]]:
    """(indentation, text) of each configuration line, a banner joined into one."""
    rows = iter(lines)
    for raw in rows:
        line = raw.rstrip()
        text = line.lstrip()
        if not text or text.startswith("!"):
            continue
        indent = len(line) - len(text)
        if indent == 0 and text.lower() == "end":
            return
        banner = _BANNER.match(text)
        if banner:
            delimiter, parts = banner.group(1), [text]
            rest = text[banner.end():]
            while delimiter not in rest:
                rest = next(rows, None)
                if rest is None:
                    break
                parts.append(rest.rstrip())
            yield indent, "\n".join(parts)
            continue
        yield indent, _SPACES.sub(" ", text)


def parse(lines: Sequence[str]) -> tuple[Node, ...]:
    """The configuration's top-level lines, each with the lines indented under it."""
    root: list = []
    stack: list[tuple[int, list]] = [(-1, root)]     # (indentation, its children so far)
    for indent, text in _flat(lines):
        while stack[-1][0] >= indent:
            stack.pop()
        children: list = []
        stack[-1][1].append((text, children))
        stack.append((indent, children))

    def frozen(entries: list) -> tuple[Node, ...]:
        return tuple(Node(text, frozen(children)) for text, children in entries)

    return frozen(root)


# ------------------------------------------------------------------ comparing
def _key(node: Node, ignorecase: bool) -> str:
    return node.text.casefold() if ignorecase else node.text


def _subtree(node: Node, depth: int, sign: str) -> Iterable[DiffLine]:
    yield DiffLine(depth, node.text, sign)
    for child in node.children:
        yield from _subtree(child, depth + 1, sign)


def _merged(nodes: Sequence[Node], ignorecase: bool) -> dict[str, Node]:
    """The lines by their text, in order, a line given twice made one: configuring a command
    again configures nothing new, and a mode entered twice (`interface X` in two places of a
    file) holds the lines of both."""
    found: dict[str, Node] = {}
    for node in nodes:
        key = _key(node, ignorecase)
        same = found.get(key)
        found[key] = node if same is None else Node(same.text, same.children + node.children)
    return found


def _only_in(ours: Sequence[Node], theirs: Sequence[Node], depth: int, sign: str,
             ignorecase: bool) -> Iterable[DiffLine]:
    """What `ours` has that `theirs` lacks, in our order."""
    others = _merged(theirs, ignorecase)
    for key, node in _merged(ours, ignorecase).items():
        other = others.get(key)
        if other is None:
            yield from _subtree(node, depth, sign)
            continue
        under = list(_only_in(node.children, other.children, depth + 1, sign, ignorecase))
        if under:
            yield DiffLine(depth, node.text)
            yield from under


def contextual(first: Sequence[str], second: Sequence[str], ignorecase: bool = False) -> Diff:
    """`show archive config differences FIRST SECOND`: what the second configuration adds
    (`+`) and what it lacks (`-`), each with the parents that place it."""
    a, b = parse(first), parse(second)
    return Diff(tuple(_only_in(b, a, 0, "+", ignorecase)),
                tuple(_only_in(a, b, 0, "-", ignorecase)))


def incremental(running: Sequence[str], candidate: Sequence[str],
                ignorecase: bool = False) -> tuple[DiffLine, ...]:
    """`show archive config incremental-diffs CANDIDATE`: the candidate's lines the running
    configuration lacks, with their parents, which is what copying the candidate into
    running-config would configure."""
    return contextual(running, candidate, ignorecase).added

"""The one table of commands: every grammar alias a line can reduce to, and the handler that runs
it, registered by the family module that owns it.

A handler receives its arguments as the grammar gives them, by position: the children of the
command's node, keywords dropped, an optional `[x]` the line left out as None, each value
converted first (`arguments`): an IPADDR is an `IP`, a number a `Number`, an address an
`m.Address`, ... So a grammar change that moves an argument breaks the handler's signature
loudly instead of a terminal search quietly. This is Lark's `Transformer` with
`@v_args(inline=True)`, run over iosfw's own trees so that a run never imports Lark.

A configuration handler is called as `handler(cfg, *args)`, with the Configurator (`cfg.no`
says whether the line was negated, `cfg.column` where its first value stands); an EXEC handler
as `handler(session, *args)`. `changes` says what an EXEC command may change, so the session
can keep an undo point before it runs: nothing (READS), the device (DEVICE), or the device and
its forwarding state (ENGINE).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..parser.tree import Token, Tree

READS, DEVICE, ENGINE = "reads", "device", "engine"


@dataclass(frozen=True)
class Command:
    name: str                   # the grammar's alias: `hostname`, `show_ip_inspect`
    handler: Callable
    changes: str                # READS, DEVICE or ENGINE (EXEC commands)
    family: str                 # the module that owns it: `system`, `acl`, ...


@dataclass(frozen=True)
class Converter:
    handler: Callable
    node: bool                  # receives the raw node first (for columns), then the values


COMMANDS: dict[tuple[str, str], Command] = {}   # ("config" or "exec", alias)
CONVERTERS: dict[str, Converter] = {}
TOKENS: dict[str, Callable[[Token], Any]] = {}


def _register(names, kind: str, changes: str):
    def register(fn):
        family = fn.__module__.rsplit(".", 1)[-1]
        for name in names:
            key = (kind, name)
            if key in COMMANDS:
                raise ValueError(f"{kind} command {name!r} registered twice "
                                 f"({COMMANDS[key].family} and {family})")
            COMMANDS[key] = Command(name, fn, changes, family)
        return fn
    return register


def config_command(*names: str):
    """Register the decorated function as the configuration handler of these aliases."""
    return _register(names, "config", DEVICE)


def exec_command(*names: str, changes: str = READS):
    """Register the decorated function as the EXEC handler of these aliases; `changes` is
    what it may change (READS, DEVICE or ENGINE)."""
    return _register(names, "exec", changes)


def converter(*names: str, node: bool = False):
    """Register the decorated function as what these rules' nodes become for a handler:
    called with the node's converted children (with the raw node first when `node`)."""
    def register(fn):
        for name in names:
            if name in CONVERTERS:
                raise ValueError(f"converter for {name!r} registered twice")
            CONVERTERS[name] = Converter(fn, node)
        return fn
    return register


def convert(node):
    """A node's value for a handler: its converter's result, or the node with its children
    converted (a Tree) when its rule has no converter, or the Phrase of a `!` rule."""
    if node is None:
        return None
    if type(node) is Token:
        fn = TOKENS.get(node.type)
        return node if fn is None else fn(node)
    values = [convert(c) for c in node.children]
    found = CONVERTERS.get(node.data)
    if found is not None:
        return found.handler(node, *values) if found.node else found.handler(*values)
    if node.data in (_PHRASES or _phrases()):
        words = node.tokens()
        return Phrase(" ".join(words), words[0].start_pos)
    return Tree(node.data, values)


class Phrase(str):
    """What a `!` rule without a converter gives: its words as typed, one space apart
    (`service_flag` is "password-encryption", `route_opt` "tag 5"), with their column."""

    def __new__(cls, text: str, start_pos: int = 0):
        self = str.__new__(cls, text)
        self.start_pos = start_pos
        return self

    def __reduce__(self):
        return (str, (str(self),))


_PHRASES: frozenset = frozenset()


def _phrases() -> frozenset:
    """The `!` rules, read from the grammar once (convert runs for every node of every line)."""
    global _PHRASES
    from ..parser.grammar import load_grammar

    _PHRASES = load_grammar().phrases
    return _PHRASES


def arguments(tree: Tree) -> list:
    """The converted children of a command's node: the handler's positional arguments."""
    return [convert(c) for c in tree.children]


def lookup(kind: str, name: str) -> Optional[Command]:
    """The handler of alias `name` in configuration ("config") or EXEC ("exec") mode: the
    same alias may be both (`exit` leaves configuration mode, or ends the session)."""
    if not _families_loaded:
        _load_families()
    return COMMANDS.get((kind, name))


_families_loaded = False


def _load_families() -> None:
    """Import every family once (each registers itself); not on every line looked up."""
    global _families_loaded
    from . import families  # noqa: F401

    _families_loaded = True


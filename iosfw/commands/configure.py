"""Configuration mode as the router reads it: which mode a line is read in, the fall-back to
global configuration, `no` and `default`, and the handler that applies the command.

The handlers themselves live in their families (system, interface, acl, inspect, nat, line,
blocks); this module only routes. A command either applies whole or raises ConfigError before
it changes anything.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

from ..config import model as m
from ..config.errors import ConfigError
from ..config.secrets import BadSecret, type5_valid, type7_decode, type7_encode
from ..parser.modes import START_RULES, START_SYMBOLS
from ..parser.tree import Token, Tree
from ..parser.words import CommandError, parse
from .registry import arguments, lookup
from .values import column

__all__ = ["ConfigError", "Configurator", "Context", "execute", "refused_into", "switch",
           "unwrap"]


@dataclass
class Context:
    """The mode a configuration line is read in, and the object its sub-commands change."""
    mode: str = "config"
    target: Any = None
    slot: str = "top"     # where in running-config the current block renders


def unwrap(tree: Tree) -> tuple[str, bool, Tree]:
    """(command name, negated, command node) from a start rule's tree: the mode's start rules
    wrap the command, and `no`/`default` stand before it, in a wrapper or in the command's own
    rule (`no ip address`); either way they are not values. `default X` puts X back to its
    default, which for these commands is what `no X` does."""
    negate = False
    while True:
        kids = [c for c in tree.children
                if not (isinstance(c, Token) and c.type in ("NO", "DEFAULT"))]
        if len(kids) != len(tree.children):
            negate = True
        if tree.data in START_SYMBOLS and len(kids) == 1 and isinstance(kids[0], Tree):
            tree = kids[0]
            continue
        if len(kids) != len(tree.children):
            tree = Tree(tree.data, kids)
        return str(tree.data), negate, tree


@contextmanager
def refused_into(slot: str):
    """A refusal inside this block belongs to `slot` of running-config."""
    try:
        yield
    except ConfigError as err:
        err.slot = err.slot or slot
        raise


class Configurator:
    """Applies parsed configuration commands to a Router, tracking the current mode. While a
    handler runs, `no` says whether the line was negated and `column` where its first value
    was typed (a refusal of the whole command points there)."""

    def __init__(self, router: m.Router):
        self.router = router
        self.context = Context()
        self.no = False
        self._node: Optional[Tree] = None       # the command being applied
        # what the last command said of itself, for the loader's warnings (docs/loading.md):
        self.unsimulated_parts: list[tuple[str, Optional[int]]] = []   # (what, column)
        self.references: list[tuple] = []      # (kind, name, column, role)
        self.definitions: list[tuple] = []     # (kind, name, column)

    def apply(self, tree: Tree) -> str:
        """Apply one parsed command; returns the running-config slot it touched."""
        name, negate, cmd = unwrap(tree)
        found = lookup("config", name)
        if found is None:
            raise ConfigError(f"% '{name}' is not a configuration command")
        self.no, self._node = negate, cmd
        slot = found.handler(self, *arguments(cmd))
        return slot or self.context.slot

    @property
    def column(self) -> Optional[int]:
        """Where the command's first value was typed: a refusal of the whole command points
        there (worked out only for a refusal)."""
        return None if self._node is None else column(self._node)

    def unsimulated(self, what: str, at: Optional[int] = None) -> None:
        """The command is accepted and kept, but the engine does not act on `what` (a
        reflexive list's `reflect`, a `time-range`): loading warns "accepted, not simulated"."""
        self.unsimulated_parts.append((what, at))

    def refers(self, kind: str, name: str, at: Optional[int] = None, role: str = "") -> None:
        """The command names a `kind` ("access-list", "inspect") that must exist somewhere in
        the configuration, in a `role` ("access-group in") the lint may ask about; loading
        warns at the end for a name nothing defines."""
        self.references.append((kind, name, at, role))

    def defines(self, kind: str, name: str, at: Optional[int] = None) -> None:
        """The command defines (or adds to) the `kind` named `name`, or sets the global
        setting `name`: where it is, for the lint (iosfw/lint.py) to point at."""
        self.definitions.append((kind, name, at))

    def enter(self, mode: str, target: Any, slot: str) -> str:
        self.context = Context(mode, target, slot)
        return slot

    def leave(self) -> None:
        self.context = Context()

    # secrets, as every family that takes a password stores it ---------------------
    def password(self, kind, value: Token) -> m.Secret:
        """A password as typed after its optional type digit (0, 5 or 7)."""
        kind = None if kind is None else str(kind)
        if kind == "7":
            try:
                type7_decode(str(value))
            except BadSecret:
                raise ConfigError("Invalid encrypted password", value.start_pos) from None
            return m.Secret(7, str(value))
        if kind == "5":
            if not type5_valid(str(value)):
                raise ConfigError("ERROR: The secret you entered is not a valid encrypted secret.",
                                  value.start_pos)
            return m.Secret(5, str(value))
        return m.Secret(0, str(value))

    def stored(self, secret: m.Secret) -> m.Secret:
        """A clear password as running-config keeps it: type 7 under `service
        password-encryption`."""
        if secret.type == 0 and self.router.services.get("password-encryption"):
            return m.Secret(7, type7_encode(secret.value))
        return secret


def switch(attr: str, slot: Optional[str] = None, of_target: bool = False):
    """The handler of a command that turns something on, its `no` form off: an attribute of
    the router (returning `slot`), or with `of_target` of what the mode configures (an
    interface's `shutdown`, a line's `logging synchronous`)."""
    def handler(cfg: Configurator):
        setattr(cfg.context.target if of_target else cfg.router, attr, not cfg.no)
        return slot
    return handler


def execute(cfg: Configurator, text: str) -> str:
    """Apply one configuration line in the current mode, falling back to global configuration
    as IOS does; returns the slot it touched or raises CommandError / ConfigError."""
    mode = cfg.context.mode
    cfg.unsimulated_parts, cfg.references, cfg.definitions = [], [], []   # this line's own
    try:
        tree = parse(text, START_RULES[mode])
    except CommandError as sub_error:
        if mode == "config":
            raise
        try:
            tree = parse(text, "config_cmd")
        except CommandError as global_error:
            raise global_error if global_error.consumed > sub_error.consumed else sub_error
        cfg.leave()
    if tree is None:
        return cfg.context.slot
    return cfg.apply(tree)


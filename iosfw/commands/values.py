"""The typed values handlers receive: numbers and addresses that still know where on the line
they were typed (a refusal puts its caret there), and the converters of the rules several
families share (addresses and wildcards, access-list names, interfaces, logging levels).

Which terminals are numbers is the grammar's to say: every value terminal with a `range=` in
its metadata, but the access-list numbers, which are names (`access-list 101` is list "101").
"""
from __future__ import annotations

from typing import Optional

from ..config import model as m
from ..config.errors import ConfigError
from ..config.names import BadName, interface_name, ip_to_int
from ..parser.grammar import load_grammar
from ..parser.tree import Token, Tree
from .registry import TOKENS, converter

INVALID = "% Invalid input detected at '^' marker."


class Number(int):
    """A number as typed: `start_pos` is its column, `text` its digits. A copy (the undo
    snapshots, pickles) is a plain int: the model keeps plain values."""

    def __new__(cls, token: Token):
        self = int.__new__(cls, int(token))
        self.start_pos, self.text = token.start_pos, str(token)
        return self

    def __reduce__(self):
        return (int, (int(self),))


class IP(int):
    """An IPv4 address as an integer, shown and formatted as it was typed."""

    def __new__(cls, token: Token):
        self = int.__new__(cls, ip_to_int(str(token)))
        self.start_pos, self.text = token.start_pos, str(token)
        return self

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        return (int, (int(self),))

    def __format__(self, spec: str) -> str:
        return format(self.text, spec) if not spec or spec[-1] not in "xXdbo" \
            else int.__format__(self, spec)


class Name(str):
    """A name made of one or more words (`acl_id`): its text and where it starts. A copy is a
    plain str."""

    def __new__(cls, text: str, start_pos: Optional[int] = None):
        self = str.__new__(cls, text)
        self.start_pos = start_pos
        return self

    def __reduce__(self):
        return (str, (str(self),))


class Interface(str):
    """An interface by its full name (`FastEthernet0/0` for `fa0/0`), with the column of the
    word and of its number (IOS puts the caret under the number of a port it lacks)."""

    def __new__(cls, name: str, start_pos: int = 0, number_pos: int = 0):
        self = str.__new__(cls, name)
        self.start_pos, self.number_pos = start_pos, number_pos
        return self

    def __reduce__(self):
        return (str, (str(self),))


def column(node) -> Optional[int]:
    """Where the first value or keyword kept in `node` was typed."""
    if isinstance(node, Token):
        return node.start_pos
    found = node.tokens() if isinstance(node, Tree) else []
    return found[0].start_pos if found else None


# Numbers by the grammar's ranges (the access-list numbers are names), addresses by IPADDR.
TOKENS.update(dict.fromkeys((name for name in load_grammar().meta.ranges
                             if not name.startswith("ACL_")), Number), IPADDR=IP)


# ------------------------------------------------------------------ addresses
@converter("addr_any")
def addr_any() -> m.Address:
    return m.ANY


@converter("addr_host")
def addr_host(ip: IP) -> m.Address:
    return m.Address(int(ip), 0)


@converter("addr_net")
def addr_net(ip: IP, wildcard: Optional[IP]) -> m.Address:
    """`10.0.0.0 0.0.0.255`; a lone address is a host (a standard list's `permit 10.0.0.1`)."""
    if wildcard is None:
        return m.Address(int(ip), 0)
    return m.Address(int(ip) & ~wildcard & 0xFFFFFFFF, int(wildcard))


# ------------------------------------------------------------------ names
@converter("acl_id", node=True)
def acl_id(node: Tree, *words) -> Name:
    return Name(" ".join(str(w) for w in words), column(node))


@converter("iface", node=True)
def iface(node: Tree, *words) -> Interface:
    """`FastEthernet0/0`, `fa 0/0` or `Serial0/0.1`; a name IOS does not know is refused at
    the word."""
    found = node.tokens()
    start = found[0].start_pos
    if len(found) > 1:
        number_pos = found[1].start_pos
    else:
        text = str(found[0])
        number_pos = start + len(text) - len(text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "abcdefghijklmnopqrstuvwxyz-"))
    try:
        return Interface(interface_name("".join(str(w) for w in words)), start, number_pos)
    except BadName:
        raise ConfigError(INVALID, start) from None


@converter("log_level")
def log_level(word) -> str:
    """A logging level by its name, as IOS writes it back: `logging console 4` is shown as
    `logging console warnings`."""
    return m.LOG_LEVELS[int(word)] if isinstance(word, int) else str(word)


__all__ = ["INVALID", "IP", "Interface", "Name", "Number", "column"]


def existing_interface(r: m.Router, iface: Interface) -> str:
    """The interface a show command names, which must be one the router has: IOS refuses any
    other with the caret under its number."""
    if str(iface) not in r.interfaces:
        raise ConfigError(INVALID, iface.number_pos)
    return str(iface)

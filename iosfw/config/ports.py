"""Port and ICMP names, read from the grammar's help texts so that one file says them."""
from __future__ import annotations

import functools
import re

from ..parser.grammar import load_grammar
from ..textutil import is_number

_LAST_NUMBER = re.compile(r"(\d+)\)$")
_ICMP = re.compile(r"\((\d+)/(-?\d+)\)$")


@functools.lru_cache(maxsize=None)
def port_names(family: str) -> dict[str, int]:
    """Keyword -> number for `tcp` or `udp` ports, e.g. smtp -> 25."""
    rule = "udp_port" if family == "udp" else "tcp_port"
    meta = load_grammar().meta.keywords_of_rule(rule)
    return {kw: int(_LAST_NUMBER.search(text).group(1)) for kw, text in meta.items()}


@functools.lru_cache(maxsize=None)
def port_keywords(family: str) -> dict[int, str]:
    """Number -> keyword as IOS shows a port (25 -> smtp). tcp 514 is `cmd`, udp 514 `syslog`."""
    out: dict[int, str] = {}
    for kw, number in port_names(family).items():
        out.setdefault(number, kw)
    return out


def port_number(family: str, word: str) -> int:
    return int(word) if is_number(word) else port_names(family)[word]


def port_text(family: str, number: int) -> str:
    if family in ("tcp", "udp"):
        return port_keywords(family).get(number, str(number))
    return str(number)


@functools.lru_cache(maxsize=None)
def icmp_names() -> dict[str, tuple[int, int | None]]:
    meta = load_grammar().meta.keywords_of_rule("icmp_name")
    out = {}
    for kw, text in meta.items():
        itype, code = (int(x) for x in _ICMP.search(text).groups())
        out[kw] = (itype, None if code < 0 else code)
    return out


def icmp_code_of(name: str) -> tuple[int, int | None]:
    return icmp_names()[name]

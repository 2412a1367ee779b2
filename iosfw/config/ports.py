"""Port and ICMP names, read from the grammar's metadata (the `port=`, `type=` and `code=`
fields of the tcp_port, udp_port and icmp_name keywords) so that one file says them."""
from __future__ import annotations

import functools

from ..parser.grammar import load_grammar
from ..textutil import is_number


def port_names(family: str) -> dict[str, int]:
    """Keyword -> number for `tcp` or `udp` ports, e.g. smtp -> 25."""
    rule = "udp_port" if family == "udp" else "tcp_port"
    return load_grammar().meta.numbers[(rule, "port")]


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
    """Keyword -> (type, code) of an ICMP message name; code None (-1 in the grammar) for any."""
    numbers = load_grammar().meta.numbers
    types, codes = numbers[("icmp_name", "type")], numbers[("icmp_name", "code")]
    return {kw: (itype, None if codes[kw] < 0 else codes[kw]) for kw, itype in types.items()}


def icmp_code_of(name: str) -> tuple[int, int | None]:
    return icmp_names()[name]

"""Help texts, placeholders, ranges and numbers, kept in the grammar's sections as `//=` and
`//@` comments beside the terminals and rules they describe, and read here once.

A keyword line may carry numbers as fields: `//@ tcp_port "smtp" port=25 Simple Mail Transport
Protocol ({port})`. The program reads the number from the field (`numbers`: the port, ICMP and
precedence/TOS tables), and `?` shows the help text with `{port}` replaced, as IOS prints it
(`Simple Mail Transport Protocol (25)`); so each number is written once. A line may name
several rules (`tcp_port,udp_port`) when they offer the keyword with the same help.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

_VALUE = re.compile(r"^//= (\S+) (<[^>]*>|\S+)(?: range=(\S+))? (.*)$")
_KEYWORD = re.compile(r'^//@ (\S+) "([^"]+)"((?: [a-z]+=-?\d+)*) (.*)$')
_FIELD = re.compile(r"\{([a-z]+)\}")


@dataclass
class GrammarMeta:
    shown: dict[str, str] = field(default_factory=dict)        # terminal -> "A.B.C.D", "<1-99>"
    value_help: dict[str, str] = field(default_factory=dict)   # terminal -> help text
    ranges: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    keyword_help: dict[tuple[str, str], str] = field(default_factory=dict)  # (rule, kw) -> text
    # (rule, field) -> keyword -> number: ("tcp_port", "port") -> {"smtp": 25, ...}
    numbers: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    # (rule, kw) -> (section file, line number) of the line that gives its help
    origin: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)


def _ranges(spec: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in spec.split(","):
        lo, hi = re.fullmatch(r"(-?\d+)-(-?\d+)", part).groups()
        out.append((int(lo), int(hi)))
    return tuple(out)


def read_meta(sections: Iterable[tuple[str, str]]) -> GrammarMeta:
    """The metadata of every (file name, text) section. A keyword's help given twice for the
    same rule is an error: only one of the two lines could ever be shown."""
    meta = GrammarMeta()
    for name, text in sections:
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{name}:{number}"
            if line.startswith("//="):
                match = _VALUE.match(line)
                if not match:
                    raise ValueError(f"{where}: bad value metadata: {line}")
                terminal, shown, spec, help_text = match.groups()
                meta.shown[terminal] = shown
                meta.value_help[terminal] = help_text
                if spec:
                    meta.ranges[terminal] = _ranges(spec)
            elif line.startswith("//@"):
                _keyword_line(meta, line, name, number, where)
    return meta


def _keyword_line(meta: GrammarMeta, line: str, name: str, number: int, where: str) -> None:
    match = _KEYWORD.match(line)
    if not match:
        raise ValueError(f"{where}: bad keyword metadata: {line}")
    rules, keyword, spec, help_text = match.groups()
    fields = {k: int(v) for k, v in (f.split("=") for f in spec.split())}
    try:
        help_text = _FIELD.sub(lambda m: str(fields[m.group(1)]), help_text)
    except KeyError as err:
        raise ValueError(f"{where}: help text names no field {err}: {line}") from None
    for rule in rules.split(","):
        key = (rule, keyword)
        if key in meta.keyword_help:
            first = "%s:%d" % meta.origin[key]
            raise ValueError(f"{where}: help for {rule} {keyword!r} already given at {first}")
        meta.keyword_help[key] = help_text
        meta.origin[key] = (name, number)
        for field_name, value in fields.items():
            meta.numbers.setdefault((rule, field_name), {})[keyword] = value

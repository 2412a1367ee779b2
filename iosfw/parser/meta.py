"""Help texts, placeholders and ranges kept beside the grammar as `//=` and `//@` comments."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_VALUE = re.compile(r"^//= (\S+) (<[^>]*>|\S+)(?: range=(\S+))? (.*)$")
_KEYWORD = re.compile(r'^//@ (\S+) "([^"]+)" (.*)$')


@dataclass
class GrammarMeta:
    shown: dict[str, str] = field(default_factory=dict)        # terminal -> "A.B.C.D", "<1-99>"
    value_help: dict[str, str] = field(default_factory=dict)   # terminal -> help text
    ranges: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    keyword_help: dict[tuple[str, str], str] = field(default_factory=dict)  # (rule, kw) -> text

    def keywords_of_rule(self, rule: str) -> dict[str, str]:
        return {kw: text for (r, kw), text in self.keyword_help.items() if r == rule}


def _ranges(spec: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in spec.split(","):
        lo, hi = re.fullmatch(r"(-?\d+)-(-?\d+)", part).groups()
        out.append((int(lo), int(hi)))
    return tuple(out)


def read_meta(text: str) -> GrammarMeta:
    meta = GrammarMeta()
    for line in text.splitlines():
        if line.startswith("//="):
            match = _VALUE.match(line)
            if not match:
                raise ValueError(f"ios.lark: bad value metadata: {line}")
            name, shown, spec, help_text = match.groups()
            meta.shown[name] = shown
            meta.value_help[name] = help_text
            if spec:
                meta.ranges[name] = _ranges(spec)
        elif line.startswith("//@"):
            match = _KEYWORD.match(line)
            if not match:
                raise ValueError(f"ios.lark: bad keyword metadata: {line}")
            rule, keyword, help_text = match.groups()
            meta.keyword_help[(rule, keyword)] = help_text
    return meta

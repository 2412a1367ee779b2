"""Output modifiers: `| include`, `| exclude`, `| begin`, `| section`, with IOS's regexes."""
from __future__ import annotations

import re

# In IOS regular expressions `_` matches a delimiter: start or end of line, space, comma, braces.
_UNDERSCORE = r"(?:^|$|[\s,{}()])"


def ios_regex(text: str) -> re.Pattern:
    out, escaped = [], False
    for ch in text:
        if escaped:
            out.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "_":
            out.append(_UNDERSCORE)
        else:
            out.append(ch)
    try:
        return re.compile("".join(out))
    except re.error:
        return re.compile(re.escape(text))


def apply_filter(kind: str, pattern: str, text: str) -> str:
    regex = ios_regex(pattern)
    lines = text.splitlines()
    if kind == "include":
        kept = [line for line in lines if regex.search(line)]
    elif kind == "exclude":
        kept = [line for line in lines if not regex.search(line)]
    elif kind == "begin":
        start = next((i for i, line in enumerate(lines) if regex.search(line)), len(lines))
        kept = lines[start:]
    else:
        kept = _sections(lines, regex)
    return "".join(line + "\n" for line in kept)


def _sections(lines: list[str], regex: re.Pattern) -> list[str]:
    """A matching top-level line with its indented children; a matching child alone otherwise."""
    kept, i = [], 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        while j < len(lines) and lines[j].startswith(" "):
            j += 1
        block = lines[i:j]
        if regex.search(line):
            kept.extend(block)
        else:
            kept.extend(child for child in block[1:] if regex.search(child))
        i = j
    return kept

"""What the Contextual Configuration Diff Utility prints (docs/formats.md says from which
captures): `show archive config differences` under `Contextual Config Diffs:`, the added lines
and then the removed ones, each signed and indented by its depth, its unchanged parents shown
unsigned; `show archive config incremental-diffs` as the `!List of Commands:` that would
configure the file's new lines, closed by `end`. The comparison itself is config/diff.py's."""
from __future__ import annotations

from ..config.diff import Diff, DiffLine

NO_CHANGES = "!No changes were found"


def differences_text(diff: Diff) -> str:
    lines = [line.shown() for line in diff.added + diff.removed] or [NO_CHANGES]
    return "\n".join(["Contextual Config Diffs:", *lines]) + "\n"


def incremental_text(lines: tuple[DiffLine, ...]) -> str:
    shown = [line.shown(signed=False) for line in lines]
    return "\n".join(["!List of Commands:", *shown, "end", *([] if lines else [NO_CHANGES])]) + "\n"


def _line_facts(lines: tuple[DiffLine, ...]) -> list[dict]:
    return [{"depth": line.depth, "text": line.text, "changed": bool(line.sign)}
            for line in lines]


def differences_facts(first: str, second: str, diff: Diff) -> dict:
    return {"first": first, "second": second, "added": _line_facts(diff.added),
            "removed": _line_facts(diff.removed)}


def incremental_facts(file: str, lines: tuple[DiffLine, ...]) -> dict:
    return {"file": file, "commands": _line_facts(lines)}

"""Reading a configuration file the way the router reads it at boot: line by line, by mode."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..parser.words import CommandError
from . import model as m
from .apply import ConfigError, Configurator, execute, misplaced
from .names import is_physical

REJECTED_MARK = "!% rejected: "
_BANNER = re.compile(r"^\s*banner\s+\S+\s+(\^C|\S)", re.IGNORECASE)


class UnreadableConfig(Exception):
    """The file cannot be read as a configuration at all (missing, unreadable, binary)."""


@dataclass
class Diagnostic:
    path: str
    line: int
    severity: str              # "error" (IOS would reject it) or "warning" (not modelled)
    message: str
    text: str
    column: Optional[int] = None
    expected: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" + (f":{self.column + 1}" if self.column is not None else "")
        if self.severity == "warning":
            return f"{where}: warning: {self.message}: {self.text.strip()}"
        out = [f"{where}: error: {self.message}", f"    {self.text}"]
        if self.column is not None:
            out.append("    " + " " * self.column + "^")
        if self.expected:
            out.append(f"    expected: {self.expected}")
        return "\n".join(out)


@dataclass
class LoadResult:
    router: m.Router
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_config_file(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise UnreadableConfig(f"{path}: cannot read: {err.strerror or err}") from None
    if b"\0" in data:
        raise UnreadableConfig(f"{path}: not a configuration (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_file(path: str | Path) -> LoadResult:
    return load_text(read_config_file(path), str(path))


def _target_extra(cfg: Configurator) -> Optional[list]:
    target = cfg.context.target
    return getattr(target, "extra", None)


def load_text(text: str, path: str = "<config>", router: Optional[m.Router] = None,
              chassis: Optional[frozenset[str]] = None) -> LoadResult:
    """Boot from `text`; a router that has booted before keeps its `chassis`, and lines for
    ports it lacks are refused as the router refuses them."""
    result = LoadResult(router or m.Router())
    if chassis is not None:
        result.router.chassis = chassis
    cfg = Configurator(result.router)
    lines = text.splitlines()
    anchor = "top"
    block_indent: Optional[int] = None   # children of an unknown block are kept with it
    block_home: Optional[list] = None
    i = 0
    while i < len(lines):
        raw = lines[i].rstrip("\r")
        lineno = i + 1
        i += 1
        stripped = raw.strip()
        if not stripped:
            continue
        indent = len(raw) - len(raw.lstrip())
        if block_indent is not None and indent > block_indent and not stripped.startswith("!"):
            block_home.append(m.Preserved(raw, "unknown", anchor))
            continue
        block_indent = block_home = None
        if stripped.startswith("!"):
            if stripped.startswith(REJECTED_MARK.strip()):
                _keep_marked(result, cfg, raw, indent, anchor, path, lineno)
            continue
        if stripped.lower() == "end":
            break
        banner = _BANNER.match(raw)
        if banner:
            delim = banner.group(1)
            rest = raw[banner.end():]
            while delim not in rest and i < len(lines):
                rest += "\n" + lines[i].rstrip("\r")
                raw += "\n" + lines[i].rstrip("\r")
                i += 1
        try:
            anchor = execute(cfg, raw)
            continue
        except (CommandError, ConfigError) as error:
            kind, diag = _classify(error, path, lineno, raw, cfg.context.mode)
            where = getattr(error, "slot", None) or anchor
        result.diagnostics.append(diag)
        home = _target_extra(cfg) if indent else None
        if kind == "unknown" and indent == 0:
            cfg.leave()
        preserved = m.Preserved(raw, kind, _block_anchor(cfg, home, where), diag.message)
        target = home if home is not None else result.router.preserved
        target.append(preserved)
        if kind == "unknown":
            block_indent, block_home = indent, target
    for intf in result.router.interfaces.values():
        intf.method = "NVRAM"
    if result.router.chassis is None:
        result.router.chassis = frozenset(name for name in result.router.interfaces
                                          if is_physical(name))
    return result


def _keep_marked(result: LoadResult, cfg: Configurator, raw: str, indent: int, anchor: str,
                 path: str, lineno: int) -> None:
    """A line marked rejected by an earlier load stays a marked comment, where it is: it is not
    applied now, whatever changed since, so saving and loading again changes nothing."""
    text = " " * indent + raw.strip()[len(REJECTED_MARK.strip()):].strip()
    home = _target_extra(cfg) if indent else None
    target = home if home is not None else result.router.preserved
    reason = "kept from an earlier load: a line the router rejected"
    target.append(m.Preserved(text, "rejected", _block_anchor(cfg, home, anchor), reason))
    result.diagnostics.append(Diagnostic(path, lineno, "warning", reason, text))


def _block_anchor(cfg: Configurator, home, anchor: str) -> str:
    """Inside an access list a kept line is anchored to the entry before it, so that it keeps
    its place among the entries (an `evaluate` or a rejected entry changes what a list does)."""
    target = cfg.context.target
    if home is not None and isinstance(target, m.AccessList):
        return f"seq:{target.entries[-1].seq}" if target.entries else "seq:"
    return anchor


def _classify(error: Exception, path: str, lineno: int, raw: str,
              mode: str) -> tuple[str, Diagnostic]:
    if isinstance(error, ConfigError):
        return "rejected", Diagnostic(path, lineno, "error", error.message, raw, error.column)
    what = misplaced(raw) if mode == "config" else None
    if what:
        return "rejected", Diagnostic(
            path, lineno, "error", f"% Invalid input: {what} command outside {what} "
            "configuration mode", raw, len(raw) - len(raw.lstrip()))
    if error.kind == "invalid" and not error.identified:
        return "unknown", Diagnostic(path, lineno, "warning",
                                     "not modelled by iosfw, kept verbatim", raw)
    expected = error.describe_expected() if error.kind == "invalid" else ""
    col = error.column if error.kind == "invalid" else None
    return "rejected", Diagnostic(path, lineno, "error", error.ios_message(), raw, col, expected)

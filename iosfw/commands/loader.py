"""Reading a configuration file the way the router reads it at boot: line by line, by mode."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Optional

from ..config import model as m
from ..config.names import is_physical
from ..config.render import REJECTED_MARK, settle
from ..parser.grammar import START_RULES
from ..parser.modes import SUB_MODE_BLOCKS
from ..parser.words import CommandError, parse
from .configure import ConfigError, Configurator, execute

_BANNER = re.compile(r"^\s*banner\s+\S+\s+(\^C|\S)", re.IGNORECASE)
_LINE_END = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"
# the configuration modes whose commands SUB_MODE_BLOCKS does not name ("misplaced" lines)
_OTHER_STARTS = sorted({rule for mode, rule in START_RULES.items()
                        if mode.startswith("config") and rule not in SUB_MODE_BLOCKS})


KIND_NAMES = {"access-list": "access list", "inspect": "inspection rule", "pool": "NAT pool"}


class Mention(NamedTuple):
    """Where an applied line defines or names something (Configurator.defines / refers)."""
    line: int
    text: str                  # the line, as the file has it
    kind: str                  # "access-list", "inspect", "pool" (or "setting", defined)
    name: str
    column: Optional[int]
    role: str = ""             # how a reference uses it: "access-group in", "inspect out", ...


class UnreadableConfig(Exception):
    """The file cannot be read as a configuration at all (missing, unreadable)."""


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
    """`diagnostics` are the lines the router did not apply (rejected, or unknown to iosfw and
    kept verbatim); `notes` are warnings about lines it did apply: a part the engine does not
    act on ("accepted, not simulated") or a name no line defines. Both in line order."""
    router: m.Router
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    references: list[Mention] = field(default_factory=list)    # names the lines use
    definitions: list[Mention] = field(default_factory=list)   # what the lines define

    def undefined(self) -> list[Mention]:
        """The references to a list, rule or pool that the configuration does not define."""
        r = self.router
        defined = {"access-list": r.access_lists, "inspect": r.inspect_rules,
                   "pool": r.nat_pools}
        return [ref for ref in self.references if ref.name not in defined[ref.kind]]

    def everything(self) -> list[Diagnostic]:
        """Diagnostics and notes together, in line order, as `iosfw` prints them."""
        return sorted(self.diagnostics + self.notes, key=lambda d: d.line)


def decode_config(data: bytes) -> str:
    """A configuration's bytes as text. The router keeps bytes, not characters: UTF-8 is read
    as such and any other byte is kept as itself (surrogateescape), so a Latin-1 or Shift-JIS
    file is saved back byte for byte and never fails to load. A leading UTF-8 BOM is an
    editor's mark, not part of the first line. (render.encode_config writes them.)"""
    return data.decode("utf-8", "surrogateescape").removeprefix(BOM)


def split_lines(text: str) -> list[str]:
    """Lines as IOS reads them: they end at CR, LF or CR LF and nowhere else, not at the form
    feeds, separators and NEL where str.splitlines also breaks (which made `no login` after
    a form feed in a description a line of its own)."""
    return _LINE_END.split(text)


def read_config_file(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise UnreadableConfig(f"{path}: cannot read: {err.strerror or err}") from None
    return decode_config(data)


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
    _Reader(result, path, split_lines(text.removeprefix(BOM))).run()
    for intf in result.router.interfaces.values():
        intf.method = "NVRAM"
    if result.router.chassis is None:
        result.router.chassis = _ports(result.router)
    settle(result.router)
    return result


def _ports(router: m.Router) -> frozenset[str]:
    """The chassis a first boot finds: the ports its interfaces are on, a subinterface's
    included (without it, a reload would refuse `interface Serial2/0.1`)."""
    ports = (name.split(".")[0] for name in router.interfaces)
    return frozenset(port for port in ports if is_physical(port))


class _Reader:
    """One pass over the lines of a configuration, each read in the mode the lines before it
    put the router in."""

    def __init__(self, result: LoadResult, path: str, lines: list[str]):
        self.result, self.path, self.lines = result, path, lines
        self.cfg = Configurator(result.router)
        self.anchor = "top"
        self.block: Optional[tuple[int, list, str]] = None  # unknown block: indent, home, anchor

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            i = self.read(i)
        self._undefined_references()

    def read(self, i: int) -> int:
        """Read the command that starts at line index `i`; the index of the next one."""
        raw = self.lines[i]
        stripped = raw.strip()
        if not stripped:
            return i + 1
        indent = len(raw) - len(raw.lstrip())
        banner = _BANNER.match(raw)   # a banner takes its text along, under a block too
        if self.block is not None and indent > self.block[0] and not stripped.startswith("!") \
                and banner is None:
            self._keep_child(raw, i + 1)
            return i + 1
        self.block = None
        if stripped.startswith("!"):
            if stripped.startswith(REJECTED_MARK.strip()):
                self._keep_marked(stripped, indent, i + 1)
            return i + 1
        if stripped.lower() == "end":
            return len(self.lines)
        last = i if banner is None else _banner_end(self.lines, i, banner)
        if last is None:
            self._swallow(i, banner)
            return len(self.lines)
        self._command(self.lines[i:last + 1], i + 1, indent)
        return last + 1

    def _command(self, lines: list[str], lineno: int, indent: int) -> None:
        """Apply a command (one line, or a banner and its text); keep it if it fails."""
        raw = "\n".join(lines)
        if "\0" in raw:
            self._keep(lines, "rejected", _nul_diagnostic(self.path, lineno, lines), indent,
                       self.anchor)
            return
        try:
            self.anchor = execute(self.cfg, raw)
            self._notes(lineno, raw)
            return
        except (CommandError, ConfigError) as error:
            kind, diag = _classify(error, self.path, lineno, raw)
            where = getattr(error, "slot", None) or self.anchor
        self._keep(lines, kind, _first_line(diag), indent, where)

    def _notes(self, lineno: int, raw: str) -> None:
        """What an applied command said of itself: the parts the engine does not act on (a
        warning now) and the names it uses (checked once the whole file is read)."""
        for what, column in self.cfg.unsimulated_parts:
            self.result.notes.append(Diagnostic(
                self.path, lineno, "warning", f"accepted, not simulated: {what}", raw, column))
        self.result.references += [Mention(lineno, raw, *ref) for ref in self.cfg.references]
        self.result.definitions += [Mention(lineno, raw, *d) for d in self.cfg.definitions]

    def _undefined_references(self) -> None:
        """A name no line of the file defines: IOS takes the command, and treats the name as it
        treats a missing one (docs/loading.md); the file most likely has a typo."""
        for ref in self.result.undefined():
            self.result.notes.append(Diagnostic(
                self.path, ref.line, "warning",
                f"{KIND_NAMES[ref.kind]} {ref.name} is not defined in this configuration",
                ref.text, ref.column))
        self.result.notes.sort(key=lambda d: d.line)

    def _keep(self, lines: list[str], kind: str, diag: Diagnostic, indent: int,
              where: str) -> None:
        """A command iosfw does not apply, kept in its place: an unknown one verbatim (with
        the indented lines under it), a rejected one line by line, each to be written out as
        a marked comment, so that none of its lines is configuration after a save."""
        self.result.diagnostics.append(diag)
        home = _target_extra(self.cfg) if indent else None
        if kind == "unknown" and indent == 0:
            self.cfg.leave()
        target = home if home is not None else self.result.router.preserved
        anchor = _block_anchor(self.cfg, home, where)
        if kind == "unknown":
            target.append(m.Preserved(_unknown_text(lines, home), kind, anchor, diag.message))
            self.block = (indent, target, anchor)
            return
        target.extend(m.Preserved(line.strip(), kind, anchor, diag.message) for line in lines)

    def _keep_child(self, raw: str, lineno: int) -> None:
        """A line under an unknown block header belongs to that block, kept verbatim and not
        read; a NUL in it is still reported."""
        if "\0" in raw:
            self.result.diagnostics.append(_nul_diagnostic(self.path, lineno, [raw]))
        _, home, anchor = self.block
        home.append(m.Preserved(raw, "unknown", anchor))

    def _keep_marked(self, stripped: str, indent: int, lineno: int) -> None:
        """A line marked rejected by an earlier load stays a marked comment, where it is: it
        is not applied now, whatever changed since, so saving and loading again changes
        nothing."""
        text = stripped[len(REJECTED_MARK.strip()):].strip()
        home = _target_extra(self.cfg) if indent else None
        target = home if home is not None else self.result.router.preserved
        reason = "kept from an earlier load: a line the router rejected"
        target.append(m.Preserved(text, "rejected", _block_anchor(self.cfg, home, self.anchor),
                                  reason))
        self.result.diagnostics.append(Diagnostic(self.path, lineno, "warning", reason, text))

    def _swallow(self, i: int, banner: re.Match) -> None:
        """A banner without its closing delimiter. The router reads banner text up to the
        delimiter, so the rest of the file is the banner's text: none of it is configuration.
        iosfw does not show it as a banner either (it is most likely configuration lines,
        passwords included, that a login banner would show to anyone before they log in):
        the banner and every line after it are rejected and written out commented, so that
        no save and reload ever makes one of them configuration. Reported once, on the
        banner's line."""
        lines = [line for line in self.lines[i:] if line.strip()]
        self.cfg.leave()
        after = len(lines) - 1
        message = (f"% Banner has no closing delimiter: its text runs to the end of the file "
                   f"({after} line{'' if after == 1 else 's'}), so none of it is configuration; "
                   "kept as comments")
        diag = Diagnostic(self.path, i + 1, "error", message, self.lines[i], banner.start(1))
        self._keep(lines, "rejected", diag, 0, "banner")


def _banner_end(lines: list[str], i: int, banner: re.Match) -> Optional[int]:
    """The index of the line where the banner that starts at line `i` ends: the first line
    holding its delimiter after the delimiter that opens it; None if no line does. Each line
    is looked at once, so a long unclosed banner loads in linear time."""
    delim = banner.group(1)
    if delim in lines[i][banner.end():]:
        return i
    return next((j for j in range(i + 1, len(lines)) if delim in lines[j]), None)


def _unknown_text(lines: list[str], home: Optional[list]) -> str:
    """An unknown command as written. Outside a block its indentation goes: it means nothing
    there, and written back indented after a block's lines a reload would put it inside that
    block."""
    text = "\n".join(lines)
    return text if home is not None else text.lstrip()


def _nul_diagnostic(path: str, lineno: int, lines: list[str]) -> Diagnostic:
    """A NUL is no character of a configuration line: the error names its line and column."""
    at = next(n for n, line in enumerate(lines) if "\0" in line)
    line = lines[at]
    return Diagnostic(path, lineno + at, "error", "% Invalid input: a NUL byte (binary data)",
                      line, line.index("\0"))


def _first_line(diag: Diagnostic) -> Diagnostic:
    """A command of several lines (a banner) is reported on its first line only: its text is
    not repeated on stderr."""
    text, _, more = diag.text.partition("\n")
    if not more:
        return diag
    column = diag.column if diag.column is not None and diag.column < len(text) else None
    return Diagnostic(diag.path, diag.line, diag.severity, diag.message.partition("\n")[0],
                      text, column, diag.expected)


def _block_anchor(cfg: Configurator, home, anchor: str) -> str:
    """Inside an access list a kept line is anchored to the entry before it, so that it keeps
    its place among the entries (an `evaluate` or a rejected entry changes what a list does);
    in other blocks kept lines stay in their order and need no anchor."""
    target = cfg.context.target
    if home is not None and isinstance(target, m.AccessList):
        return f"seq:{target.entries[-1].seq}" if target.entries else "seq:"
    return anchor if home is None else ""


def _classify(error: Exception, path: str, lineno: int, raw: str) -> tuple[str, Diagnostic]:
    if isinstance(error, ConfigError):
        return "rejected", Diagnostic(path, lineno, "error", error.message, raw, error.column)
    refusals = []
    for start, what in SUB_MODE_BLOCKS.items():
        try:
            parse(raw, start)
        except CommandError as refusal:
            refusals.append(refusal)
            continue
        return "rejected", Diagnostic(
            path, lineno, "error", f"% Invalid input: {what} command outside {what} "
            "configuration mode", raw, len(raw) - len(raw.lstrip()))
    known = _identified_by(raw, error, refusals)
    if known is None:
        return "unknown", Diagnostic(path, lineno, "warning",
                                     "not modelled by iosfw, kept verbatim", raw)
    expected = known.describe_expected() if known.kind == "invalid" else ""
    col = known.column if known.kind == "invalid" else None
    return "rejected", Diagnostic(path, lineno, "error", known.ios_message(), raw, col, expected)


def _unknown(error: CommandError) -> bool:
    """Whether the line failed before its command was identified (docs/loading.md)."""
    return error.kind == "invalid" and not error.identified


def _identified_by(raw: str, error: CommandError,
                   refusals: list[CommandError]) -> Optional[CommandError]:
    """The refusal of a mode that knows the command (the line's own first); None if no
    configuration mode knows it, the one case of an unknown command. Were it judged by the
    mode it is read in, a line kept at the top level would change kind when a reload reads
    it after another block (`exec-timeout default`, unknown to global configuration, is a
    line command written wrong)."""
    known = next((e for e in [error, *refusals] if not _unknown(e)), None)
    if known is not None:
        return known
    for start in _OTHER_STARTS:
        try:
            parse(raw, start)
        except CommandError as refusal:
            if not _unknown(refusal):
                return refusal
        else:
            return error    # a command of another block (voice-port, control-plane)
    return None

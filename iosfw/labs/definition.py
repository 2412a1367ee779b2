"""A lab as data: `lab.toml` (title, level, story, topology, tasks with hints, checks),
`start.cfg` and `solution.cfg` in one folder (docs/labs.md says how to write one).

A mistake in `lab.toml` is reported with the file, the line and the key, as a configuration
error is: an instructor who misspells `expect` learns where, not that a dictionary had no key.
tomllib gives the line of a syntax error; for a key that is missing, unknown or of the wrong
type the line is found by reading the file's tables again (`_Lines`).
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

try:
    import tomllib
except ModuleNotFoundError:     # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from ..config.names import int_to_ip

LEVELS = ("beginner", "intermediate", "advanced")
# The keys of each kind of check beside `kind`, `task`, `title` and `hint`, and their types;
# a key in REQUIRED must be given.
CHECK_KEYS: dict[str, dict[str, type | tuple]] = {
    "connect": {"from": str, "to": str, "port": int, "protocol": str, "expect": str,
                "session": str, "source": str},
    "timeout": {"from": str, "to": str, "port": int, "protocol": str, "after": int,
                "expect": str},
    "smtp": {"from": str, "to": str, "commands": list, "masked": list, "intact": list,
             "replies": list, "body_bytes": int, "reset": bool},
    "flood": {"from": str, "to": str, "port": int, "count": int, "rate": int,
              "alert": bool, "block_minutes": int},
    "rule": {"interface": str, "direction": str, "protocol": str},
    "lint": {"codes": list},
}
REQUIRED = {"connect": ("from", "to", "port", "expect"),
            "timeout": ("from", "to", "port", "after", "expect"),
            "smtp": ("from", "to", "commands"),
            "flood": ("from", "to", "port", "count", "rate"),
            "rule": ("interface", "direction", "protocol"),
            "lint": ()}
CHOICES = {"expect": {"connect": ("open", "dropped"), "timeout": ("kept", "gone")},
           "protocol": {"connect": ("tcp", "udp"), "timeout": ("tcp", "udp")},
           "direction": {"rule": ("in", "out")}}
FILES = ("lab.toml", "start.cfg", "solution.cfg")


class LabError(Exception):
    """A lab that cannot be read: where, and what is wrong."""

    def __init__(self, path: Path, line: Optional[int], message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass
class Host:
    name: str
    address: int
    role: str = ""
    global_address: Optional[int] = None    # the address the outside reaches it at (NAT)


@dataclass
class Task:
    number: int
    title: str
    text: str
    hints: list[str]


@dataclass
class Check:
    number: int
    task: int
    title: str
    kind: str
    spec: dict[str, Any]      # the kind's own keys, as lab.toml gives them
    hint: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.spec.get(key, default)


@dataclass
class Lab:
    name: str
    folder: Path
    title: str
    level: str
    story: str
    hosts: list[Host]
    tasks: list[Task]
    checks: list[Check]
    topology_note: str = ""
    start_text: str = field(default="", repr=False)
    solution_text: str = field(default="", repr=False)

    def host(self, word: str) -> int:
        """A check's `from`/`to`: a host of the topology by name, or an address."""
        for h in self.hosts:
            if h.name == word:
                return h.address
        return int(ipaddress.IPv4Address(word))

    def behind(self, address: int) -> int:
        """Where traffic to `address` should end up: the host it is the global address of
        (a published server), else the address itself."""
        for h in self.hosts:
            if h.global_address == address:
                return h.address
        return address

    def host_label(self, address: int) -> str:
        """An address as a learner knows it: with the name of the host it is."""
        for h in self.hosts:
            if address in (h.address, h.global_address):
                return f"{h.name} ({int_to_ip(address)})"
        return int_to_ip(address)

    def task(self, number: int) -> Optional[Task]:
        return next((t for t in self.tasks if t.number == number), None)

    def hint_for(self, check: Check) -> str:
        """A failed check's hint: its own, else its task's first."""
        task = self.task(check.task)
        return check.hint or (task.hints[0] if task and task.hints else "")


class _Lines:
    """Where a key of lab.toml is: its tables (`[x]`, `[[x]]`) found again line by line."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table(self, name: Optional[str], index: int = 0) -> Optional[int]:
        """The line (1-based) of the header of the `index`th table `name` (None: the top)."""
        if name is None:
            return 1
        seen = -1
        for n, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m and m.group(2) == name:
                seen += 1
                if seen == index:
                    return n
        return None

    def key(self, name: Optional[str], index: int, key: str) -> Optional[int]:
        """The line of `key` in that table, else the table's header line."""
        start = self.table(name, index) or 1
        for n in range(start + (0 if name is None else 1), len(self.lines) + 1):
            line = self.lines[n - 1]
            if self._HEADER.match(line):
                break
            m = self._KEY.match(line)
            if m and m.group(1).strip('"') == key:
                return n
        return start


class _Reader:
    """Reading one lab.toml, each value checked where it stands."""

    def __init__(self, path: Path, text: str):
        self.path, self.where = path, _Lines(text)

    def fail(self, table: Optional[str], index: int, key: Optional[str], message: str):
        line = self.where.key(table, index, key) if key else self.where.table(table, index)
        return LabError(self.path, line, message)

    def value(self, data: dict, table: Optional[str], index: int, key: str, kind,
              required: bool = True, default: Any = None) -> Any:
        label = f"[{table}] " if table else ""
        if key not in data:
            if required:
                raise self.fail(table, index, None, f"{label}`{key}` is missing")
            return default
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(
                k.__name__ for k in kind)
            raise self.fail(table, index, key, f"{label}`{key}` must be "
                                               f"{_TOML_TYPE.get(names, 'a ' + names)}")
        return value

    def only(self, data: dict, table: Optional[str], index: int, allowed) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(table, index, key,
                                f"unknown key `{key}`" + (f" (known: {known})" if known else ""))


_TOML_TYPE = {"str": "a string", "int": "an integer", "list": "an array",
              "bool": "a boolean", "dict": "a table"}


def load_lab(folder: Path) -> Lab:
    """The lab in `folder`; a LabError names the file, line and key of what is wrong."""
    toml_path = folder / "lab.toml"
    texts = {}
    for name in FILES:
        try:
            texts[name] = (folder / name).read_text(encoding="utf-8")
        except OSError as err:
            raise LabError(folder / name, None, f"cannot read: {err.strerror or err}") from None
    try:
        data = tomllib.loads(texts["lab.toml"])
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        raise LabError(toml_path, int(m.group(1)) if m else None,
                       re.sub(r"\s*\(at line.*\)", "", str(err))) from None
    r = _Reader(toml_path, texts["lab.toml"])
    r.only(data, None, 0, ("title", "level", "story", "topology", "tasks", "checks"))
    level = r.value(data, None, 0, "level", str)
    if level not in LEVELS:
        raise r.fail(None, 0, "level", f"`level` must be one of {', '.join(LEVELS)}")
    tasks = _tasks(r, r.value(data, None, 0, "tasks", list))
    hosts, note = _topology(r, r.value(data, None, 0, "topology", dict, required=False,
                                       default={}))
    lab = Lab(folder.name, folder, r.value(data, None, 0, "title", str), level,
              r.value(data, None, 0, "story", str).strip(), hosts, tasks, [], note,
              texts["start.cfg"], texts["solution.cfg"])
    lab.checks = _checks(r, r.value(data, None, 0, "checks", list), lab)
    return lab


def _tables(r: _Reader, items: list, table: str) -> list[dict]:
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise r.fail(None, 0, table, f"`{table}` must be an array of tables ([[{table}]])")
    return items


def _tasks(r: _Reader, items: list) -> list[Task]:
    out = []
    for i, t in enumerate(_tables(r, items, "tasks")):
        r.only(t, "tasks", i, ("title", "text", "hints"))
        hints = r.value(t, "tasks", i, "hints", list, required=False, default=[])
        if not all(isinstance(h, str) for h in hints):
            raise r.fail("tasks", i, "hints", "[tasks] `hints` must be an array of strings")
        out.append(Task(i + 1, r.value(t, "tasks", i, "title", str),
                        r.value(t, "tasks", i, "text", str).strip(), hints))
    if not out:
        raise r.fail(None, 0, "tasks", "a lab needs at least one task")
    return out


def _address(r: _Reader, table: str, index: int, key: str, text: str) -> int:
    try:
        return int(ipaddress.IPv4Address(text))
    except ValueError:
        raise r.fail(table, index, key, f"[{table}] `{key}`: not an IPv4 address: {text!r}") \
            from None


def _topology(r: _Reader, topo: dict) -> tuple[list[Host], str]:
    r.only(topo, "topology", 0, ("note", "hosts"))
    hosts = []
    for i, h in enumerate(_tables(r, topo.get("hosts", []), "topology.hosts")):
        table = "topology.hosts"
        r.only(h, table, i, ("name", "address", "role", "global"))
        glob = r.value(h, table, i, "global", str, required=False)
        hosts.append(Host(r.value(h, table, i, "name", str),
                          _address(r, table, i, "address", r.value(h, table, i, "address", str)),
                          r.value(h, table, i, "role", str, required=False, default=""),
                          _address(r, table, i, "global", glob) if glob else None))
    return hosts, r.value(topo, "topology", 0, "note", str, required=False, default="")


def _checks(r: _Reader, items: list, lab: Lab) -> list[Check]:
    out = []
    for i, c in enumerate(_tables(r, items, "checks")):
        kind = r.value(c, "checks", i, "kind", str)
        if kind not in CHECK_KEYS:
            raise r.fail("checks", i, "kind",
                         f"[checks] unknown kind `{kind}` (known: {', '.join(CHECK_KEYS)})")
        keys = CHECK_KEYS[kind]
        r.only(c, "checks", i, ("kind", "task", "title", "hint", *keys))
        task = r.value(c, "checks", i, "task", int)
        if lab.task(task) is None:
            raise r.fail("checks", i, "task", f"[checks] `task` {task}: the lab has tasks "
                                               f"1 to {len(lab.tasks)}")
        spec = {}
        for key, kind_of in keys.items():
            value = r.value(c, "checks", i, key, kind_of, required=key in REQUIRED[kind])
            if value is None:
                continue
            choices = CHOICES.get(key, {}).get(kind)
            if choices and value not in choices:
                raise r.fail("checks", i, key,
                             f"[checks] `{key}` must be one of {', '.join(choices)}")
            if key == "source":
                _address(r, "checks", i, key, value)
            if key in ("from", "to"):
                try:
                    lab.host(value)
                except ValueError:
                    raise r.fail("checks", i, key, f"[checks] `{key}`: {value!r} is neither a "
                                                   "host of the topology nor an address") \
                        from None
            spec[key] = value
        out.append(Check(i + 1, task, r.value(c, "checks", i, "title", str), kind, spec,
                         r.value(c, "checks", i, "hint", str, required=False, default="")))
    if not out:
        raise r.fail(None, 0, "checks", "a lab needs at least one check")
    return out

"""No module of iosfw imports a module of a layer above its own (../shared/style.md: data flows
one way, each layer unaware of the ones above it).

Every module under iosfw/ is parsed with `ast`, and every import counts: at the top, inside a
function (the lazy ones) and under `if TYPE_CHECKING:` (an annotation names the layer it
depends on as much as a call does). Layers, low to high; a module may import its own layer and
those below:

    base          iosfw (the package), iosfw.textutil, iosfw.clock, iosfw.undo,
                  iosfw.parser.*, iosfw.data (the built-in config's package)
    config        iosfw.config.*
    engine        iosfw.engine.*
    presentation  iosfw.syslog, iosfw.show.*, iosfw.timestamps (the prefix of log lines, as the
                  model's `service timestamps` asks for it: it reads the configuration, and
                  only the logger's users and the show commands use it)
    device        iosfw.device, iosfw.filesystem (its flash:, nvram:, system: and null:),
                  iosfw.commands.* (the command handlers and their loader),
                  iosfw.cli.startup (the NVRAM that holds the startup-config: the device's
                  storage, which booting and `write memory` use, though it sits in cli/)
    analysis      iosfw.lint (the mistakes of a loaded configuration)
    labs          iosfw.labs.* (training labs: their data, checks, grading and pictures)
    app           iosfw.app (booting a Device; where every front end starts)
    cli           iosfw.cli.* but cli.main (the shell: session, terminal, pager, filters)
    remote        iosfw.remote.* (telnet, SSH, the proxy)
    entry         iosfw.cli.main, iosfw.__main__ (the command line; may import anything)

A module's layer is the longest of these names that is its own name or a package above it.

KNOWN lists the imports that break the rule today, each to be removed by moving code, not by
editing this file: each is a test marked xfail(strict=True), so it fails the run once the
import is gone (then delete it here). The list can only shrink; a new violation fails
test_no_module_imports_a_higher_layer, naming the importing module and the imported one.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "iosfw"

LAYERS = (
    ("base", ("iosfw", "iosfw.textutil", "iosfw.clock", "iosfw.undo", "iosfw.parser",
              "iosfw.data")),
    ("config", ("iosfw.config",)),
    ("engine", ("iosfw.engine",)),
    ("presentation", ("iosfw.syslog", "iosfw.show", "iosfw.timestamps")),
    ("device", ("iosfw.device", "iosfw.filesystem", "iosfw.commands", "iosfw.cli.startup")),
    ("analysis", ("iosfw.lint",)),
    ("labs", ("iosfw.labs",)),
    ("app", ("iosfw.app",)),
    ("cli", ("iosfw.cli",)),
    ("remote", ("iosfw.remote",)),
    ("entry", ("iosfw.cli.main", "iosfw.__main__")),
)
RANK = {prefix: (rank, name) for rank, (name, prefixes) in enumerate(LAYERS)
        for prefix in prefixes}

# (importing module, imported module): the imports that break the layering today.
KNOWN = [
]


def layer(module: str) -> tuple[int, str]:
    """(rank, name) of the module's layer: its longest listed name or enclosing package."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = RANK.get(".".join(parts[:end]))
        if found is not None:
            return found
    raise AssertionError(f"{module} is in no layer: place it in LAYERS")


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(module: str, path: Path) -> set[str]:
    """The iosfw modules `module` imports anywhere in its text. `from P import name` counts
    as importing module P.name when there is one, else P."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    known = modules()
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                     for a in node.names]
        else:
            continue
        out.update(name for name in names if name == "iosfw" or name.startswith("iosfw."))
    return out


@cache
def violations() -> frozenset[tuple[str, str]]:
    """Every (importer, imported) pair where the imported module is in a higher layer."""
    return frozenset((module, target)
                     for module, path in modules().items()
                     for target in imported(module, path)
                     if layer(target)[0] > layer(module)[0])


def test_every_module_has_a_layer():
    for module in modules():
        layer(module)


def test_no_module_imports_a_higher_layer():
    new = sorted(violations() - set(KNOWN))
    assert not new, "lower layer imports a higher one:\n" + "\n".join(
        f"  {a} ({layer(a)[1]}) imports {b} ({layer(b)[1]})" for a, b in new)


@pytest.mark.parametrize("importer, target", [
    pytest.param(a, b, id=f"{a}->{b}",
                 marks=pytest.mark.xfail(strict=True, reason="known violation, to be removed"))
    for a, b in KNOWN])
def test_known_violation_is_gone(importer, target):
    assert (importer, target) not in violations()

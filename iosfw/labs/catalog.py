"""Which labs there are: one folder each under examples/labs/ (installed as iosfw/labs/data/).

A folder whose lab.toml is broken is reported and the others still list: one instructor's typo
does not take the class's other labs away."""
from __future__ import annotations

from pathlib import Path

from .definition import Lab, LabError, load_lab


def labs_dir() -> Path:
    """The installed package's `iosfw/labs/data/`, or the checkout's `examples/labs/` (the
    source tree and an editable install), found from this module's path as the grammar is."""
    here = Path(__file__).resolve().parent
    installed = here / "data"
    return installed if installed.is_dir() else here.parent.parent / "examples" / "labs"


def folders(base: Path | None = None) -> list[Path]:
    base = base or labs_dir()
    return sorted(p for p in base.iterdir() if (p / "lab.toml").is_file()) \
        if base.is_dir() else []


def catalog(base: Path | None = None) -> tuple[list[Lab], list[LabError]]:
    """Every lab that reads, and the errors of those that do not."""
    labs, errors = [], []
    for folder in folders(base):
        try:
            labs.append(load_lab(folder))
        except LabError as err:
            errors.append(err)
    return labs, errors


class UnknownLab(Exception):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no lab named {name!r}; the labs are: {', '.join(known) or 'none'}")


def find(name: str, base: Path | None = None) -> Lab:
    """The lab called `name`; UnknownLab lists the known ones, LabError says what is wrong
    with this one."""
    found = {p.name: p for p in folders(base)}
    if name not in found:
        raise UnknownLab(name, sorted(found))
    return load_lab(found[name])

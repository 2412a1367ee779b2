"""A learner's progress: the configuration they saved in each lab (`write memory` in a lab
console) and whether they have passed it, one pair of files per lab under the XDG data
directory (`$XDG_DATA_HOME/iosfw/labs/`, by default `~/.local/share/iosfw/labs/`).

The saved configuration is a StartupStore, so it is written as the router's NVRAM is: whole
or not at all, private to the user. The mark of a pass is written the same way."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from ..cli.startup import StartupStore, user_startup_path
from .definition import Lab


def progress_dir() -> Path:
    return user_startup_path().parent / "labs"


def store(lab: Lab) -> StartupStore:
    """Where `write memory` saves in this lab; until the learner saves, the lab's start."""
    return StartupStore(progress_dir() / f"{lab.name}.startup-config",
                        fallback=lab.start_text, private_directory=True)


def _mark(lab: Lab) -> StartupStore:
    return StartupStore(progress_dir() / f"{lab.name}.passed.json", private_directory=True)


def saved(lab: Lab) -> bool:
    return store(lab).path.exists()


def record_pass(lab: Lab, source: str, score: tuple[int, int]) -> None:
    """Every check passed: the lab is done (kept until `iosfw lab reset`)."""
    _mark(lab).write(json.dumps({"lab": lab.name, "source": source,
                                 "score": list(score)}) + "\n")


def passed(lab: Lab) -> Optional[dict]:
    try:
        return json.loads(_mark(lab).path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def reset(lab: Lab) -> list[Path]:
    """Forget the learner's saved configuration and pass; the files removed."""
    gone = []
    for s in (store(lab), _mark(lab)):
        try:
            os.unlink(s.path)
            gone.append(s.path)
        except FileNotFoundError:
            pass
    return gone

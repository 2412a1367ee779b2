"""A lab console: what its `lab` commands (iosfw/commands/lab.py) reach as `device.lab`. It
grades a copy of the running-config (iosfw/labs/grade.py), so `lab check` changes nothing of
the learner's session; a full pass is recorded as the lab done."""
from __future__ import annotations

from ..commands.loader import load_text
from ..config import model as m
from ..config.render import startup_text
from ..lint import lint
from . import progress, render
from .definition import Lab
from .grade import grade_router


class LabConsole:
    def __init__(self, lab: Lab):
        self.lab = lab

    def tasks(self) -> str:
        return render.tasks(self.lab)

    def check(self, router: m.Router) -> str:
        card = grade_router(self.lab, router)
        if card.passed:
            progress.record_pass(self.lab, card.source, card.score)
        return render.scorecard(card)

    def hint(self, router: m.Router, number: int | None) -> str:
        found = lint(load_text(startup_text(router), "running-config"), "running-config")
        return render.hints(self.lab, number, [f"line {f.line}: {f.message}: {f.why}"
                                               for f in found])

    def topology(self, router: m.Router) -> str:
        return render.topology(self.lab, router)

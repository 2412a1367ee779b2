"""A lab's verdict on a configuration: every check run on its own fresh copy of the router,
and the load errors of a configuration that did not load cleanly (which then fails as a
whole: a line the router refused is a mistake, whatever the traffic says)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..commands.loader import load_text
from ..config import model as m
from .checks import CHECKS, Result
from .definition import Lab


@dataclass
class Scorecard:
    lab: Lab
    source: str                     # the file graded, or `running-config`
    results: list[Result]
    load_errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.load_errors and all(r.passed for r in self.results)

    @property
    def score(self) -> tuple[int, int]:
        return sum(r.passed for r in self.results), len(self.results)

    def facts(self) -> dict:
        good, total = self.score
        return {"lab": self.lab.name, "source": self.source, "passed": self.passed,
                "score": [good, total], "load_errors": self.load_errors,
                "checks": [dict(r.facts(), hint=self.lab.hint_for(r.check))
                           for r in self.results]}


def grade_router(lab: Lab, router: m.Router, source: str = "running-config") -> Scorecard:
    return Scorecard(lab, source, [CHECKS[c.kind](lab, c, router) for c in lab.checks])


def grade_text(lab: Lab, text: str, source: str) -> Scorecard:
    """A configuration file's verdict: loaded as the router boots it, then graded."""
    loaded = load_text(text, source)
    card = grade_router(lab, loaded.router, source)
    card.load_errors = [d.format() for d in loaded.diagnostics]
    return card

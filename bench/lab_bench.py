"""Grading a lab: each lab's reference solution graded (every check, each on its own fresh
copy of the router), against the baseline of loading that same configuration once, in the
same process and run. A learner waits for `lab check`; the ratio says how many boots of their
router one grading costs."""
from __future__ import annotations

from smtp_bench import best_of

from iosfw.commands.loader import load_text
from iosfw.labs.catalog import catalog
from iosfw.labs.grade import grade_text


def measure(rounds: int = 5) -> dict:
    """{lab: (checks, grade seconds, load seconds)}, best of `rounds` each."""
    figures = {}
    for lab in catalog()[0]:
        text = lab.solution_text
        card = grade_text(lab, text, "solution.cfg")
        assert card.passed, f"{lab.name}: the solution fails"
        grade = best_of(lambda: grade_text(lab, text, "solution.cfg"), rounds)
        load = best_of(lambda: load_text(text, "solution.cfg"), rounds)
        figures[lab.name] = (len(card.results), grade, load)
    return figures


def report(figures: dict) -> list[str]:
    return [f"  {name:<18} {checks:2d} checks  graded in {grade * 1000:7.1f} ms  "
            f"({grade / load:5.1f}x loading it, {load * 1000:.1f} ms)"
            for name, (checks, grade, load) in figures.items()]

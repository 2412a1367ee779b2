"""`iosfw lab export`: a lab's SMTP check replayed and drawn as a sequence diagram (client,
router, server; masked commands highlighted; the probe's virtual clock) for an instructor's
slide. The drawing is iosfw/show/sequence.py's, the same as `iosfw --script F --sequence`."""
from __future__ import annotations

from pathlib import Path

from ..cli.startup import replace_file
from ..config import model as m
from ..show.sequence import Recorder
from .checks import Result, smtp
from .definition import Check, Lab


def exchange(lab: Lab, check: Check, router: m.Router, target: str, kind: str) -> Result:
    """Run smtp check `check` on `router`, write its exchange to `target` (`svg` or
    `html`), whole or not at all; the check's result."""
    recorder = Recorder()
    result = smtp(lab, check, router, taps=(recorder,))
    title = f"Lab {lab.name}, check {check.number}: {check.title}"
    draw = recorder.svg if kind == "svg" else recorder.html
    replace_file(Path(target), draw(title, router.hostname).encode("utf-8"), shared=True)
    return result

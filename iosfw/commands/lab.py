"""The `lab` commands (iosfw's own, grammar/lab.lark): what a lab console offers a learner.

The lab itself (its checks, hints and pictures) is a layer above the command layer
(iosfw/labs/); the front end that starts a lab console puts it on the Device as `device.lab`,
an object with `tasks()`, `check(router)`, `hint(router, number)` (a LookupError for a task
the lab lacks) and `topology(router)` returning text. A console that is not in a lab says so."""
from __future__ import annotations

from .registry import exec_command
from .reply import Reply

NOT_IN_A_LAB = ("% (iosfw) this console is not in a lab: start one with "
                "`iosfw lab start NAME` (`iosfw lab list` lists them)\n")


def _lab(session):
    return session.device.lab


@exec_command("lab_tasks")
def lab_tasks(session) -> Reply:
    lab = _lab(session)
    return Reply(lab.tasks()) if lab else Reply(NOT_IN_A_LAB, error=True)


@exec_command("lab_check")
def lab_check(session) -> Reply:
    """Grades a copy of the running-config: nothing of the session changes."""
    lab = _lab(session)
    return Reply(lab.check(session.router)) if lab else Reply(NOT_IN_A_LAB, error=True)


@exec_command("lab_hint")
def lab_hint(session, number) -> Reply:
    lab = _lab(session)
    if not lab:
        return Reply(NOT_IN_A_LAB, error=True)
    try:
        return Reply(lab.hint(session.router, None if number is None else int(number)))
    except LookupError as refused:      # a task the lab does not have
        return Reply(str(refused.args[0]), error=True)


@exec_command("lab_topology")
def lab_topology(session) -> Reply:
    lab = _lab(session)
    return Reply(lab.topology(session.router)) if lab else Reply(NOT_IN_A_LAB, error=True)

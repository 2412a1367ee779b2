"""Every lab, both ways, as a user grades it (`iosfw lab check NAME --config FILE`): its
reference solution passes every check, its starting config fails; `iosfw lint` finds nothing
in the solution; the lab reads, lists, and has what docs/labs.md promises (a story, hints for
each task, at least one check per task)."""
from __future__ import annotations

import json

import pytest

from iosfw.cli.main import main
from iosfw.labs.catalog import catalog, folders, labs_dir

LABS = ("smtp-inspection", "esmtp-inspection", "outbound-cbac", "static-nat",
        "dos-thresholds", "troubleshooting")


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _check(capsys, name: str, config: str) -> tuple[int, dict]:
    status = main(["lab", "check", name, "--config", config, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_the_six_labs_are_there_and_read():
    labs, errors = catalog()
    assert errors == []
    assert sorted(lab.name for lab in labs) == sorted(LABS)


@pytest.mark.parametrize("name", LABS)
def test_the_solution_passes_every_check(capsys, name):
    status, card = _check(capsys, name, str(labs_dir() / name / "solution.cfg"))
    failed = [(c["number"], c["title"], c["happened"]) for c in card["checks"] if not c["passed"]]
    assert failed == [] and card["load_errors"] == []
    assert status == 0 and card["passed"]


@pytest.mark.parametrize("name", LABS)
def test_the_start_fails(capsys, name):
    status, card = _check(capsys, name, str(labs_dir() / name / "start.cfg"))
    assert status == 1 and not card["passed"]
    failed = [c for c in card["checks"] if not c["passed"]]
    assert failed, "the start passes every check: there is nothing to do in this lab"
    for c in failed:                       # a failure says what was tried and what happened
        assert c["tried"] and c["happened"]


@pytest.mark.parametrize("name", LABS)
def test_lint_finds_nothing_in_the_solution(capsys, name):
    status = main(["lint", str(labs_dir() / name / "solution.cfg")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.endswith("0 findings in " + str(labs_dir() / name / "solution.cfg") + "\n")


@pytest.mark.parametrize("name", LABS)
def test_every_task_has_hints_and_a_check(name):
    lab = {lab.name: lab for lab in catalog()[0]}[name]
    assert len(lab.story) > 100
    for task in lab.tasks:
        assert task.hints, f"task {task.number} has no hint"
        assert any(c.task == task.number for c in lab.checks), \
            f"task {task.number} has no check"


def test_the_labs_folder_holds_only_labs():
    assert [p.name for p in folders()] == sorted(LABS)

"""A lab's lab.toml as an instructor writes it: every mistake is reported with the file, the
line and the key (iosfw/labs/definition.py), a broken lab does not hide the others from the
catalog or `iosfw lab list`, and an unknown lab name lists the known ones.

Each broken lab is smtp-inspection's lab.toml with one edit, in a folder under tmp_path with
that lab's start.cfg and solution.cfg; the catalog is pointed at tmp_path, so the labs other
people are writing under examples/labs/ play no part.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iosfw.cli.main import main
from iosfw.labs import catalog
from iosfw.labs.definition import LabError, load_lab

LAB = "smtp-inspection"
SOURCE = catalog.labs_dir() / LAB
GOOD = (SOURCE / "lab.toml").read_text(encoding="utf-8")
CHECK_2 = 'port = 23\nexpect = "dropped"'       # the second check's port and expectation


@pytest.fixture(autouse=True)
def _isolated(one_lab):
    return one_lab


def edited(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def make_lab(base: Path, name: str, toml: str) -> Path:
    folder = base / name
    folder.mkdir()
    (folder / "lab.toml").write_text(toml, encoding="utf-8")
    for file in ("start.cfg", "solution.cfg"):
        shutil.copy(SOURCE / file, folder / file)
    return folder


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of `text` that is `needle`."""
    lines = text.splitlines()
    assert lines.count(needle) == 1, needle
    return lines.index(needle) + 1


def error_of(folder: Path) -> LabError:
    with pytest.raises(LabError) as caught:
        load_lab(folder)
    return caught.value


# Each: (folder name, the edited lab.toml, the line the error is on (as text), its message).
CASES = [
    ("syntax", edited('level = "beginner"', 'level = "beginner'),
     'level = "beginner', "Illegal character '\\n'"),
    ("unknown-key", edited(CHECK_2, 'port = 23\nexpct = "dropped"'), 'expct = "dropped"',
     "unknown key `expct` (known: expect, from, hint, kind, port, protocol, session, source, "
     "task, title, to)"),
    ("bad-choice", edited(CHECK_2, 'port = 23\nexpect = "maybe"'), 'expect = "maybe"',
     "[checks] `expect` must be one of open, dropped"),
    ("no-such-task", edited('task = 2\ntitle = "telnet', 'task = 9\ntitle = "telnet'),
     "task = 9", "[checks] `task` 9: the lab has tasks 1 to 3"),
    ("unknown-host", edited('from = "inside-pc"', 'from = "inside-laptop"'),
     'from = "inside-laptop"',
     "[checks] `from`: 'inside-laptop' is neither a host of the topology nor an address"),
    ("bad-level", edited('level = "beginner"', 'level = "expert"'), 'level = "expert"',
     "`level` must be one of beginner, intermediate, advanced"),
]


@pytest.mark.parametrize("name, toml, line, message", CASES, ids=[c[0] for c in CASES])
def test_a_broken_lab_toml_names_file_line_and_key(_isolated, name, toml, line, message):
    folder = make_lab(_isolated, name, toml)
    err = error_of(folder)
    number = line_of(toml, line)
    assert (err.path, err.line, err.message) == (folder / "lab.toml", number, message)
    assert str(err) == f"{folder / 'lab.toml'}:{number}: {message}"


def test_a_missing_title_is_reported_at_the_top_of_the_file(_isolated):
    toml = edited('title = "Publish a mail server with SMTP inspection"\n', "")
    folder = make_lab(_isolated, "no-title", toml)
    assert str(error_of(folder)) == f"{folder / 'lab.toml'}:1: `title` is missing"


def test_a_port_given_as_text_is_reported_on_its_line(_isolated):
    toml = edited(CHECK_2, 'port = "25"\nexpect = "dropped"')
    folder = make_lab(_isolated, "port-type", toml)
    number = line_of(toml, 'port = "25"')
    assert str(error_of(folder)) == \
        f"{folder / 'lab.toml'}:{number}: [checks] `port` must be an integer"


def test_a_lab_without_its_solution_names_the_missing_file(_isolated):
    folder = make_lab(_isolated, "no-solution", GOOD)
    (folder / "solution.cfg").unlink()
    assert str(error_of(folder)) == \
        f"{folder / 'solution.cfg'}: cannot read: No such file or directory"


def test_the_catalog_lists_the_good_labs_and_reports_the_bad_one(_isolated):
    folder = make_lab(_isolated, "broken", edited(CHECK_2, 'port = 23\nexpct = "dropped"'))
    make_lab(_isolated, "second", GOOD)
    labs, errors = catalog.catalog(_isolated)
    assert [lab.name for lab in labs] == ["second", LAB]
    assert [(e.path, e.message.split(" (")[0]) for e in errors] == \
        [(folder / "lab.toml", "unknown key `expct`")]


def test_lab_list_reports_the_bad_lab_and_still_lists_the_others(_isolated, capsys):
    folder = make_lab(_isolated, "broken", edited('level = "beginner"', 'level = "expert"'))
    number = line_of(GOOD, 'level = "beginner"')
    assert main(["lab", "list"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "name               level         done  title",
        f"{LAB:<18} beginner      -     Publish a mail server with SMTP inspection",
        f"% cannot read a lab: {folder / 'lab.toml'}:{number}: "
        "`level` must be one of beginner, intermediate, advanced",
    ]


def test_lab_list_of_good_labs_exits_0(_isolated, capsys):
    assert main(["lab", "list"]) == 0
    assert "% cannot read a lab" not in capsys.readouterr().out


def test_an_unknown_lab_name_exits_2_and_lists_the_known_labs(_isolated, capsys):
    make_lab(_isolated, "another", GOOD)
    assert main(["lab", "check", "nosuch"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == \
        f"iosfw lab: no lab named 'nosuch'; the labs are: another, {LAB}\n"


def test_checking_a_broken_lab_exits_2_with_where_it_is_broken(_isolated, capsys):
    toml = edited('task = 2\ntitle = "telnet', 'task = 9\ntitle = "telnet')
    folder = make_lab(_isolated, "broken", toml)
    assert main(["lab", "check", "broken"]) == 2
    assert capsys.readouterr().err == (f"iosfw lab: {folder / 'lab.toml'}:"
                                       f"{line_of(toml, 'task = 9')}: "
                                       "[checks] `task` 9: the lab has tasks 1 to 3\n")

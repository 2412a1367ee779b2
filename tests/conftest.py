"""Shared fixtures (built by tests/kit.py) and the one Hypothesis profile of the property tests.

Hypothesis: `ci` (the default) is small and derandomized, so every run tries the same examples
and a failure reproduces without a database; a test that needs more examples asks for a multiple
of its max_examples, or a count of its own, and inherits the rest. `dev` is the same profile
searching harder, at random:
    HYPOTHESIS_PROFILE=dev .venv/bin/python -m pytest tests/test_properties.py
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

pytest.register_assert_rewrite("kit")   # its asserts explain themselves as a test's do

import kit  # noqa: E402

# ------------------------------------------------------------------ Hypothesis
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=40,
    derandomize=True,
    database=None,
    print_blob=False,
    # no `explain` phase: it traces coverage, and costs more than the search on a failure
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", settings.get_profile("ci"), max_examples=1000,
                          derandomize=False,
                          database=settings.get_profile("default").database)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ------------------------------------------------------------------ the built-in router
@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """$XDG_DATA_HOME of the test: a learner's progress, a saved router, an SSH host key go
    there, never to ~/.local."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture(scope="module")
def ssh_host_key(tmp_path_factory):
    """One SSH host key for a test file's servers (making one takes a moment)."""
    from iosfw.remote.ssh import load_host_key

    return load_host_key(tmp_path_factory.mktemp("key") / "ssh_host_rsa_key")


@pytest.fixture
def one_lab(data_home, tmp_path, monkeypatch):
    """The lab catalog of the test: a copy of smtp-inspection alone, in tmp_path/labs (so
    that the tests of the lab machinery do not change with the labs examples/ has)."""
    import shutil

    from iosfw.labs import catalog

    labs = tmp_path / "labs"
    labs.mkdir()
    shutil.copytree(catalog.labs_dir() / "smtp-inspection", labs / "smtp-inspection")
    monkeypatch.setattr(catalog, "labs_dir", lambda: labs)
    return labs


@pytest.fixture
def seed_router():
    return kit.seed_router()


@pytest.fixture
def session(seed_router, tmp_path):
    """Privileged EXEC on the seed router, saving to tmp_path/startup-config."""
    return kit.session(on=kit.device(seed_router, tmp_path))


@pytest.fixture
def iosfw(tmp_path):
    """Run the `iosfw` console script with arguments; its NVRAM is a fresh directory, so it
    boots the built-in router (never a developer's saved one).

    `iosfw(*args, input=None)` (alias `stdin=`) feeds text on stdin, which is never a terminal;
    `module=True` runs `python -m iosfw` instead. No run may print a Python traceback."""
    script = Path(sys.executable).with_name("iosfw")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "iosfw"]
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))

    def run(*args: str, input: str | None = None, stdin: str | None = None,
            module: bool = False) -> subprocess.CompletedProcess:
        text = input if input is not None else stdin
        argv = [sys.executable, "-m", "iosfw"] if module else command
        proc = subprocess.run(argv + list(args), cwd=kit.ROOT, env=env,
                              input=text if text is not None else "",
                              capture_output=True, text=True, timeout=60)
        assert "Traceback (most recent call last)" not in proc.stderr, proc.stderr
        assert "Traceback (most recent call last)" not in proc.stdout, proc.stdout
        return proc

    return run

"""Shared fixtures for the tests, and the Hypothesis profiles of tests/test_properties.py.

Hypothesis: `ci` (the default) is small and derandomized, so every run tries the same examples
and a failure reproduces without a database; `dev` searches harder:
    HYPOTHESIS_PROFILE=dev .venv/bin/python -m pytest tests/test_properties.py
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from iosfw.cli.session import Session
from iosfw.cli.startup import StartupStore, builtin_text
from iosfw.clock import Clock
from iosfw.config.loader import load_text
from iosfw.device import Device

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
REFERENCE = ROOT.parent / "shared" / "reference"
CORPUS = ROOT.parent / "shared" / "corpus"

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
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ------------------------------------------------------------------ the built-in router
def builtin_config_text() -> str:
    """The startup-config the built-in 3640-123 boots from."""
    return builtin_text()


@pytest.fixture
def seed_router():
    result = load_text(builtin_config_text(), "3640-123.cfg")
    return result.router


@pytest.fixture
def session(seed_router, tmp_path):
    """Privileged EXEC on the seed router, saving to tmp_path/startup-config."""
    return Session(Device(seed_router, StartupStore(tmp_path / "startup-config"), Clock()),
                   privileged=True)


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
        proc = subprocess.run(argv + list(args), cwd=ROOT, env=env,
                              input=text if text is not None else "",
                              capture_output=True, text=True, timeout=60)
        assert "Traceback (most recent call last)" not in proc.stderr, proc.stderr
        assert "Traceback (most recent call last)" not in proc.stdout, proc.stdout
        return proc

    return run

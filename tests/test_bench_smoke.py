"""The benchmark suite still runs: `bench/run.py --quick` exits 0 and prints its figures.

No speed is asserted here; bench/run.py prints figures against baselines for people to read.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# the loading baseline is in the `bench` extra, which `make test` does not install
pytest.importorskip("ciscoconfparse2", reason="bench extra not installed (pip install -e '.[bench]')")

FIGURES = [
    r'^start-up: iosfw -c "show version" [0-9.]+ s, python -c pass [0-9.]+ s, ratio [0-9.]+x ',
    r"^loading: iosfw [0-9,]+ lines/s, ciscoconfparse2 [0-9,]+ lines/s, ratio [0-9.]+x ",
]


def test_quick_bench_runs_and_prints_figures():
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for figure in FIGURES:
        assert re.search(figure, proc.stdout, re.MULTILINE), (figure, proc.stdout[-3000:])
    assert "== profile: one iosfw load" in proc.stdout

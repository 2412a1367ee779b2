"""The benchmark suite still runs: `bench/run.py --quick` exits 0 and prints its figures.

No speed is asserted here; bench/run.py prints figures against baselines for people to read.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_path_bench_returns_its_figures():
    """bench/path_bench.py at tiny sizes: every figure key is there and positive."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import path_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    figures = path_bench.measure(sizes=(10, 1_000), flows_per_round=20, rounds=1,
                                 established_flows=10, memory_sessions=50)
    for key in ("new_flow_pps_10", "new_flow_pps_1000", "baseline_pps_10", "baseline_pps_1000",
                "established_pps", "new_flow_speedup", "established_speedup"):
        assert figures[key] > 0, key
    assert figures["memory"]["sessions"] == 50
    assert figures["memory"]["total"] > 0 and figures["memory"]["sessions_bytes"] > 0
    assert path_bench.report(figures) and path_bench.summary(figures)


FIGURES = [
    r'^start-up: iosfw -c "show version" [0-9.]+ s, python -c pass [0-9.]+ s, ratio [0-9.]+x ',
    r"^loading: iosfw [0-9,]+ lines/s, ciscoconfparse2 [0-9,]+ lines/s, ratio [0-9.]+x ",
    r"^traffic path: new flows through 1,000 ACL entries \+ NAT \+ inspection [0-9,]+ pkt/s, ",
]


def test_quick_bench_runs_and_prints_figures():
    import ciscoconfparse2  # noqa: F401 - the loading baseline; in the test extra too
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for figure in FIGURES:
        assert re.search(figure, proc.stdout, re.MULTILINE), (figure, proc.stdout[-3000:])
    assert "== profile: one iosfw load" in proc.stdout

"""iosfw benchmarks: start-up and config loading, each against a baseline measured in the same run.

    .venv/bin/python bench/run.py            # full run (`make bench`)
    .venv/bin/python bench/run.py --quick    # smoke run: 10,000 lines, 5 start-up runs, 2 loads

Prints figures and ratios; never asserts speed. Exits non-zero only when something could not
be measured (iosfw failed, `pip install .` failed, the generated config gave diagnostics,
ciscoconfparse2 missing).
See bench/README.md.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import configgen  # noqa: E402

PYTHON = sys.executable
WORKERS = str(HERE / "workers.py")
STARTUP_AIM = 5.0      # iosfw start-up / python -c pass: aim at or below
LOADING_AIM = 2.0      # iosfw lines/s / ciscoconfparse2 lines/s: aim at or above
SHELL_AIM_MS = 10.0    # `?` / Tab median latency: aim well under


def heading(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 76 - len(text)), flush=True)


def install_regular(tmp: Path) -> Path:
    """A regular (not editable) install of this tree into a fresh venv under `tmp`; returns its
    interpreter. Start-up is measured there because that is what users run: site-packages holds
    iosfw with its .pyc files compiled by pip, and no editable finder runs at every start. The
    sources are copied first so the build writes nothing (build/, egg-info) into the tree."""
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("iosfw", "grammar", "examples/labs"):     # the package's sources and data
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp / "venv"
    run_checked([PYTHON, "-m", "venv", "--without-pip", str(venv)], os.environ, "venv")
    python = venv / "bin" / "python"
    start = time.perf_counter()
    run_checked([PYTHON, "-m", "pip", "--python", str(python), "install", "-q",
                 "--disable-pip-version-check", str(src)], os.environ, "pip install .")
    print(f"  pip install . into a fresh venv: {time.perf_counter() - start:.1f} s ({venv})")
    return python


def run_checked(cmd: list[str], env: dict, what: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
        raise SystemExit(f"bench: {what} failed with exit status {proc.returncode}")
    return proc


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


# ------------------------------------------------------------------ start-up
def wall(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          cwd=ROOT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}")
    return seconds


PROMPT = b"3640-123>"


def first_prompt(cmd: list[str], env: dict) -> float:
    """Seconds until the console on a pseudo-terminal draws its first prompt; then Ctrl-D."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=dict(env, TERM="xterm"), stdin=slave, stdout=slave,
                            stderr=slave, cwd=ROOT, start_new_session=True)
    os.close(slave)
    seen, seconds = b"", None
    try:
        while seconds is None:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                seen += os.read(master, 65536)
            except OSError:         # the child closed the terminal
                break
            if PROMPT in seen:
                seconds = time.perf_counter() - start
        if seconds is not None:
            os.write(master, b"\x04")
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    finally:
        os.close(master)
    if seconds is None:
        raise SystemExit(f"bench: no {PROMPT.decode()} prompt from {' '.join(cmd)}:\n"
                         f"{seen[-500:]!r}")
    return seconds


def bench_startup(runs: int, python: Path, env: dict) -> dict:
    """Every command of the installed venv, with its own `python -c pass` as the baseline."""
    heading(f"start-up of a regular install: wall time, median of {runs} alternating runs each")
    iosfw = str(python.parent / "iosfw")
    commands = {
        "python -c pass": (wall, [str(python), "-c", "pass"]),
        'iosfw -c "show version"': (wall, [iosfw, "-c", "show version"]),
        'iosfw -c "show ip inspect all"': (wall, [iosfw, "-c", "show ip inspect all"]),
        "iosfw console: first prompt": (first_prompt, [iosfw]),
        "python -c 'import iosfw.cli.main'": (wall, [str(python), "-c", "import iosfw.cli.main"]),
    }
    # warm-up (page cache, the compiled parser tables) and a sanity check
    out = run_checked(commands['iosfw -c "show version"'][1], env, 'iosfw -c "show version"')
    if "Version 12.3" not in out.stdout:
        raise SystemExit(f'bench: unexpected `show version` output:\n{out.stdout[:500]}')
    for measure, cmd in commands.values():
        measure(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(runs):
        # rotate the order so no command always runs right after another
        for name in names[i % len(names):] + names[:i % len(names)]:
            measure, cmd = commands[name]
            times[name].append(measure(cmd, env))
    result = {name: statistics.median(ts) for name, ts in times.items()}
    base = result["python -c pass"]
    for name, ts in times.items():
        print(f"  {name:36s} median {result[name]:.3f} s   min {min(ts):.3f} s   "
              f"max {max(ts):.3f} s   {result[name] / base:5.1f}x")
    print(f"  ratio iosfw -c \"show version\" / python -c pass: {result[names[1]] / base:.1f}x")
    return {"python": base, "iosfw": result[names[1]], "inspect": result[names[2]],
            "prompt": result[names[3]], "import_main": result[names[4]]}


_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S.*)$")


def parse_importtime(stderr: str) -> list[dict]:
    """Entries in `-X importtime` order (children before their parent), with parents."""
    rows = []
    for line in stderr.splitlines():
        m = _IMPORTTIME.match(line)
        if m:
            rows.append({"self": int(m.group(1)), "cum": int(m.group(2)),
                         "depth": len(m.group(3)) // 2, "name": m.group(4).strip()})
    for i, row in enumerate(rows):
        # who pulled the module in: its direct importer for iosfw's own modules; for a
        # third-party module the first importer outside its package (lark.lexer importing
        # lark first is not the interesting part; the iosfw module that imported lark is)
        package = row["name"].split(".")[0]
        depth, parent, outermost = row["depth"], "", ""
        for r in rows[i + 1:]:
            if r["depth"] < depth:
                depth, outermost = r["depth"], r["name"]
                if package == "iosfw" or r["name"].split(".")[0] != package:
                    parent = r["name"]
                    break
        if parent:
            row["parent"] = f"by {parent}"
        elif outermost:   # e.g. pickle.load importing lark.lexer, which imports lark first
            row["parent"] = f"by {outermost}, itself at run time"
        else:
            row["parent"] = "at run time, not inside another import"
    return rows


def bench_importtime(python: Path, env: dict, repeats: int, top: int = 10) -> list[dict]:
    heading(f"import time of iosfw -c \"show version\" (-X importtime, median of {repeats}, "
            f"top {top} cumulative)")
    imp_env = dict(env, PYTHONPROFILEIMPORTTIME="1")
    baseline = {r["name"] for r in parse_importtime(
        run_checked([str(python), "-c", "pass"], imp_env, "python -c pass").stderr)}
    per_module: dict[str, list[dict]] = {}
    for _ in range(repeats):
        proc = run_checked([str(python.parent / "iosfw"), "-c", "show version"], imp_env,
                           "iosfw importtime")
        for row in parse_importtime(proc.stderr):
            per_module.setdefault(row["name"], []).append(row)
    rows = []
    for name, seen in per_module.items():
        if name in baseline:
            continue
        rows.append({"name": name, "parent": seen[0]["parent"], "depth": seen[0]["depth"],
                     "cum": statistics.median(r["cum"] for r in seen),
                     "self": statistics.median(r["self"] for r in seen)})
    total = sum(r["cum"] for r in rows if r["depth"] == 0)
    rows.sort(key=lambda r: -r["cum"])
    print(f"  {'cumulative':>10}  {'self':>8}  module  (imported by)")
    for r in rows[:top]:
        print(f"  {r['cum'] / 1000:8.1f} ms  {r['self'] / 1000:5.1f} ms  {r['name']}  "
              f"({r['parent']})")
    print(f"  all imports beyond `python -c pass`: {total / 1000:.1f} ms "
          f"({len(rows)} modules)")
    selfs = sorted(rows, key=lambda r: -r["self"])[:5]
    print("  largest self times: " + ", ".join(f"{r['name']} {r['self'] / 1000:.1f} ms"
                                                for r in selfs))
    return rows[:top]


def bench_phases(env: dict) -> None:
    heading('where one `iosfw -c "show version"` spends its time (one process, in order)')
    # twice, the second shown: the first compiles this tree's bytecode into the prefix tree
    for _ in range(2):
        proc = subprocess.run([PYTHON, WORKERS, "phases"], env=env, capture_output=True,
                              text=True, cwd=ROOT)
    try:
        phases = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"  n/a: phases worker failed ({proc.stderr.strip()[-300:]})")
        return
    for name, value in phases.items():
        shown = f"{value * 1000:8.1f} ms" if isinstance(value, float) else f"   {value}"
        print(f"  {shown}  {name}")
    print("  (plus interpreter start-up, as in `python -c pass`)")


# ------------------------------------------------------------------ loading
def worker(kind: str, path: str, env: dict) -> dict:
    proc = run_checked([PYTHON, WORKERS, kind, path], env, f"{kind} load worker")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_loading(n_lines: int, repeats: int, seed: int, env: dict, tmp: Path) -> dict:
    heading(f"loading: a generated {n_lines:,}-line config, best of {repeats}, "
            "fresh process per run")
    start = time.perf_counter()
    lines = configgen.generate(n_lines, seed)
    path = tmp / f"bench-{n_lines}.cfg"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"  generated {len(lines):,} lines (seed {seed}) in "
          f"{time.perf_counter() - start:.1f} s: " +
          ", ".join(f"{k} {v:,}" for k, v in configgen.line_mix(lines).items()))
    runs: dict[str, list[float]] = {"iosfw": [], "ccp": []}
    for _ in range(repeats):        # alternate, so drift in machine load hits both
        for kind in runs:
            runs[kind].append(worker(kind, str(path), env)["seconds"])
    best = {kind: min(ts) for kind, ts in runs.items()}
    rate = {kind: n_lines / best[kind] for kind in runs}
    labels = {"iosfw": "iosfw load_text (full model)", "ccp": "ciscoconfparse2.CiscoConfParse"}
    for kind, ts in runs.items():
        print(f"  {labels[kind]:32s} best {best[kind]:7.3f} s  "
              f"({fmt_int(rate[kind])} lines/s)   runs: " + ", ".join(f"{t:.3f}" for t in ts))
    print("  iosfw diagnostics on the generated config: 0 (checked after each timed load)")
    print(f"  ratio iosfw / ciscoconfparse2: {rate['iosfw'] / rate['ccp']:.2f}x")
    return {"iosfw": rate["iosfw"], "ccp": rate["ccp"], "path": path}


def bench_profile(path: Path, n_lines: int, env: dict) -> None:
    heading(f"profile: one iosfw load of {n_lines:,} lines (cProfile, top 15 by tottime)")
    proc = run_checked([PYTHON, WORKERS, "profile", str(path)], env, "profile worker")
    print(proc.stdout.rstrip())
    print("  (times under cProfile are inflated; compare entries with each other, not with "
          "the figures above)")


# ------------------------------------------------------------------ main
def bench_shell(rounds: int) -> dict:
    import shell_latency

    heading(f"shell: `?` help and Tab completion on a Session, median of {rounds} calls")
    figures = shell_latency.measure(rounds)
    for name, ms in figures.items():
        print(f"  {ms:8.3f} ms  {name}")
    return figures


def bench_path(quick: bool) -> dict:
    import path_bench

    sessions = 2_000 if quick else 100_000
    heading(f"traffic path: Engine.forward with NAT + inspection, ACL 101 of 10 / 1,000 / "
            f"10,000 entries, best of {3 if quick else 7} rounds")
    figures = path_bench.measure(rounds=3 if quick else 7, memory_sessions=sessions)
    print("\n".join(path_bench.report(figures)))
    if not quick:
        for what in ("new", "established"):
            print(f"  profile: {what} path, 1,000 entries (cProfile, top 12 by tottime)")
            print(path_bench.profile(what, packets=10_000, top=12))
    return figures


def bench_smtp(quick: bool) -> dict:
    import smtp_bench

    heading("SMTP inspection: data phase against bytes.find for CRLF.CRLF, pipelined commands")
    figures = smtp_bench.measure(2_000_000, 20_000, 1) if quick else smtp_bench.measure()
    print(f"  bytes.find {figures['baseline_find_mb_s']:,.0f} MB/s; inspector in 1460-byte "
          f"segments {figures['data_segmented_mb_s']:,.0f} MB/s, in one buffer "
          f"{figures['data_one_buffer_mb_s']:,.0f} MB/s; "
          f"{figures['command_lines_per_s']:,.0f} pipelined command lines/s")
    return figures


def bench_fairness(quick: bool) -> dict:
    import fairness_bench

    flood, lines = (5_000, 10_000) if quick else (100_000, 200_000)
    heading(f"fairness: `show clock` on a vty during a {flood:,}-SYN flood on another; "
            f"configuration commands on a {lines:,}-line config")
    figures = {"flood": fairness_bench.flood_figures(flood),
               "config": fairness_bench.config_figures(lines), "sizes": (flood, lines)}
    print("\n".join(fairness_bench.report(figures)))
    return figures


def bench_labs(quick: bool) -> dict:
    import lab_bench

    rounds = 2 if quick else 5
    heading(f"labs: each solution graded against loading it once, best of {rounds}")
    figures = lab_bench.measure(rounds)
    print("\n".join(lab_bench.report(figures)))
    return figures


def describe_run() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "iosfw", "grammar"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
        rev = (rev or "?") + (" + uncommitted changes" if dirty else "")
    except OSError:
        rev = "?"
    return (f"iosfw {rev}, Python {platform.python_version()} ({PYTHON}), "
            f"{platform.machine()}, {os.cpu_count()} CPUs")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 10,000 lines, 5 start-up runs, best of 2 loads")
    ap.add_argument("--lines", type=int, help="config size (default 100,000; 10,000 quick)")
    ap.add_argument("--startup-runs", type=int, help="runs per command (default 15; 5 quick)")
    ap.add_argument("--repeat", type=int, help="loads per parser, best taken (default 3; 2 quick)")
    ap.add_argument("--seed", type=int, default=20031, help="config generator seed")
    args = ap.parse_args(argv)
    n_lines = args.lines or (10_000 if args.quick else 100_000)
    startup_runs = args.startup_runs or (5 if args.quick else 15)
    args.repeat = args.repeat or (2 if args.quick else 3)

    try:
        import ciscoconfparse2  # noqa: F401 - only to fail early; timed in a worker
    except ImportError:
        print("bench: ciscoconfparse2 is not installed; run `make bench` or "
              f"{PYTHON} -m pip install -e '.[bench]'", file=sys.stderr)
        return 2

    print(f"iosfw benchmarks{' (quick)' if args.quick else ''}: {describe_run()}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set here; dropped for the measured processes)")
    with tempfile.TemporaryDirectory(prefix="iosfw-bench-") as tmpdir:
        tmp = Path(tmpdir)
        xdg = tmp / "xdg-data"
        xdg.mkdir()
        # XDG_DATA_HOME: an empty NVRAM, so iosfw boots the built-in config, never a saved
        # one. XDG_CACHE_HOME: an empty cache (compiled parser tables), filled by the
        # untimed warm-up run, so a stale cache of the user's cannot skew the figures.
        env = dict(os.environ, XDG_DATA_HOME=str(xdg), XDG_CACHE_HOME=str(tmp / "xdg-cache"))
        # The workers below start-up run this tree (the editable install): bytecode as an
        # installed iosfw has it, or every run would compile iosfw from source (an editable
        # install under PYTHONDONTWRITEBYTECODE=1 has none). The .pyc files go to a
        # temporary tree, written by the warm-up runs; nothing is written into the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env.pop("PYTHONPROFILEIMPORTTIME", None)

        heading("a regular install of this tree, for the start-up figures")
        installed = install_regular(tmp)
        # as installed: the .pyc files pip compiled into site-packages, no prefix tree
        installed_env = dict(env)
        installed_env.pop("PYTHONPYCACHEPREFIX")
        startup = bench_startup(startup_runs, installed, installed_env)
        bench_importtime(installed, installed_env, repeats=1 if args.quick else 3)
        bench_phases(env)
        loading = bench_loading(n_lines, args.repeat, args.seed, env, tmp)
        bench_profile(loading["path"], n_lines, env)
        shell = bench_shell(50 if args.quick else 300)
        path = bench_path(args.quick)
        smtp = bench_smtp(args.quick)
        fairness = bench_fairness(args.quick)
        labs = bench_labs(args.quick)

    s_ratio = startup["iosfw"] / startup["python"]
    l_ratio = loading["iosfw"] / loading["ccp"]
    heading("summary")
    print(f'start-up: iosfw -c "show version" {startup["iosfw"]:.3f} s, python -c pass '
          f'{startup["python"]:.3f} s, ratio {s_ratio:.1f}x (aim <= {STARTUP_AIM:g}x)'
          f'{"" if s_ratio <= STARTUP_AIM else "  -- above aim"}')
    print(f'start-up: iosfw -c "show ip inspect all" {startup["inspect"]:.3f} s, console '
          f'first prompt {startup["prompt"]:.3f} s '
          f'({startup["inspect"] / startup["python"]:.1f}x, '
          f'{startup["prompt"] / startup["python"]:.1f}x python -c pass)')
    print(f"loading: iosfw {fmt_int(loading['iosfw'])} lines/s, ciscoconfparse2 "
          f"{fmt_int(loading['ccp'])} lines/s, ratio {l_ratio:.2f}x (aim >= {LOADING_AIM:g}x)"
          f"{'' if l_ratio >= LOADING_AIM else '  -- below aim'}")
    worst = max(v for k, v in shell.items() if k != "baseline_show_clock")
    print(f"shell: `?` and Tab worst median {worst:.2f} ms (aim well under {SHELL_AIM_MS:g} ms), "
          f"{worst / shell['baseline_show_clock']:.1f}x a `show clock` "
          f"({shell['baseline_show_clock']:.3f} ms)")
    slowest = max(labs.items(), key=lambda kv: kv[1][1])
    print(f"labs: slowest grading {slowest[0]} {slowest[1][1] * 1000:.0f} ms "
          f"({slowest[1][1] / slowest[1][2]:.1f}x loading its solution)")
    import path_bench
    print("\n".join(path_bench.summary(path)))
    worst = min(smtp["ratio_segmented"], smtp["ratio_one_buffer"])
    print(f"smtp: data phase {smtp['ratio_segmented']:.2f}x (segments) / "
          f"{smtp['ratio_one_buffer']:.2f}x (one buffer) of bytes.find (aim >= 0.5x)"
          f"{'' if worst >= 0.5 else '  -- below aim'}; "
          f"{smtp['command_lines_per_s']:,.0f} command lines/s")
    import fairness_bench
    print("\n".join(fairness_bench.report(fairness)))
    print(f"context: python -c 'import iosfw.cli.main' {startup['import_main']:.3f} s; "
          f"{n_lines:,} lines, {startup_runs} start-up runs, best of {args.repeat} loads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

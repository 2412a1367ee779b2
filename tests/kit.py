"""The test kit: how a test gets a router, a device, a session or an engine, runs lines on it,
and compares output with a golden file.

Everything a test builds goes through here, built one way: the seed router (the built-in
3640-123, `iosfw/data/3640-123.cfg`) or a router from a test's own text, a Device around it
(its NVRAM a directory the test names, its clock virtual unless `live`), Sessions on that
device (the console, or a vty line sharing it), the Engine that forwards packets. When the
program moves a constructor (the loader, the Session class), only this file changes.

Golden files (`tests/golden/`) are compared by `assert_golden`; `IOSFW_UPDATE_GOLDEN=1` rewrites
them instead, except the captures listed in CAPTURES, which the program must match as they are.
tests/README.md says where a test goes and how to use this kit.
"""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from iosfw.cli.session import Session
from iosfw.cli.startup import StartupStore, builtin_text
from iosfw.clock import Clock
from iosfw.commands.loader import LoadResult, load_text
from iosfw.config import model as m
from iosfw.device import Device
from iosfw.engine.pipeline import Engine

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
REFERENCE = ROOT.parent / "shared" / "reference"
CORPUS = ROOT.parent / "shared" / "corpus"

SEED_NAME = "3640-123.cfg"
STARTUP = "startup-config"          # the file a device saves to, in its NVRAM directory
NOWHERE = Path(os.devnull) / STARTUP  # the NVRAM of a device a test never saves from

# Golden files that are copies of a real capture or reference: no regeneration may touch them.
CAPTURES = {
    "seed-show-ip-inspect-all.txt": "a byte copy of ../shared/reference/"
                                    "seed-show-ip-inspect-all.txt, the seed document's output "
                                    "and the project's acceptance reference",
    "smtp-seed-debug.txt": "the seed document's `debug ip inspect smtp` capture (117 lines, "
                           "timestamps removed, line breaks restored; docs/smtp.md)",
}
UPDATE_GOLDEN = "IOSFW_UPDATE_GOLDEN"
CARET_LINE = re.compile(r"^ *\^$", re.MULTILINE)


# ------------------------------------------------------------------ routers and engines
def seed_text() -> str:
    """The startup-config the built-in 3640-123 boots from."""
    return builtin_text()


def seed_with(*lines: str) -> str:
    """The seed config with `lines` (each one line, or several joined by newlines) added
    before its final `end`."""
    text = seed_text()
    cut = text.rindex("\nend") + 1
    return text[:cut] + "".join(line.rstrip("\n") + "\n" for line in lines) + text[cut:]


def load(text: str, name: str = "<config>", **options) -> LoadResult:
    """Boot from `text` as the router boots from its startup-config (`name` in diagnostics;
    `options` as the loader takes them: `router=`, `chassis=`)."""
    return load_text(text, name, **options)


def router(text: str, name: str = "<config>") -> m.Router:
    """The router a config text boots."""
    return load(text, name).router


def seed_router() -> m.Router:
    """A fresh built-in 3640-123."""
    return router(seed_text(), SEED_NAME)


def engine(of: m.Router | None = None) -> Engine:
    """The forwarding engine of router `of` (default: a fresh seed router)."""
    return Engine(seed_router() if of is None else of)


# ------------------------------------------------------------------ devices and sessions
def device(of: m.Router | None = None, nvram: Path | None = None, *,
           store: StartupStore | None = None, live: bool = False) -> Device:
    """Router `of` (default: a fresh seed router) as one box, saving to `nvram`/startup-config
    (nvram a directory; without one a save fails), or to `store` when given; its clock moves
    only when told, or with the wall clock when `live`."""
    store = store or StartupStore(NOWHERE if nvram is None else Path(nvram) / STARTUP)
    return Device(seed_router() if of is None else of, store, Clock(live=live))


def session(nvram: Path | None = None, *config: str, router: m.Router | None = None,
            on: Device | None = None, privileged: bool = True, line: str = "console",
            peer: str = "") -> Session:
    """A line of a device: `on` one the test has, else a new one of `router` (default: the seed)
    saving under `nvram`. Privileged EXEC unless `privileged=False`; the console unless `line`
    names a vty ("vty0", with the `peer` address it came from). `config` lines are configured
    from it first."""
    assert on is None or (router is None and nvram is None), "a session joins `on` as it is"
    s = Session(device(router, nvram) if on is None else on, privileged=privileged,
                line_name=line, peer=peer)
    if config:
        configure(s, *config)
    return s


def configure(s: Session, *lines: str) -> str:
    """Configure `lines` from `s`; what the line shows after `end` (the %SYS-5-CONFIG_I line)."""
    ok(s, "configure terminal")
    for line in lines:
        ok(s, line)
    return s.execute("end").output


# ------------------------------------------------------------------ running lines
def ok(s: Session, line: str) -> str:
    """Run a line that must succeed, without a question and without closing the line; its
    output."""
    reply = s.execute(line)
    assert not reply.error, f"{line!r} was refused:\n{reply.output}"
    assert reply.ask is None, f"{line!r} asked {reply.ask.prompt!r}"
    assert not reply.closed, f"{line!r} closed the line"
    return reply.output


def refused(s: Session, line: str) -> str:
    """Run a line the router must refuse (without asking first); the error's text."""
    reply = s.execute(line)
    assert reply.error, f"{line!r} was accepted:\n{reply.output}"
    assert reply.ask is None, f"{line!r} asked {reply.ask.prompt!r}"
    return reply.output


def caret(s: Session, line: str) -> int:
    """The column of the `^` under the word IOS refused in `line`, counted as IOS counts it:
    from the start of the prompt the line was typed after."""
    prompt, text = s.prompt(), refused(s, line)
    marker = CARET_LINE.search(text)
    assert marker, f"{line!r} was refused without a caret:\n{text}"
    column = len(marker.group()) - 1
    assert column >= len(prompt), f"the caret of {line!r} is inside the prompt {prompt!r}"
    return column


# ------------------------------------------------------------------ vty lines
class RecordingLink:
    """A vty's connection without a socket: what the router sent, taken as text."""

    def __init__(self):
        self.sent = bytearray()
        self.closed = False

    def send(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        self.closed = True

    def take(self) -> str:
        text, self.sent = self.sent.decode("latin-1"), bytearray()   # the wire is 8-bit
        return text


def vty(pool, peer: str = "127.0.0.1", *, number: int | None = None, schedule=None,
        **options):
    """A telnet connection from `peer` to vty `number` of `pool` (a VtyPool; default its next
    free line), at the router's first prompt or question: (vty, its RecordingLink). `schedule`
    is the server loop's call-soon (default: call at once); `options` go to Vty (`local=`,
    `peer_port=`)."""
    from iosfw.remote.vty import Vty

    link = RecordingLink()
    line = Vty(pool, pool.reserve() if number is None else number, link, peer, "telnet",
               schedule or (lambda call: call()), **options)
    line.start_telnet()
    return line, link


def privileged_vty(pool, peer: str = "127.0.0.1", schedule=None):
    """The next free vty of `pool` (a VtyPool on the seed router), logged in with the seed's
    line password and enabled; (vty, its RecordingLink), with the login's output taken."""
    line, link = vty(pool, peer, schedule=schedule)
    line.data_received(b"cisco123\renable\rcisco123\r")
    link.take()
    return line, link


# ------------------------------------------------------------------ `iosfw serve` as a process
IOSFW = Path(sys.executable).with_name("iosfw")     # the console script of this virtualenv
SEED_PASSWORD = "cisco123"     # the seed's line and enable password (both type 7 in its config)


@contextlib.contextmanager
def served(*options: str, env: dict | None = None):
    """`iosfw serve OPTIONS` as a user starts it, listening on 127.0.0.1 (give `--telnet
    127.0.0.1:0` and/or `--ssh 127.0.0.1:0`): {"telnet": port, "ssh": port} from the lines it
    prints. Stopped at the end, and it must end cleanly with no traceback."""
    proc = subprocess.Popen([str(IOSFW), "serve", *options], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=dict(os.environ, **(env or {})))
    ports: dict[str, int] = {}
    try:
        wanted = sum(o in ("--telnet", "--ssh") for o in options) or 2
        while len(ports) < wanted:
            line = proc.stdout.readline()
            found = re.fullmatch(r"iosfw: (telnet|ssh) on 127\.0\.0\.1:(\d+)\n", line)
            if not found:
                proc.kill()
                raise AssertionError(f"iosfw serve printed {line!r}; stderr: "
                                     f"{proc.communicate(timeout=10)[1]}")
            ports[found.group(1)] = int(found.group(2))
        yield ports
    finally:
        proc.terminate()
        try:
            status = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
    assert status == 0, stderr
    assert "Traceback" not in stderr, stderr


# ------------------------------------------------------------------ labs
class LabAnswers:
    """One lab's reference files, and a learner's answers graded as a user grades them:
    `iosfw lab check NAME --config FILE`, through the command line's own entry point."""

    def __init__(self, name: str):
        from iosfw.labs.catalog import labs_dir

        self.name = name
        self.folder = labs_dir() / name
        self.solution = (self.folder / "solution.cfg").read_text()
        self.start = (self.folder / "start.cfg").read_text()

    def changed(self, old: str, new: str, text: str | None = None) -> str:
        """The solution (or `text`) with its one `old` made `new`: a wrong answer."""
        text = self.solution if text is None else text
        assert text.count(old) == 1, old
        return text.replace(old, new)

    def grade(self, capsys, tmp_path: Path, text: str, *options: str):
        """(exit status, the scorecard: JSON with --json, else the text printed)."""
        import json

        from iosfw.cli.main import main

        path = tmp_path / "answer.cfg"
        path.write_text(text)
        status = main(["lab", "check", self.name, "--config", str(path), *options])
        out = capsys.readouterr().out
        return status, (json.loads(out) if "--json" in options else out)


def failure_block(text: str, heading: str) -> tuple[list[str], str]:
    """A text scorecard's block for the failed check `heading` (`FAIL N. title (task T)`):
    its field labels in order, and its text with the 79-column wrapping undone."""
    block = text[text.index(heading):]
    block = block[:block.index("\n\n")]
    labels = [line.split(":")[0].strip() for line in block.splitlines()[1:]
              if not line.startswith("            ")]
    return labels, " ".join(block.split())


def failed_checks(card: dict, titled: bool = False) -> dict:
    """A JSON scorecard's failed checks by number (or by (number, title))."""
    return {((c["number"], c["title"]) if titled else c["number"]): c
            for c in card["checks"] if not c["passed"]}


# ------------------------------------------------------------------ golden files
class GoldenRewritten(UserWarning):
    """IOSFW_UPDATE_GOLDEN rewrote a golden file: review its diff before committing it."""


def golden(name: str) -> str:
    """The text of golden file `name` (in tests/golden/), byte for byte."""
    return (GOLDEN / name).read_bytes().decode("utf-8")


def assert_golden(name: str, text: str) -> None:
    """`text` is golden file `name`. With IOSFW_UPDATE_GOLDEN=1 the file is rewritten to `text`
    instead (atomically, with a GoldenRewritten warning when it changed), unless it is a
    capture: those are compared, always."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_GOLDEN) and name not in CAPTURES:
        if not path.exists() or golden(name) != text:
            _write_atomically(path, text.encode("utf-8"))
            warnings.warn(GoldenRewritten(f"rewrote tests/golden/{name}"), stacklevel=2)
        return
    if name in CAPTURES:
        how = f"it is a capture ({CAPTURES[name]}): the program must change, not the file"
    else:
        how = f"if the change is intended, rewrite it: {UPDATE_GOLDEN}=1 pytest ..."
    assert path.exists(), f"no golden file tests/golden/{name}; {how}"
    assert text == golden(name), f"differs from tests/golden/{name}; {how}"


def _write_atomically(path: Path, data: bytes) -> None:
    """A reader of `path` sees the old bytes or the new ones, never part of either."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, mode)     # mkstemp's 0600 would hide the file from the other users
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise

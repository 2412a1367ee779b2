"""`write memory` on disk (docs/shell.md "Saving and reloading"): private files, links written
through, durable and whole (killed saves leave the old or the new file, and the next save or
boot removes their temporaries), and failures that keep the old file and say so as IOS does.

Failures come two ways: simulated (os.write raising ENOSPC, the temporary's creation raising
EROFS) and real (a child under RLIMIT_FSIZE gets EFBIG from the kernel; a directory without
write permission, unless the tests run as root, whom permissions do not stop). A small tmpfs
would need root to mount, so a full disk is the simulated one.
"""
from __future__ import annotations

import errno
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time

import kit
import pytest
from kit import ROOT

from iosfw.cli.main import boot
from iosfw.cli.startup import StartupStore, user_startup_path

OLD = "hostname OLD\nend\n"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def temporaries(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


# ------------------------------------------------------------------ private files, links
@pytest.mark.parametrize("old_mode", [None, 0o644, 0o666, 0o600])
def test_a_save_is_private_whatever_the_old_file_was(tmp_path, old_mode):
    path = tmp_path / "r1.cfg"
    if old_mode is not None:
        path.write_text(OLD)
        os.chmod(path, old_mode)
    previous = os.umask(0)     # even with nothing masked
    try:
        StartupStore(path).write("hostname NEW\nend\n")
    finally:
        os.umask(previous)
    assert mode(path) == 0o600
    assert path.read_text() == "hostname NEW\nend\n"


def test_the_builtin_routers_nvram_directory_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = StartupStore.builtin()
    store.write(OLD)
    assert mode(user_startup_path().parent) == 0o700
    assert mode(user_startup_path()) == 0o600
    os.chmod(user_startup_path().parent, 0o755)     # made so by an earlier version
    store.write(OLD)
    assert mode(user_startup_path().parent) == 0o700


def test_the_directory_of_a_config_file_is_left_as_it_is(tmp_path):
    directory = tmp_path / "configs"
    directory.mkdir()
    os.chmod(directory, 0o755)
    StartupStore(directory / "r1.cfg").write(OLD)
    assert mode(directory) == 0o755


@pytest.mark.parametrize("relative", [False, True])
def test_a_symlinked_config_is_written_through_the_link(tmp_path, relative):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "r1.cfg"
    target.write_text(OLD)
    link = tmp_path / "r1.cfg"
    link.symlink_to("real/r1.cfg" if relative else target)
    StartupStore(link).write("hostname NEW\nend\n")
    assert link.is_symlink()
    assert target.read_text() == "hostname NEW\nend\n"
    assert mode(target) == 0o600
    assert temporaries(tmp_path) == temporaries(tmp_path / "real") == []


def test_the_file_is_on_disk_before_the_rename_and_the_rename_after_it(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync directory" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src, dst):
        events.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    StartupStore(tmp_path / "r1.cfg").write(OLD)
    assert events == ["fsync file", "rename", "fsync directory"]


# ------------------------------------------------------------------ killed while saving
def version_text(n: int) -> str:
    """A whole startup-config, 2 MB (its writing takes long enough to be killed in)."""
    return f"hostname R{n}\n" + f"! {'x' * 98}\n" * 20_000 + "end\n"


def version_of(data: bytes) -> int:
    """Which version a saved file is; fails unless it is that version whole."""
    n = int(data.split(b"\n", 1)[0].removeprefix(b"hostname R"))
    assert data == version_text(n).encode()
    return n


def kill_saves(path, kills: int, seed: int) -> int:
    """Fork a child that saves version after version, SIGKILL it at a random moment, and
    again; after each kill the file must be one version, whole, and at most the killed save's
    temporary is left (the child's first save removes those before it). How many kills left
    one."""
    rng = random.Random(seed)
    left = 0
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:    # the child: save until killed, never back into pytest
            try:
                store, n = StartupStore(path), rng.randrange(1, 10 ** 6)
                while True:
                    n += 1
                    store.write(version_text(n))
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.002, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        version_of(path.read_bytes())
        assert len(temporaries(path.parent)) <= 1
        left += len(temporaries(path.parent))
    return left


def leave_a_temporary(path) -> None:
    """Kill saves until one leaves its temporary behind (at most 50 tries)."""
    for seed in range(50):
        if kill_saves(path, kills=1, seed=seed):
            return
    raise AssertionError("no kill landed during a save")


def test_saves_killed_at_random_moments_leave_a_whole_file_and_the_next_save_cleans_up(
        tmp_path):
    path = tmp_path / "startup-config"
    StartupStore(path).write(version_text(0))
    start = time.monotonic()
    assert kill_saves(path, kills=30, seed=1) > 0, "no kill landed during a save"
    assert time.monotonic() - start < 10
    leave_a_temporary(path)
    assert all(name.startswith(".startup-config.") for name in temporaries(tmp_path))
    StartupStore(path).write(version_text(0))
    assert temporaries(tmp_path) == []
    assert version_of(path.read_bytes()) == 0


def test_the_next_boot_removes_the_temporaries_of_killed_saves(tmp_path):
    path = tmp_path / "r1.cfg"
    StartupStore(path).write(version_text(0))
    leave_a_temporary(path)
    router, _ = boot(str(path))
    assert temporaries(tmp_path) == []
    assert router.hostname.startswith("R")


def test_temporaries_of_running_saves_and_of_other_files_are_left_alone(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = tmp_path / f".r1.cfg.{sleeper.pid}.abcdefgh.tmp"
        other = tmp_path / f".r2.cfg.{2 ** 22 + 7}.abcdefgh.tmp"     # no such process
        dead = tmp_path / f".r1.cfg.{2 ** 22 + 7}.abcdefgh.tmp"
        legacy = tmp_path / ".startup-k3j_x9q1"                    # iosfw before this one
        for path in (running, other, dead, legacy):
            path.write_text("partial")
        StartupStore(tmp_path / "r1.cfg").write(OLD)
        assert sorted(os.listdir(tmp_path)) == sorted(["r1.cfg", running.name, other.name])
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_saved_startup_config_that_cannot_be_read_is_named_at_boot(tmp_path, monkeypatch,
                                                                       capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    user_startup_path().mkdir(parents=True)      # a directory where the file should be
    with pytest.raises(SystemExit) as exited:
        boot(None)
    assert exited.value.code == 1
    assert capsys.readouterr().err == f"iosfw: {user_startup_path()}: cannot read: Is a directory\n"


# ------------------------------------------------------------------ failing saves
ERROR = "Building configuration...\n%Error writing nvram:startup-config ({})\n"


def test_a_full_disk_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    session = kit.session(tmp_path)
    path = tmp_path / "startup-config"
    path.write_text(OLD)
    real_write = os.write

    def full(fd, data):
        real_write(fd, bytes(data[:100]))     # the disk fills up during the write
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    reply = session.execute("write memory")
    monkeypatch.undo()
    assert reply.error
    assert reply.output == ERROR.format("No space left on device")
    assert path.read_text() == OLD
    assert temporaries(tmp_path) == []


def test_a_read_only_file_system_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    session = kit.session(tmp_path)
    (tmp_path / "startup-config").write_text(OLD)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    reply = session.execute("copy running-config startup-config")
    monkeypatch.undo()
    assert reply.output == ("Destination filename [startup-config]? \n"
                            + ERROR.format("Read-only file system"))
    assert (tmp_path / "startup-config").read_text() == OLD


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory anyway")
def test_a_read_only_directory_keeps_the_old_file_and_says_so(tmp_path):
    directory = tmp_path / "ro"
    directory.mkdir()
    (directory / "startup-config").write_text(OLD)
    session = kit.session(directory)
    os.chmod(directory, 0o500)
    try:
        reply = session.execute("write memory")
    finally:
        os.chmod(directory, 0o700)
    assert reply.output == ERROR.format("Permission denied")
    assert (directory / "startup-config").read_text() == OLD
    assert temporaries(directory) == []


def test_the_kernel_refusing_the_write_keeps_the_old_file_and_says_so(tmp_path):
    """A real failure: the child may write no file beyond 512 bytes (RLIMIT_FSIZE; Python
    ignores SIGXFSZ, so the write fails with EFBIG)."""
    config = tmp_path / "r1.cfg"
    config.write_text(kit.seed_text())
    old = config.read_bytes()
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "iosfw", "--config", str(config)]
    subprocess.run(command + ["-c", "show version"], env=env, cwd=ROOT, capture_output=True,
                   check=True, timeout=60)     # caches filled before the limit

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

    proc = subprocess.run(command, env=env, cwd=ROOT, input=b"write memory\n",
                          capture_output=True, preexec_fn=limit, timeout=60, check=False)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    assert ERROR.format("File too large").encode() in proc.stdout
    assert config.read_bytes() == old
    assert temporaries(tmp_path) == []

"""The startup-config: where the router boots from and where `write memory` saves to.

A save never leaves a half-written file: the text goes to a temporary file beside the target,
which is flushed to disk and renamed over it. Both are private (0600): they hold the enable
and line passwords, and type 7 is reversible by anyone. A process killed between the two
steps leaves its temporary behind; the next save or boot removes it.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from ..commands.loader import UnreadableConfig, decode_config
from ..config.render import encode_config

BUILTIN_NAME = "3640-123.cfg"
PRIVATE_DIRECTORY = 0o700
# `.NAME.PID.XXXXXXXX.tmp`: the temporary of a save of NAME by process PID; `.startup-XXXXXXXX`:
# one of the versions before this one (no process named: all of them are stale)
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp|\.startup-[a-z0-9_]{8}")


def builtin_text() -> str:
    return resources.files("iosfw.data").joinpath(BUILTIN_NAME).read_text(encoding="utf-8")


def user_startup_path() -> Path:
    """The built-in router's NVRAM: one file per user, as each user has their own router."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "iosfw" / "3640-123.startup-config"


@dataclass
class StartupStore:
    path: Path
    fallback: Optional[str] = None   # what to boot from while nothing was saved (built-in)
    private_directory: bool = False  # the directory is iosfw's own (the built-in's NVRAM)

    @classmethod
    def builtin(cls) -> StartupStore:
        return cls(user_startup_path(), fallback=builtin_text(), private_directory=True)

    @property
    def target(self) -> Path:
        """The file a save replaces: through a symbolic link, the file it points to (replacing
        the link by a plain file would leave the file it points to unchanged)."""
        return Path(os.path.realpath(self.path))

    def read(self) -> Optional[str]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return self.fallback
        except OSError as err:
            raise UnreadableConfig(f"{self.path}: cannot read: {err.strerror or err}") from None
        return decode_config(data)

    def write(self, text: str) -> None:
        """Replace the startup-config with `text`, whole or not at all: an OSError (a full
        disk, a read-only directory) leaves the old file as it was."""
        target = self.target
        self._prepare_directory(target.parent)
        remove_stale(target)
        replace_file(target, encode_config(text))

    def remove_stale(self) -> None:
        """At boot: the temporaries of saves that were killed before they finished."""
        remove_stale(self.target)

    @property
    def flash_directory(self) -> Path:
        """Where the router's flash: keeps the files copied to it: a directory beside the
        startup-config (`NAME.flash/`), so that a router's NVRAM and flash go together."""
        return self.path.with_name(self.path.name + ".flash")

    def prepare_flash(self) -> Path:
        """The flash directory, made if need be: private (0700) whoever's directory holds it,
        as its files may be configurations with passwords; the NVRAM's own directory as a save
        makes it."""
        self._prepare_directory(self.path.parent)
        directory = self.flash_directory
        directory.mkdir(mode=PRIVATE_DIRECTORY, exist_ok=True)
        if directory.stat().st_mode & 0o777 != PRIVATE_DIRECTORY:
            os.chmod(directory, PRIVATE_DIRECTORY)
        return directory

    def _prepare_directory(self, directory: Path) -> None:
        """The directory exists; iosfw's own is private (0700), whatever made it so far."""
        directory.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
        if self.private_directory and directory.stat().st_mode & 0o777 != PRIVATE_DIRECTORY:
            os.chmod(directory, PRIVATE_DIRECTORY)


def replace_file(target: Path, data: bytes, shared: bool = False) -> None:
    """`target` holds `data`, whole or not at all (a temporary beside it, on disk, renamed
    over it). Private (0600) unless `shared`: then as the umask makes a new file (a picture
    for a slide, not a configuration with passwords)."""
    tmp = _write_temporary(target, data)
    try:
        if shared:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        _discard(tmp)
        raise
    _sync_directory(target.parent)


def _write_temporary(target: Path, data: bytes) -> str:
    """`data` in a new file beside `target`, on disk (fsync) before it is renamed: renamed
    earlier, a crash could leave an empty startup-config. mkstemp makes it 0600 whatever the
    umask, and the rename keeps that mode, whatever the old file's was. Its name says whose it
    is (`remove_stale`); it is removed again if anything fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                               dir=target.parent)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: str) -> None:
    """Remove a temporary after a failed save; if even that fails, the next save does."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_directory(directory: Path) -> None:
    """fsync the directory, so that the rename itself survives a crash. Some file systems
    refuse to sync a directory; the rename is done by then, so the save stands."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale(target: Path) -> None:
    """Remove the temporaries that saves of `target` left behind when they were killed: those
    of processes that no longer run (a running one may be saving now), and those of earlier
    iosfw versions. Never fails: a temporary it cannot remove waits for the next time."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        found = _TEMPORARY.fullmatch(name)
        if found and (found["name"] is None
                      or (found["name"] == target.name and not _running(int(found["pid"])))):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:     # another user's process (EPERM): running
        return True
    return True

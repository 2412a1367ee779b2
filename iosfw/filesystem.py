"""The router's file systems: `flash:` (the IOS image and the files copied there), `nvram:`
(the startup-config), `system:` (the running-config) and `null:`.

A 3640's flash is a Class B file system: flat (a `/` is part of a name), no dates, files in
the order they were written, each taking a 64-byte header besides its bytes; its size is what
`show version` says (32768K). The image file is listed with a plausible size but holds no
bytes here: it cannot be read, copied, overwritten or deleted (docs/shell.md). Deleting a
file gives its space back at once, as a `squeeze flash:` would on the router.

The files a user copies to flash live in a directory beside the saved startup-config
(StartupStore.flash_directory), one file each, written whole or not at all, so that a reload
or a new process finds them; their order is the order they were written (modification
times). A device whose NVRAM is nowhere (a lab's probe, a test's device under /dev/null)
keeps its flash in memory. Nothing here is
part of a command's undo point: like a save to NVRAM, a write to flash stands.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .cli.startup import remove_stale, replace_file
from .commands.loader import UnreadableConfig, decode_config
from .config.render import encode_config, startup_text
from .show.files import Entry, Listing
from .show.system import IMAGE_FILE

IMAGE_NAME = IMAGE_FILE.split(":", 1)[1]
IMAGE_BYTES = 22932484          # ours: a 12.3(4)T IK9O3S image for the 3640 is about this size
FLASH_BYTES = 32768 * 1024      # `32768K bytes of processor board System flash`
FILE_HEADER = 64                # what each file takes on Class B flash besides its bytes
NVRAM_BYTES = 129016            # as `show startup-config` says: `Using N out of 129016 bytes`
PRIVATE_CONFIG_BYTES = 5
# not the real image's digest (iosfw has no image): a stable stand-in for `verify /md5`
IMAGE_MD5 = "c88b5d454387ca785cc6760e89f10c16"   # md5("iosfw " + IMAGE_NAME): a stand-in, stable
NO_IMAGE = "iosfw: the IOS image is listed, not stored"


def _md5(data: bytes) -> str:
    """hashlib and urllib are imported when a file is read or listed, not when iosfw starts."""
    import hashlib

    return hashlib.md5(data).hexdigest()


def _unquote(name: str) -> str:
    from urllib.parse import unquote

    return unquote(name)


class FileError(Exception):
    """A file operation the router refuses; `reason` is what IOS puts in parentheses after
    the file's name (`%Error opening flash:x (File not found)`)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _os_error(err: OSError) -> FileError:
    return FileError(err.strerror or str(err))


class Flash:
    prefix = "flash"
    kind = "flash"
    total = FLASH_BYTES
    default_name = None         # the file a copy to `flash:` writes is named after its source

    def __init__(self, store=None):
        self.store = store
        self._memory: dict[str, bytes] = {}     # the files, when there is no store

    # ------------------------------------------------------------------ what is there
    def _files(self) -> list[tuple[str, int]]:
        """(name, size) of each file copied here, in the order written."""
        if self.store is None:
            return [(name, len(data)) for name, data in self._memory.items()]
        try:
            found = list(os.scandir(self.store.flash_directory))
        except (FileNotFoundError, NotADirectoryError):
            return []           # nothing copied here yet
        except OSError as err:
            raise _os_error(err) from None
        files = []
        for item in found:
            if item.name.startswith(".") or not item.is_file(follow_symlinks=False):
                continue        # a save's temporary, or nothing iosfw wrote
            stat = item.stat(follow_symlinks=False)
            files.append((stat.st_mtime_ns, _unquote(item.name), stat.st_size))
        return [(name, size) for _, name, size in sorted(files)]

    def entries(self) -> list[Entry]:
        sizes = [(IMAGE_NAME, IMAGE_BYTES), *self._files()]
        return [Entry(n, "-rw-", size, name) for n, (name, size) in enumerate(sizes, 1)]

    def free(self) -> int:
        return self.total - sum(e.size + FILE_HEADER for e in self.entries())

    def exists(self, name: str) -> bool:
        return any(e.name == name for e in self.entries())

    # ------------------------------------------------------------------ reading and writing
    def read(self, name: str) -> bytes:
        if name == IMAGE_NAME:
            raise FileError(NO_IMAGE)
        if self.store is None:
            if name not in self._memory:
                raise FileError("File not found")
            return self._memory[name]
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            raise FileError("File not found") from None
        except OSError as err:
            raise _os_error(err) from None

    def md5(self, name: str) -> str:
        return IMAGE_MD5 if name == IMAGE_NAME else _md5(self.read(name))

    def write(self, name: str, data: bytes) -> None:
        """`name` holds `data` (a file of that name replaced: the new one goes last)."""
        if name == IMAGE_NAME:
            raise FileError(NO_IMAGE)
        if not name:
            raise FileError("Invalid argument")
        old = next((e.size + FILE_HEADER for e in self.entries() if e.name == name), 0)
        if len(data) + FILE_HEADER > self.free() + old:
            raise FileError("Not enough space on device")
        if self.store is None:
            self._memory.pop(name, None)
            self._memory[name] = data
            return
        try:
            target = self.store.prepare_flash() / _disk_name(name)
            remove_stale(target)
            replace_file(target, data)
        except OSError as err:
            raise _os_error(err) from None

    def delete(self, name: str) -> None:
        if name == IMAGE_NAME:
            raise FileError(NO_IMAGE)
        if self.store is None:
            if self._memory.pop(name, None) is None:
                raise FileError("File not found")
            return
        try:
            self._path(name).unlink()
        except FileNotFoundError:
            raise FileError("File not found") from None
        except OSError as err:
            raise _os_error(err) from None

    def _path(self, name: str) -> Path:
        return self.store.flash_directory / _disk_name(name)


def _disk_name(name: str) -> str:
    """A flash name as a file name of the host: every character a path could take otherwise
    (`/`, a leading `.`, which would hide it among the temporaries) percent-encoded."""
    from urllib.parse import quote

    encoded = quote(name, safe="")
    return "%2E" + encoded[1:] if encoded.startswith(".") else encoded


class Nvram:
    """The startup-config, as the device's StartupStore holds it, and the private-config
    beside it (listed, never readable, as on the router)."""
    prefix = "nvram"
    kind = "nvram"
    total = NVRAM_BYTES
    STARTUP = "startup-config"
    PRIVATE = "private-config"
    default_name = STARTUP

    def __init__(self, store=None):
        self.store = store

    def _startup(self) -> Optional[bytes]:
        if self.store is None:
            return None
        try:
            text = self.store.read()
        except UnreadableConfig as err:
            raise FileError(str(err)) from None
        return None if text is None else encode_config(text)

    def entries(self) -> list[Entry]:
        saved = self._startup()
        found = [] if saved is None else [Entry(124, "-rw-", len(saved), self.STARTUP)]
        return found + [Entry(125, "----", PRIVATE_CONFIG_BYTES, self.PRIVATE)]

    def free(self) -> int:
        return self.total - sum(e.size for e in self.entries())

    def exists(self, name: str) -> bool:
        return any(e.name == name for e in self.entries())

    def read(self, name: str) -> bytes:
        if name == self.PRIVATE:
            raise FileError("Permission denied")
        saved = self._startup() if name == self.STARTUP else None
        if saved is None:
            raise FileError("File not found")
        return saved

    def md5(self, name: str) -> str:
        return _md5(self.read(name))

    def write(self, name: str, data: bytes) -> None:
        if name != self.STARTUP or self.store is None:
            raise FileError("Permission denied")
        try:
            self.store.write(decode_config(data))
        except OSError as err:
            raise _os_error(err) from None

    def delete(self, name: str) -> None:
        raise FileError("Permission denied")


class System:
    """The running-config as a file: what `show running-config` shows after its header. A
    copy to it is a merge, which the command layer does (iosfw/commands/files.py)."""
    prefix = "system"
    kind = "opaque"
    total = None
    RUNNING = "running-config"
    default_name = RUNNING

    def __init__(self, device):
        self.device = device

    def _running(self) -> bytes:
        return encode_config(startup_text(self.device.router))

    def entries(self) -> list[Entry]:
        return [Entry(1, "-rw-", len(self._running()), self.RUNNING)]

    def free(self) -> Optional[int]:
        return None

    def exists(self, name: str) -> bool:
        return name == self.RUNNING

    def read(self, name: str) -> bytes:
        if name != self.RUNNING:
            raise FileError("File not found")
        return self._running()

    def md5(self, name: str) -> str:
        return _md5(self.read(name))

    def write(self, name: str, data: bytes) -> None:
        raise FileError("Permission denied")

    def delete(self, name: str) -> None:
        raise FileError("Permission denied")


class Null:
    """Takes whatever is copied to it and keeps none of it; read, it is empty."""
    prefix = "null"
    kind = "opaque"
    total = None
    default_name = None

    def entries(self) -> list[Entry]:
        return []

    def free(self) -> Optional[int]:
        return None

    def exists(self, name: str) -> bool:
        return False

    def read(self, name: str) -> bytes:
        """Nothing: `copy null: flash:X` empties X (napalm's discard_config relies on it)."""
        return b""

    def md5(self, name: str) -> str:
        raise FileError("Permission denied")

    def write(self, name: str, data: bytes) -> None:
        pass

    def delete(self, name: str) -> None:
        raise FileError("Permission denied")


def _somewhere(store) -> bool:
    """Whether the NVRAM is somewhere flash could go beside: not for a device without a
    store, nor for one whose NVRAM is under the null device (a test's, that never saves)."""
    return store is not None and Path(os.devnull) not in store.path.parents


class FileSystems:
    """The device's file systems by prefix; `locate` reads a URL as the commands type it."""

    def __init__(self, device):
        store = device.store
        self.flash = Flash(store if _somewhere(store) else None)
        self.nvram = Nvram(store)
        self.system = System(device)
        self.null = Null()
        self.by_prefix = {fs.prefix: fs for fs in (self.flash, self.nvram, self.system,
                                                   self.null)}

    def locate(self, url: str):
        """(file system, name) of `flash:x`, `flash:/x`, `FLASH:x` (name "" for the file
        system itself)."""
        prefix, _, path = url.partition(":")
        return self.by_prefix[prefix.lower()], path.removeprefix("/")

    def listing(self, url: str) -> Listing:
        """What `dir URL` lists: the whole file system, or the one file the URL names."""
        fs, name = self.locate(url)
        entries = fs.entries()
        if name:
            entries = [e for e in entries if e.name == name]
            if not entries:
                raise FileError("File not found")
        return Listing(f"{fs.prefix}:/{name}", tuple(entries), fs.total, fs.free())

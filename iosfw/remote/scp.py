"""The server side of SCP, as a 12.3 router with `ip scp server enable` runs it: the classic
rcp-style protocol that `scp -O`, and the Python `scp` package under netmiko and napalm, start
as an SSH exec request of `scp -t DEST` (the client puts files here) or `scp -f SRC` (it gets
them). Every byte is read from or written to the router's file systems (Device.files,
iosfw/filesystem.py); ssh.py only hands this module the channel's bytes.

The protocol is a few control records, each answered by one byte: `\\0` for yes, or `\\x01`
and a line of text for no (the client prints the text and goes on with its next file;
`\\x02` would end the exchange). Receiving (`-t`): the router says `\\0` when it is ready;
`C0644 SIZE NAME` announces a file, the router's `\\0` asks for its SIZE bytes and the `\\0`
after them, and the file is written whole, when all of it is there and only then, before the
router's last `\\0`; `T...` (`-p`) gives times, which a 3640's flash does not keep; `D`/`E`
(`-r`) would make directories, which the flat flash has none of. Sending (`-f`): the client
says `\\0` when ready, the router sends `C0644 SIZE NAME`, then on the client's `\\0` the bytes
and a `\\0`, and waits for the client's `\\0` again; with `-p` a `T` record (the router's clock
now: the flash keeps no dates) comes first.

The router refuses the exchange before its first byte when SCP is off (`Administratively
disabled.`) or the login did not give privilege 15 (`Privilege denied.`): SCP has no `enable`,
so only a `login local` user with `privilege 15` may copy. A refused file is answered with
`scp: NAME: REASON`, the reason as the file commands give it; the exit status is 1 when
anything was refused or the exchange broke off, else 0. docs/remote.md has the whole story.
"""
from __future__ import annotations

import asyncio
import shlex
from dataclasses import dataclass
from typing import Callable, Optional

from ..commands.files import KEYWORD_URLS
from ..filesystem import FILE_HEADER, FLASH_BYTES, IMAGE_NAME, NO_IMAGE, FileError

OK = b"\0"
WARNING, FATAL = b"\x01", b"\x02"
DISABLED = WARNING + b"Administratively disabled.\n"     # IOS's words: scp prints them
PRIVILEGE_DENIED = WARNING + b"Privilege denied.\n"     # IOS's words, for a level below 15
# options of OpenSSH's scp that take a value (`-l 100`, `-l100`): the value is not a flag
OPTIONS_WITH_VALUE = frozenset("cDiJloPSX")
RECORD_LIMIT = 4096        # the longest control record taken; a longer one ends the exchange
FILE_MODE = "0644"         # what the router says of every file it sends


class Abort(Exception):
    """The exchange ends here: its message goes to the client as an error record."""


class Fatal(Exception):
    """The client ended the exchange (a `\\x02` record), or the protocol broke: nothing more."""


@dataclass(frozen=True)
class Request:
    """An scp far end's command line: receive (`-t`) or send (`-f`), its one-letter options
    (`p`, `r`, `d`, `v`, ...) and its paths."""
    receive: bool
    options: frozenset[str]
    paths: tuple[str, ...]


def parse_request(command: str) -> Optional[Request]:
    """The scp far end an exec request starts (`scp [OPTIONS] -t|-f [--] PATH...`), or None
    for anything else, which is a router command line (`scp flash:x`, `scp -v x -t`)."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if not words or words[0] != "scp":
        return None
    options: set[str] = set()
    at = 1
    while at < len(words):
        word = words[at]
        at += 1
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            at -= 1
            break
        letters = word[1:]
        for k, letter in enumerate(letters):
            if letter in OPTIONS_WITH_VALUE:
                at += k == len(letters) - 1     # `-l 100`: the next word is the value
                break
            options.add(letter)
    if "t" not in options and "f" not in options:
        return None
    return Request("t" in options, frozenset(options), tuple(words[at:]))


def scp_far_end(command: str) -> bool:
    return parse_request(command) is not None


def refusal(router, privileged: bool) -> Optional[bytes]:
    """What the router answers before anything else, if it will not take part: SCP off, or a
    login below privilege 15."""
    if not router.ip_scp_server:
        return DISABLED
    if not privileged:
        return PRIVILEGE_DENIED
    return None


class Transfer:
    """One `scp -t` or `scp -f` on one channel: bytes in by feed(), out by `send`; run()
    until the exchange is over, to the channel's exit status. `idle` seconds without a byte
    from the client end it (None: never), as an idle EXEC ends at its exec-timeout."""

    def __init__(self, device, request: Request, send: Callable[[bytes], None],
                 idle: Optional[float] = None):
        self.files = device.files
        self.clock = device.clock
        self.request = request
        self.send = send
        self.idle = idle
        self.reader = asyncio.StreamReader(limit=RECORD_LIMIT)
        self.refused = 0

    # ------------------------------------------------------------------ the channel
    def feed(self, data: bytes) -> None:
        self.reader.feed_data(data)

    def feed_eof(self) -> None:
        self.reader.feed_eof()

    async def run(self) -> int:
        try:
            if self.request.receive:
                await self._receive()
            else:
                await self._give()
        except Abort as err:
            self._refuse(str(err))
        except (Fatal, asyncio.IncompleteReadError, asyncio.TimeoutError):
            self.refused += 1       # broke off: whatever was half-received is not written
        return 1 if self.refused else 0

    def _refuse(self, message: str) -> None:
        self.refused += 1
        self.send(WARNING + f"scp: {message}\n".encode("utf-8", "surrogateescape"))

    async def _read(self, read):
        return await asyncio.wait_for(read, self.idle)

    async def _record(self) -> bytes:
        """The next control record without its line end; b"" when the client is done."""
        try:
            line = await self._read(self.reader.readuntil(b"\n"))
        except asyncio.IncompleteReadError as err:
            if err.partial:
                raise
            return b""
        except asyncio.LimitOverrunError:
            raise Abort("protocol error: control record too long") from None
        return line[:-1]

    async def _answer(self) -> bool:
        """The client's answer: True for `\\0`; False for an error record (its text is the
        client's: it has shown it); Fatal when the client ends the exchange."""
        byte = await self._read(self.reader.readexactly(1))
        if byte == OK:
            return True
        if byte in (WARNING, FATAL):
            await self._record()
            if byte == FATAL:
                raise Fatal()
            self.refused += 1
            return False
        raise Abort("protocol error: unexpected answer")

    # ------------------------------------------------------------------ where files are
    def _locate(self, path: str):
        """(file system, name) of a path as scp gives it: `flash:x`, `flash:/x`, a bare name
        or `.` on flash:, `running-config`/`startup-config` as the copy command reads them;
        name "" for the file system itself."""
        url = KEYWORD_URLS.get(path, path)
        if url in ("", "."):
            url = "flash:"
        elif ":" not in url:
            url = "flash:" + url
        if url.partition(":")[0].lower() not in self.files.by_prefix:
            raise FileError("No such file system")
        return self.files.locate(url)

    # ------------------------------------------------------------------ scp -t
    async def _receive(self) -> None:
        paths = self.request.paths
        if len(paths) != 1:
            raise Abort("ambiguous target")
        try:
            fs, name = self._locate(paths[0])
        except FileError as err:
            raise Abort(f"{paths[0]}: {err.reason}") from None
        if name and "d" in self.request.options:
            raise Abort(f"{paths[0]}: Not a directory")
        self.send(OK)
        while record := await self._record():
            kind, body = record[:1], record[1:].decode("utf-8", "surrogateescape")
            if kind == b"C":
                await self._file(fs, name, body)
            elif kind == b"T":
                self._times(body)
                self.send(OK)           # taken, and forgotten: the flash keeps no dates
            elif kind == b"D":
                directory = body.split(" ", 2)[-1]
                self._refuse(f"{directory}: {fs.prefix}: has no directories")
            elif kind == WARNING:
                self.refused += 1       # the client could not read one of its files
            elif kind == FATAL:
                raise Fatal()
            else:
                raise Abort("protocol error: unexpected control record")

    @staticmethod
    def _times(body: str) -> None:
        words = body.split()
        if len(words) != 4 or not all(w.isdigit() for w in words):
            raise Abort("protocol error: bad time record")

    async def _file(self, fs, target: str, body: str) -> None:
        mode, _, rest = body.partition(" ")
        size_text, _, sent_name = rest.partition(" ")
        if len(mode) != 4 or any(c not in "01234567" for c in mode) or not size_text.isdigit():
            raise Abort("protocol error: bad file record")
        if not sent_name or "/" in sent_name or sent_name in (".", ".."):
            raise Abort(f"{sent_name}: unexpected filename")
        name, size = target or sent_name, int(size_text)
        shown = f"{fs.prefix}:{name}"
        try:
            self._admits(fs, name, size)
        except FileError as err:
            self._refuse(f"{shown}: {err.reason}")      # the client sends no bytes then
            return
        self.send(OK)
        data = await self._read(self.reader.readexactly(size))
        if not await self._answer():
            return                      # the client failed while reading its file
        try:
            fs.write(name, data)
        except FileError as err:
            self._refuse(f"{shown}: {err.reason}")
            return
        self.send(OK)

    def _admits(self, fs, name: str, size: int) -> None:
        """Refuse now what the write would refuse at the end, so that the client is not made
        to send bytes for nothing: the image, and a file larger than the room there is (the
        file system's free bytes and what a file of that name takes now; on one without
        figures, null:, the size of the flash); write() decides."""
        if fs is self.files.flash and name == IMAGE_NAME:
            raise FileError(NO_IMAGE)
        free = fs.free()
        if free is None:
            if size > FLASH_BYTES:
                raise FileError("File too large")
            return
        overhead = FILE_HEADER if fs is self.files.flash else 0
        room = free + sum(e.size + overhead for e in fs.entries() if e.name == name)
        if size + overhead > room:
            raise FileError("Not enough space on device")

    # ------------------------------------------------------------------ scp -f
    async def _give(self) -> None:
        paths = self.request.paths
        if not paths:
            raise Abort("no file named")
        if not await self._answer():    # the client is ready, or says why not
            return
        for path in paths:
            await self._give_one(path)

    async def _give_one(self, path: str) -> None:
        try:
            fs, name = self._locate(path)
            if not name:
                raise FileError("Not a regular file")
            data = fs.read(name)
        except FileError as err:
            self._refuse(f"{path}: {err.reason}")
            return
        if "p" in self.request.options:
            stamp = int(self.clock.now().timestamp())
            self.send(f"T{stamp} 0 {stamp} 0\n".encode())
            if not await self._answer():
                return
        base = name.rsplit("/", 1)[-1]
        self.send(f"C{FILE_MODE} {len(data)} {base}\n".encode("utf-8", "surrogateescape"))
        if not await self._answer():
            return
        self.send(data + OK)
        await self._answer()

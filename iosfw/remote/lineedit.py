"""A character-mode line editor as a router's vty has it: bytes in, bytes out, whole lines up.

Protocol-independent and pure: telnet and SSH hand it the bytes the client typed (after their
own protocol layer), and send back what it returns. It never emits a terminal escape
sequence: erasing is backspace-space-backspace, redisplay is a new line, as on IOS.

Keys: printable characters are echoed (or not, for passwords); CR, LF, CR LF and CR NUL each
end one line; Backspace and DEL erase a character; Ctrl-U and Ctrl-X erase the line; Ctrl-W
erases a word; Ctrl-C and Ctrl-Z are reported to the caller; `?` and Tab ask the caller for
help and completion (command lines only); Ctrl-P / Ctrl-N and the arrow keys walk the
history. Escape sequences sent by the client (arrow keys) are swallowed, never echoed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from ..textutil import MAX_LINE  # characters kept on one line; more are refused (no echo)

MAX_PENDING = 256 * 1024  # bytes of type-ahead kept; a flood beyond this is dropped

BS, DEL, CR, LF, NUL = 0x08, 0x7F, 0x0D, 0x0A, 0x00
CTRL_C, CTRL_N, CTRL_P, CTRL_U, CTRL_W, CTRL_X, CTRL_Z, TAB, ESC = \
    0x03, 0x0E, 0x10, 0x15, 0x17, 0x18, 0x1A, 0x09, 0x1B

ERASE = b"\b \b"


@dataclass
class Event:
    """What the editor reports: kind is "line" (text), "interrupt" (Ctrl-C), "ctrl-z", or
    "key" (one raw key while the caller asked for a single key, e.g. at ` --More-- `)."""
    kind: str
    text: str = ""


def _latin(data: bytes | str) -> bytes:
    if isinstance(data, str):
        data = data.encode("latin-1", "replace")
    return data


def crlf(text: str) -> bytes:
    """Router output as the wire carries it: CR LF line ends, no escape characters, ever."""
    text = text.replace("\r\n", "\n").replace("\n", "\r\n").replace("\x1b", "")
    return text.encode("latin-1", "replace")


class LineEditor:
    def __init__(self, help: Optional[Callable[[str], str]] = None,
                 complete: Optional[Callable[[str], Optional[str]]] = None,
                 prompt: Callable[[], str] = lambda: ""):
        self.help = help
        self.complete = complete
        self.prompt = prompt
        self.buffer = ""
        self.echo = True          # False while a password is typed
        self.commands = True      # `?`, Tab and history work (a command line, not a question)
        self.single_key = False   # the next key is an Event("key"), not part of a line
        self.history: list[str] = []
        self._recall = 0          # how far back Ctrl-P went
        self._pending = bytearray()
        self._after_cr = False    # an LF or NUL right after CR belongs to that CR
        self._esc = 0             # 1 after ESC, 2 inside ESC [ ... (CSI)
        self.dropped = 0          # bytes of flood dropped

    # ------------------------------------------------------------------ input
    def feed(self, data: bytes) -> None:
        room = MAX_PENDING - len(self._pending)
        if len(data) > room:
            self.dropped += len(data) - max(room, 0)
            data = data[:max(room, 0)]
        self._pending += data

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def step(self) -> tuple[bytes, Optional[Event]]:
        """Work through the type-ahead until something happens: returns the bytes to echo and
        the event (None once all input is used up). The caller acts on the event (which may
        change the prompt or the echo) before calling step() again."""
        out, data, pos = bytearray(), self._pending, 0
        try:
            while pos < len(data):
                event = self._key(data[pos], out)
                pos += 1
                if event is not None:
                    return bytes(out), event
            return bytes(out), None
        finally:
            del data[:pos]

    def _key(self, b: int, out: bytearray) -> Optional[Event]:
        after_cr, self._after_cr = self._after_cr, False
        if self._esc:
            self._escape(b, out)
            return None
        if self.single_key:
            if after_cr and b in (LF, NUL):
                self._after_cr = False
                return None
            self.single_key = False
            self._after_cr = b == CR
            return Event("key", chr(b))
        if b == CR:
            self._after_cr = True
            return self._enter(out)
        if b in (LF, NUL):
            return None if after_cr or b == NUL else self._enter(out)
        if b in (BS, DEL):
            if self.buffer:
                self.buffer = self.buffer[:-1]
                if self.echo:
                    out += ERASE
            return None
        if b in (CTRL_U, CTRL_X):
            self._replace("", out)
            return None
        if b == CTRL_W:
            kept = self.buffer.rstrip(" ")
            kept = kept[:len(kept) - len(kept.split(" ")[-1])] if kept else ""
            self._replace(kept, out)
            return None
        if b == CTRL_C:
            self.buffer, self._recall = "", 0
            return Event("interrupt")
        if b == CTRL_Z:
            self.buffer, self._recall = "", 0
            return Event("ctrl-z")
        if b == ESC:
            self._esc = 1
            return None
        if self.commands and b in (CTRL_P, CTRL_N):
            self._walk(1 if b == CTRL_P else -1, out)
            return None
        if self.commands and b == TAB:
            self._tab(out)
            return None
        if self.commands and b == ord("?"):
            self._question(out)
            return None
        if b < 0x20:
            return None                          # other control characters do nothing
        if len(self.buffer) >= MAX_LINE:
            return None
        self.buffer += chr(b)
        if self.echo:
            out.append(b)
        return None

    def _escape(self, b: int, out: bytearray) -> None:
        """Swallow ESC x, and ESC [ params final (arrow keys: up and down walk the history)."""
        if self._esc == 1:
            self._esc = 2 if b in (ord("["), ord("O")) else 0
            return
        if 0x40 <= b <= 0x7E:                    # the final byte of a CSI sequence
            self._esc = 0
            if self.commands and b in (ord("A"), ord("B")):
                self._walk(1 if b == ord("A") else -1, out)
        elif not 0x20 <= b <= 0x3F:
            self._esc = 0                        # not a sequence after all: forget it

    def _enter(self, out: bytearray) -> Event:
        line, self.buffer, self._recall = self.buffer, "", 0
        out += b"\r\n"
        if self.commands and line.strip():
            self.history.append(line)
            del self.history[:-20]
        return Event("line", line)

    # ------------------------------------------------------------------ editing
    def _replace(self, text: str, out: bytearray) -> None:
        """Change the line in place: erase back to the common start, type the rest."""
        text = "".join(ch for ch in text if ch >= " " and ch != "\x7f")[:MAX_LINE]
        common = 0
        while common < min(len(text), len(self.buffer)) and text[common] == self.buffer[common]:
            common += 1
        if self.echo:
            out += ERASE * (len(self.buffer) - common)
            out += _latin(text[common:])
        self.buffer = text

    def _walk(self, direction: int, out: bytearray) -> None:
        target = self._recall + direction
        if target < 0 or target > len(self.history):
            return
        self._recall = target
        self._replace(self.history[-target] if target else "", out)

    def _tab(self, out: bytearray) -> None:
        try:
            completed = self.complete(self.buffer) if self.complete else None
        except Exception:                        # noqa: BLE001 - a key press never kills the line
            completed = None
        if completed is not None and len(completed) <= MAX_LINE:
            self._replace(completed, out)

    def _question(self, out: bytearray) -> None:
        """IOS: `?` is echoed, the listing follows, then prompt and the line as typed."""
        try:
            listing = self.help(self.buffer) if self.help else ""
        except Exception as err:                 # noqa: BLE001
            listing = f"% Internal error in iosfw ({type(err).__name__}); please report it\n"
        out += b"?\r\n" + crlf(listing) + crlf(self.prompt()) + _latin(self.buffer)

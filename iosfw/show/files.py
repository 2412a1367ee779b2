"""What the file commands print: `dir` in the 12.x layout, the line a copy ends with, and the
dots and digest of `verify /md5` (docs/formats.md says which parts are captured).

A `dir` row is the file's number, its permissions, its size and its date, then its name; a
3640's Class B flash and its NVRAM keep no dates, so every row says `<no date>` where the date
column (27 wide, for `Mar 1 2004 00:00:00 +00:00`) would be. The file systems give the rows
(iosfw/filesystem.py); this module only lays them out."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

NO_DATE = "<no date>"
MD5_DOT_BYTES = 65536      # `verify /md5` prints a dot for each block of this many bytes read
MD5_DOTS_PER_LINE = 79
COPY_SETUP_SECONDS = 0.4   # what any copy costs, then its bytes at the rate below
COPY_BYTES_PER_SECOND = 240000


@dataclass(frozen=True)
class Entry:
    number: int
    permissions: str       # "-rw-", "----" (not readable), "dr-x" (a directory)
    size: int
    name: str


@dataclass(frozen=True)
class Listing:
    path: str                       # "flash:/", or "flash:/backup.cfg" for one file
    entries: tuple[Entry, ...]
    total: Optional[int] = None     # None: the file system keeps no space figures
    free: Optional[int] = None


def directory_text(listing: Listing) -> str:
    rows = [f"{e.number:>5}  {e.permissions}  {e.size:>10}  {NO_DATE:>27}  {e.name}"
            for e in listing.entries] or ["No files in directory"]
    if listing.total is None:
        space = "No space information available"
    else:
        space = f"{listing.total} bytes total ({listing.free} bytes free)"
    return "\n".join([f"Directory of {listing.path}", "", *rows, "", space]) + "\n"


def directory_facts(listing: Listing) -> dict:
    return {"directory": listing.path, "bytes_total": listing.total, "bytes_free": listing.free,
            "files": [{"number": e.number, "permissions": e.permissions, "size": e.size,
                       "date": None, "name": e.name} for e in listing.entries]}


def copy_seconds(size: int) -> float:
    """How long a copy of `size` bytes takes, as the router reports it (a figure of ours: a
    small file in about 0.4 seconds, as 12.x routers report copies to flash)."""
    return round(COPY_SETUP_SECONDS + size / COPY_BYTES_PER_SECOND, 3)


def copied_text(size: int) -> str:
    seconds = copy_seconds(size)
    return f"{size} bytes copied in {seconds:.3f} secs ({int(size / seconds)} bytes/sec)\n"


def md5_text(shown: str, size: int, digest: str) -> str:
    """A dot per block read, `Done!` after the last, then the digest of the file as typed."""
    dots = "." * max(1, -(-size // MD5_DOT_BYTES))
    lines = [dots[i:i + MD5_DOTS_PER_LINE] for i in range(0, len(dots), MD5_DOTS_PER_LINE)]
    return "\n".join(lines) + "Done!\n" + f"verify /md5 ({shown}) = {digest}\n"


def md5_facts(shown: str, size: int, digest: str) -> dict:
    return {"file": shown, "size": size, "md5": digest}

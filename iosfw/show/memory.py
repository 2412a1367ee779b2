"""`show memory statistics` for the 3640 of `show version` (128 MB of DRAM: 124928K of main
memory and 6144K of I/O memory).

The layout is the 12.x one: a header, then the processor and I/O pools with their head
address in hexadecimal and their sizes in bytes in columns of 12. The figures are ours and do
not change (iosfw keeps no heap): the processor pool is the main memory above the running
image, which IOS loads at the start of DRAM (0x60000000 in the R4700's address space); the I/O
pool is the top 6144K of the 128 MB, at its physical address, as a 3600 shows it.
"""
from __future__ import annotations

from dataclasses import dataclass

MAIN_KBYTES, IO_KBYTES = 124928, 6144      # `show version`: 124928K/6144K bytes of memory
DRAM_BASE = 0x60000000
IMAGE_BYTES = 0x29F4D40                    # text, data and bss of the decompressed image

HEADER = "                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)"


@dataclass(frozen=True)
class Pool:
    name: str
    head: int
    total: int
    used: int
    lowest: int                   # the least that was ever free
    largest: int                  # the largest free block

    @property
    def free(self) -> int:
        return self.total - self.used


def pools() -> list[Pool]:
    main, io = MAIN_KBYTES * 1024, IO_KBYTES * 1024
    processor = main - IMAGE_BYTES
    return [Pool("Processor", DRAM_BASE + IMAGE_BYTES, processor, 20487356,
                 processor - 21010364, processor - 20826668),
            Pool("I/O", main, io, 1689184, io - 1768880, io - 1689508)]


def text(found: list[Pool]) -> str:
    rows = [f"{p.name:>9}{p.head:>11X}{p.total:>12}{p.used:>12}{p.free:>12}{p.lowest:>12}"
            f"{p.largest:>12}" for p in found]
    return "\n".join([HEADER, *rows]) + "\n"


def facts(found: list[Pool]) -> list[dict]:
    return [{"pool": p.name, "head": f"{p.head:X}", "total": p.total, "used": p.used,
             "free": p.free, "lowest": p.lowest, "largest": p.largest} for p in found]

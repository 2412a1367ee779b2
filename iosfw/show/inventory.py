"""`show inventory`: the Unique Device Identifier Retrieval feature came with 12.3(4)T, so the
router has the command. A 3640 predates UDI: its chassis EEPROM holds no product ID and no
version, which a captured 3640 prints as an empty PID and `VID: 0xFF`. Only the chassis is
listed (docs/formats.md says why); its serial number is the processor board ID of
`show version` in hexadecimal.
"""
from __future__ import annotations

from dataclasses import dataclass

BOARD_ID = 16842752       # `show version`: Processor board ID


@dataclass(frozen=True)
class Entity:
    name: str
    descr: str
    pid: str
    vid: str
    sn: str


def entities() -> list[Entity]:
    return [Entity("3640 chassis", "3640 chassis", "", "0xFF", f"{BOARD_ID:08X}")]


def text(found: list[Entity]) -> str:
    return "".join(f'NAME: "{e.name}", DESCR: "{e.descr}"\n'
                   f"PID: {e.pid:<18}, VID: {e.vid}, SN: {e.sn}\n\n" for e in found)


def facts(found: list[Entity]) -> list[dict]:
    return [{"name": e.name, "descr": e.descr, "pid": e.pid, "vid": e.vid, "sn": e.sn}
            for e in found]

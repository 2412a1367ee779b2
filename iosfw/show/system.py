"""`show version` and `show clock` for the 3640 on 12.3(4)T.

No capture of a 12.3(4)T `show version` is known: the layout follows the verified 12.2/12.3
3640 captures (see docs/formats.md), with the image of the IOS Firewall feature set.
"""
from __future__ import annotations

from collections import Counter

from ..clock import Clock
from ..config import model as m

IMAGE = "C3640-IK9O3S-M"
IMAGE_FILE = "flash:c3640-ik9o3s-mz.123-4.T.bin"


def uptime_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    weeks, minutes = divmod(minutes, 7 * 24 * 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(weeks, "week"), (days, "day"), (hours, "hour")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    words.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(words)


def _interface_counts(r: m.Router) -> list[str]:
    kinds = Counter()
    for name in r.interfaces:
        if "." in name:
            continue
        for prefix, label in (("FastEthernet", "FastEthernet/IEEE 802.3"),
                              ("Ethernet", "Ethernet/IEEE 802.3"), ("Serial", "Serial network")):
            if name.startswith(prefix):
                kinds[label] += 1
                break
    lines = [f"{n} {label} interface(s)" for label, n in kinds.items()]
    if r.controllers:
        lines.append(f"{len(r.controllers)} Channelized T1/PRI port(s)")
    if r.voice_ports:
        lines.append(f"{len(r.voice_ports)} Voice FXS interface(s)")
    return lines


def version_text(r: m.Router, clock: Clock) -> str:
    lines = [
        "Cisco Internetwork Operating System Software ",
        f"IOS (tm) 3600 Software ({IMAGE}), Version 12.3(4)T,  RELEASE SOFTWARE (fc1)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2003 by cisco Systems, Inc.",
        "Compiled Thu 18-Sep-03 15:37 by eaarmas",
        "Image text-base: 0x60008AF4, data-base: 0x61CBA000",
        "",
        "ROM: System Bootstrap, Version 11.1(20)AA2, EARLY DEPLOYMENT RELEASE SOFTWARE (fc1)",
        "",
        f"{r.hostname} uptime is {uptime_text(clock.uptime())}",
        "System returned to ROM by power-on",
        f'System image file is "{IMAGE_FILE}"',
        "",
        "cisco 3640 (R4700) processor (revision 0x00) with 124928K/6144K bytes of memory.",
        "Processor board ID 16842752",
        "R4700 CPU at 100Mhz, Implementation 33, Rev 1.2",
        "Bridging software.",
        "X.25 software, Version 3.0.0.",
        *_interface_counts(r),
        "DRAM configuration is 64 bits wide with parity disabled.",
        "125K bytes of non-volatile configuration memory.",
        "32768K bytes of processor board System flash (Read/Write)",
        "",
        "Configuration register is 0x2102",
    ]
    return "\n".join(lines) + "\n"


def version_facts(r: m.Router, clock: Clock) -> dict:
    return {"hostname": r.hostname, "version": "12.3(4)T", "image": IMAGE,
            "image_file": IMAGE_FILE.split(":", 1)[1], "hardware": "3640",
            "uptime": uptime_text(clock.uptime()), "uptime_seconds": int(clock.uptime()),
            "config_register": "0x2102"}


def clock_text(clock: Clock) -> str:
    now = clock.now()
    lead = "" if clock.authoritative else "*"
    return (f"{lead}{now:%H:%M:%S}.{now.microsecond // 1000:03d} UTC "
            f"{now:%a %b} {now.day} {now.year}\n")


def clock_facts(clock: Clock) -> dict:
    return {"time": clock.now().isoformat(), "authoritative": clock.authoritative}

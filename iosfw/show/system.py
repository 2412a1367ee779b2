"""`show version` and `show clock` for the 3640 on 12.3(4)T.

12.3(4)T is the release that brought the new banner (`Cisco IOS Software, ...`), which the
12.3(4)T captures print with the body of the 12.3T train: no `Image text-base` line, `Cisco`
capitalised on the processor line, `N Ethernet interfaces` without `/IEEE 802.3`, `NVRAM`. A k9
(crypto) image prints the export notice before the processor line. The software lines and the
processor of a 3640 follow the real 3640 captures. See docs/formats.md for each source.
"""
from __future__ import annotations

from collections import Counter

from ..clock import Clock
from ..config import model as m
from ..config.names import is_physical

IMAGE = "C3640-IK9O3S-M"
IMAGE_FILE = "flash:c3640-ik9o3s-mz.123-4.T.bin"
BANNER = (
    f"Cisco IOS Software, 3600 Software ({IMAGE}), Version 12.3(4)T, RELEASE SOFTWARE (fc1)",
    "Technical Support: http://www.cisco.com/techsupport",
    "Copyright (c) 1986-2003 by Cisco Systems, Inc.",
    "Compiled Thu 18-Sep-03 15:37 by ccai",
)
CRYPTO_NOTICE = (
    "This product contains cryptographic features and is subject to United",
    "States and local country laws governing import, export, transfer and",
    "use. Delivery of Cisco cryptographic products does not imply",
    "third-party authority to import, export, distribute or use encryption.",
    "Importers, exporters, distributors and users are responsible for",
    "compliance with U.S. and local country laws. By using this product you",
    "agree to comply with applicable laws and regulations. If you are unable",
    "to comply with U.S. and local laws, return this product immediately.",
    "",
    "A summary of U.S. laws governing Cisco cryptographic products may be found at:",
    "http://www.cisco.com/wwl/export/crypto/tool/stqrg.html",
    "",
    "If you require further assistance please contact us by sending email to",
    "export@cisco.com.",
)
SOFTWARE = (
    "Bridging software.",
    "X.25 software, Version 3.0.0.",
    "SuperLAT software (copyright 1990 by Meridian Technology Corp).",
    "TN3270 Emulation software.",
)
# the chassis' ports, by type, as the 12.3T body counts them
_PORT_KINDS = (("FastEthernet", "FastEthernet"), ("Ethernet", "Ethernet"),
               ("GigabitEthernet", "GigabitEthernet"), ("Serial", "Serial"), ("ATM", "ATM"),
               ("BRI", "ISDN Basic Rate"), ("Async", "terminal line"))


def uptime_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    weeks, minutes = divmod(minutes, 7 * 24 * 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(weeks, "week"), (days, "day"), (hours, "hour")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    words.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(words)


def _plural(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


def _hardware_lines(r: m.Router) -> list[str]:
    """What the network modules give: the chassis' ports, controllers and voice ports."""
    ports = r.chassis if r.chassis is not None else [n for n in r.interfaces if is_physical(n)]
    kinds = Counter(name.rstrip("0123456789/:") for name in ports)
    lines = [_plural(kinds[kind], f"{label} interface") for kind, label in _PORT_KINDS
             if kinds[kind]]
    if r.controllers:
        lines.append(_plural(len(r.controllers), "Channelized T1/PRI port"))
    if r.voice_ports:
        lines.append(_plural(len(r.voice_ports), "Voice FXS interface"))
    return lines


def version_text(r: m.Router, clock: Clock) -> str:
    lines = [
        *BANNER,
        "",
        "ROM: System Bootstrap, Version 11.1(20)AA2, EARLY DEPLOYMENT RELEASE SOFTWARE (fc1)",
        "",
        f"{r.hostname} uptime is {uptime_text(clock.uptime())}",
        "System returned to ROM by power-on",
        f'System image file is "{IMAGE_FILE}"',
        "",
        "",
        *CRYPTO_NOTICE,
        "",
        "Cisco 3640 (R4700) processor (revision 0x00) with 124928K/6144K bytes of memory.",
        "Processor board ID 16842752",
        "R4700 CPU at 100Mhz, Implementation 33, Rev 1.2",
        *SOFTWARE,
        *_hardware_lines(r),
        "DRAM configuration is 64 bits wide with parity disabled.",
        "125K bytes of NVRAM.",
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

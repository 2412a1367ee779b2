"""What `debug`/`undebug` answer and `show debugging` lists (the SMTP answer is the seed
document's; the others follow its pattern, see cbac_debug.py; `show debugging`'s layout is ours,
after IOS's `<FACILITY>:` blocks).

The flags and their answers are kept here, apart from the lines they turn on (cbac_debug.py,
smtp_debug.py render what the engine reports), so that answering `debug` or `undebug all`
loads no engine module."""
from __future__ import annotations

# The generic flags and their names in the answers (`INSPECT <name> debugging is on`), then the
# application protocols of 12.3(4)T (`INSPECT <PROTO> Inspection debugging is on`), in the
# order `show debugging` lists them.
GENERIC = (("object-creation", "Object Creations"), ("object-deletion", "Object Deletions"),
           ("events", "Special Events"), ("timers", "Timers"), ("detailed", "Detailed"),
           ("tcp", "TCP Inspection"), ("udp", "UDP Inspection"), ("icmp", "ICMP Inspection"))
PROTOCOLS = ("cuseeme", "dns", "ftp-cmd", "ftp-tokens", "h323", "http", "netshow", "rcmd",
             "realaudio", "rpc", "rtsp", "sip", "skinny", "smtp", "sqlnet", "streamworks",
             "tftp", "vdolive")
NAMES = dict(GENERIC) | {p: f"{p.upper()} Inspection" for p in PROTOCOLS}
ORDER = {flag: n for n, flag in enumerate(NAMES)}

ALL_OFF = "All possible debugging has been turned off"


def turned(flag: str, on: bool) -> str:
    """`INSPECT <name> debugging is on`: what `debug ip inspect FLAG` (or its undo) answers."""
    return f"INSPECT {NAMES[flag]} debugging is {'on' if on else 'off'}"


def text(flags: list[str]) -> str:
    inspect = sorted((f.split()[-1] for f in flags if f.startswith("ip inspect ")),
                     key=ORDER.__getitem__)
    if not inspect:
        return ""
    return "INSPECT:\n" + "".join(f"  {turned(w, True)}\n" for w in inspect)

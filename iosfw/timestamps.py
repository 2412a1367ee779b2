"""The prefix IOS puts before log and debug lines, as `service timestamps` asks for it."""
from __future__ import annotations

from .clock import Clock
from .config import model as m


def uptime_stamp(seconds: float) -> str:
    total = int(seconds)
    weeks, rest = divmod(total, 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if weeks:
        return f"{weeks}w{days}d"
    if days:
        return f"{days}d{hours:02d}h"
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def prefix(ts: m.Timestamps | None, clock: Clock, timezone: tuple | None = None) -> str:
    """`*Mar  1 00:00:12.345: ` for datetime msec on an unset clock; "" with no timestamps."""
    if ts is None:
        return ""
    if ts.kind == "uptime":
        return uptime_stamp(clock.uptime()) + ": "
    now = clock.now()
    zone = "UTC"
    if ts.localtime and timezone:
        from datetime import timedelta
        zone, hours, minutes = timezone
        now = now + timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)
    text = "" if clock.authoritative else "*"
    text += f"{now:%b} {now.day:2d}"
    if ts.year:
        text += f" {now.year}"
    text += f" {now:%H:%M:%S}"
    if ts.msec:
        text += f".{now.microsecond // 1000:03d}"
    if ts.show_timezone:
        text += f" {zone}"
    return text + ": "

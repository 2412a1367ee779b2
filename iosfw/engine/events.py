"""What the forwarding engine reports as it works: the facts behind syslog lines. The engine
creates these; `iosfw.show.syslog_text` turns them into the router's messages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class AclLogged:
    """Packets an access-list entry with `log`/`log-input` decided; count 1 is the first packet
    of a flow, larger counts the packets summed since the last report."""
    acl: str
    permitted: bool
    standard: bool
    proto: int
    src: int
    sport: int
    dst: int
    dport: int
    icmp: tuple[int, int]       # (type, code) for ICMP
    ingress: str                # for log-input
    log_input: bool
    count: int
    mac: Optional[int] = None   # log-input on an Ethernet: the frame's source MAC address


@dataclass(frozen=True)
class SessionEnded:
    """A CBAC session went away; `audit` says whether audit trail covers it."""
    session: Any
    reason: str                 # fin, rst, idle, synwait, finwait, cleared, aggressive, host
    audit: bool


@dataclass(frozen=True)
class Alert:
    """The half-open thresholds: on ("getting aggressive") or off ("calming down")."""
    on: bool
    count: int                  # half-open sessions now
    threshold: int              # max-incomplete high (on) or low (off)
    rate: int                   # new half-open sessions in the last minute


@dataclass(frozen=True)
class HostAlert:
    host: int
    limit: int


@dataclass(frozen=True)
class HostBlocked:
    host: int
    minutes: int
    limit: int


@dataclass(frozen=True)
class HostUnblocked:
    host: int


@dataclass(frozen=True)
class SmtpInspected:
    """What SMTP inspection saw in one segment of a session (iosfw.engine.smtp events)."""
    session: Any
    from_client: bool
    events: tuple

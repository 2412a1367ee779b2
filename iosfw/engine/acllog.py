"""`log` / `log-input` on access-list entries: the first packet of a flow is reported at once;
later ones are summed and reported every five minutes while the flow goes on."""
from __future__ import annotations

import heapq
from dataclasses import replace
from typing import Optional

from ..config import model as m
from .alarm import Alarm
from .events import AclLogged
from .packet import ICMP, Packet

INTERVAL = 300.0


class AclLog:
    def __init__(self, alarm: Optional[Alarm] = None):
        self.alarm = alarm or Alarm()
        self.pending: dict[tuple, list] = {}     # flow -> [event template, count since report]
        self._due: list = []                     # (when, flow)

    def hit(self, acl: str, standard: bool, entry: m.AclEntry, p: Packet, ingress: str,
            now: float, mac: Optional[int] = None) -> Optional[AclLogged]:
        """The event for the first packet of a flow (`mac`: its frame's source, for
        log-input); None for later packets, which are counted for the five-minute sum."""
        permitted = entry.action == "permit"
        log_input = entry.log == "log-input"
        if standard:
            flow = (acl, permitted, 0, p.src, 0, 0, 0, (0, 0))
        else:
            icmp = (p.icmp_type or 0, p.icmp_code or 0) if p.proto == ICMP else (0, 0)
            flow = (acl, permitted, p.proto, p.src, p.sport, p.dst, p.dport, icmp)
        known = self.pending.get(flow)
        if known is not None:
            known[1] += 1
            return None
        event = AclLogged(acl, permitted, standard, flow[2], p.src, flow[4], flow[5], flow[6],
                          flow[7], ingress, log_input, 1, mac)
        self.pending[flow] = [event, 0]
        heapq.heappush(self._due, (now + INTERVAL, flow))
        self.alarm.at_most(now + INTERVAL)
        return event

    def tick(self, now: float, events: list) -> None:
        while self._due and self._due[0][0] <= now:
            when, flow = heapq.heappop(self._due)
            event, count = self.pending[flow]
            if count == 0:
                del self.pending[flow]         # quiet flow: its next packet is new again
                continue
            events.append(replace(event, count=count))
            self.pending[flow][1] = 0
            heapq.heappush(self._due, (when + INTERVAL, flow))

    def next_deadline(self) -> Optional[float]:
        return self._due[0][0] if self._due else None

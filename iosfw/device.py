"""The router as one box: its configuration, its saved copy, its clock, its forwarding state and
its log. The console and every vty session share one Device, so what one user configures or
sends through the router, another sees, and all of them read the same log.

The engine is built on first use, and imported then too, with the renderers of what it reports:
a router that only shows its configuration (`iosfw -c "show version"`) never loads the
forwarding code, the inspectors or their messages."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional
from weakref import WeakSet

from .clock import Clock
from .config import model as m
from .syslog import Logger
from .timestamps import prefix
from .undo import Snapshot

if TYPE_CHECKING:
    from .engine.counters import ArpEntry, InterfaceCounters
    from .engine.packet import Packet
    from .engine.pipeline import Engine, Outcome
    from .filesystem import FileSystems


class Device:
    def __init__(self, router: m.Router, store, clock: Optional[Clock] = None):
        self.router = router
        self.store = store
        self.clock = clock or Clock()
        self.log = Logger()
        self.debug: set[str] = set()        # `debug ...` flags that are on
        self.sessions: WeakSet = WeakSet()  # every line's session (monitoring, show users)
        self.packets = 0                    # packets forwarded since boot (their debug ids)
        self.busy = None                    # the session whose stepped command holds it
        self.vtys = None                    # its vty lines once a server serves it (VtyPool)
        self.lab = None                     # the training lab it is in (iosfw/labs/console.py)
        self.config_log = None              # the Config Logger's entries (commands/archive_log.py)
        self._engine: Optional[Engine] = None
        self._files: Optional[FileSystems] = None

    # ------------------------------------------------------------------ storage
    @property
    def files(self) -> FileSystems:
        """Its file systems (flash:, nvram:, system:, null:), made on first use: a router
        that never lists or copies a file never loads them."""
        if self._files is None:
            from .filesystem import FileSystems
            self._files = FileSystems(self)
        return self._files

    # ------------------------------------------------------------------ forwarding state
    @property
    def engine(self) -> Engine:
        """Built on first use, rebuilt after configuration changes (sessions survive)."""
        if self._engine is None:
            from .engine.pipeline import Engine
            self._engine = Engine(self.router)
        return self._engine

    def acl_matches(self, acl: m.AccessList) -> list[int]:
        """The engine's hits of each entry of `acl` (`show access-lists`); zeros while there
        is no engine: showing does not build one."""
        if self._engine is None:
            return [0] * len(acl.entries)
        return self._engine.acl_matches(acl)

    def interface_counters(self, name: str) -> InterfaceCounters:
        """What crossed interface `name` (`show interfaces`); zeros while there is no engine."""
        if self._engine is None:
            from .engine.counters import InterfaceCounters
            return InterfaceCounters()
        return self._engine.interface_counters(name)

    def arp_entries(self) -> list[ArpEntry]:
        """The simulated stations the router has talked to (`show arp`); none without engine."""
        return [] if self._engine is None else self._engine.arp_entries()

    def configured(self, slot: Optional[str] = None) -> None:
        """A configuration command changed the model (in running-config slot `slot`)."""
        if self._engine is not None:
            self._engine.refresh(slot)

    def reloaded(self) -> None:
        """A reload: forwarding state, sessions and translations start afresh."""
        self._engine = None
        self.packets = 0
        self.clock.restart()

    def now(self) -> float:
        return self.clock.uptime()

    # ------------------------------------------------------------------ undo
    def checkpoint(self, engine: bool, companions: Iterable = (),
                   footprint: Optional[list] = None) -> "Checkpoint":
        """The device as it is now, to put back if a command fails half-way. `engine` also
        keeps the forwarding state (sessions, translations, timers) and `companions` objects
        whose state goes with it (a line's simulated connections). With a `footprint` (the
        model objects a configuration line may change in depth), the rest of the router is
        kept only down to its lists and their members' own fields."""
        return Checkpoint(self, engine, companions, footprint)

    # ------------------------------------------------------------------ traffic
    def forward(self, packet: Packet, ingress: str) -> Outcome:
        """One packet through the router. Timers due by now fire first; under `debug ip
        inspect` the packet's own lines come between the events that led up to its inspection
        and those it caused."""
        self.tick()
        outcome = self.engine.forward(packet, ingress, self.now())
        self.packets += 1
        events = outcome.events
        if self.debug:
            from .show import cbac_debug
            split = cbac_debug.before_packet(outcome)
            self.record(events[:split])
            for line in cbac_debug.packet_lines(outcome, self.packets, self.debug, self.now()):
                self.syslog(line, "debug")
            events = events[split:]
        self.record(events)
        return outcome

    def tick(self) -> None:
        """Run the timers that are due at the current time (idle sessions, NAT, alerts)."""
        if self._engine is not None:
            self.record(self._engine.tick(self.now()))

    def advance(self, seconds: float) -> None:
        """Let virtual time pass, firing each timer at its own moment so that messages carry
        the time they happened at."""
        end = self.now() + seconds
        while self._engine is not None:
            due = self._engine.next_deadline(self.now())
            if due is None or due > end:
                break
            self.clock.advance_to(due)
            self.tick()
            if self._engine.next_deadline(self.now()) == due:
                break                       # nothing fired: do not spin
        self.clock.advance_to(end)
        self.tick()

    # ------------------------------------------------------------------ logging
    def record(self, events: list) -> None:
        if not events:
            return
        from .show import syslog_text
        for event in events:
            for line in syslog_text.debug_lines(event, self.debug):
                self.syslog(line, "debug")
            for message in syslog_text.messages(event, self.router, self.debug):
                self.syslog(message)

    def syslog(self, message: str, kind: str = "log") -> None:
        """Log a message (`kind` "debug" stamps it as `service timestamps debug` says)."""
        stamp = prefix(self.router.timestamps.get(kind), self.clock, self.router.clock_timezone)
        monitored = any(s.monitor and s.line_name != "console" for s in self.sessions)
        self.log.add(stamp + message, self.router, monitored)


class Checkpoint:
    """The router, the clock, the debug flags and, when asked, the engine, as they were (see
    iosfw.undo: restored in place, so every line's references stay valid). The log is not
    part of it: what was logged was logged, and other lines may have read it."""

    ROUTER_DEPTH = 2    # router -> its dicts and objects -> their members (fields kept)

    def __init__(self, device: Device, engine: bool, companions: Iterable,
                 footprint: Optional[list] = None):
        self.device = device
        self.keeps_engine = engine
        self.engine = device._engine
        self.packets = device.packets
        # Without the engine's state, still the lists it had compiled, which hold their hit
        # counters: a list the command deleted or changed comes back with its counts.
        self.compiled = dict(self.engine.acls) if self.engine is not None and not engine else {}
        stop = (device, device.log, device.store)
        roots = [device.clock, device.debug, *companions]
        if engine:
            roots.append(device._engine)
        if footprint is None:
            self.states = [Snapshot([device.router, *roots], stop)]
        else:
            self.states = [Snapshot([device.router], stop, depth=self.ROUTER_DEPTH),
                           Snapshot([*roots, *footprint], (*stop, device.router))]

    def restore(self) -> None:
        for state in self.states:
            state.restore()
        d = self.device
        if self.keeps_engine:
            d._engine, d.packets = self.engine, self.packets
        elif d._engine is not None:
            d._engine.acls = self.compiled
            d._engine.refresh()     # compiled lists and routes follow the restored model

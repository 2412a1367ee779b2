"""The kinds of check a lab can ask for, one function each: `CHECKS[kind](lab, check,
router)` runs it on a fresh probe of `router` and says what was tried, what was expected,
what happened and, when the router's path decided it, the engine's trace of the packet that
went wrong and the step that decided.

They read the engine's structured results (each packet's Outcome and its steps, the session
table, the events) and never the text `simulate` prints; the words of a failure are made here
from those results, with the same phrases a `simulate trace` uses for the steps.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from ..commands.loader import load_text
from ..commands.simulate import text_bytes
from ..config import model as m
from ..config.names import int_to_ip
from ..config.render import startup_text
from ..engine.events import Alert, HostBlocked
from ..lint import lint
from ..show.traffic import packet_text, quoted, step_text
from .definition import Check, Lab
from .probe import Attempt, Probe

LINE = 1000                 # bytes per line of a generated message body (`body_bytes`)
THINK = 0.25                # seconds of virtual time a client takes before each SMTP line
_LEGS = {3: ("SYN", "SYN-ACK", "ACK"), 2: ("datagram", "answer")}


@dataclass
class Result:
    check: Check
    passed: bool
    tried: str
    expected: str
    happened: str
    where: str = ""                                  # the step that decided, when one did
    path: list[str] = field(default_factory=list)    # that packet's trace, step by step
    log: list[str] = field(default_factory=list)     # what the router logged meanwhile

    def facts(self) -> dict:
        c = self.check
        return {"number": c.number, "task": c.task, "title": c.title, "kind": c.kind,
                "passed": self.passed, "tried": self.tried, "expected": self.expected,
                "happened": self.happened, "where": self.where, "path": self.path,
                "log": self.log}


def _path(outcome) -> list[str]:
    return [f"{n} {step_text(s, outcome)}" for n, s in enumerate(outcome.steps, 1)]


def _deciding(outcome) -> str:
    """The step that let a packet through or stopped it: the last one when it stopped, else
    the first access-list step (what let it in), else the last."""
    if not outcome.steps:
        return f"arrived on {outcome.ingress}: nothing on the path decided"
    if outcome.forwarded:
        for n, s in enumerate(outcome.steps, 1):
            if s.phase.endswith("acl") or s.phase == "session":
                return f"step {n}: {step_text(s, outcome)}"
        return (f"no access list on the path: nothing filters it in on {outcome.ingress} or "
                f"out on {outcome.egress}")
    n = len(outcome.steps)
    return f"step {n}: {step_text(outcome.steps[-1], outcome)}"


def _leg_name(attempt: Attempt, outcome) -> str:
    names = _LEGS.get(attempt.expected_legs, ())
    i = attempt.legs.index(outcome)
    return names[i] if i < len(names) else "data"


def _fate(attempt: Attempt) -> tuple[str, str, list[str]]:
    """(happened, where, path) of an attempt."""
    if not attempt.legs:
        return (f"no interface leads back to {int_to_ip(attempt.first.src)}: the router has no "
                "route to the source", "routing", [])
    stop = attempt.stopped
    if stop is not None and attempt.legs.index(stop) < attempt.expected_legs:
        why = f"dropped on {stop.ingress}"
        last = stop.steps[-1] if stop.steps else None
        if last is not None and last.phase == "inbound-acl":
            why += f" by its inbound access list {last.acl}"
        elif last is not None and last.phase == "outbound-acl":
            why = f"dropped by the outbound access list {last.acl} of {stop.egress}"
        return (f"the {_leg_name(attempt, stop)} ({packet_text(stop.packet)}) was {why}",
                _deciding(stop), _path(stop))
    first = attempt.legs[0]
    return (f"it opened: {packet_text(first.packet)} forwarded {first.ingress} -> "
            f"{first.egress}", _deciding(first), _path(first))


def _elsewhere(lab: Lab, attempt: Attempt) -> Optional[tuple[str, str, list[str]]]:
    """(happened, where, path) when an attempt opened but its first packet left the router
    for another address than the host meant (a global address nothing translates: the
    packet goes back out towards whoever has that address on the outside)."""
    first = attempt.legs[0]
    meant = lab.behind(attempt.first.dst)
    if first.out_packet is None or first.out_packet.dst == meant:
        return None
    nat = [f"step {n}: {step_text(s, first)}" for n, s in enumerate(first.steps, 1)
           if s.phase == "nat-in"]
    return (f"it opened, but with {int_to_ip(first.out_packet.dst)} out of {first.egress}, "
            f"not with {lab.host_label(meant)}", (nat or [_deciding(first)])[0], _path(first))


def _tried(lab: Lab, protocol: str, src: int, dst: int, port: int) -> str:
    return f"{protocol} from {lab.host_label(src)} to {lab.host_label(dst)} port {port}"


def _ends(lab: Lab, check: Check) -> tuple[int, int]:
    return lab.host(check.get("from")), lab.host(check.get("to"))


# ------------------------------------------------------------------ connections
def connect(lab: Lab, check: Check, router: m.Router) -> Result:
    """A connection (TCP: the handshake; UDP: a datagram and its answer) opens or is dropped;
    opened, its flow is in the session table under `session` when the check names one."""
    protocol, port, want = check.get("protocol", "tcp"), check.get("port"), check.get("expect")
    src, dst = _ends(lab, check)
    probe = Probe(router)
    attempt = probe.open(protocol, src, dst, port)
    tried = _tried(lab, protocol, src, dst, port)
    happened, where, path = _fate(attempt)
    expected = "the connection opens" if want == "open" else \
        "the router drops its first packet"
    if want == "dropped":
        first_dropped = bool(attempt.legs) and not attempt.legs[0].forwarded
        return Result(check, first_dropped, tried, expected, happened, where, path)
    if not attempt.opened:
        return Result(check, False, tried, expected, happened, where, path)
    astray = _elsewhere(lab, attempt)
    if astray:
        return Result(check, False, tried, expected, *astray)
    source = check.get("source")
    if source:
        expected += f", leaving the router from {source}"
        first = attempt.legs[0]
        if int_to_ip(first.out_packet.src) != source:
            nat = [f"step {n}: {step_text(s, first)}" for n, s in enumerate(first.steps, 1)
                   if s.phase == "nat-out"]
            return Result(check, False, tried, expected,
                          f"it opened, but its packets leave the router from "
                          f"{int_to_ip(first.out_packet.src)}",
                          (nat or ["no NAT step on the path: nothing translates the source"])[0],
                          _path(first))
    wanted = check.get("session")
    if wanted:
        expected += f" and the session table holds {_a(wanted)} session for it"
        session = probe.session_of(attempt)
        if session is None or session.protocol != wanted:
            got = "no session" if session is None else f"{_a(session.protocol)} session"
            return Result(check, False, tried, expected,
                          f"it opened, but the session table holds {got} for it",
                          _no_inspection(attempt), _path(attempt.legs[0]))
    return Result(check, True, tried, expected, happened, where, path)


def _a(word: str) -> str:
    """`an smtp`, `a tcp`: as the name is said (es-em-tee-pee, tee-cee-pee)."""
    return ("an " if word[:1] in "aefhilmnorsx" else "a ") + word


def _no_inspection(attempt: Attempt) -> str:
    first = attempt.legs[0]
    for n, s in enumerate(first.steps, 1):
        if s.phase == "inspection":
            return f"step {n}: {step_text(s, first)}"
    return (f"no inspection step on the path of the first packet ({first.ingress} -> "
            f"{first.egress}): no rule inspects it on either interface in its direction")


def timeout(lab: Lab, check: Check, router: m.Router) -> Result:
    """An idle session is still in the table (`kept`) or gone (`gone`) after `after` seconds."""
    protocol, port, after = check.get("protocol", "tcp"), check.get("port"), check.get("after")
    src, dst = _ends(lab, check)
    probe = Probe(router)
    attempt = probe.open(protocol, src, dst, port)
    tried = _tried(lab, protocol, src, dst, port) + f", then {after} s without a packet"
    want = check.get("expect")
    expected = f"its session is {'still in the table' if want == 'kept' else 'gone'} " \
               f"after {after} s idle"
    if not attempt.opened:
        happened, where, path = _fate(attempt)
        return Result(check, False, tried, expected, happened, where, path)
    session = probe.session_of(attempt)
    if session is None:
        return Result(check, False, tried, expected,
                      "it opened, but no CBAC session was made for it: nothing to time out",
                      _no_inspection(attempt), _path(attempt.legs[0]))
    idle = int(session.deadline - session.last_heard)
    probe.device.advance(after)
    kept = session.live
    happened = (f"the {session.protocol} session is still in the table (it expires after "
                f"{idle} s idle)" if kept else f"the {session.protocol} session is gone")
    where = (f"the {session.protocol} session's idle timeout is {idle} s (ip inspect tcp|udp "
             "idle-time, or the rule line's own timeout)")
    return Result(check, kept == (want == "kept"), tried, expected, happened, where,
                  log=_fw_lines(probe))


# ------------------------------------------------------------------ SMTP
def _codes(data: bytes) -> list[int]:
    """The reply codes in what the client received: one per reply (a multi-line reply's
    last line, `250 ` after `250-`)."""
    out = []
    for line in data.split(b"\r\n"):
        if len(line) >= 3 and line[:3].isdigit() and (len(line) == 3 or line[3:4] == b" "):
            out.append(int(line[:3]))
    return out


def _verb(command: str) -> str:
    return command.split(" ", 1)[0].upper()


class _Tape:
    """What went past on one connection: the client's bytes as the server got them and the
    server's bytes as the client got them, from the simulator's taps."""

    def __init__(self):
        self.to_server: list[Optional[bytes]] = []
        self.to_client = bytearray()

    def __call__(self, now, conn, from_client, sent, arrived) -> None:
        if from_client:
            self.to_server.append(arrived)
        elif arrived is not None:
            self.to_client += arrived


def smtp(lab: Lab, check: Check, router: m.Router, taps: tuple = ()) -> Result:
    """An SMTP exchange: each command's verb in `masked` reaches the server masked with x, each
    in `intact` as sent; the client gets the reply codes `replies` (after the greeting); with
    `reset`, the router resets the session (max-data). `taps` watch the exchange as the
    simulator's taps do (a sequence diagram's recorder)."""
    src, dst = _ends(lab, check)
    commands = check.get("commands")
    tried = f"SMTP from {lab.host_label(src)} to {lab.host_label(dst)}: " + \
        " | ".join(commands)
    wants = []
    if check.get("masked"):
        wants.append("masked with x: " + ", ".join(check.get("masked")))
    if check.get("intact"):
        wants.append("reaching the server as sent: " + ", ".join(check.get("intact")))
    if check.get("replies") is not None:
        wants.append("the client gets the replies " + " ".join(map(str, check.get("replies"))))
    if check.get("reset"):
        wants.append("the router resets the session")
    expected = "; ".join(wants) or "the exchange goes through"
    probe = Probe(router)
    probe.sim.taps.extend(taps)
    attempt = probe.tcp(src, dst, 25)
    if not attempt.opened or attempt.connection is None:
        happened, where, path = _fate(attempt)
        return Result(check, False, tried, expected, happened, where, path)
    astray = _elsewhere(lab, attempt)
    if astray:
        return Result(check, False, tried, expected, *astray)
    tape, conn, sim = _Tape(), attempt.connection, probe.sim
    sim.taps.append(tape)
    key = (attempt.first.src, attempt.first.sport, attempt.first.dst, attempt.first.dport)
    failures: list[tuple[str, list[str], str]] = []
    masked = {v.upper() for v in check.get("masked", [])}
    intact = {v.upper() for v in check.get("intact", [])}
    reset = False
    for command in _expand(commands, check.get("body_bytes")):
        probe.device.advance(THINK)
        before, start = len(tape.to_server), len(sim.outcomes)
        delivered = sim.client_says(key, conn, text_bytes(command), False, [])
        legs = sim.outcomes[start:]
        reset = reset or any(s.phase == "application" and s.verdict == "reset"
                             for o in legs for s in o.steps)
        if delivered is None:
            break
        got = b"".join(a for a in tape.to_server[before:] if a)
        verb, sent = _verb(command), text_bytes(command)
        leg = legs[0]
        if verb in masked and (got == sent or b"x" not in got):
            failures.append((f"{command!r} reached the server as {quoted(got)}, not masked",
                             _path(leg), _application(leg)))
        if verb in intact and got != sent:
            failures.append((f"{command!r} reached the server as {quoted(got)}",
                             _path(leg), _application(leg)))
    codes = _codes(bytes(tape.to_client))
    if check.get("replies") is not None and codes != list(check.get("replies")):
        failures.append((f"the client got the replies {' '.join(map(str, codes)) or 'none'}",
                         [], ""))
    if check.get("reset") and not reset:
        failures.append(("the router did not reset the session", [], _max_data(attempt)))
    if not check.get("reset") and reset:
        failures.append(("the router reset the session", [], ""))
    if failures:
        happened, path, where = failures[0]
        more = [f[0] for f in failures[1:]]
        return Result(check, False, tried, expected, "; ".join([happened, *more]), where, path,
                      _fw_lines(probe))
    got = " ".join(map(str, codes))
    return Result(check, True, tried, expected, f"as expected; replies {got}",
                  log=_fw_lines(probe))


def _max_data(attempt: Attempt) -> str:
    """What limits a session's message bytes, for a reset that did not come."""
    session = attempt.legs[0].session
    if session is None or session.protocol not in ("smtp", "esmtp"):
        return "no SMTP inspection on this connection: nothing counts the message's bytes"
    limit = session.line.max_data
    return f"the session's {session.protocol} inspection has " + (
        f"max-data {limit}" if limit is not None else "no max-data of its own (the default)")


def _expand(commands: list, body_bytes: Optional[int]) -> list[str]:
    """The commands, with a message body of `body_bytes` after DATA when asked."""
    if not body_bytes:
        return list(commands)
    out = []
    for command in commands:
        out.append(command)
        if _verb(command) == "DATA":
            lines, left = ["Subject: lab"], body_bytes
            while left > 0:
                lines.append("0" * min(LINE, left))
                left -= LINE
            out.extend(lines)
            out.append(".")
    return out


def _application(outcome) -> str:
    for n, s in enumerate(outcome.steps, 1):
        if s.phase == "application":
            return f"step {n}: {step_text(s, outcome)}"
    session = outcome.session
    if session is not None:
        return (f"the session is {session.protocol}, not smtp or esmtp: the rule that opened "
                "it does not inspect SMTP commands")
    return "no SMTP inspection on the path: no rule inspects this connection"


# ------------------------------------------------------------------ floods
def _fw_lines(probe: Probe) -> list[str]:
    return [line for line in probe.log() if "%FW-" in line]


def flood(lab: Lab, check: Check, router: m.Router) -> Result:
    """A SYN flood raises the half-open alert (`alert`, default true) and blocks the host for
    `block_minutes` when the check names them."""
    src, dst = _ends(lab, check)
    count, rate, port = check.get("count"), check.get("rate"), check.get("port")
    tried = f"a flood of {count} SYN at {rate}/s from {lab.host_label(src)} to " \
            f"{lab.host_label(dst)} port {port}"
    want_alert, minutes = check.get("alert", True), check.get("block_minutes")
    wants = ["%FW-4-ALERT_ON" if want_alert else "no %FW-4-ALERT_ON"]
    if minutes is not None:
        wants.append(f"the host blocked for {minutes} minutes (%FW-2-BLOCK_HOST)")
    expected = ", ".join(wants)
    probe = Probe(router)
    ingress = probe.ingress(src)
    if ingress is None:
        return Result(check, False, tried, expected,
                      f"no interface leads back to {int_to_ip(src)}", "routing")
    first = probe.tcp(src, dst, port)
    if not first.legs or not first.legs[0].forwarded:
        happened, where, path = _fate(first)
        return Result(check, False, tried, expected,
                      "the flood never reaches inspection: " + happened, where, path)
    probe.flood(src, dst, port, count, rate, ingress)
    seen = probe.device.seen
    alerted = any(isinstance(e, Alert) and e.on for e in seen)
    blocks = [e for e in seen if isinstance(e, HostBlocked)]
    got = ["%FW-4-ALERT_ON" if alerted else "no %FW-4-ALERT_ON"]
    if blocks:
        got.append(f"host {int_to_ip(blocks[0].host)} blocked for {blocks[0].minutes} minutes")
    elif minutes is not None:
        got.append("no host blocked")
    passed = alerted == want_alert and (
        minutes is None or (bool(blocks) and blocks[0].minutes == minutes))
    g = router.inspect
    where = "" if passed else (
        f"thresholds in force: max-incomplete high {g.max_incomplete_high} low "
        f"{g.max_incomplete_low}, one-minute high {g.one_minute_high} low {g.one_minute_low}, "
        f"tcp max-incomplete host {g.host_max_incomplete} block-time {g.host_block_time}")
    return Result(check, passed, tried, expected, ", ".join(got), where,
                  log=_fw_lines(probe)[:6])


# ------------------------------------------------------------------ what the config says
def rule(lab: Lab, check: Check, router: m.Router) -> Result:
    """An inspection rule with `protocol` is applied in `direction` on `interface`."""
    name, direction, protocol = check.get("interface"), check.get("direction"), \
        check.get("protocol")
    tried = f"the inspection applied {direction} on {name}"
    expected = f"a rule with {protocol} applied {direction}bound on {name}"
    intf = router.interfaces.get(name)
    if intf is None:
        return Result(check, False, tried, expected, f"the router has no interface {name}")
    applied = intf.inspect_in if direction == "in" else intf.inspect_out
    if not applied:
        return Result(check, False, tried, expected,
                      f"{name} applies no inspection rule {direction}bound")
    found = router.inspect_rules.get(applied)
    if found is None:
        return Result(check, False, tried, expected,
                      f"{name} applies rule {applied}, which is not defined")
    if found.find(protocol) is None:
        has = ", ".join(p.protocol for p in found.protocols) or "nothing"
        return Result(check, False, tried, expected,
                      f"rule {applied} on {name} {direction} inspects {has}, not {protocol}")
    return Result(check, True, tried, expected, f"rule {applied} inspects {protocol} there")


def lint_clean(lab: Lab, check: Check, router: m.Router) -> Result:
    """`iosfw lint` finds nothing (of `codes`, when the check names them) in the
    configuration."""
    codes = set(check.get("codes", []))
    found = [f for f in lint(load_text(startup_text(router), "running-config"),
                             "running-config") if not codes or f.code in codes]
    tried = "iosfw lint on the configuration"
    expected = "no finding" + (f" of {', '.join(sorted(codes))}" if codes else "")
    happened = "; ".join(f"line {f.line}: {f.code}: {f.message}" for f in found) or \
        "no finding"
    return Result(check, not found, tried, expected, happened)


CHECKS: dict[str, Callable[[Lab, Check, m.Router], Result]] = {
    "connect": connect, "timeout": timeout, "smtp": smtp, "flood": flood, "rule": rule,
    "lint": lint_clean,
}

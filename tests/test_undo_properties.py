"""A command that fails inside iosfw is undone whole: the model, the engine and the line's modes
are as if it had never been typed, and the next command works, on that line and on every other
line of the device (the console through Session, and a vty through iosfw.remote.vty).

Failures are injected at three depths of a command: after the model changed (Device.configured),
after the engine changed (Device.record, before logging) and after everything (the delivery of
pending log messages). The same sequence without the failing command is replayed on a twin
router; both must end in the same state as every show command sees it."""
from __future__ import annotations

import kit
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from kit import privileged_vty

from iosfw.cli.session import Session
from iosfw.device import Device
from iosfw.remote.vty import VtyPool

CONFIG = [
    "hostname R{n}",
    "logging console {level}",
    "logging buffered 16384 {level}",
    "logging monitor {level}",
    "no logging console",
    "access-list 1{n} permit 10.{n}.0.0 0.0.255.255",
    "ip access-list extended WEB{n}",
    "permit tcp any host 172.22.1.111 eq {port}",
    "interface Ethernet2/0",
    "ip access-group WEB{n} in",
    "no ip access-group 101 in",
    "ip inspect name OUT-IN tcp",
    "ip inspect max-incomplete high {port}",
    "ip nat inside source static 10.10.10.{n} 172.22.1.{port}",
    "ip inspect audit-trail",
    "access-list 101 deny udp any any log",
    "exit",
]
EXEC = [
    "simulate connect tcp 198.51.100.{n} 40000 172.22.1.110 25",
    "simulate tcp 198.51.100.{n} 40001 172.22.1.110 25",
    "simulate connect tcp 10.10.10.5 {port} 198.51.100.80 80",
    "simulate close tcp 10.10.10.5 {port} 198.51.100.80 80",
    "simulate udp 10.10.10.5 {port} 198.51.100.53 53 bytes 40",
    "simulate icmp 10.10.10.5 198.51.100.{n} echo",
    "simulate udp 192.0.2.{n} 5000 172.22.1.110 161",
    "simulate clock advance {n}",
    "simulate flood tcp 198.51.100.9 172.22.1.110 25 count {port} rate 100",
    "clear ip inspect session",
    "clear ip nat translation *",
    "clear access-list counters",
    "debug ip inspect smtp",
    "undebug all",
    "terminal length {n}",
    "terminal monitor",
    "show ip inspect all",
    "disable",
    "enable",
]
STATE = ["show running-config", "show ip inspect sessions detail", "show access-lists",
         "show ip nat translations verbose", "show ip nat statistics", "show clock",
         "show debugging", "show ip inspect all", "show ip inspect statistics"]
FAULTS = {
    "after the model changed": (Device, "configured"),
    "after the engine changed": (Device, "record"),
    "after everything": (Session, "pending_messages"),
}


def command(templates=CONFIG + ["configure terminal", "end"] + EXEC):
    return st.builds(lambda t, n, level, port: t.format(n=n, level=level, port=port),
                     st.sampled_from(templates), st.integers(1, 9), st.integers(0, 7),
                     st.integers(20, 90))


def failing_command():
    """The command that fails, with what puts the line in the mode it is typed in."""
    return st.one_of(st.tuples(st.just(["end"]), command(EXEC)),
                     st.tuples(st.just(["end", "configure terminal"]), command(CONFIG)))


class Injected(RuntimeError):
    """The failure the test puts into iosfw."""


def state(s: Session) -> tuple:
    """What every line would see of the device, and this line's own modes."""
    seen = []
    saved = (s.configuring, s.privileged, s.cfg.context, s.as_json)
    s.configuring, s.privileged, s.as_json = False, True, False
    for cmd in STATE:
        seen.append(s._exec_line(cmd, "").output)    # no transaction: reading must not log
    s.configuring, s.privileged, s.cfg.context, s.as_json = saved
    return (tuple(seen), s.prompt(), s.mode, s.terminal_length, s.monitor)


def inject(monkeypatch, where: str):
    cls, name = FAULTS[where]
    real = getattr(cls, name)

    def fault(self, *args, **kwargs):
        real(self, *args, **kwargs)
        if name != "record" or args[0]:     # not the empty record of the timers' tick
            raise Injected(where)
    monkeypatch.setattr(cls, name, fault)


@settings(max_examples=200)
@given(before=st.lists(command(), max_size=6), failing=failing_command(),
       after=st.lists(command(), max_size=4), where=st.sampled_from(sorted(FAULTS)))
def test_a_failing_command_is_as_if_it_had_never_been_typed(tmp_path_factory, before, failing,
                                                              after, where):
    faulted = kit.session(tmp_path_factory.mktemp("a"))
    twin = kit.session(tmp_path_factory.mktemp("b"))
    mode, bad = failing
    for line in before + mode:
        faulted.execute(line)
        twin.execute(line)
    kept = state(faulted)
    with pytest.MonkeyPatch.context() as mp:
        inject(mp, where)
        reply = faulted.execute(bad)
    if reply.error and reply.output.startswith("% Internal error in iosfw (Injected"):
        event(f"undone {where}")
        assert state(faulted) == kept
    else:
        twin.execute(bad)       # the fault was not reached: the command ran as usual
    for line in after:
        assert not faulted.execute(line).output.startswith("% Internal error")
        twin.execute(line)
    assert state(faulted) == state(twin)


def test_logging_console_by_number_leaves_a_working_console(session):
    for line in ("configure terminal", "logging console 4", "logging monitor 7",
                 "logging buffered 7", "end"):
        reply = session.execute(line)
        assert not reply.error, (line, reply.output)
    shown = session.execute("show running-config").output
    assert "logging console warnings\n" in shown
    assert "logging monitor debugging\n" in shown
    assert "logging buffered debugging\n" in shown
    assert session.execute("show clock").output.startswith("*00:00:00.000 UTC")


# ------------------------------------------------------------------ over a vty
@settings(max_examples=100)
@given(failing=failing_command(), where=st.sampled_from(sorted(FAULTS)))
def test_a_failing_command_on_a_vty_leaves_that_vty_and_the_others_usable(tmp_path_factory,
                                                                          failing, where):
    console = kit.session(tmp_path_factory.mktemp("v"))
    pool = VtyPool(console.device)
    first, first_link = privileged_vty(pool)
    second, second_link = privileged_vty(pool)
    mode, bad = failing
    for line in mode:
        first.data_received(line.encode() + b"\r")
    first_link.take()
    kept = state(first.session)
    with pytest.MonkeyPatch.context() as mp:
        inject(mp, where)
        first.data_received(bad.encode() + b"\r")
    shown = first_link.take()
    if "% Internal error in iosfw (Injected" in shown:
        event(f"undone {where}")
        assert state(first.session) == kept
        assert f"please report it\r\n{first.session.prompt()}" in shown     # back at its prompt
    second_link.take()              # what reached it while the fault was in place
    first.data_received(b"end\r")
    while first_link.take().endswith(" --More-- "):   # a `terminal length` that ran as usual
        first.data_received(b"q")
    for vty, link in ((first, first_link), (second, second_link)):
        vty.data_received(b"terminal length 0\rshow clock\r")
        out = link.take()
        assert "Internal error" not in out
        assert "UTC Mon Mar 1 1993" in out, out
        assert not link.closed

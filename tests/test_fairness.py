"""One line's long command never stalls the others: a flood on one vty runs a slice per turn of
the server's loop; meanwhile another vty's read-only commands are answered at once, and a
command of theirs that would change the device waits until the flood is done (so the flood's
undo point still holds). The console, -c and scripts run the same flood to its end."""
from __future__ import annotations

import kit
import pytest
from kit import privileged_vty

from iosfw.commands import simulate as simulator
from iosfw.remote.vty import VtyPool

FLOOD = b"simulate flood tcp 203.0.113.99 172.22.1.110 25 count 5000 rate 1000\r"


class Loop:
    """The server's event loop reduced to its call-soon queue."""

    def __init__(self):
        self.ready: list = []

    def schedule(self, call) -> None:
        self.ready.append(call)

    def turn(self) -> None:
        calls, self.ready = self.ready, []
        for call in calls:
            call()

    def drain(self) -> int:
        turns = 0
        while self.ready:
            self.turn()
            turns += 1
        return turns


@pytest.fixture
def lines(tmp_path):
    loop = Loop()
    pool = VtyPool(kit.session(tmp_path).device)
    flooder = privileged_vty(pool, schedule=loop.schedule)
    other = privileged_vty(pool, schedule=loop.schedule)
    return loop, flooder, other


def test_show_clock_is_answered_between_two_slices_of_a_flood(lines):
    loop, (flooder, flooded), (other, seen) = lines
    flooder.data_received(FLOOD)
    assert flooded.take() == FLOOD.decode().replace("\r", "\r\n")   # echo only: not done yet
    loop.turn()
    other.data_received(b"show clock\r")
    answer = seen.take()
    assert "UTC Mon Mar 1 1993\r\n3640-123#" in answer
    assert loop.drain() >= 5000 // simulator.FLOOD_SLICE - 2
    assert flooded.take().startswith("flood: 5000 SYN to 172.22.1.110:25")


def test_a_change_from_another_line_waits_for_the_flood_and_then_applies(lines):
    loop, (flooder, flooded), (other, seen) = lines
    flooder.data_received(FLOOD)
    other.data_received(b"configure terminal\rhostname EDGE\r")
    assert seen.take().endswith("3640-123(config)#hostname EDGE\r\n")   # no prompt yet
    assert other.session.router.hostname == "3640-123"
    loop.drain()
    assert other.session.router.hostname == "EDGE"
    assert seen.take().endswith("EDGE(config)#")
    assert "flood: 5000 SYN" in flooded.take()


def test_a_flood_that_fails_half_way_is_undone_whole(lines, monkeypatch):
    loop, (flooder, flooded), (other, seen) = lines
    before = other.session.execute("show ip inspect statistics").output
    flooder.data_received(FLOOD)
    loop.turn()
    loop.turn()

    def broken(self, packet, ingress):
        raise RuntimeError("half-way")
    monkeypatch.setattr(type(flooder.session.device), "forward", broken)
    loop.drain()
    monkeypatch.undo()
    assert "% Internal error in iosfw (RuntimeError: half-way)" in flooded.take()
    assert other.session.execute("show ip inspect statistics").output == before
    assert flooder.session.device.busy is None
    other.data_received(b"configure terminal\rhostname AFTER\r")
    assert other.session.router.hostname == "AFTER"


def test_a_flooding_client_that_hangs_up_leaves_the_device_free(lines):
    loop, (flooder, _), (other, seen) = lines
    flooder.data_received(FLOOD)
    flooder.lost()
    other.data_received(b"configure terminal\rhostname LATER\r")
    loop.drain()
    assert other.session.router.hostname == "LATER"


def test_the_console_runs_a_flood_to_its_end_in_one_command(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute(FLOOD.decode().strip())
    assert reply.more is None and reply.output.startswith("flood: 5000 SYN")
    assert s.device.busy is None

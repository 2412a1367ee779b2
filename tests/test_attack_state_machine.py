"""An attacker's command sequences over the console and two vtys of one device, as a Hypothesis
state machine: garbage, control characters, over-long lines, abbreviations, half-finished
configuration, questions left unanswered, floods, reloads. Whatever comes, no reply is an
internal error, no line is left stuck (each answers `show clock` at its prompt afterwards),
and the device stays one router for all of them."""
from __future__ import annotations

import kit
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from kit import privileged_vty

from iosfw.remote.vty import VtyPool
from iosfw.textutil import MAX_LINE

COMMANDS = [
    "configure terminal", "end", "exit", "interface Ethernet2/0", "interface Ethernet9/9",
    "no ip access-group 101 in", "ip access-group 101 in", "logging console {n}",
    "logging buffered {n}", "access-list 1{n} permit any", "no access-list 1{n}",
    "ip inspect name OUT-IN esmtp", "ip inspect max-incomplete high {n}",
    "line vty 0 4", "logging synchronous", "hostname R{n}", "banner motd ^C{text}",
    "show running-config", "show ip inspect all", "show logging", "show users",
    "show ip inspect statistics", "debug ip inspect {debug}", "undebug all", "terminal monitor",
    "simulate flood tcp 198.51.100.9 172.22.1.110 25 count {n}00 rate 500",
    "simulate connect tcp 198.51.100.{n} 40000 172.22.1.110 25", "simulate clock advance {n}",
    "clear ip inspect session", "clear logging", "reload", "enable", "disable", "sh ip insp al",
    "do show clock", "{text}", "?", "show ?", "terminal length {n}",
]
DEBUG = ["smtp", "tcp", "events", "detailed", "object-creation", "timers"]


def lines():
    garbage = st.text(st.characters(min_codepoint=0, max_codepoint=0x2FFF), max_size=40)
    return st.one_of(
        st.builds(lambda t, n, text, debug: t.format(n=n, text=text, debug=debug),
                  st.sampled_from(COMMANDS), st.integers(0, 9), garbage, st.sampled_from(DEBUG)),
        garbage,
        st.integers(MAX_LINE - 2, MAX_LINE + 2).map(lambda n: "x" * n))


class Attacker(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.console = kit.session(self._tmp())
        self.pool = VtyPool(self.console.device)
        self.vtys = [privileged_vty(self.pool) for _ in range(2)]
        self.errors: list[str] = []

    @staticmethod
    def _tmp():
        import tempfile
        from pathlib import Path
        return Path(tempfile.mkdtemp())

    def _check(self, text: str) -> None:
        if "Internal error" in text or "Traceback" in text:
            self.errors.append(text)

    @rule(line=lines())
    def on_the_console(self, line):
        reply = self.console.execute(line)
        for answer in ("no", "", "", ""):            # `reload`'s save question, then returns
            if reply.ask is None:
                break
            self._check(reply.output)
            reply = reply.ask.answer(answer)
        if reply.ask is not None:
            reply = self.console.cancelled()
        self._check(reply.output)

    @rule(which=st.integers(0, 1), line=lines(), split=st.integers(1, 7))
    def on_a_vty(self, which, line, split):
        vty, link = self.vtys[which]
        data = (line + "\r").encode("utf-8", "replace")
        for start in range(0, len(data), split):         # any segmentation
            vty.data_received(data[start:start + split])
        self._check(link.take())

    @rule(which=st.integers(0, 1), raw=st.binary(max_size=30))
    def raw_bytes_on_a_vty(self, which, raw):
        vty, link = self.vtys[which]
        vty.data_received(raw)
        self._check(link.take())

    @invariant()
    def nothing_failed_inside_iosfw(self):
        assert not self.errors, self.errors[0][-400:]

    def teardown(self):
        """Every line still answers at its prompt (after leaving questions and modes)."""
        console = self.console
        if console.configuring:
            console.execute("end")
        assert "UTC" in console.execute("show clock").output or not console.privileged
        for vty, link in self.vtys:
            if vty.state == "closed":
                continue
            vty.data_received(b"\x03\r\x03\rend\r q\rterminal length 0\rshow clock\r")
            out = link.take()
            assert vty.state == "closed" or "UTC" in out, out[-400:]


TestAttacker = Attacker.TestCase
TestAttacker.settings = settings(max_examples=100, stateful_step_count=25)

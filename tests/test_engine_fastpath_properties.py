"""Hypothesis: the fast path of established flows changes nothing but speed. The same random
traffic through two engines, one with the flow cache and one without, gives the same outcomes
(forwarded or not, where, the packet as it leaves, the steps, the session, the log events) and
leaves the same sessions and translations behind."""
import kit
from hypothesis import given
from hypothesis import strategies as st
from test_engine_expiry_properties import (
    GAP,
    INSIDE_HOST,
    OUTSIDE_HOST,
    PORT,
    STEP,
    VARIANT,
    packets_of,
    router,
)

from iosfw.engine import pipeline
from iosfw.engine.packet import ACK, FIN, PSH, SYN, Packet
from iosfw.engine.pipeline import Engine

# a whole TCP conversation from an inside host: handshake, data both ways, maybe a close
CONVERSATION = st.tuples(st.just("conversation"), INSIDE_HOST, PORT, OUTSIDE_HOST, PORT,
                         st.integers(1, 8), st.booleans())


class SlowEngine(Engine):
    """The full path for every packet."""

    def forward(self, packet, ingress, now):
        outcome = pipeline.Outcome(packet, ingress)
        if now >= self.alarm.at:
            outcome.events = self.tick(now)
        self._slow(outcome, packet, ingress, now)
        return outcome


def view(outcome) -> tuple:
    return (outcome.forwarded, outcome.egress, outcome.out_packet,
            [(s.phase, s.verdict, getattr(s.subject, "id", None)) for s in outcome.steps],
            outcome.session.id if outcome.session else None,
            [type(e).__name__ + repr(getattr(e, "reason", "")) for e in outcome.events])


def state(engine: Engine) -> tuple:
    sessions = sorted((s.id, s.state, s.bytes_initiator, s.bytes_responder, s.deadline)
                      for s in engine.sessions.sessions.values())
    nat = [(e.proto, e.inside_global, e.inside_local, e.outside_local, e.used, e.timeout)
           for e in engine.nat.listing()]
    return sessions, nat, engine.nat.hits, engine.nat.misses


def both(fast, slow, packet, ingress, now):
    a, b = fast.forward(packet, ingress, now), slow.forward(packet, ingress, now)
    assert view(a) == view(b)
    return a


def conversation(fast, slow, step, now):
    _, host, sport, server, dport, exchanges, close = step
    opened = both(fast, slow, Packet.tcp(host, server, sport, dport, SYN), INSIDE, now)
    if not opened.forwarded:
        return
    out = opened.out_packet
    answer = both(fast, slow, Packet.tcp(server, out.src, dport, out.sport, SYN | ACK),
                  OUTSIDE, now)
    for n in range(exchanges):
        flags = FIN | ACK if close and n == exchanges - 1 else PSH | ACK
        both(fast, slow, Packet.tcp(host, server, sport, dport, flags, length=40 + n), INSIDE,
             now)
        if answer.forwarded:
            both(fast, slow, Packet.tcp(server, out.src, dport, out.sport, flags,
                                        length=100 + n), OUTSIDE, now)


INSIDE, OUTSIDE = "Ethernet2/1", "Ethernet2/0"


@given(variant=VARIANT,
       steps=st.lists(st.tuples(GAP, st.one_of(STEP, CONVERSATION)), max_size=40),
       repeat=st.integers(1, 4))
def test_the_fast_path_gives_what_the_full_path_gives(variant, steps, repeat):
    fast, slow = kit.engine(router(variant)), SlowEngine(router(variant))
    now, sent = 0.0, []
    for gap, step in steps:
        now += gap
        if step[0] == "conversation":
            conversation(fast, slow, step, now)
            continue
        for packet, ingress in packets_of(step, sent) * repeat:   # repeats hit the cache
            a = both(fast, slow, packet, ingress, now)
            if a.forwarded and ingress == INSIDE:
                sent.append(a.out_packet)
    assert state(fast) == state(slow)

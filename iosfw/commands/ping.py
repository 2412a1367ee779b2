"""`ping` from the router (privileged EXEC, grammar/ping.lark): `ping [ip] HOST [repeat N]
[size N] [timeout N] [source IF|A.B.C.D] [data N] [df-bit] [validate]`, and the extended ping,
`ping` or `ping ip` alone, which asks its questions one at a time as IOS does (a wrong number
or yes/no answer is refused and the question asked again; a bad protocol or target ends it).

The echoes go out on the virtual clock, one after the other as on the router: each answered
one lets its round trip pass, each lost one its timeout. Who answers is the simulator's rule
for hosts: any address the routing table leads to (a connected network, or a next hop on one)
answers, and the router answers its own addresses at once. The request leaves untouched by
the transit path and the answer meets the inbound phases of the interface it comes in on
(iosfw/engine/local.py says why, and docs/simulator.md): behind the seed's list 101 a ping to
the Internet gets no answer back. Round trips are deterministic: a cycle of 1-4 ms, plus the
time the datagram takes on the wire both ways (10 Mb/s on an Ethernet, 1544 kb/s else)."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import partial
from typing import Optional, Union

from ..config import model as m
from ..config.errors import ConfigError
from ..config.names import BadName, interface_name
from ..engine.packet import Packet
from .registry import ENGINE, converter, exec_command
from .reply import Reply
from .show import out
from .simulate import sliced
from .values import INVALID, Interface

ECHO_REPLY = 0
ECHO_ID = 0x2A2A            # the identifier of the router's echoes (ours: IOS picks one)
DEFAULT_PATTERN = 0xABCD
MTU = 1500                  # every interface of the 3640's cards: more with DF set is lost
JITTER_MS = (1, 4, 1, 2, 4)     # the round trip of echo n on the network, n modulo 5
ETHERNET_BITS_PER_MS, SERIAL_BITS_PER_MS = 10_000, 1_544
SLICE = 1_000               # echoes between two chances for other lines to be answered
MAX_ECHOES = 1_000_000      # iosfw's bound (IOS takes 2147483647, and a day per million)
MAX_REPEAT, MIN_SIZE, MAX_SIZE, MAX_TIMEOUT = 2147483647, 36, 18024, 3600

BAD_SOURCE_ADDRESS = "% Invalid source address- IP address not on any of our up interfaces\n"
BAD_SOURCE_INTERFACE = "% Invalid source interface - IP not enabled or interface is down\n"
BAD_SOURCE_ANSWER = ("% Invalid source. Must use IP address or full interface name without "
                     "spaces (e.g. Serial0/1)\n")
YES_OR_NO = "% Please answer 'yes' or 'no'.\n"
IP_OPTIONS = ("loose", "strict", "record", "timestamp")

Source = Union[int, str, None]      # an address, an interface's name, or none asked for


@dataclass
class Settings:
    """What one ping sends, as the command line or the questions set it."""
    target: int = 0
    repeat: int = 5
    size: int = 100
    timeout: int = 2
    source: Source = None
    tos: int = 0
    df: bool = False
    validate: bool = False
    pattern: int = DEFAULT_PATTERN
    verbose: bool = False
    sweep: Optional[tuple[int, int, int]] = None     # smallest, largest, step

    @property
    def count(self) -> int:
        sizes = 1 if self.sweep is None else (self.sweep[1] - self.sweep[0]) // self.sweep[2] + 1
        return self.repeat * sizes


# the simple form's options, by their alias, to the field each sets
_OPTIONS = {"repeat": "repeat", "size": "size", "timeout": "timeout", "source": "source",
            "data": "pattern", "df_bit": "df", "validate": "validate"}


@converter(*(f"ping_{name}" for name in _OPTIONS), node=True)
def ping_option(node, value=True) -> tuple[str, object]:
    """An option as (the Settings field it sets, its value); a keyword alone is True."""
    return _OPTIONS[node.data[len("ping_"):]], value


@converter("ping_from")
def ping_from(value):
    return value


# ------------------------------------------------------------------ the simple form
@exec_command("ping", changes=ENGINE)
def ping(session, host, *options) -> Reply:
    target = address(str(host))
    if target is None:
        return Reply(unrecognized(session.router, str(host)), error=True)
    settings = Settings(target)
    for name, value in options:
        if isinstance(value, Interface) and value not in session.router.interfaces:
            raise ConfigError(INVALID, value.start_pos)    # IOS's parser knows its ports
        setattr(settings, name, value)
    return start(session, settings)


def address(text: str) -> Optional[int]:
    try:
        return int(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        return None


def unrecognized(router, word: str) -> str:
    """A name iosfw cannot resolve (it has no host table): IOS's lookup first when
    `ip domain-lookup` is on (the default), then its refusal."""
    lookup = (f'Translating "{word}"...domain server (255.255.255.255)\n'
              if router.ip_domain_lookup else "")
    return lookup + "% Unrecognized host or address, or protocol not running.\n\n"


# ------------------------------------------------------------------ sending
@dataclass
class Path:
    """Where the echoes go: to the router itself (`own`), or out of `egress` (None: they cannot
    leave), from `source`."""
    own: bool
    egress: Optional[m.Interface]
    source: Optional[int]


class Timeline:
    """The ping's time on the device's clock, counted in whole ms from its start, so that a
    long ping adds no rounding: each wait moves the clock (and its timers) to the moment."""

    def __init__(self, device):
        self.device, self.start, self.ms = device, device.now(), 0

    def wait(self, ms: int) -> None:
        self.ms += ms
        self.device.advance(max(0.0, self.start + self.ms / 1000 - self.device.now()))


def start(session, settings: Settings) -> Reply:
    """Check the source, then send the echoes, a slice at a time (Reply.more) so that a long
    ping leaves the other lines answered."""
    if settings.count > MAX_ECHOES:
        return Reply(f"% (iosfw) at most {MAX_ECHOES} echoes per ping\n", error=True)
    source, error = source_address(session.router, settings.source)
    if error:
        return Reply(error, error=True)
    session.keep(engine=True)
    return sliced(_run(session, settings, source))


def source_address(router, source: Source) -> tuple[Optional[int], str]:
    """The address a `source` gives (None when none was asked for), or IOS's refusal."""
    from ..engine.local import owner

    if source is None:
        return None, ""
    if isinstance(source, int):
        return (int(source), "") if owner(router, int(source)) else (None, BAD_SOURCE_ADDRESS)
    intf = router.interfaces.get(str(source))
    if intf is None or intf.shutdown or intf.address is None:
        return None, BAD_SOURCE_INTERFACE
    return intf.address[0], ""


def _run(session, s: Settings, source: Optional[int]):
    """The echoes, one after the other, yielding between slices; returns the Reply."""
    from ..show import ping as ping_text

    report = ping_text.PingReport(
        s.target, s.count, s.sweep[0] if s.sweep else s.size, s.timeout, s.sweep, source, s.df,
        s.pattern if s.pattern != DEFAULT_PATTERN else None, s.validate, s.verbose)
    path, clock = _path(session, s.target, source), Timeline(session.device)
    for n in range(s.count):
        if n and n % SLICE == 0:
            yield
        mark, rtt = _echo(clock, s, path, n, report.size_of(n))
        report.marks.append(mark)
        report.rtts.append(rtt)
    return out(session, ping_text.text(report), lambda: ping_text.facts(report))


def _path(session, target: int, source: Optional[int]) -> Path:
    """Where the echoes to `target` go, from the `source` asked for, else from the address
    they leave by: the target itself when it is the router's, else the egress interface's."""
    from ..engine import local

    if local.owner(session.router, target) is not None:
        return Path(True, None, target if source is None else source)
    egress = local.egress(session.device.engine, target)
    if source is None and egress is not None:
        source = egress.address[0]
    return Path(False, egress, source)


def _echo(clock: Timeline, s: Settings, path: Path, n: int, size: int) -> tuple[str, int]:
    """One echo: "!" and its round trip in ms, or "." and 0 once its timeout has passed."""
    timeout = s.timeout * 1000
    if path.own:
        rtt: Optional[int] = JITTER_MS[n % len(JITTER_MS)]
    elif path.egress is not None and not (s.df and size > MTU):
        rtt = round_trip(path.egress, n, size)
    else:
        rtt = None                      # it cannot leave
    if rtt is None or rtt > timeout:
        clock.wait(timeout)
        return ".", 0
    clock.wait(rtt)
    if path.own or _answered(clock.device, s, path, size):
        return "!", rtt
    clock.wait(timeout - rtt)
    return ".", 0


def _answered(device, s: Settings, path: Path, size: int) -> bool:
    """Whether the target's echo reply, arriving now, reaches the router."""
    from ..engine import local

    answer = Packet.icmp(s.target, path.source, ECHO_REPLY, sport=ECHO_ID, tos=s.tos,
                         length=size)
    arrived = local.to_router(device.engine, answer, path.egress.name, device.now())
    if arrived is None:                 # NAT made it an inside host's: it goes on there
        device.forward(answer, path.egress.name)
        return False
    device.record(arrived.events)
    return arrived.forwarded


def round_trip(egress: m.Interface, n: int, size: int) -> int:
    """The round trip of echo `n` of `size` bytes out of `egress`, in whole ms."""
    rate = ETHERNET_BITS_PER_MS if "Ethernet" in egress.name else SERIAL_BITS_PER_MS
    return JITTER_MS[n % len(JITTER_MS)] + 2 * size * 8 // rate


# ------------------------------------------------------------------ the extended ping
@exec_command("ping_extended")
def ping_extended(session) -> Reply:
    return _asking(session, _questions(session, ask_protocol=True))


@exec_command("ping_extended_ip")
def ping_extended_ip(session) -> Reply:
    """`ping ip`: the protocol is given, the questions start at the target."""
    return _asking(session, _questions(session, ask_protocol=False))


def _asking(session, questions, answer: Optional[str] = None) -> Reply:
    """The next question of the dialog (with what the last answer earned first), or the
    dialog's end: the ping, or its refusal."""
    try:
        note, prompt = questions.send(answer)
    except StopIteration as done:
        return done.value
    return Reply(note, ask=session.ask(prompt, partial(_asking, session, questions)))


def _questions(session, ask_protocol: bool):
    """IOS 12.3's questions, in its order; a generator that yields (note, question) and is
    sent each answer."""
    s = Settings()
    if ask_protocol:
        word = (yield "", "Protocol [ip]: ").strip()
        if word and word.lower() != "ip":
            return Reply(f'% Unknown protocol - "{word}", type "ping ?" for help\n', error=True)
    target = address((yield "", "Target IP address: "))
    if target is None:
        return Reply("% Bad IP address\n", error=True)
    s.target = target
    s.repeat = yield from _number("Repeat count [5]: ", 5, 1, MAX_REPEAT)
    s.size = yield from _number("Datagram size [100]: ", 100, MIN_SIZE, MAX_SIZE)
    s.timeout = yield from _number("Timeout in seconds [2]: ", 2, 0, MAX_TIMEOUT)
    if (yield from _yes_no("Extended commands [n]: ")):
        s.source = yield from _source(session.router)
        s.tos = yield from _number("Type of service [0]: ", 0, 0, 255)
        s.df = yield from _yes_no("Set DF bit in IP header? [no]: ")
        s.validate = yield from _yes_no("Validate reply data? [no]: ")
        s.pattern = yield from _pattern()
        s.verbose = yield from _ip_options()
    if (yield from _yes_no("Sweep range of sizes [n]: ")):
        low = yield from _number(f"Sweep min size [{MIN_SIZE}]: ", MIN_SIZE, MIN_SIZE, MAX_SIZE)
        high = yield from _number(f"Sweep max size [{MAX_SIZE}]: ", MAX_SIZE, low, MAX_SIZE)
        step = yield from _number("Sweep interval [1]: ", 1, 1, MAX_SIZE)
        s.sweep = (low, high, step)
    return start(session, s)


def _number(question: str, default: int, low: int, high: int):
    note = ""
    while True:
        word = (yield note, question).strip()
        if not word:
            return default
        if word.isdigit() and low <= int(word) <= high:
            return int(word)
        note = f"% A decimal number between {low} and {high}.\n"


def _yes_no(question: str):
    """An answer that starts a `yes` or a `no`; none is no."""
    note = ""
    while True:
        word = (yield note, question).strip().lower()
        if not word or "no".startswith(word):
            return False
        if "yes".startswith(word):
            return True
        note = YES_OR_NO


def _source(router):
    """An address, or an interface named as IOS spells it (abbreviations read as elsewhere);
    whether it can be used is checked when the echoes go (start)."""
    note = ""
    while True:
        word = (yield note, "Source address or interface: ").strip()
        if not word:
            return None
        found = address(word)
        if found is not None:
            return found
        try:
            name = interface_name(word)
        except BadName:
            name = ""
        if name in router.interfaces:
            return name
        note = BAD_SOURCE_ANSWER


def _pattern():
    note = ""
    while True:
        word = (yield note, "Data pattern [0xABCD]: ").strip()
        if not word:
            return DEFAULT_PATTERN
        digits = word[2:] if word.lower().startswith("0x") else word
        try:
            value = int(digits, 16) if 0 < len(digits) <= 4 else -1
        except ValueError:
            value = -1
        if value >= 0:
            return value
        note = "% A hexadecimal number between 0x0000 and 0xFFFF.\n"


def _ip_options():
    """Only verbose is simulated: it toggles, and the question comes back showing it; `none`
    clears it; an empty answer ends the question."""
    verbose, note = False, ""
    while True:
        shown = "V" if verbose else "none"
        word = (yield note, f"Loose, Strict, Record, Timestamp, Verbose[{shown}]: ").strip()
        word, note = word.lower(), ""
        if not word:
            return verbose
        if "verbose".startswith(word):
            verbose = not verbose
        elif "none".startswith(word):
            verbose = False
        elif any(option.startswith(word) for option in IP_OPTIONS):
            note = "% (iosfw) loose, strict, record and timestamp are not simulated\n"
        else:
            note = '% (iosfw) answer "verbose", "none" or nothing\n'

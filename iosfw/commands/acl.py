"""Access lists: numbered lists (`access-list N ...`) and the named lists' sub-modes (`ip
access-list standard|extended NAME`), with the entries both share (grammar/access_lists.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). The sub-mode's handlers change `cfg.context.target`, the
list `ip access-list` entered.

An entry's converters give it as typed (`Entry`); the handler makes it the model's entry
(`model_entry`), so that a refusal happens where the handler says which slot it belongs to,
and only for a line that keeps the entry (`no access-list 101 ...` drops the list whatever
follows). The access-list numbers arrive as tokens: a list's number is its name.
"""
from __future__ import annotations

from typing import NamedTuple

from ..config import model as m
from ..config.errors import ConfigError
from ..config.names import PROTOCOL_NAMES
from ..config.ports import icmp_code_of, port_number
from ..parser.tree import Token
from ..textutil import is_number
from .configure import refused_into
from .registry import Phrase, config_command, converter
from .values import INVALID, Name, Number

# what the engine leaves out of an entry (iosfw/engine/acl.py), by the option's keyword
_UNSIMULATED = {
    "reflect": "reflect (the reflexive access list is not built)",
    "time-range": "time-range (the entry applies at all times)",
}
_EVALUATE = "evaluate (a reflexive access list matches nothing)"


def _typed(value) -> str:
    """A word as typed: a number keeps its digits (`tos 03`, protocol `047`)."""
    return value.text if isinstance(value, Number) else str(value)


# ------------------------------------------------------------------ entries as typed
class Ports(NamedTuple):
    """A port match as typed; `start_pos` is where it starts, for a reversed range."""
    op: str
    ports: tuple[int, ...]
    start_pos: int


class Match(NamedTuple):
    """What an entry matches: protocol, addresses, ports, ICMP message."""
    protocol: str
    src: m.Address
    dst: m.Address | None = None
    src_port: Ports | None = None
    dst_port: Ports | None = None
    icmp: tuple | None = None


class Option(str):
    """An entry option as typed (`precedence critical`, `reflect MIRROR timeout 30`), with the
    column of its value (None for a bare keyword)."""

    def __new__(cls, text: str, value_pos: int | None = None):
        self = str.__new__(cls, text)
        self.value_pos = value_pos
        return self

    @property
    def keyword(self) -> str:
        return self.split(" ", 1)[0]

    def __reduce__(self):
        return (str, (str(self),))


class Entry(NamedTuple):
    """An entry as typed; `model_entry` checks it and makes the model's."""
    action: Token               # where the entry starts: IOS refuses a misplaced option there
    match: Match
    options: tuple[Option, ...] = ()
    log: str = ""


@converter("std_entry")
def std_entry(action, src: m.Address, log) -> Entry:
    return Entry(action, Match("ip", src), log="log" if log is not None else "")


@converter("ext_entry")
def ext_entry(action, match: Match, *options: Option) -> Entry:
    logs = [o for o in options if o in ("log", "log-input")]
    return Entry(action, match, tuple(o for o in options if o not in ("log", "log-input")),
                 str(logs[-1]) if logs else "")


@converter("match_ip")
def match_ip(protocol: str, src: m.Address, dst: m.Address) -> Match:
    return Match(protocol, src, dst)


@converter("match_tcp")
def match_tcp(src, src_port, dst, dst_port) -> Match:
    return Match("tcp", src, dst, src_port, dst_port)


@converter("match_udp")
def match_udp(src, src_port, dst, dst_port) -> Match:
    return Match("udp", src, dst, src_port, dst_port)


@converter("match_icmp")
def match_icmp(src, dst, icmp) -> Match:
    return Match("icmp", src, dst, icmp=icmp)


@converter("ip_proto")
def ip_proto(word) -> str:
    """A protocol by its keyword; a number IOS has a keyword for is that keyword (`6` is tcp)."""
    text = _typed(word)
    return PROTOCOL_NAMES.get(text, text)


@converter("tcp_ports", "udp_ports")
def ports(op: Token, *numbers: int) -> Ports:
    return Ports(str(op), tuple(numbers), op.start_pos)


@converter("tcp_port")
def tcp_port(word) -> int:
    return port_number("tcp", _typed(word))


@converter("udp_port")
def udp_port(word) -> int:
    return port_number("udp", _typed(word))


@converter("icmp_numeric")
def icmp_numeric(icmp_type, icmp_code) -> tuple:
    return int(icmp_type), None if icmp_code is None else int(icmp_code)


@converter("icmp_name")
def icmp_name(word) -> tuple:
    return icmp_code_of(str(word))


@converter("icmp_spec")
def icmp_spec(message: tuple) -> tuple:
    """The `icmp_name` alternative of icmp_spec (the numeric one is `icmp_numeric`)."""
    return message


@converter("precedence", "tos")
def header_value(word) -> Phrase:
    """The value as typed, as running-config shows it; the engine reads the number a keyword
    stands for from the grammar (`critical` is 5)."""
    return Phrase(_typed(word), word.start_pos)


@converter("ace_opt")
def ace_opt(keyword, *values) -> Option:
    """`reflect NAME` leaves its `timeout N` out as None."""
    given = [v for v in values if v is not None]
    return Option(" ".join(_typed(w) for w in [keyword, *given]),
                  given[0].start_pos if given else None)


def model_entry(entry: Entry, seq: int) -> m.AclEntry:
    """The model's entry, refused as IOS refuses it: a port range that runs backwards, or
    `established` outside tcp."""
    match = entry.match
    src_port, dst_port = _port_match(match.src_port), _port_match(match.dst_port)
    if "established" in entry.options and match.protocol != "tcp":
        raise ConfigError(INVALID, entry.action.start_pos)
    return m.AclEntry(seq, str(entry.action), match.protocol, match.src, src_port, match.dst,
                      dst_port, match.icmp, tuple(str(o) for o in entry.options), entry.log)


def _port_match(ports: Ports | None) -> m.PortMatch | None:
    if ports is None:
        return None
    if ports.op == "range" and ports.ports[0] > ports.ports[1]:
        raise ConfigError("% Invalid port range", ports.start_pos)
    return m.PortMatch(ports.op, ports.ports)


def _noted(cfg, entry: Entry) -> None:
    """Say which options of a kept entry the engine does not act on."""
    for option in entry.options:
        what = _UNSIMULATED.get(option.keyword)
        if what is not None:
            cfg.unsimulated(what, option.value_pos)


# ------------------------------------------------------------------ numbered lists
def _standard(number: str) -> bool:
    n = int(number)
    return n < 100 or 1300 <= n <= 1999


def _numbered_acl(cfg, number: str, kind: str) -> m.AccessList:
    acl = cfg.router.access_lists.get(number)
    return m.AccessList(number, kind, numbered=True) if acl is None else acl


def _store_acl(cfg, acl: m.AccessList) -> str:
    cfg.router.access_lists[acl.name] = acl
    return f"acl:{acl.name}"


def _drop_acl(cfg, name: str) -> str:
    """`no access-list N ...` deletes the whole list, whatever follows the number."""
    cfg.router.access_lists.pop(name, None)
    return f"acl:{name}"


@config_command("access_list_std", "access_list_ext")
def access_list(cfg, number: Token, entry: Entry):
    at, number = number.start_pos, str(number)
    if cfg.no:
        return _drop_acl(cfg, number)
    with refused_into(f"acl:{number}"):
        acl = _numbered_acl(cfg, number, "standard" if _standard(number) else "extended")
        acl.add(model_entry(entry, acl.next_seq()))
    _noted(cfg, entry)
    cfg.defines("access-list", number, at)
    return _store_acl(cfg, acl)


@config_command("access_list_remark")
def access_list_remark(cfg, number: Token, text: Token):
    number, text = str(number), str(text)
    acl = _numbered_acl(cfg, number, "standard" if _standard(number) else "extended")
    if cfg.no:  # takes the remark away; a numbered list without entries is no list
        acl.remove(lambda e: not (e.action == "remark" and e.remark == text))
        return _store_acl(cfg, acl) if acl.entries else _drop_acl(cfg, number)
    acl.add(m.AclEntry(acl.remark_seq(), "remark", remark=text))
    return _store_acl(cfg, acl)


@config_command("no_access_list")
def no_access_list(cfg, number: Token):
    return _drop_acl(cfg, str(number))


# ------------------------------------------------------------------ named lists
def _named_acl(cfg, name: Name, kind: str) -> str:
    """Enter the list's sub-mode, making the list if it is new. A number names a list of the
    kind its range says."""
    if is_number(name) and _standard(name) != (kind == "standard"):
        raise ConfigError("% Invalid access list name.", name.start_pos)
    acl = cfg.router.access_lists.get(str(name))
    if acl is not None and acl.kind != kind:
        raise ConfigError(f"% A named {acl.kind} IP access list with this name already exists",
                          name.start_pos)
    if acl is None:
        acl = cfg.router.access_lists[str(name)] = m.AccessList(str(name), kind,
                                                                 numbered=is_number(name))
    mode = "config-std-nacl" if kind == "standard" else "config-ext-nacl"
    cfg.defines("access-list", str(name), name.start_pos)
    return cfg.enter(mode, acl, f"acl:{name}")


@config_command("ip_access_list_standard")
def ip_access_list_standard(cfg, name: Name):
    return _drop_acl(cfg, str(name)) if cfg.no else _named_acl(cfg, name, "standard")


@config_command("ip_access_list_extended")
def ip_access_list_extended(cfg, name: Name):
    return _drop_acl(cfg, str(name)) if cfg.no else _named_acl(cfg, name, "extended")


@config_command("ip_access_list_resequence")
def ip_access_list_resequence(cfg, name: Name, start: Number, step: Number):
    acl = cfg.router.access_lists.get(str(name))
    if acl is None:
        raise ConfigError(f"%Access list {name} does not exist", cfg.column, f"acl:{name}")
    acl.resequence(int(start), int(step))
    return f"acl:{name}"


@config_command("no_ip_access_list")
def no_ip_access_list(cfg, kind: Token, name: Name):
    return _drop_acl(cfg, str(name))


# ------------------------------------------------------------------ named-list sub-mode
def _nacl_add(cfg, seq: Number | None, entry: Entry) -> None:
    acl: m.AccessList = cfg.context.target
    made = model_entry(entry, acl.next_seq() if seq is None else int(seq))
    if not acl.has_rule(made):  # IOS keeps one copy of an entry and says nothing
        if seq is not None and acl.has_seq(made.seq):
            raise ConfigError("% Duplicate sequence number", seq.start_pos)
        acl.add(made)
    _noted(cfg, entry)


def _nacl_remove(cfg, entry: Entry) -> None:
    acl: m.AccessList = cfg.context.target
    gone = m.rule_signature(model_entry(entry, 0))
    acl.remove(lambda e: m.rule_signature(e) != gone)


@config_command("nacl_std_entry", "nacl_ext_entry")
def nacl_entry(cfg, seq: Number | None, entry: Entry):
    _nacl_add(cfg, seq, entry)


@config_command("nacl_remark")
def nacl_remark(cfg, text: Token):
    acl: m.AccessList = cfg.context.target
    acl.add(m.AclEntry(acl.remark_seq(), "remark", remark=str(text)))


@config_command("nacl_evaluate")
def nacl_evaluate(cfg, seq: Number | None, name: Token):
    acl: m.AccessList = cfg.context.target
    acl.add(m.AclEntry(acl.next_seq() if seq is None else int(seq), "evaluate", remark=str(name)))
    cfg.unsimulated(_EVALUATE, name.start_pos)


@config_command("nacl_no_evaluate")
def nacl_no_evaluate(cfg, name: Token):
    gone = m.rule_signature(m.AclEntry(0, "evaluate", remark=str(name)))
    cfg.context.target.remove(lambda e: m.rule_signature(e) != gone)


@config_command("nacl_no_seq")
def nacl_no_seq(cfg, seq: Number):
    seq = int(seq)
    cfg.context.target.remove(lambda e: e.seq != seq)


@config_command("nacl_no_std_entry", "nacl_no_ext_entry")
def nacl_no_entry(cfg, entry: Entry):
    _nacl_remove(cfg, entry)

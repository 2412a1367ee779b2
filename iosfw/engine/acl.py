"""Access lists as the router matches packets against them.

A list is compiled once per change: each permit/deny entry becomes a `Rule` of integers and
masks. `Rule.matches` is the one statement of IOS's matching semantics; the index below only
chooses which rules to ask, and `naive_first_match` asks them all, in order.

The index, so that a packet is tried only against the entries that can apply to it: by kind
of packet (a non-initial fragment has no ports to look up), then by IP protocol, then by the
packet's /16 destination block, which gives a short plan of groups. A group holds the rules
of one destination mask (and source mask, and whether an `eq` destination port is part of the
key) in a dict keyed by those masked fields: one lookup yields the few rules that can match.
Groups are tried in order of their first rule, and the lowest-index match wins.

The hit counters `show access-lists` prints are engine state, kept on the rules: a list compiled
again after a change takes over the counts of the entries it still holds (the same entry
objects), as IOS keeps the counters of the entries a change did not touch; the configuration
model holds no counter.

Not modelled: time ranges (an entry naming a `time-range` is always active) and reflexive
lists (`evaluate` matches nothing yet; `reflect` does not change what its entry matches).
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..config import model as m
from ..config.names import PROTOCOL_NAMES
from ..parser.grammar import load_grammar
from .packet import ACK, RST, Packet

ANY_PROTOCOL = -1                  # `ip`, and every entry of a standard list
PROTOCOL_NUMBERS = {name: int(number) for number, name in PROTOCOL_NAMES.items()}  # tcp -> 6

# Option -> (bits of the TOS byte it compares, shift of its value into them).
HEADER_FIELDS = {"precedence": (0xE0, 5), "tos": (0x1E, 1), "dscp": (0xFC, 2)}


def option_values(option: str) -> dict[str, int]:
    """Keyword -> number for `precedence` or `tos`, read from the `value=` fields of the
    grammar's metadata, the one place that says them (critical -> 5, min-delay -> 8)."""
    return load_grammar().meta.numbers[(option, "value")]


def protocol_number(protocol: str) -> int:
    if protocol == "ip":
        return ANY_PROTOCOL
    return int(protocol) if protocol.isdigit() else PROTOCOL_NUMBERS[protocol]


def header_match(options: tuple[str, ...]) -> tuple[int, int] | None:
    """(mask, value) the TOS byte must show for the entry's precedence/tos/dscp options;
    None when they contradict each other, so that no packet can match."""
    mask = value = 0
    for option in options:
        word, _, arg = option.partition(" ")
        if word not in HEADER_FIELDS:
            continue
        bits, shift = HEADER_FIELDS[word]
        number = int(arg) if arg.isdigit() else option_values(word)[arg]
        wanted = (number << shift) & bits
        if (value ^ wanted) & mask & bits:
            return None
        mask |= bits
        value |= wanted
    return mask, value


def port_range(pm: m.PortMatch | None) -> tuple[int, int, bool] | None:
    """A port operator as (low, high, inside): the port matches when low <= port <= high
    equals `inside` (False only for neq)."""
    if pm is None:
        return None
    p = pm.ports
    return {"eq": (p[0], p[0], True), "neq": (p[0], p[0], False), "lt": (0, p[0] - 1, True),
            "gt": (p[0] + 1, 0xFFFF, True), "range": (p[0], p[-1], True)}[pm.op]


def interned(pool: dict, value):
    """`value`, or the equal one already in `pool`: equal masks and port ranges then share one
    object across the list, so that matching reads less memory."""
    return pool.setdefault(value, value)


class Rule:
    """One permit or deny entry as integers and masks, with its place in the list."""
    # the fields every test reads come first, to share the object's first cache lines
    __slots__ = ("index", "proto", "src", "src_care", "dst", "dst_care", "tos_mask",
                 "tos_value", "fragments", "layer4", "permit", "entry", "sport", "dport",
                 "established", "icmp_type", "icmp_code", "hits")

    def __init__(self, index: int, entry: m.AclEntry, header: tuple[int, int], pool: dict,
                 hits: int):
        self.index = index
        self.entry = entry
        self.hits = hits                      # packets it decided (`show access-lists`)
        self.permit = entry.action == "permit"
        self.proto = protocol_number(entry.protocol)
        self.src_care = interned(pool, ~entry.src.wildcard & 0xFFFFFFFF)
        self.src = entry.src.ip & self.src_care
        dst = entry.dst or m.ANY
        self.dst_care = interned(pool, ~dst.wildcard & 0xFFFFFFFF)
        self.dst = dst.ip & self.dst_care
        self.tos_mask, self.tos_value = header
        self.fragments = "fragments" in entry.options
        self.sport = interned(pool, port_range(entry.src_port))
        self.dport = interned(pool, port_range(entry.dst_port))
        self.established = "established" in entry.options
        self.icmp_type, self.icmp_code = entry.icmp or (None, None)
        self.layer4 = bool(self.sport or self.dport or self.established or entry.icmp)

    def matches(self, p: Packet) -> bool:
        """IOS's test of one entry, non-initial fragments included ("Access Control Lists
        and IP Fragments"): a `fragments` entry takes only non-initial fragments, on layer 3;
        an entry without layer-4 information takes every fragment on layer 3; an entry with
        it tests an unfragmented packet or a first fragment in full, while a non-initial
        fragment (which carries no layer-4 header) matches it on layer 3 when it permits and
        never when it denies, going on to the next entry."""
        if (p.proto != self.proto and self.proto != ANY_PROTOCOL
                or p.src & self.src_care != self.src or p.dst & self.dst_care != self.dst
                or p.tos & self.tos_mask != self.tos_value):
            return False
        later = p.fragment_offset > 0
        if self.fragments:
            return later
        if not self.layer4:
            return True
        if later:
            return self.permit
        return self.layer4_matches(p)

    def layer4_matches(self, p: Packet) -> bool:
        """Ports, TCP flags and ICMP type/code: only for a packet that carries them."""
        ports = self.sport
        if ports is not None and (ports[0] <= p.sport <= ports[1]) != ports[2]:
            return False
        ports = self.dport
        if ports is not None and (ports[0] <= p.dport <= ports[1]) != ports[2]:
            return False
        if self.established and not p.tcp_flags & (ACK | RST):
            return False
        if self.icmp_type is not None:
            return p.icmp_type == self.icmp_type and (
                self.icmp_code is None or p.icmp_code == self.icmp_code)
        return True


def eq_port(rule: Rule) -> int | None:
    """The one destination port the rule takes, if it names one (`eq`)."""
    ports = rule.dport
    return ports[0] if ports is not None and ports[2] and ports[0] == ports[1] else None


class Group(NamedTuple):
    """Rules that share a destination mask, a source mask (0 unless split by source) and
    whether they name one `eq` destination port. `buckets` maps what a packet shows under
    those masks (destination | source << 32 | port << 64) to the rules, in list order, that
    take exactly that: one dict lookup per group, however many rules it holds."""
    first: int                # index of the group's first rule
    dst_care: int
    src_care: int
    port_keyed: bool
    buckets: dict[int, tuple[Rule, ...]]


def group(rules: list[Rule], dst_care: int, src_care: int, port_keyed: bool) -> Group:
    buckets: dict[int, list[Rule]] = {}
    for rule in rules:
        key = rule.dst | (rule.src & src_care) << 32
        if port_keyed:
            key |= eq_port(rule) << 64
        buckets.setdefault(key, []).append(rule)
    return Group(rules[0].index, dst_care, src_care, port_keyed,
                 {key: tuple(found) for key, found in buckets.items()})


def groups_of(rules: list[Rule], by_port: bool) -> list[Group]:
    """The rules in groups (with `by_port`, `eq` destination ports are keys), ordered by their
    first rule: a lookup stops at a group that starts after the best match found so far."""
    by_dst: dict[tuple[int, bool], list[Rule]] = {}
    for rule in rules:
        keyed = by_port and eq_port(rule) is not None
        by_dst.setdefault((rule.dst_care, keyed), []).append(rule)
    groups = []
    for (dst_care, keyed), members in by_dst.items():
        by_src: dict[int, list[Rule]] = {}
        for rule in members:
            by_src.setdefault(rule.src_care, []).append(rule)
        whole = group(members, dst_care, 0, keyed)
        # Split by source mask when the groups it adds are no more than the rules a packet
        # tests in an average bucket (many sources to one destination and port).
        if len(by_src) <= len(members) / len(whole.buckets):
            groups.extend(group(sub, dst_care, care, keyed) for care, sub in by_src.items())
        else:
            groups.append(whole)
    groups.sort(key=lambda g: g.first)
    return groups


BLOCK = 0xFFFF0000        # destinations are looked up first by their /16 block


def plan_of(rules: list[Rule], by_port: bool) -> tuple[dict[int, list[Group]], list[Group]]:
    """(groups by /16 destination block, groups for any other block). A rule whose destination
    mask fixes the block (a host, a /16 or longer) is in its block's groups only; the others
    (any, /8, ...) in every block's. A packet probes only the groups its block can match, in
    dicts of that block's size."""
    wide = [r for r in rules if r.dst_care & BLOCK != BLOCK]
    general = groups_of(wide, by_port)
    by_block: dict[int, list[Rule]] = {}
    for rule in rules:
        if rule.dst_care & BLOCK == BLOCK:
            by_block.setdefault(rule.dst >> 16, []).append(rule)
    blocks = {block: sorted(groups_of(members, by_port) + general, key=lambda g: g.first)
              for block, members in by_block.items()}
    return blocks, general


class ProtocolIndex:
    """Plans per IP protocol: a protocol some rule names gets its own rules and the
    any-protocol ones; every other protocol gets the any-protocol rules alone."""

    def __init__(self, rules: list[Rule], by_port: bool):
        named = {r.proto for r in rules} - {ANY_PROTOCOL}
        self.by_proto = {n: plan_of([r for r in rules if r.proto in (n, ANY_PROTOCOL)], by_port)
                         for n in named}
        self.other = plan_of([r for r in rules if r.proto == ANY_PROTOCOL], by_port)


class CompiledAcl:
    """An access list ready for packets. Compile again after the list changes, from the
    `previous` compilation of the list so that the entries it still holds keep their hits."""

    def __init__(self, acl: m.AccessList, previous: Optional[CompiledAcl] = None):
        self.acl = acl
        self.revision = acl.revision          # the version of the list compiled
        self.rules: list[Rule] = []
        # by identity: `previous` holds its entries, so no id here is of a dead object
        kept = {id(r.entry): r.hits for r in previous.rules if r.hits} if previous else {}
        pool: dict = {}
        for entry in acl.entries:
            if entry.action not in ("permit", "deny"):
                continue    # a remark, or `evaluate` (reflexive lists are not modelled)
            header = header_match(entry.options)
            if header is not None:
                self.rules.append(Rule(len(self.rules), entry, header, pool,
                                       kept.get(id(entry), 0)))
        # What an unfragmented packet or a first fragment can match: no `fragments` entry.
        self.initial = ProtocolIndex([r for r in self.rules if not r.fragments], by_port=True)
        # What a non-initial fragment can match: not a deny with layer-4 information. It has
        # no ports to look up by.
        self.later = ProtocolIndex(
            [r for r in self.rules if r.fragments or not r.layer4 or r.permit], by_port=False)

    def first_match(self, p: Packet) -> m.AclEntry | None:
        """The first entry that matches; None when only the implicit deny does."""
        rule = self.first_rule(p)
        return rule.entry if rule is not None else None

    def first_rule(self, p: Packet) -> Rule | None:
        """The rule of the first entry that matches; None when only the implicit deny does."""
        index = self.later if p.fragment_offset else self.initial
        blocks, general = index.by_proto.get(p.proto, index.other)
        dst, src, port_key = p.dst, p.src, p.dport << 64
        groups = blocks.get(dst >> 16, general)
        best = None
        limit = len(self.rules)     # index of the best match so far
        for first, dst_care, src_care, keyed, buckets in groups:
            if first >= limit:
                break
            key = dst & dst_care | (src & src_care) << 32
            bucket = buckets.get(key | port_key if keyed else key)
            if bucket is None:
                continue
            for rule in bucket:
                if rule.index >= limit:
                    break
                if rule.matches(p):
                    best, limit = rule, rule.index
                    break
        return best

    def hit(self, p: Packet) -> Rule | None:
        """The deciding rule with this packet counted on it; None for the implicit deny, which
        counts nowhere."""
        rule = self.first_rule(p)
        if rule is not None:
            rule.hits += 1
        return rule

    def check(self, p: Packet, count: bool = True) -> tuple[bool, m.AclEntry | None]:
        """(permitted?, the deciding entry: None for the implicit deny), counting the hit as
        `show access-lists` does unless `count` is False."""
        rule = self.hit(p) if count else self.first_rule(p)
        if rule is None:
            return False, None
        return rule.permit, rule.entry

    def counts(self, entries: list[m.AclEntry]) -> list[int]:
        """The hits of each of `entries` (the list's, in its order): 0 for an entry that is no
        rule here (a remark, an entry that can never match, one added since)."""
        hits = {id(r.entry): r.hits for r in self.rules}
        return [hits.get(id(e), 0) for e in entries]

    def clear_counts(self) -> None:
        """`clear access-list counters`."""
        for rule in self.rules:
            rule.hits = 0


def naive_first_match(acl: CompiledAcl, p: Packet) -> m.AclEntry | None:
    """The first match by trying every rule in order: the reference the index must agree
    with, and the baseline of bench/acl_bench.py."""
    for rule in acl.rules:
        if rule.matches(p):
            return rule.entry
    return None

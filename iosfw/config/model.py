"""The router as data: what a running-config says, with the IOS 12.3(4)T defaults."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Optional

LOG_LEVELS = ("emergencies", "alerts", "critical", "errors", "warnings", "notifications",
              "informational", "debugging")      # severities 0-7, by the names IOS shows


@dataclass
class Preserved:
    """A line kept verbatim: unknown to the grammar, or rejected as IOS would reject it."""
    text: str                 # as written, leading spaces included
    kind: str                 # "unknown" or "rejected"
    anchor: str = ""          # render slot it follows (global lines only)
    reason: str = ""


@dataclass
class Secret:
    """A password as stored: type 0 (clear), 7 (reversible) or 5 (MD5-crypt)."""
    type: int
    value: str


@dataclass
class Timestamps:
    kind: str = "uptime"      # "uptime" or "datetime"
    msec: bool = False
    localtime: bool = False
    show_timezone: bool = False
    year: bool = False


# ------------------------------------------------------------------ access lists
@dataclass(frozen=True)
class Address:
    """Source or destination: an address and an IOS wildcard (bits set = don't care)."""
    ip: int
    wildcard: int

    @property
    def is_any(self) -> bool:
        return self.wildcard == 0xFFFFFFFF

    @property
    def is_host(self) -> bool:
        return self.wildcard == 0

    def matches(self, ip: int) -> bool:
        return (ip & ~self.wildcard) == (self.ip & ~self.wildcard)


ANY = Address(0, 0xFFFFFFFF)


@dataclass(frozen=True)
class PortMatch:
    op: str                   # eq, neq, lt, gt, range
    ports: tuple[int, ...]

    def matches(self, port: int) -> bool:
        p = self.ports
        if self.op == "eq":
            return port == p[0]
        if self.op == "neq":
            return port != p[0]
        if self.op == "lt":
            return port < p[0]
        if self.op == "gt":
            return port > p[0]
        return p[0] <= port <= p[1]


@dataclass
class AclEntry:
    seq: int
    action: str               # permit, deny, remark, evaluate (remark holds the reflexive name)
    protocol: str = "ip"      # ip, tcp, udp, icmp, a keyword or a number as text
    src: Address = ANY
    src_port: Optional[PortMatch] = None
    dst: Optional[Address] = None   # None in standard lists
    dst_port: Optional[PortMatch] = None
    icmp: Optional[tuple] = None     # (type, code or None)
    options: tuple[str, ...] = ()    # established, fragments, precedence X, tos X, ... in order
    log: str = ""                    # "", "log" or "log-input"
    remark: str = ""


_REVISIONS = itertools.count(1)


def rule_signature(e: AclEntry) -> tuple:
    """What makes two entries the same rule, whatever their sequence numbers."""
    if e.action == "remark":
        return ("remark", e.seq)
    if e.action == "evaluate":
        return ("evaluate", e.remark)
    return (e.action, e.protocol, e.src, e.src_port, e.dst, e.dst_port, e.icmp, e.options, e.log)


@dataclass
class AccessList:
    """Entries in sequence order; change them only through the methods, which keep the index."""
    name: str                 # number or name, as text
    kind: str                 # standard or extended
    numbered: bool
    entries: list[AclEntry] = field(default_factory=list)
    extra: list[Preserved] = field(default_factory=list)
    _rules: dict = field(default_factory=dict, repr=False, compare=False)
    # changes with every change of the entries (a number never used before), so that the
    # engine compiles again only the lists that changed
    revision: int = field(default=0, repr=False, compare=False)

    def _changed(self) -> None:
        self.revision = next(_REVISIONS)

    def next_seq(self) -> int:
        return (self.entries[-1].seq // 10 + 1) * 10 if self.entries else 10

    def remark_seq(self) -> int:
        """Remarks take no sequence number of their own in IOS; this one only keeps them in
        place, just after the entry they follow and before the next one."""
        return self.entries[-1].seq + 1 if self.entries else 1

    def has_rule(self, entry: AclEntry) -> bool:
        return rule_signature(entry) in self._rules

    def has_seq(self, seq: int) -> bool:
        return any(e.seq == seq for e in self.entries)

    def add(self, entry: AclEntry) -> bool:
        """Insert in sequence order; an entry equal to one already there is not added."""
        sig = rule_signature(entry)
        if entry.action != "remark" and sig in self._rules:
            return False
        self._rules[sig] = entry
        self._changed()
        if not self.entries or entry.seq > self.entries[-1].seq:
            self.entries.append(entry)
        else:
            self.entries.append(entry)
            self.entries.sort(key=lambda e: e.seq)
        return True

    def resequence(self, start: int, step: int) -> None:
        """`ip access-list resequence`: entries renumbered start, start+step, ...; a remark
        keeps its place after the entry it follows."""
        seq = start - step
        for e in self.entries:
            if e.action == "remark":
                e.seq = seq + 1 if seq >= start else 1
            else:
                seq += step
                e.seq = seq
        self._rules = {rule_signature(e): e for e in self.entries}
        self._changed()

    def remove(self, keep) -> None:
        """Keep only the entries for which keep(entry) is true."""
        self.entries = [e for e in self.entries if keep(e)]
        self._rules = {rule_signature(e): e for e in self.entries}
        self._changed()


# ------------------------------------------------------------------ inspection
# Idle timeouts (seconds) a protocol takes when its rule names none.
PROTOCOL_TIMEOUTS = {"udp": 30, "icmp": 10, "tftp": 30, "sip": 30, "fragment": 1}


@dataclass
class InspectProtocol:
    protocol: str
    alert: Optional[bool] = None          # None: follows `ip inspect alert-off`
    audit_trail: Optional[bool] = None    # None: follows `ip inspect audit-trail`
    timeout: Optional[int] = None         # None: the protocol's default
    max_data: Optional[int] = None        # smtp / esmtp
    java_list: Optional[str] = None       # http
    urlfilter: bool = False               # http
    program_number: Optional[int] = None  # rpc
    wait_time: Optional[int] = None       # rpc
    fragment_max: Optional[int] = None    # fragment
    fragment_timeout: Optional[int] = None

    @property
    def key(self) -> str:
        """Identity within a rule: one line per protocol (per program number for rpc)."""
        return f"rpc {self.program_number}" if self.protocol == "rpc" else self.protocol


@dataclass
class InspectRule:
    name: str
    protocols: list[InspectProtocol] = field(default_factory=list)

    def find(self, key: str) -> Optional[InspectProtocol]:
        return next((p for p in self.protocols if p.key == key), None)


@dataclass
class InspectGlobals:
    alert: bool = True
    audit_trail: bool = False
    max_incomplete_high: int = 500
    max_incomplete_low: int = 400
    one_minute_high: int = 500
    one_minute_low: int = 400
    host_max_incomplete: int = 50
    host_block_time: int = 0
    synwait: int = 30
    finwait: int = 5
    tcp_idle: int = 3600
    udp_idle: int = 30
    dns_timeout: int = 5

    def timeout_for(self, proto: InspectProtocol) -> int:
        if proto.timeout is not None:
            return proto.timeout
        if proto.protocol in PROTOCOL_TIMEOUTS:
            return self.udp_idle if proto.protocol == "udp" else PROTOCOL_TIMEOUTS[proto.protocol]
        return self.tcp_idle

    def alert_for(self, proto: InspectProtocol) -> bool:
        return self.alert if proto.alert is None else proto.alert

    def audit_for(self, proto: InspectProtocol) -> bool:
        return self.audit_trail if proto.audit_trail is None else proto.audit_trail


# ------------------------------------------------------------------ interfaces
@dataclass
class Interface:
    name: str
    subif_type: str = ""
    description: str = ""
    address: Optional[tuple[int, int]] = None       # (ip, mask)
    secondaries: list[tuple[int, int]] = field(default_factory=list)
    address_dynamic: str = ""                       # negotiated / dhcp
    shutdown: bool = False
    access_group_in: str = ""
    access_group_out: str = ""
    nat: str = ""                                   # inside / outside
    inspect_in: str = ""
    inspect_out: str = ""
    inspect_stamp: int = 0                          # when `ip inspect` was last applied
    virtual_reassembly: bool = False
    duplex: str = ""                                # auto / full / half
    half_duplex_cmd: str = ""                       # "half-duplex" / "full-duplex" as typed
    speed: str = ""
    method: str = "unset"                           # how the address was set: NVRAM, manual
    extra: list[Preserved] = field(default_factory=list)


# ------------------------------------------------------------------ NAT and routes
@dataclass
class NatStatic:
    local_ip: int
    global_ip: Optional[int]          # None when the global side is an interface
    protocol: str = ""                # "" for one-to-one, tcp / udp for port statics
    local_port: int = 0
    global_port: int = 0
    global_interface: str = ""
    options: tuple[str, ...] = ()


class NatStatics:
    """The static translations in configuration order, indexed for IOS's conflict checks."""

    def __init__(self):
        self._entries: dict[tuple, NatStatic] = {}
        self._local: dict[int, NatStatic] = {}    # one-to-one entries by inside local address
        self._global: dict[int, NatStatic] = {}   # and by inside global address

    @staticmethod
    def key(s: NatStatic) -> tuple:
        return (s.protocol, s.local_ip, s.local_port, s.global_ip, s.global_interface,
                s.global_port)

    def __iter__(self):
        return iter(self._entries.values())

    def __len__(self):
        return len(self._entries)

    def __contains__(self, s: NatStatic) -> bool:
        return self.key(s) in self._entries

    def add(self, s: NatStatic) -> None:
        self._entries.setdefault(self.key(s), s)
        if not s.protocol:
            self._local[s.local_ip] = s
            self._global[s.global_ip] = s

    def discard(self, s: NatStatic) -> None:
        gone = self._entries.pop(self.key(s), None)
        if gone is not None and not gone.protocol:
            self._local.pop(gone.local_ip, None)
            self._global.pop(gone.global_ip, None)

    def by_local(self, ip: int):
        return self._local.get(ip)

    def by_global(self, ip: int):
        return self._global.get(ip)


@dataclass
class NatDynamic:
    acl: str
    pool: str = ""
    interface: str = ""
    overload: bool = False


@dataclass
class NatPool:
    name: str
    start: int
    end: int
    mask: int
    prefix_form: bool = False         # written with prefix-length rather than netmask


@dataclass
class Route:
    prefix: int
    mask: int
    next_hop: Optional[int] = None
    interface: str = ""
    distance: Optional[int] = None
    options: tuple[str, ...] = ()     # permanent, name X, tag N as written


# ------------------------------------------------------------------ lines and other blocks
DEFAULT_VTYS = 5          # vty 0 4, unless `line vty 5 n` adds more


@dataclass
class Line:
    kind: str                         # con, aux, vty, or "" for absolute numbers
    first: int
    last: Optional[int] = None
    password: Optional[Secret] = None
    login: str = ""                   # "", "login" or "local"
    transport_input: tuple[str, ...] = ()
    exec_timeout: Optional[tuple[int, int]] = None
    access_class_in: str = ""         # `access-class ACL in`: who may connect to the line
    access_class_out: str = ""        # `access-class ACL out` (accepted, not simulated)
    login_response: Optional[int] = None  # `timeout login response S`; None: IOS's 30 s
    exec_: bool = True                # `no exec`: the line starts no EXEC
    logging_synchronous: bool = False  # log messages reprint the prompt and the typed line
    length: Optional[int] = None      # `length N`: the screen length sessions start with; None 24
    extra: list[Preserved] = field(default_factory=list)

    @property
    def key(self) -> str:
        rng = f"{self.first}" if self.last is None else f"{self.first} {self.last}"
        return f"{self.kind} {rng}" if self.kind else rng


@dataclass
class Controller:
    name: str                         # "T1 3/0"
    framing: str = ""
    linecode: str = ""
    extra: list[Preserved] = field(default_factory=list)


@dataclass
class SimpleBlock:
    """A block iosfw keeps without modelling its insides (voice-port, control-plane)."""
    name: str
    shutdown: bool = False
    extra: list[Preserved] = field(default_factory=list)


@dataclass
class ConfigLogSettings:
    """`log config` under `archive` (the Config Logger of 12.3(4)T, commands/archive_log.py):
    whether configuration commands are logged, how many entries are kept, whether passwords
    are hidden in them and whether each is also sent to the syslog."""
    logging_enable: bool = False
    size: int = 100
    hidekeys: bool = False
    notify_syslog: bool = False
    extra: list[Preserved] = field(default_factory=list)   # its lines iosfw does not model


@dataclass
class Archive:
    """`archive`: in 12.3(4)T its one sub-block is `log config` (the archive's own files came
    with 12.3(7)T)."""
    log_config: Optional[ConfigLogSettings] = None
    extra: list[Preserved] = field(default_factory=list)   # `path`, `maximum` (12.3(7)T): kept


@dataclass(frozen=True)
class LoginBlock:
    """`login block-for SECONDS attempts TRIES within WITHIN`."""
    seconds: int
    attempts: int
    within: int


@dataclass
class LoginSettings:
    """The Login Enhancements (12.3(4)T): the watch for login attacks and its logging."""
    block_for: Optional[LoginBlock] = None
    delay: Optional[int] = None       # `login delay S`; None: 1 s once block-for is set
    quiet_acl: str = ""               # `login quiet-mode access-class`: hosts quiet mode spares
    on_failure: Optional[int] = None  # `login on-failure log [every N]`: N; None: not logged
    on_success: Optional[int] = None  # `login on-success log [every N]`


@dataclass
class SshSettings:
    """`ip ssh time-out` and `ip ssh authentication-retries`, with IOS's defaults."""
    timeout: int = 120
    retries: int = 3


@dataclass
class Banner:
    delimiter: str
    text: str


@dataclass
class User:
    name: str
    privilege: Optional[int]
    secret: Secret
    is_secret: bool                   # `secret` rather than `password`


@dataclass
class Router:
    # the physical interfaces of the chassis: those of the configuration it first booted
    # from (IOS writes every port of the hardware into running-config); None until then
    chassis: Optional[frozenset[str]] = None
    hostname: str = "Router"
    version: str = "12.3"
    services: dict[str, bool] = field(default_factory=lambda: {
        "config": False, "pad": True, "password-encryption": False})
    timestamps: dict[str, Optional[Timestamps]] = field(default_factory=lambda: {
        "debug": Timestamps(), "log": Timestamps()})
    boot_markers: bool = False
    enable_password: Optional[Secret] = None
    enable_secret: Optional[Secret] = None
    users: dict[str, User] = field(default_factory=dict)
    aaa_new_model: bool = False
    resource_policy: bool = False
    voice_cards: list[int] = field(default_factory=list)
    ip_subnet_zero: bool = True
    ip_cef: bool = False
    ip_classless: bool = True
    ip_domain_name: str = ""
    ip_domain_lookup: bool = True
    ip_name_servers: list[str] = field(default_factory=list)
    ip_source_route: bool = True
    ip_http_server: bool = False
    ip_http_secure_server: bool = False
    ip_dhcp_use_vrf_connected: bool = True
    ip_ips_deny_action: bool = False
    ftp_server_write_enable: bool = False
    file_prompt: str = "alert"           # `file prompt`: alert (the default), noisy, quiet
    inspect: InspectGlobals = field(default_factory=InspectGlobals)
    inspect_rules: dict[str, InspectRule] = field(default_factory=dict)
    access_lists: dict[str, AccessList] = field(default_factory=dict)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    nat_statics: NatStatics = field(default_factory=NatStatics)
    nat_dynamics: list[NatDynamic] = field(default_factory=list)
    nat_pools: dict[str, NatPool] = field(default_factory=dict)
    nat_timeouts: dict[str, Optional[int]] = field(default_factory=dict)  # None = never
    routes: dict[tuple, Route] = field(default_factory=dict)   # (prefix, mask, hop, interface)
    lines: dict[str, Line] = field(default_factory=lambda: {
        "con 0": Line("con", 0), "aux 0": Line("aux", 0), "vty 0 4": Line("vty", 0, 4, login="login")})
    controllers: dict[str, Controller] = field(default_factory=dict)
    voice_ports: dict[str, SimpleBlock] = field(default_factory=dict)
    control_plane: Optional[SimpleBlock] = None
    banners: dict[str, Banner] = field(default_factory=dict)
    logging_buffered: Optional[tuple[Optional[int], Optional[str]]] = None
    logging_console: Optional[str] = None     # level; "" = default, None = unset
    logging_monitor: Optional[str] = None
    logging_console_off: bool = False
    logging_monitor_off: bool = False
    logging_hosts: list[str] = field(default_factory=list)
    clock_timezone: Optional[tuple[str, int, int]] = None
    login: LoginSettings = field(default_factory=LoginSettings)
    ssh: SshSettings = field(default_factory=SshSettings)
    ip_scp_server: bool = False               # `ip scp server enable` (iosfw/remote/scp.py)
    archive: Optional[Archive] = None          # `archive` (the Config Logger's settings)
    preserved: list[Preserved] = field(default_factory=list)
    inspect_stamp: int = 0                    # counter behind Interface.inspect_stamp

    def vty_numbers(self) -> list[int]:
        """The vty lines the router has: 0 to 4 always (a 3640 on 12.3), more when `line vty
        5 15` (or such) makes them."""
        numbers = set(range(DEFAULT_VTYS))
        for line in self.lines.values():
            if line.kind == "vty":
                numbers.update(range(line.first, (line.last if line.last is not None
                                                  else line.first) + 1))
        return sorted(numbers)

    def line_of(self, kind: str, number: int) -> Optional[Line]:
        """The `line` block that configures line `kind number` (vty 3 is in `line vty 0 4`)."""
        for line in self.lines.values():
            last = line.first if line.last is None else line.last
            if line.kind == kind and line.first <= number <= last:
                return line
        return None

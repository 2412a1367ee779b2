"""Configuration commands applied to the model: one method per grammar rule, `no` forms included.

A command either applies whole or raises ConfigError before it changes anything.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

from ..parser.tree import Token, Tree
from ..textutil import is_number
from . import model as m
from .names import (
    SLOTS,
    BadName,
    int_to_ip,
    interface_name,
    ip_to_int,
    is_physical,
    len_to_mask,
    mask_is_contiguous,
    slot_of,
)
from .ports import icmp_code_of, port_number
from .secrets import BadSecret, type5_hash, type5_valid, type7_decode, type7_encode


class ConfigError(Exception):
    """IOS refuses the command; `column` points at the word it refuses (None: the whole line)."""

    def __init__(self, message: str, column: Optional[int] = None, slot: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.slot = slot        # where in running-config the refused command would have gone


@dataclass
class Context:
    """The mode a configuration line is read in, and the object its sub-commands change."""
    mode: str = "config"
    target: Any = None
    slot: str = "top"     # where in running-config the current block renders


# ------------------------------------------------------------------ tree helpers
def tokens(tree, kind: Optional[str] = None) -> list[Token]:
    found = tree.tokens() if isinstance(tree, Tree) else [tree]
    return found if kind is None else [t for t in found if t.type == kind]


def first(tree, kind: str, default=None):
    for t in (tree.tokens() if isinstance(tree, Tree) else [tree]):
        if t.type == kind:
            return str(t)
    return default


def acl_number(tree) -> str:
    for t in tokens(tree):
        if t.type in ("ACL_STD_NUM", "ACL_STD_XNUM", "ACL_EXT_NUM", "ACL_EXT_XNUM"):
            return str(t)
    raise ValueError("no access-list number")


def child(tree: Tree, name: str) -> Optional[Tree]:
    return tree.find(name)


def words(tree) -> list[str]:
    return [str(t) for t in tokens(tree)]


def _log_level(tree: Tree) -> Optional[str]:
    """A logging level by its name, as IOS writes it back: `logging console 4` is shown as
    `logging console warnings`."""
    level = child(tree, "log_level")
    if level is None:
        return None
    word = words(level)[0]
    return m.LOG_LEVELS[int(word)] if word.isdigit() else word


def column(tree) -> Optional[int]:
    found = tokens(tree)
    return found[0].start_pos if found else None


def unwrap(tree: Tree) -> tuple[str, bool, Tree]:
    """(command name, negated, command tree) from a start rule's tree."""
    negate = False
    while True:
        # `default X` puts X back to its default, which for these commands is what `no X` does
        kids = [c for c in tree.children
                if not (isinstance(c, Token) and c.type in ("NO", "DEFAULT"))]
        if len(kids) != len(tree.children):
            negate = True
        if tree.data in _WRAPPERS and len(kids) == 1 and isinstance(kids[0], Tree):
            tree = kids[0]
            continue
        return str(tree.data), negate, tree


_WRAPPERS = {"config_cmd", "if_cmd", "line_cmd", "ext_nacl_cmd", "std_nacl_cmd", "exec_cmd",
             "controller_cmd", "voiceport_cmd", "voicecard_cmd", "cp_cmd"}


# ------------------------------------------------------------------ value builders
def address(tree: Tree) -> m.Address:
    kind = tree.data
    ips = [ip_to_int(str(t)) for t in tokens(tree, "IPADDR")]
    if kind == "addr_any":
        return m.ANY
    if kind == "addr_host" or len(ips) == 1:
        return m.Address(ips[0], 0)
    wildcard = ips[1]
    return m.Address(ips[0] & ~wildcard & 0xFFFFFFFF, wildcard)


def port_match(tree: Tree, family: str) -> m.PortMatch:
    op = str(tree.children[0])
    ports = tuple(port_number(family, w) for w in words(tree)[1:])
    if op == "range" and ports[0] > ports[1]:
        raise ConfigError("% Invalid port range", column(tree))
    return m.PortMatch(op, ports)


def acl_entry(tree: Tree, seq: int) -> m.AclEntry:
    """An access-list entry from `std_entry` or `ext_entry`."""
    action = first(tree, "ACTION")
    if tree.data == "std_entry":
        src = address(tree.children[1])
        return m.AclEntry(seq, action, "ip", src, log="log" if first(tree, "LOG") else "")
    match = tree.children[1]
    addrs = [c for c in match.children if isinstance(c, Tree) and c.data.startswith("addr_")]
    entry = m.AclEntry(seq, action, src=address(addrs[0]), dst=address(addrs[1]))
    if match.data == "match_ip":
        proto = words(match.children[0])[0]
        entry.protocol = PROTOCOL_NAMES.get(proto, proto)
    else:
        entry.protocol = match.data[len("match_"):]
    family = entry.protocol
    seen_addresses = 0
    for node in match.children:
        if not isinstance(node, Tree):
            continue
        if node.data.startswith("addr_"):
            seen_addresses += 1
        elif node.data.endswith("_ports"):
            # a port match right after the first address belongs to the source
            if seen_addresses == 1:
                entry.src_port = port_match(node, family)
            else:
                entry.dst_port = port_match(node, family)
    icmp = child(match, "icmp_numeric")
    if icmp is not None:
        nums = [int(t) for t in tokens(icmp)]
        entry.icmp = (nums[0], nums[1] if len(nums) > 1 else None)
    named = child(match, "icmp_name")
    if named is not None:
        entry.icmp = icmp_code_of(words(named)[0])
    options = []
    for opt in tree.children[2:]:
        text = " ".join(words(opt))
        if text in ("log", "log-input"):
            entry.log = text
        else:
            options.append(text)
    if "established" in options and family != "tcp":
        raise ConfigError("% Invalid input detected at '^' marker.", column(tree))
    entry.options = tuple(options)
    return entry


# `access-list 101 permit 6 any any` is stored and shown as tcp.
PROTOCOL_NAMES = {"1": "icmp", "2": "igmp", "4": "nos", "6": "tcp", "17": "udp", "47": "gre",
                  "50": "esp", "51": "ahp", "88": "eigrp", "89": "ospf", "94": "ipinip",
                  "103": "pim", "108": "pcp"}


def inspect_protocol(tree: Tree) -> m.InspectProtocol:
    kind = tree.data
    proto = m.InspectProtocol(protocol="")
    if kind == "proto_simple":
        proto.protocol = first(tree, "INSPECT_SIMPLE")
    elif kind == "proto_http":
        proto.protocol = "http"
        proto.java_list = first(tree, "ACL_STD_NUM") or first(tree, "ACL_STD_XNUM")
        proto.urlfilter = first(tree, "URLFILTER") is not None
    elif kind == "proto_smtp":
        proto.protocol = first(tree, "SMTP_KIND")
        data = first(tree, "MAX_DATA")
        proto.max_data = int(data) if data else None
    elif kind == "proto_rpc":
        proto.protocol = "rpc"
        proto.program_number = int(first(tree, "RPC_PROGRAM"))
        wait = first(tree, "MINUTES")
        proto.wait_time = int(wait) if wait else None
    elif kind == "proto_fragment":
        proto.protocol = "fragment"
        count, secs = first(tree, "COUNT"), first(tree, "SECONDS")
        if count:
            proto.fragment_max, proto.fragment_timeout = int(count), int(secs)
        return proto
    for sub in tree.iter_subtrees():
        if sub.data == "alert_opt":
            proto.alert = first(sub, "ON_OFF") == "on"
        elif sub.data == "audit_opt":
            proto.audit_trail = first(sub, "ON_OFF") == "on"
        elif sub.data == "timeout_opt":
            proto.timeout = int(first(sub, "SECONDS"))
    return proto


def _number_column(tree: Tree) -> Optional[int]:
    """Where an interface's number starts (IOS puts the caret there for a port it lacks)."""
    node = child(tree, "iface")
    found = tokens(node)
    if not found:
        return None
    if len(found) > 1:
        return found[1].start_pos
    text = str(found[0])
    return found[0].start_pos + len(text) - len(text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "abcdefghijklmnopqrstuvwxyz-"))


def iface_of(tree: Tree) -> str:
    node = child(tree, "iface")
    try:
        return interface_name("".join(words(node)))
    except BadName:
        raise ConfigError("% Invalid input detected at '^' marker.", column(node)) from None


@contextmanager
def refused_into(slot: str):
    """A refusal inside this block belongs to `slot` of running-config."""
    try:
        yield
    except ConfigError as err:
        err.slot = err.slot or slot
        raise


# ------------------------------------------------------------------ the configurator
class Configurator:
    """Applies parsed configuration commands to a Router, tracking the current mode."""

    def __init__(self, router: m.Router):
        self.router = router
        self.context = Context()

    # entry points -------------------------------------------------------------
    def apply(self, tree: Tree) -> str:
        """Apply one parsed command; returns the running-config slot it touched."""
        name, negate, cmd = unwrap(tree)
        handler = getattr(self, "cmd_" + name, None)
        if handler is None:
            raise ConfigError(f"% '{name}' is not a configuration command")
        slot = handler(cmd, negate)
        return slot or self.context.slot

    def enter(self, mode: str, target: Any, slot: str) -> str:
        self.context = Context(mode, target, slot)
        return slot

    def leave(self) -> None:
        self.context = Context()

    def cmd_exit(self, t, negate):
        self.leave()

    def cmd_end(self, t, negate):
        self.leave()

    # secrets ------------------------------------------------------------------
    def _password(self, t: Tree, type_token: str) -> m.Secret:
        kind = first(t, type_token)
        value = tokens(t, "WORD")[-1]
        if kind == "7":
            try:
                type7_decode(str(value))
            except BadSecret:
                raise ConfigError("Invalid encrypted password", value.start_pos) from None
            return m.Secret(7, str(value))
        if kind == "5":
            if not type5_valid(str(value)):
                raise ConfigError("ERROR: The secret you entered is not a valid encrypted secret.",
                                  value.start_pos)
            return m.Secret(5, str(value))
        return m.Secret(0, str(value))

    def _stored(self, secret: m.Secret) -> m.Secret:
        if secret.type == 0 and self.router.services.get("password-encryption"):
            return m.Secret(7, type7_encode(secret.value))
        return secret

    # global: basics -----------------------------------------------------------
    def cmd_version(self, t, negate):
        self.router.version = first(t, "VERSION_NUM")
        return "version"

    def cmd_service_timestamps(self, t, negate):
        kind_tree = child(t, "ts_kind")
        kind = words(kind_tree)[0] if kind_tree else "debug"
        if negate:
            # a bare `no service timestamps` stops both debug and log stamps
            for which in ([kind] if kind_tree else ["debug", "log"]):
                self.router.timestamps[which] = None
            return "service"
        ts = m.Timestamps()
        if child(t, "ts_datetime") is not None:
            opts = set(words(child(t, "ts_datetime")))
            ts = m.Timestamps("datetime", "msec" in opts, "localtime" in opts,
                              "show-timezone" in opts, "year" in opts)
        self.router.timestamps[kind] = ts
        return "service"

    def cmd_service_flag(self, t, negate):
        flag = words(t)[0]
        self.router.services[flag] = not negate
        if flag == "password-encryption" and not negate:
            self._encrypt_all()
        return "service"

    def _encrypt_all(self):
        r = self.router
        if r.enable_password:
            r.enable_password = self._stored(r.enable_password)
        for line in r.lines.values():
            if line.password:
                line.password = self._stored(line.password)
        for user in r.users.values():
            if not user.is_secret:
                user.secret = self._stored(user.secret)

    def cmd_hostname(self, t, negate):
        self.router.hostname = "Router" if negate else first(t, "WORD")
        return "hostname"

    def cmd_enable_password(self, t, negate):
        self.router.enable_password = None if negate else self._stored(self._password(t, "PW_TYPE7"))
        return "enable"

    def cmd_enable_secret(self, t, negate):
        if negate:
            self.router.enable_secret = None
            return "enable"
        secret = self._password(t, "PW_TYPE5")
        if secret.type == 0:
            secret = m.Secret(5, type5_hash(secret.value))
        self.router.enable_secret = secret
        return "enable"

    def cmd_no_enable_password(self, t, negate):
        self.router.enable_password = None
        return "enable"

    def cmd_no_enable_secret(self, t, negate):
        self.router.enable_secret = None
        return "enable"

    def cmd_username(self, t, negate):
        name = first(t, "WORD")
        if negate:
            self.router.users.pop(name, None)
            return "username"
        priv = first(t, "PRIVILEGE")
        pw = child(t, "user_password") or child(t, "user_secret")
        is_secret = pw.data == "user_secret"
        secret = self._password(pw, "PW_TYPE5" if is_secret else "PW_TYPE7")
        if is_secret and secret.type == 0:
            secret = m.Secret(5, type5_hash(secret.value))
        elif not is_secret:
            secret = self._stored(secret)
        self.router.users[name] = m.User(name, int(priv) if priv else None, secret, is_secret)
        return "username"

    def cmd_no_hostname(self, t, negate):
        self.router.hostname = "Router"
        return "hostname"

    def cmd_no_exec_timeout(self, t, negate):
        self.context.target.exec_timeout = None

    def cmd_no_username(self, t, negate):
        self.router.users.pop(first(t, "WORD"), None)
        return "username"

    def _flag(attr: str, slot: str, value_when_set: bool = True):
        def handler(self, t, negate):
            setattr(self.router, attr, value_when_set != negate)
            return slot
        return handler

    cmd_boot_start_marker = _flag("boot_markers", "boot")
    cmd_boot_end_marker = _flag("boot_markers", "boot")
    cmd_aaa_new_model = _flag("aaa_new_model", "aaa")
    cmd_resource_policy = _flag("resource_policy", "resource")
    cmd_ftp_server_write_enable = _flag("ftp_server_write_enable", "ftp-server")
    cmd_ip_subnet_zero = _flag("ip_subnet_zero", "ip")
    cmd_ip_cef = _flag("ip_cef", "ip")
    cmd_ip_classless = _flag("ip_classless", "ip-classless")
    cmd_ip_domain_lookup = _flag("ip_domain_lookup", "ip")
    cmd_ip_source_route = _flag("ip_source_route", "ip")
    cmd_ip_http_server = _flag("ip_http_server", "ip-http")
    cmd_ip_http_secure_server = _flag("ip_http_secure_server", "ip-http")
    cmd_ip_dhcp_use_vrf_connected = _flag("ip_dhcp_use_vrf_connected", "ip")
    cmd_ip_ips_deny_action = _flag("ip_ips_deny_action", "ips")

    def cmd_ip_domain_name(self, t, negate):
        self.router.ip_domain_name = "" if negate else first(t, "WORD")
        return "ip"

    def cmd_ip_name_server(self, t, negate):
        servers = words(t)
        r = self.router
        if negate:
            r.ip_name_servers = [s for s in r.ip_name_servers if s not in servers]
        else:
            r.ip_name_servers += [s for s in servers if s not in r.ip_name_servers]
        return "ip"

    def cmd_voice_card(self, t, negate):
        slot = int(first(t, "SLOT"))
        cards = self.router.voice_cards
        if negate:
            if slot in cards:
                cards.remove(slot)
            return "voice-card"
        if slot not in cards:
            cards.append(slot)
        return self.enter("config-voicecard", slot, "voice-card")

    # global: inspection -------------------------------------------------------
    def cmd_inspect_alert_off(self, t, negate):
        self.router.inspect.alert = negate
        return "inspect"

    def cmd_inspect_audit_trail(self, t, negate):
        self.router.inspect.audit_trail = not negate
        return "inspect"

    def _inspect_number(self, attr: str, t, negate, token="SECONDS"):
        g = self.router.inspect
        value = getattr(m.InspectGlobals(), attr) if negate else int(first(t, token))
        setattr(g, attr, value)
        return "inspect"

    def cmd_inspect_max_incomplete(self, t, negate):
        return self._inspect_number(f"max_incomplete_{first(t, 'HIGH_LOW')}", t, negate, "COUNT")

    def cmd_inspect_one_minute(self, t, negate):
        return self._inspect_number(f"one_minute_{first(t, 'HIGH_LOW')}", t, negate, "COUNT")

    def cmd_inspect_tcp_synwait(self, t, negate):
        return self._inspect_number("synwait", t, negate)

    def cmd_inspect_tcp_finwait(self, t, negate):
        return self._inspect_number("finwait", t, negate)

    def cmd_inspect_tcp_idle(self, t, negate):
        return self._inspect_number("tcp_idle", t, negate)

    def cmd_inspect_udp_idle(self, t, negate):
        return self._inspect_number("udp_idle", t, negate)

    def cmd_inspect_dns_timeout(self, t, negate):
        return self._inspect_number("dns_timeout", t, negate)

    def cmd_inspect_tcp_host(self, t, negate):
        g = self.router.inspect
        if negate:
            g.host_max_incomplete, g.host_block_time = 50, 0
        else:
            g.host_max_incomplete = int(first(t, "HOST_COUNT"))
            g.host_block_time = int(first(t, "MINUTES"))
        return "inspect"

    def cmd_inspect_name_rule(self, t, negate):
        name = first(t, "WORD")
        proto_tree = t.children[-1]
        proto = inspect_protocol(proto_tree)
        rules = self.router.inspect_rules
        rule = rules.get(name)
        if negate:
            if rule is not None:
                rule.protocols = [p for p in rule.protocols if p.key != proto.key]
                if not rule.protocols:
                    del rules[name]
            return "inspect"
        if rule is not None and proto.protocol in ("smtp", "esmtp"):
            other = "esmtp" if proto.protocol == "smtp" else "smtp"
            if rule.find(other) is not None:
                raise ConfigError(
                    f"% {other} inspection is already configured in rule {name}: "
                    "smtp and esmtp inspection cannot be configured simultaneously",
                    column(proto_tree), "inspect")
        if rule is None:
            rule = rules[name] = m.InspectRule(name)
        existing = rule.find(proto.key)
        if existing is not None:
            rule.protocols[rule.protocols.index(existing)] = proto
        else:
            rule.protocols.append(proto)
        return "inspect"

    def cmd_no_inspect_name(self, t, negate):
        self.router.inspect_rules.pop(first(t, "WORD"), None)
        return "inspect"

    def cmd_no_inspect_all(self, t, negate):
        self.router.inspect = m.InspectGlobals()
        self.router.inspect_rules.clear()
        return "inspect"

    # global: access lists -----------------------------------------------------
    def _numbered_acl(self, number: str, kind: str) -> m.AccessList:
        acl = self.router.access_lists.get(number)
        if acl is None:
            acl = m.AccessList(number, kind, numbered=True)
        return acl

    def _store_acl(self, acl: m.AccessList) -> str:
        self.router.access_lists[acl.name] = acl
        return f"acl:{acl.name}"

    def cmd_access_list_std(self, t, negate):
        return self._numbered_entry(t, negate, "standard", "std_entry")

    def cmd_access_list_ext(self, t, negate):
        return self._numbered_entry(t, negate, "extended", "ext_entry")

    def _numbered_entry(self, t, negate, kind: str, entry_rule: str):
        number = acl_number(t)
        if negate:
            return self._drop_acl(number)
        with refused_into(f"acl:{number}"):
            acl = self._numbered_acl(number, kind)
            acl.add(acl_entry(child(t, entry_rule), acl.next_seq()))
        return self._store_acl(acl)

    def cmd_access_list_remark(self, t, negate):
        number = acl_number(t)
        n = int(number)
        kind = "standard" if n < 100 or 1300 <= n <= 1999 else "extended"
        acl = self._numbered_acl(number, kind)
        text = first(t, "REST")
        if negate:  # takes the remark away; a numbered list without entries is no list
            acl.remove(lambda e: not (e.action == "remark" and e.remark == text))
            return self._store_acl(acl) if acl.entries else self._drop_acl(number)
        acl.add(m.AclEntry(acl.remark_seq(), "remark", remark=text))
        return self._store_acl(acl)

    def _drop_acl(self, name: str) -> str:
        """`no access-list N ...` deletes the whole list, whatever follows the number."""
        self.router.access_lists.pop(name, None)
        return f"acl:{name}"

    def cmd_no_access_list(self, t, negate):
        return self._drop_acl(acl_number(t))

    def _named_acl(self, t, kind: str):
        name = " ".join(words(child(t, "acl_id")))
        if is_number(name):
            n = int(name)
            std = n < 100 or 1300 <= n <= 1999
            if std != (kind == "standard"):
                raise ConfigError("% Invalid access list name.", column(child(t, "acl_id")))
        acl = self.router.access_lists.get(name)
        if acl is not None and acl.kind != kind:
            raise ConfigError(f"% A named {acl.kind} IP access list with this name already exists",
                              column(child(t, "acl_id")))
        if acl is None:
            acl = m.AccessList(name, kind, numbered=is_number(name))
            self.router.access_lists[name] = acl
        mode = "config-std-nacl" if kind == "standard" else "config-ext-nacl"
        return self.enter(mode, acl, f"acl:{name}")

    def cmd_ip_access_list_standard(self, t, negate):
        if negate:
            return self._drop_acl(" ".join(words(child(t, "acl_id"))))
        return self._named_acl(t, "standard")

    def cmd_ip_access_list_extended(self, t, negate):
        if negate:
            return self._drop_acl(" ".join(words(child(t, "acl_id"))))
        return self._named_acl(t, "extended")

    def cmd_ip_access_list_resequence(self, t, negate):
        name = " ".join(words(child(t, "acl_id")))
        acl = self.router.access_lists.get(name)
        if acl is None:
            raise ConfigError(f"%Access list {name} does not exist", column(t), f"acl:{name}")
        start, step = (int(x) for x in tokens(t, "SEQ"))
        acl.resequence(start, step)
        return f"acl:{name}"

    def cmd_no_ip_access_list(self, t, negate):
        return self._drop_acl(" ".join(words(child(t, "acl_id"))))

    # named-ACL sub-mode
    def _nacl_add(self, t, entry_tree):
        acl: m.AccessList = self.context.target
        seq_text = first(t, "SEQ")
        seq = int(seq_text) if seq_text else acl.next_seq()
        entry = acl_entry(entry_tree, seq)
        if acl.has_rule(entry):
            return  # IOS keeps one copy of an entry and says nothing
        if seq_text and acl.has_seq(seq):
            raise ConfigError("% Duplicate sequence number", tokens(t, "SEQ")[0].start_pos)
        acl.add(entry)

    def cmd_nacl_std_entry(self, t, negate):
        self._nacl_add(t, child(t, "std_entry"))

    def cmd_nacl_ext_entry(self, t, negate):
        self._nacl_add(t, child(t, "ext_entry"))

    def cmd_nacl_remark(self, t, negate):
        acl: m.AccessList = self.context.target
        acl.add(m.AclEntry(acl.remark_seq(), "remark", remark=first(t, "REST")))

    def cmd_nacl_evaluate(self, t, negate):
        acl: m.AccessList = self.context.target
        entry = m.AclEntry(0, "evaluate", remark=first(t, "WORD"))
        if negate:
            gone = m.rule_signature(entry)
            acl.remove(lambda e: m.rule_signature(e) != gone)
            return
        seq_text = first(t, "SEQ")
        entry.seq = int(seq_text) if seq_text else acl.next_seq()
        acl.add(entry)

    def cmd_nacl_no_seq(self, t, negate):
        acl: m.AccessList = self.context.target
        seq = int(first(t, "SEQ"))
        acl.remove(lambda e: e.seq != seq)

    def _nacl_remove(self, entry_tree):
        acl: m.AccessList = self.context.target
        gone = m.rule_signature(acl_entry(entry_tree, 0))
        acl.remove(lambda e: m.rule_signature(e) != gone)

    def cmd_nacl_no_std_entry(self, t, negate):
        self._nacl_remove(child(t, "std_entry"))

    def cmd_nacl_no_ext_entry(self, t, negate):
        self._nacl_remove(child(t, "ext_entry"))

    # global: interfaces and blocks --------------------------------------------
    def cmd_interface(self, t, negate):
        name = iface_of(t)
        if not self._chassis_has(name.split(".")[0]):
            raise ConfigError("% Invalid input detected at '^' marker.", _number_column(t))
        interfaces = self.router.interfaces
        if negate:
            if "." in name or name.startswith(("Loopback", "Tunnel", "Dialer", "Virtual-Template")):
                interfaces.pop(name, None)
                return f"interface:{name}"
            raise ConfigError("% Removal of physical interfaces is not permitted")
        intf = interfaces.get(name)
        if intf is None:
            intf = interfaces[name] = m.Interface(name)
        subif = first(t, "SUBIF_TYPE")
        if subif:
            intf.subif_type = subif
        return self.enter("config-subif" if "." in name else "config-if", intf, f"interface:{name}")

    def _chassis_has(self, name: str) -> bool:
        """Whether the hardware has this interface: logical ones are made by configuration,
        ports are the network modules' (a 3640 has slots 0 to 3; the modules in them are known
        once the first configuration has booted)."""
        if not is_physical(name):
            return True
        slot = slot_of(name)
        if slot is not None and slot >= SLOTS:
            return False
        return self.router.chassis is None or name in self.router.chassis

    def cmd_line(self, t, negate):
        rng = child(t, "line_range")
        kind = first(rng, "LINE_TYPE") or ""
        kind = "con" if kind == "console" else kind
        nums = [int(x) for x in words(rng) if is_number(x)]
        firstn, last = nums[0], nums[1] if len(nums) > 1 else None
        limits = {"con": 0, "aux": 0, "vty": 15}
        if kind in limits and (firstn > limits[kind] or (last is not None and last > limits[kind])):
            raise ConfigError("% Invalid input detected at '^' marker.", column(rng))
        if last is not None and last < firstn:
            raise ConfigError("% Invalid input detected at '^' marker.", column(rng))
        line = m.Line(kind, firstn, last)
        existing = self.router.lines.get(line.key)
        if existing is None:
            if kind == "vty":
                line.login = "login"
            self.router.lines[line.key] = line
            existing = line
        return self.enter("config-line", existing, f"line:{existing.key}")

    def cmd_controller(self, t, negate):
        name = f"{first(t, 'CONTROLLER_TYPE').upper()} {first(t, 'SLOT_PORT')}"
        ctl = self.router.controllers.setdefault(name, m.Controller(name))
        return self.enter("config-controller", ctl, f"controller:{name}")

    def cmd_controller_framing(self, t, negate):
        self.context.target.framing = "" if negate else first(t, "FRAMING")

    def cmd_controller_linecode(self, t, negate):
        self.context.target.linecode = "" if negate else first(t, "LINECODE")

    def cmd_voice_port(self, t, negate):
        name = first(t, "SLOT_PORT")
        if negate:
            self.router.voice_ports.pop(name, None)
            return "voice-port"
        port = self.router.voice_ports.setdefault(name, m.SimpleBlock(name))
        return self.enter("config-voiceport", port, f"voice-port:{name}")

    def cmd_control_plane(self, t, negate):
        if self.router.control_plane is None:
            self.router.control_plane = m.SimpleBlock("control-plane")
        return self.enter("config-cp", self.router.control_plane, "control-plane")

    def cmd_banner(self, t, negate):
        kind = first(t, "BANNER_KIND")
        raw = first(t, "REST")
        delim = "^C" if raw.startswith("^C") else raw[0]
        body = raw[len(delim):]
        end = body.find(delim)
        if end < 0:
            raise ConfigError("% Banner has no closing delimiter", column(t), "banner")
        self.router.banners[kind] = m.Banner("^C", body[:end])
        return "banner"

    def cmd_no_banner(self, t, negate):
        self.router.banners.pop(first(t, "BANNER_KIND"), None)
        return "banner"

    def cmd_logging_buffered(self, t, negate):
        if negate:
            self.router.logging_buffered = None
            return "logging"
        size = first(t, "BUFFER_SIZE")
        self.router.logging_buffered = (int(size) if size else None, _log_level(t))
        return "logging"

    def cmd_logging_console(self, t, negate):
        level = _log_level(t)
        self.router.logging_console_off = negate and level is None
        self.router.logging_console = None if negate else (level or "")
        return "logging"

    def cmd_logging_monitor(self, t, negate):
        level = _log_level(t)
        self.router.logging_monitor_off = negate and level is None
        self.router.logging_monitor = None if negate else (level or "")
        return "logging"

    def cmd_logging_host(self, t, negate):
        host = first(t, "IPADDR")
        hosts = self.router.logging_hosts
        if negate:
            if host in hosts:
                hosts.remove(host)
        elif host not in hosts:
            hosts.append(host)
        return "logging-hosts"

    def cmd_clock_timezone(self, t, negate):
        if negate:
            self.router.clock_timezone = None
            return "clock"
        mins = first(t, "TZ_MINUTES")
        self.router.clock_timezone = (first(t, "WORD"), int(first(t, "TZ_HOURS")),
                                      int(mins) if mins else 0)
        return "clock"

    # global: login enhancements and ip ssh -------------------------------------
    @property
    def login(self) -> m.LoginSettings:
        return self.router.login

    def cmd_login_block_for(self, t, negate):
        if negate:
            self.login.block_for = None
            return "login"
        seconds, within = (int(x) for x in tokens(t, "LOGIN_SECONDS"))
        self.login.block_for = m.LoginBlock(seconds, int(first(t, "LOGIN_TRIES")), within)
        return "login"

    def cmd_no_login_block_for(self, t, negate):
        self.login.block_for = None
        return "login"

    def cmd_login_delay(self, t, negate):
        self.login.delay = None if negate else int(first(t, "LOGIN_DELAY"))
        return "login"

    def cmd_no_login_delay(self, t, negate):
        self.login.delay = None
        return "login"

    def cmd_login_quiet_mode(self, t, negate):
        self.login.quiet_acl = "" if negate else " ".join(words(child(t, "acl_id")))
        return "login"

    def cmd_no_login_quiet_mode(self, t, negate):
        self.login.quiet_acl = ""
        return "login"

    def cmd_login_on_failure(self, t, negate):
        self.login.on_failure = None if negate else int(first(t, "LOGIN_TRIES", 1))
        return "login"

    def cmd_login_on_success(self, t, negate):
        self.login.on_success = None if negate else int(first(t, "LOGIN_TRIES", 1))
        return "login"

    def cmd_ip_ssh_timeout(self, t, negate):
        self.router.ssh.timeout = m.SshSettings.timeout if negate else int(first(t, "SSH_TIMEOUT"))
        return "ip"

    def cmd_no_ip_ssh_timeout(self, t, negate):
        return self.cmd_ip_ssh_timeout(t, True)

    def cmd_ip_ssh_retries(self, t, negate):
        self.router.ssh.retries = m.SshSettings.retries if negate else int(first(t, "SSH_RETRIES"))
        return "ip"

    def cmd_no_ip_ssh_retries(self, t, negate):
        return self.cmd_ip_ssh_retries(t, True)

    # global: NAT and routes ---------------------------------------------------
    def cmd_nat_static(self, t, negate):
        local, glob = (ip_to_int(str(x)) for x in tokens(t, "IPADDR"))
        opts = tuple(words(child(t, "nat_static_opt"))) if child(t, "nat_static_opt") else ()
        entry = m.NatStatic(local, glob, options=opts)
        statics = self.router.nat_statics
        if negate:
            statics.discard(entry)
            return "nat"
        if entry in statics:
            return "nat"
        mapped = statics.by_local(local)
        if mapped is not None:
            raise ConfigError(f"% {int_to_ip(local)} already mapped "
                              f"({int_to_ip(local)} -> {int_to_ip(mapped.global_ip)})", slot="nat")
        taken = statics.by_global(glob)
        if taken is not None:
            raise ConfigError(f"% similar static entry ({int_to_ip(taken.local_ip)} -> "
                              f"{int_to_ip(glob)}) already exists", slot="nat")
        statics.add(entry)
        return "nat"

    def cmd_nat_static_port(self, t, negate):
        proto = first(t, "NAT_L4")
        ports = [int(x) for x in tokens(t, "PORT_NUM")]
        addrs = [ip_to_int(str(x)) for x in tokens(t, "IPADDR")]
        gnode = child(t, "nat_global_addr")
        gif = iface_of(gnode) if child(gnode, "iface") is not None else ""
        opts = tuple(words(child(t, "nat_static_opt"))) if child(t, "nat_static_opt") else ()
        entry = m.NatStatic(addrs[0], None if gif else addrs[1], proto, ports[0], ports[1], gif, opts)
        if negate:
            self.router.nat_statics.discard(entry)
        else:
            self.router.nat_statics.add(entry)
        return "nat"

    def cmd_nat_dynamic(self, t, negate):
        acl = " ".join(words(child(t, "acl_id")))
        target = child(t, "nat_dynamic_target")
        pool = first(target, "WORD") if child(target, "iface") is None else ""
        intf = iface_of(target) if child(target, "iface") is not None else ""
        entry = m.NatDynamic(acl, pool, intf, first(t, "OVERLOAD") is not None)
        dyn = self.router.nat_dynamics
        if negate:
            self.router.nat_dynamics = [d for d in dyn if d.acl != acl]
            return "nat"
        for i, d in enumerate(dyn):
            if d.acl == acl:
                dyn[i] = entry
                break
        else:
            dyn.append(entry)
        return "nat"

    def cmd_nat_pool(self, t, negate):
        name = first(t, "WORD")
        if negate:
            self.router.nat_pools.pop(name, None)
            return "nat"
        start, end = (ip_to_int(str(x)) for x in tokens(t, "IPADDR")[:2])
        masknode = child(t, "nat_pool_mask")
        if first(masknode, "PREFIX_LEN"):
            mask, prefix_form = len_to_mask(int(first(masknode, "PREFIX_LEN"))), True
        else:
            mask, prefix_form = ip_to_int(first(masknode, "IPADDR")), False
            if not mask_is_contiguous(mask):
                raise ConfigError("%Pool netmask is not contiguous", column(masknode), "nat")
        if start > end:
            raise ConfigError("%End address less than start address", column(t), "nat")
        if (start & mask) != (end & mask):
            raise ConfigError("%Start and end addresses on different subnets", column(t), "nat")
        self.router.nat_pools[name] = m.NatPool(name, start, end, mask, prefix_form)
        return "nat"

    def cmd_no_nat_pool(self, t, negate):
        self.router.nat_pools.pop(first(t, "WORD"), None)
        return "nat"

    def cmd_nat_translation_timeout(self, t, negate):
        which = first(t, "NAT_TIMEOUT")
        value = first(t, "SECONDS")
        if negate:
            self.router.nat_timeouts.pop(which, None)
        else:
            self.router.nat_timeouts[which] = int(value) if value else None
        return "nat"

    def cmd_ip_route(self, t, negate):
        prefix, mask = (ip_to_int(str(x)) for x in tokens(t, "IPADDR")[:2])
        if not mask_is_contiguous(mask):
            raise ConfigError("%Inconsistent address and mask", column(t), "route")
        if prefix & ~mask & 0xFFFFFFFF:
            raise ConfigError("%Inconsistent address and mask", column(t), "route")
        target = child(t, "route_target")
        hops = tokens(target, "IPADDR")
        intf = iface_of(target) if child(target, "iface") is not None else ""
        dist = first(t, "DISTANCE")
        opts = tuple(" ".join(words(o)) for o in t.children if isinstance(o, Tree)
                     and o.data == "route_opt")
        route = m.Route(prefix, mask, ip_to_int(str(hops[0])) if hops else None, intf,
                        int(dist) if dist else None, opts)
        key = (route.prefix, route.mask, route.next_hop, route.interface)
        self.router.routes.pop(key, None)
        if not negate:
            self.router.routes[key] = route
        return "route"

    # interface sub-mode -------------------------------------------------------
    @property
    def intf(self) -> m.Interface:
        return self.context.target

    def cmd_ip_address(self, t, negate):
        ip, mask = (ip_to_int(str(x)) for x in tokens(t, "IPADDR"))
        secondary = first(t, "SECONDARY") is not None
        if negate:
            if secondary:
                self.intf.secondaries = [a for a in self.intf.secondaries if a != (ip, mask)]
            else:
                self.intf.address, self.intf.secondaries = None, []
            return
        if not mask_is_contiguous(mask) or mask == 0:
            raise ConfigError(f"Bad mask 0x{mask:X} for address {tokens(t, 'IPADDR')[0]}")
        if ip & ~mask & 0xFFFFFFFF in (0, ~mask & 0xFFFFFFFF) and mask != 0xFFFFFFFF \
                and mask != 0xFFFFFFFE:
            raise ConfigError(f"Bad mask 0x{mask:X} for address {tokens(t, 'IPADDR')[0]}")
        self.intf.method = "manual"
        if secondary:  # IOS writes secondaries before the primary, so it reads them so too
            if (ip, mask) not in self.intf.secondaries:
                self.intf.secondaries.append((ip, mask))
        else:
            self.intf.address = (ip, mask)
            self.intf.address_dynamic = ""

    def cmd_ip_address_dynamic(self, t, negate):
        self.intf.address_dynamic = "" if negate else first(t, "ADDR_DYNAMIC")
        if not negate:
            self.intf.address, self.intf.secondaries = None, []

    def cmd_no_ip_address(self, t, negate):
        self.intf.address, self.intf.secondaries, self.intf.address_dynamic = None, [], ""

    def cmd_ip_access_group(self, t, negate):
        acl = " ".join(words(child(t, "acl_id")))
        attr = "access_group_in" if first(t, "IN_OUT") == "in" else "access_group_out"
        if negate:
            if getattr(self.intf, attr) == acl:
                setattr(self.intf, attr, "")
        else:
            setattr(self.intf, attr, acl)

    def cmd_no_access_group_dir(self, t, negate):
        attr = "access_group_in" if first(t, "IN_OUT") == "in" else "access_group_out"
        setattr(self.intf, attr, "")

    def cmd_ip_nat_side(self, t, negate):
        side = first(t, "INSIDE_OUTSIDE")
        if negate:
            if self.intf.nat == side:
                self.intf.nat = ""
        else:
            self.intf.nat = side

    def cmd_ip_inspect_apply(self, t, negate):
        name = first(t, "WORD")
        attr = "inspect_in" if first(t, "IN_OUT") == "in" else "inspect_out"
        if negate:
            setattr(self.intf, attr, "")
            return
        setattr(self.intf, attr, name)
        self.router.inspect_stamp += 1
        self.intf.inspect_stamp = self.router.inspect_stamp

    def cmd_ip_virtual_reassembly(self, t, negate):
        self.intf.virtual_reassembly = not negate

    def cmd_shutdown(self, t, negate):
        self.context.target.shutdown = not negate

    def cmd_description(self, t, negate):
        self.intf.description = "" if negate else first(t, "REST")

    def cmd_no_description(self, t, negate):
        self.intf.description = ""

    def cmd_duplex(self, t, negate):
        self.intf.duplex = "" if negate else first(t, "DUPLEX")
        self.intf.half_duplex_cmd = ""

    def cmd_half_duplex(self, t, negate):
        self.intf.half_duplex_cmd = "" if negate else "half-duplex"
        self.intf.duplex = ""

    def cmd_full_duplex(self, t, negate):
        self.intf.half_duplex_cmd = "" if negate else "full-duplex"
        self.intf.duplex = ""

    def cmd_speed(self, t, negate):
        self.intf.speed = "" if negate else first(t, "SPEED")

    # line sub-mode ------------------------------------------------------------
    def cmd_line_password(self, t, negate):
        line: m.Line = self.context.target
        line.password = None if negate else self._stored(self._password(t, "PW_TYPE7"))

    def cmd_no_line_password(self, t, negate):
        self.context.target.password = None

    def cmd_line_login(self, t, negate):
        line: m.Line = self.context.target
        line.login = "" if negate else ("local" if first(t, "LOCAL") else "login")

    def cmd_line_transport_input(self, t, negate):
        line: m.Line = self.context.target
        line.transport_input = () if negate else tuple(str(x) for x in tokens(t, "TRANSPORT"))

    def cmd_line_exec(self, t, negate):
        self.context.target.exec_ = not negate

    def cmd_line_logging_synchronous(self, t, negate):
        self.context.target.logging_synchronous = not negate

    def cmd_line_exec_timeout(self, t, negate):
        line: m.Line = self.context.target
        if negate:
            line.exec_timeout = None
            return
        mins = int(first(t, "MINUTES"))
        secs = first(t, "EXEC_SECONDS")
        line.exec_timeout = (mins, int(secs) if secs else 0)

    def cmd_line_access_class(self, t, negate):
        line: m.Line = self.context.target
        attr = "access_class_in" if first(t, "IN_OUT") == "in" else "access_class_out"
        acl = " ".join(words(child(t, "acl_id")))
        if not negate:
            setattr(line, attr, acl)
        elif getattr(line, attr) == acl:
            setattr(line, attr, "")

    def cmd_line_timeout_login(self, t, negate):
        self.context.target.login_response = None if negate else int(first(t, "LOGIN_RESPONSE"))

    def cmd_no_line_timeout_login(self, t, negate):
        self.context.target.login_response = None


# ------------------------------------------------------------------ one line, as the router reads it
SUB_MODE_NAMES = {"if_cmd": "interface", "line_cmd": "line", "ext_nacl_cmd": "access-list",
                  "std_nacl_cmd": "access-list", "controller_cmd": "controller"}


def execute(cfg: Configurator, text: str) -> str:
    """Apply one configuration line in the current mode, falling back to global configuration
    as IOS does; returns the slot it touched or raises CommandError / ConfigError."""
    from ..parser.grammar import START_RULES
    from ..parser.words import CommandError, parse

    mode = cfg.context.mode
    try:
        tree = parse(text, START_RULES[mode])
    except CommandError as sub_error:
        if mode == "config":
            raise
        try:
            tree = parse(text, "config_cmd")
        except CommandError as global_error:
            raise global_error if global_error.consumed > sub_error.consumed else sub_error
        cfg.leave()
    if tree is None:
        return cfg.context.slot
    return cfg.apply(tree)


def misplaced(text: str) -> Optional[str]:
    """The sub-mode whose command this is, for a line global configuration refused."""
    from ..parser.words import CommandError, parse

    for start, what in SUB_MODE_NAMES.items():
        try:
            parse(text, start)
        except CommandError:
            continue
        return what
    return None

"""The model written back as configuration text, in the order and layout of IOS 12.3(4)T: what
`show running-config` shows and `write memory` saves, and (settle) what reading that text back
makes of the lines the loader kept verbatim.

It lives with the model, not with the show commands, because the loader needs it: a loaded
router is settled so that saving and loading again gives the same model, not only the same
text (iosfw.show.running_config adds the headers the show commands print).

The runs of `!` are part of the layout: IOS prints a separator for each configuration subsystem
whether or not it has anything to say, so they stay where the seed router has them.
"""
from __future__ import annotations

import itertools
import string
from typing import Optional

from ..textutil import is_number
from . import model as m
from .acl_text import config_text
from .names import int_to_ip

REJECTED_MARK = "!% rejected: "
# banner delimiters when the text holds `^C`: printable, not `^` (`^C...` would read as `^C`)
_DELIMITERS = "#%&*@$~|+=/\\<>{}[]()`'\"!?.,:;_-" + string.ascii_letters + string.digits


def encode_config(text: str) -> bytes:
    """The bytes of a configuration's text: UTF-8, and the bytes the loader kept as they were
    (iosfw.commands.loader.decode_config reads them with surrogateescape) written back as they
    were, so a file in another encoding is saved byte for byte."""
    return text.encode("utf-8", "surrogateescape")


class _Writer:
    def __init__(self, router: m.Router):
        self.out: list[str] = []
        self.mark = 0           # just after the last line that was not a `!` separator
        self.pending: dict[str, list[m.Preserved]] = {}
        for p in router.preserved:
            self.pending.setdefault(p.anchor, []).append(p)
        self.flushed: set[str] = set()
        self.gap: Optional[str] = None  # the first slot flushed at the current mark
        self.placed: list[tuple[m.Preserved, str]] = []   # kept lines as written, their gap

    def bang(self, count: int = 1) -> None:
        self.out.extend(["!"] * count)

    def emit(self, lines: list[str]) -> None:
        self.out.extend(lines)
        if lines:
            self.mark = len(self.out)
            self.gap = None

    def slot(self, key: str, lines: list[str]) -> None:
        self.emit(lines)
        self.flush(key)

    def flush(self, key: str) -> None:
        """Kept lines of a slot go right after the last configuration line written so far,
        before any `!`: where reading the text back would anchor them again."""
        if self.gap is None and key not in self.flushed:
            self.gap = key
        self.flushed.add(key)
        for p in self.pending.pop(key, []):
            self.out.insert(self.mark, preserved_text(p, indent=""))
            self.mark += 1
            self.placed.append((p, self.gap))

    def rest(self) -> None:
        for key in list(self.pending):
            self.flush(key)


def preserved_text(p: m.Preserved, indent: str) -> str:
    """A kept line as written out: a rejected one commented, indented inside a block (where
    a reload keeps it) and at the left margin outside one (indented, a reload would take it
    for part of the block written before it); an unknown one verbatim."""
    if p.kind == "rejected":
        return f"{' ' if indent else ''}{REJECTED_MARK}{p.text}".rstrip()
    return p.text if p.text[:1].isspace() or not indent else indent + p.text


def _extra(block) -> list[str]:
    return [preserved_text(p, " ") for p in block.extra]


def _secret(keyword: str, secret: m.Secret) -> str:
    return f"{keyword} {secret.value}" if secret.type == 0 else f"{keyword} {secret.type} {secret.value}"


def _timestamps(kind: str, ts: m.Timestamps) -> str:
    text = f"service timestamps {kind} {ts.kind}"
    if ts.kind == "datetime":
        for flag, word in ((ts.msec, "msec"), (ts.localtime, "localtime"),
                           (ts.show_timezone, "show-timezone"), (ts.year, "year")):
            if flag:
                text += " " + word
    return text


_SERVICE_ORDER = ("nagle", "pad", "tcp-keepalives-in", "tcp-keepalives-out", "sequence-numbers",
                  "internal", "compress-config", "tcp-small-servers", "udp-small-servers",
                  "finger", "dhcp")
_SERVICE_DEFAULT_ON = {"pad", "dhcp"}


def _services(r: m.Router) -> list[str]:
    out = []
    if r.services.get("config"):
        out.append("service config")
    for flag in _SERVICE_ORDER:
        on = r.services.get(flag, flag in _SERVICE_DEFAULT_ON)
        if on != (flag in _SERVICE_DEFAULT_ON):
            out.append(("service " if on else "no service ") + flag)
    for kind in ("debug", "log"):
        ts = r.timestamps.get(kind)
        out.append(_timestamps(kind, ts) if ts is not None else f"no service timestamps {kind}")
    out.append("service password-encryption" if r.services.get("password-encryption")
               else "no service password-encryption")
    return out


def protocol_config_words(p: m.InspectProtocol) -> list[str]:
    """What follows `ip inspect name NAME` in running-config."""
    words = [p.protocol]
    if p.protocol == "http":
        if p.java_list:
            words += ["java-list", p.java_list]
        if p.urlfilter:
            words.append("urlfilter")
    elif p.protocol == "rpc":
        words += ["program-number", str(p.program_number)]
        if p.wait_time is not None:
            words += ["wait-time", str(p.wait_time)]
    elif p.protocol == "fragment":
        if p.fragment_max is not None:
            words += ["maximum", str(p.fragment_max), "timeout", str(p.fragment_timeout)]
        return words
    if p.alert is not None:
        words += ["alert", "on" if p.alert else "off"]
    if p.audit_trail is not None:
        words += ["audit-trail", "on" if p.audit_trail else "off"]
    if p.max_data is not None:
        words += ["max-data", str(p.max_data)]
    if p.timeout is not None:
        words += ["timeout", str(p.timeout)]
    return words


# the CBAC globals with a value, in the order IOS writes them: (keyword, model attribute)
INSPECT_VALUES = (("max-incomplete low", "max_incomplete_low"),
                  ("max-incomplete high", "max_incomplete_high"),
                  ("one-minute low", "one_minute_low"), ("one-minute high", "one_minute_high"),
                  ("dns-timeout", "dns_timeout"), ("tcp idle-time", "tcp_idle"),
                  ("tcp finwait-time", "finwait"), ("tcp synwait-time", "synwait"),
                  ("udp idle-time", "udp_idle"))


def _inspect_globals(r: m.Router) -> list[str]:
    g, d = r.inspect, m.InspectGlobals()
    out = []
    if not g.alert:
        out.append("ip inspect alert-off")
    if g.audit_trail:
        out.append("ip inspect audit-trail")
    for text, attr in INSPECT_VALUES:
        if getattr(g, attr) != getattr(d, attr):
            out.append(f"ip inspect {text} {getattr(g, attr)}")
    if (g.host_max_incomplete, g.host_block_time) != (d.host_max_incomplete, d.host_block_time):
        out.append(f"ip inspect tcp max-incomplete host {g.host_max_incomplete} "
                   f"block-time {g.host_block_time}")
    for rule in r.inspect_rules.values():
        for proto in rule.protocols:
            out.append(f"ip inspect name {rule.name} {' '.join(protocol_config_words(proto))}")
    return out


def _interface(intf: m.Interface) -> list[str]:
    head = f"interface {intf.name}" + (f" {intf.subif_type}" if intf.subif_type else "")
    out = [head]
    if intf.description:
        out.append(f" description {intf.description}")
    if intf.address_dynamic:    # before the secondaries, which `ip address dhcp` clears
        out.append(f" ip address {intf.address_dynamic}")
    for ip, mask in intf.secondaries:
        out.append(f" ip address {int_to_ip(ip)} {int_to_ip(mask)} secondary")
    if intf.address:
        out.append(f" ip address {int_to_ip(intf.address[0])} {int_to_ip(intf.address[1])}")
    elif not intf.secondaries and not intf.address_dynamic:
        out.append(" no ip address")    # not after secondaries: it would take them away
    out += _when(intf, _INTERFACE_IP)
    out.extend(_extra(intf))
    out += _when(intf, _INTERFACE_LINK)
    return out


# (attribute, line): the line is written, formatted with the value, when the value is set
_INTERFACE_IP = (("access_group_in", " ip access-group {} in"),
                 ("access_group_out", " ip access-group {} out"), ("nat", " ip nat {}"),
                 ("inspect_in", " ip inspect {} in"), ("inspect_out", " ip inspect {} out"),
                 ("virtual_reassembly", " ip virtual-reassembly"))
_INTERFACE_LINK = (("shutdown", " shutdown"), ("half_duplex_cmd", " {}"),
                   ("duplex", " duplex {}"), ("speed", " speed {}"))


def _when(obj, table) -> list[str]:
    return [line.format(getattr(obj, attr)) for attr, line in table if getattr(obj, attr)]


def _route(route: m.Route) -> str:
    parts = ["ip route", int_to_ip(route.prefix), int_to_ip(route.mask)]
    if route.interface:
        parts.append(route.interface)
    if route.next_hop is not None:
        parts.append(int_to_ip(route.next_hop))
    if route.distance is not None:
        parts.append(str(route.distance))
    parts.extend(route.options)
    return " ".join(parts)


def _nat(r: m.Router) -> list[str]:
    out = []
    for key, value in r.nat_timeouts.items():
        out.append(f"ip nat translation {key} {'never' if value is None else value}")
    for pool in r.nat_pools.values():
        mask = (f"prefix-length {bin(pool.mask).count('1')}" if pool.prefix_form
                else f"netmask {int_to_ip(pool.mask)}")
        out.append(f"ip nat pool {pool.name} {int_to_ip(pool.start)} {int_to_ip(pool.end)} {mask}")
    for d in r.nat_dynamics:
        target = f"pool {d.pool}" if d.pool else f"interface {d.interface}"
        out.append(f"ip nat inside source list {d.acl} {target}" + (" overload" if d.overload else ""))
    for s in r.nat_statics:
        glob = f"interface {s.global_interface}" if s.global_interface else int_to_ip(s.global_ip)
        if s.protocol:
            text = (f"ip nat inside source static {s.protocol} {int_to_ip(s.local_ip)} "
                    f"{s.local_port} {glob} {s.global_port}")
        else:
            text = f"ip nat inside source static {int_to_ip(s.local_ip)} {glob}"
        out.append(" ".join([text, *s.options]))
    return out


def _acl_layout(acl: m.AccessList) -> list[tuple[Optional[m.AclEntry], list[m.Preserved]]]:
    """The entries in order, each with the kept lines that follow it (first, under None, those
    before any entry); lines anchored to an entry since removed follow the last one."""
    kept: dict[str, list[m.Preserved]] = {}
    for p in acl.extra:
        kept.setdefault(p.anchor, []).append(p)
    layout = [(None, kept.pop("seq:", []))]
    layout += [(e, kept.pop(f"seq:{e.seq}", [])) for e in acl.entries]
    layout[-1][1].extend(p for rest in kept.values() for p in rest)
    return layout


def _acl_lines(acl: m.AccessList, text) -> list[str]:
    """Entries in order, with the lines kept verbatim in their places among them."""
    out = []
    for entry, kept in _acl_layout(acl):
        if entry is not None:
            out.append(text(entry))
        out.extend(preserved_text(p, " ") for p in kept)
    return out


def _numbered_acl(acl: m.AccessList) -> list[str]:
    """`access-list N ...` lines, as IOS writes a numbered list; the block form of a named list
    when those cannot carry it (`ip access-list extended 150` made it): a list without
    entries, which would be gone after a reload, one with lines kept among its entries, which
    written at the margin would no longer be the list's, or one with an `evaluate` (a named
    list's entry only)."""
    standard = acl.kind == "standard"
    if acl.entries and not acl.extra and all(e.action != "evaluate" for e in acl.entries):
        return [f"access-list {acl.name} {config_text(e, standard)}" for e in acl.entries]
    return [f"ip access-list {acl.kind} {acl.name}"] + _acl_lines(
        acl, lambda e: " " + config_text(e, standard))


def acl_sort_key(acl: m.AccessList):
    return (0, int(acl.name), "") if acl.numbered and is_number(acl.name) else (1, 0, acl.name)


def _login(r: m.Router) -> list[str]:
    """The Login Enhancements, in the order IOS lists them (block-for first: the others act
    only once it is set)."""
    c, out = r.login, []
    if c.block_for:
        b = c.block_for
        out.append(f"login block-for {b.seconds} attempts {b.attempts} within {b.within}")
    if c.delay is not None:
        out.append(f"login delay {c.delay}")
    if c.quiet_acl:
        out.append(f"login quiet-mode access-class {c.quiet_acl}")
    for kind, every in (("on-failure", c.on_failure), ("on-success", c.on_success)):
        if every is not None:
            out.append(f"login {kind} log" + (f" every {every}" if every > 1 else ""))
    return out


def _ip_ssh(r: m.Router) -> list[str]:
    d = m.SshSettings()
    out = []
    if r.ssh.timeout != d.timeout:
        out.append(f"ip ssh time-out {r.ssh.timeout}")
    if r.ssh.retries != d.retries:
        out.append(f"ip ssh authentication-retries {r.ssh.retries}")
    if r.ip_scp_server:
        out.append("ip scp server enable")      # after the `ip ssh` lines, as IOS writes it
    return out


def _line(line: m.Line) -> list[str]:
    out = [f"line {line.key}"]
    for attr, direction in (("access_class_in", "in"), ("access_class_out", "out")):
        if getattr(line, attr):
            out.append(f" access-class {getattr(line, attr)} {direction}")
    if line.exec_timeout:
        out.append(f" exec-timeout {line.exec_timeout[0]} {line.exec_timeout[1]}")
    if line.password:
        out.append(" " + _secret("password", line.password))
    if line.logging_synchronous:
        out.append(" logging synchronous")
    if line.login_response is not None:
        out.append(f" timeout login response {line.login_response}")
    if line.login:
        out.append(" login" if line.login == "login" else " login local")
    elif line.kind == "vty":
        out.append(" no login")  # login is a vty line's default, so its absence is shown
    if not line.exec_:
        out.append(" no exec")
    if line.length is not None:
        out.append(f" length {line.length}")
    if line.transport_input:
        out.append(" transport input " + " ".join(line.transport_input))
    out.extend(_extra(line))
    return out


def _archive(archive: m.Archive) -> list[str]:
    """The `archive` block, its `log config` lines in the order IOS writes them."""
    log = archive.log_config
    if log is None:
        return ["archive", *_extra(archive)]
    lines = [(log.logging_enable, "logging enable"),
             (log.size != m.ConfigLogSettings.size, f"logging size {log.size}"),
             (log.notify_syslog, "notify syslog"), (log.hidekeys, "hidekeys")]
    return ["archive", " log config", *("  " + text for on, text in lines if on),
            *(preserved_text(p, "  ") for p in log.extra), *_extra(archive)]


def _line_order(line: m.Line):
    return ({"con": 0, "aux": 2, "vty": 3}.get(line.kind, 1), line.first)


def _write(w: _Writer, r: m.Router) -> None:
    w.emit(["!"])       # the first line, before lines kept from the top of a file too
    w.flush("top")
    w.slot("version", [f"version {r.version}"])
    w.slot("service", _services(r))
    w.bang()
    w.slot("hostname", [f"hostname {r.hostname}"])
    w.bang()
    if r.boot_markers:
        w.slot("boot", ["boot-start-marker", "boot-end-marker"])
        w.bang()
    logging = []
    if r.logging_buffered:
        size, level = r.logging_buffered
        logging.append(" ".join(["logging buffered"] + [str(x) for x in (size, level) if x]))
    if r.logging_console_off:
        logging.append("no logging console")
    elif r.logging_console:
        logging.append(f"logging console {r.logging_console}")
    if r.logging_monitor_off:
        logging.append("no logging monitor")
    elif r.logging_monitor:
        logging.append(f"logging monitor {r.logging_monitor}")
    w.slot("logging", logging)
    enable = []
    if r.enable_secret:
        enable.append(_secret("enable secret", r.enable_secret))
    if r.enable_password:
        enable.append(_secret("enable password", r.enable_password))
    w.slot("enable", enable)
    w.bang()
    users = []
    for u in r.users.values():
        priv = f" privilege {u.privilege}" if u.privilege is not None else ""
        users.append(f"username {u.name}{priv} " + _secret("secret" if u.is_secret else "password",
                                                          u.secret))
    w.slot("username", users)
    w.slot("aaa", ["aaa new-model" if r.aaa_new_model else "no aaa new-model"])
    if r.clock_timezone:
        zone, hours, mins = r.clock_timezone
        w.slot("clock", [f"clock timezone {zone} {hours}" + (f" {mins}" if mins else "")])
    w.bang()
    if r.resource_policy:
        w.slot("resource", ["resource policy"])
        w.bang()
    for card in r.voice_cards:
        w.emit([f"voice-card {card}"])
        w.bang()
    w.flush("voice-card")
    ip = []
    if r.ip_subnet_zero:
        ip.append("ip subnet-zero")
    else:
        ip.append("no ip subnet-zero")
    if not r.ip_source_route:
        ip.append("no ip source-route")
    w.emit(ip)
    w.bang(2)
    more = []
    if r.ip_cef:
        more.append("ip cef")
    if not r.ip_dhcp_use_vrf_connected:
        more.append("no ip dhcp use vrf connected")
    if not r.ip_domain_lookup:
        more.append("no ip domain lookup")
    if r.ip_domain_name:
        more.append(f"ip domain name {r.ip_domain_name}")
    if r.ip_name_servers:
        more.append("ip name-server " + " ".join(r.ip_name_servers))
    w.slot("ip", more + _ip_ssh(r))
    w.slot("login", _login(r))
    w.bang(2)
    file_prompt = [] if r.file_prompt == "alert" else [f"file prompt {r.file_prompt}"]
    w.slot("file", file_prompt)
    if file_prompt:
        w.bang()
    w.slot("inspect", _inspect_globals(r))
    w.bang()
    w.slot("ips", ["ip ips deny-action ips-interface" if r.ip_ips_deny_action
                   else "no ip ips deny-action ips-interface"])
    w.bang()
    w.slot("ftp-server", ["ftp-server write-enable" if r.ftp_server_write_enable
                          else "no ftp-server write-enable"])
    w.bang(4)
    if r.archive is not None:
        w.slot("archive", _archive(r.archive))
        w.bang()
    for name, ctl in r.controllers.items():
        block = [f"controller {name}"]
        if ctl.framing:
            block.append(f" framing {ctl.framing}")
        if ctl.linecode:
            block.append(f" linecode {ctl.linecode}")
        w.slot(f"controller:{name}", block + _extra(ctl))
    w.bang(5)
    for name, intf in r.interfaces.items():
        w.emit(_interface(intf))
        w.bang()
        w.flush(f"interface:{name}")
    http = ["ip http server" if r.ip_http_server else "no ip http server",
            "ip http secure-server" if r.ip_http_secure_server else "no ip http secure-server"]
    w.slot("ip-http", http)
    w.slot("ip-classless", ["ip classless" if r.ip_classless else "no ip classless"])
    w.slot("route", [_route(x) for x in r.routes.values()])
    w.bang(2)
    w.slot("nat", _nat(r))
    w.bang()
    acls = sorted(r.access_lists.values(), key=acl_sort_key)
    named = [a for a in acls if not a.numbered]
    named.sort(key=lambda a: (a.kind != "standard", a.name))
    for acl in named:
        block = [f"ip access-list {acl.kind} {acl.name}"]
        block += _acl_lines(acl, lambda e: " " + config_text(e, acl.kind == "standard"))
        w.slot(f"acl:{acl.name}", block)
    if named:
        w.bang()
    w.slot("logging-hosts", [f"logging {h}" for h in r.logging_hosts])
    for acl in (a for a in acls if a.numbered):
        w.slot(f"acl:{acl.name}", _numbered_acl(acl))
    w.bang(3)
    if r.control_plane is not None:
        w.slot("control-plane", ["control-plane"] + _extra(r.control_plane))
        w.bang(3)
    for name, port in r.voice_ports.items():
        block = [f"voice-port {name}"] + _extra(port) + ([" shutdown"] if port.shutdown else [])
        w.slot(f"voice-port:{name}", block)
        w.bang()
    w.flush("voice-port")
    w.bang(6)
    for kind, banner in r.banners.items():
        delim = banner_delimiter(banner)
        w.emit([f"banner {kind} {delim}{banner.text}{delim}"])
    w.flush("banner")
    for line in sorted(r.lines.values(), key=_line_order):
        w.slot(f"line:{line.key}", _line(line))
    w.rest()  # lines kept after something since removed: where a reload would put them
    w.bang(2)
    w.out.append("end")


def banner_delimiter(banner: m.Banner) -> str:
    """`^C`, as IOS shows every banner, unless the text holds it: then a character the text
    does not hold, so that the banner reads back whole."""
    if banner.delimiter not in banner.text:
        return banner.delimiter
    taken = set(banner.text)
    return next(c for c in itertools.chain(_DELIMITERS, map(chr, range(0xA1, 0xD800)))
                if c not in taken and not c.isspace())


def settle(r: m.Router) -> None:
    """Anchors each kept line to the slot running-config shows it after, and orders the kept
    lines as it shows them: what a reload of the running-config would make of them. After a
    load, so that saving and loading again gives the same model, not only the same text."""
    for acl in r.access_lists.values():
        if acl.extra:
            layout = _acl_layout(acl)
            acl.extra = []
            for entry, kept in layout:
                for p in kept:
                    p.anchor = f"seq:{entry.seq}" if entry is not None else "seq:"
                acl.extra += kept
    if r.preserved:
        placed = _written(r).placed
        for p, gap in placed:
            p.anchor = gap
        r.preserved = [p for p, _ in placed]


def _written(r: m.Router) -> _Writer:
    w = _Writer(r)
    _write(w, r)
    return w


def render_lines(r: m.Router) -> list[str]:
    """The running-config from its first `!` to `end`."""
    return _written(r).out


def startup_text(r: m.Router) -> str:
    """What `write memory` saves: the running-config from its first `!` to `end`."""
    return "\n".join(render_lines(r)) + "\n"

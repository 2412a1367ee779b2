"""`show ip inspect ...` (the `ip inspect name` lines of running-config are
iosfw.config.render's)."""
from __future__ import annotations

from ..config import model as m

DEFAULT_MAX_DATA = 20_000_000


def protocol_line(g: m.InspectGlobals, p: m.InspectProtocol) -> str:
    """`    smtp max-data 20000000 alert is on audit-trail is off timeout 3600`."""
    onoff = {True: "on", False: "off"}
    head = p.protocol
    if p.protocol in ("smtp", "esmtp"):
        head += f" max-data {p.max_data if p.max_data is not None else DEFAULT_MAX_DATA}"
    elif p.protocol == "http" and p.java_list:
        head += f" java-list {p.java_list}"
    elif p.protocol == "rpc":
        head += f" program-number {p.program_number} wait-time {p.wait_time or 0}"
    elif p.protocol == "fragment":
        head += f" maximum {p.fragment_max or 256}"
        return f"    {head} timeout {p.fragment_timeout or 1}"
    return (f"    {head} alert is {onoff[g.alert_for(p)]} audit-trail is "
            f"{onoff[g.audit_for(p)]} timeout {g.timeout_for(p)}")


def config_lines(r: m.Router) -> list[str]:
    g = r.inspect
    out = [
        f"Session audit trail is {'enabled' if g.audit_trail else 'disabled'}",
        f"Session alert is {'enabled' if g.alert else 'disabled'}",
        f"one-minute (sampling period) thresholds are [{g.one_minute_low}:{g.one_minute_high}] "
        "connections",
        f"max-incomplete sessions thresholds are [{g.max_incomplete_low}:{g.max_incomplete_high}]",
        f"max-incomplete tcp connections per host is {g.host_max_incomplete}. "
        f"Block-time {g.host_block_time} minute.",
        f"tcp synwait-time is {g.synwait} sec -- tcp finwait-time is {g.finwait} sec",
        f"tcp idle-time is {g.tcp_idle} sec -- udp idle-time is {g.udp_idle} sec",
        f"dns-timeout is {g.dns_timeout} sec",
    ]
    if r.inspect_rules:
        out.append("Inspection Rule Configuration")
        for rule in r.inspect_rules.values():
            out.extend(rule_lines(r, rule, indent=" "))
    return out


def rule_lines(r: m.Router, rule: m.InspectRule, indent: str = "") -> list[str]:
    return [f"{indent}Inspection name {rule.name}"] + [protocol_line(r.inspect, p)
                                                      for p in rule.protocols]


def inspected_interfaces(r: m.Router) -> list[m.Interface]:
    """Interfaces with a rule applied, the most recently configured first, as IOS lists them."""
    found = [i for i in r.interfaces.values() if i.inspect_in or i.inspect_out]
    return sorted(found, key=lambda i: -i.inspect_stamp)


def interface_lines(r: m.Router) -> list[str]:
    interfaces = inspected_interfaces(r)
    if not interfaces:
        return []
    out = ["Interface Configuration"]
    for intf in interfaces:
        out.append(f" Interface {intf.name}")
        for label, rule_name in (("Inbound", intf.inspect_in), ("Outgoing", intf.inspect_out)):
            rule = r.inspect_rules.get(rule_name) if rule_name else None
            if not rule_name:
                out.append(f"  {label} inspection rule is not set")
                continue
            out.append(f"  {label} inspection rule is {rule_name}")
            if rule is not None:
                out.extend(protocol_line(r.inspect, p) for p in rule.protocols)
        out.append(f"  Inbound access list is {intf.access_group_in or 'not set'}")
        out.append(f"  Outgoing access list is {intf.access_group_out or 'not set'}")
    return out


def show_config(r: m.Router) -> str:
    return _text(config_lines(r))


def show_interfaces(r: m.Router) -> str:
    return _text(interface_lines(r))


def show_name(r: m.Router, name: str) -> str:
    rule = r.inspect_rules.get(name)
    return _text(rule_lines(r, rule)) if rule else ""


def show_all(r: m.Router, sessions: list[str]) -> str:
    """Configuration, interfaces, then the session blocks (`sessions`, already rendered)."""
    return _text(config_lines(r) + interface_lines(r) + sessions)


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def facts(r: m.Router) -> dict:
    """The same facts as structured data, for --json."""
    g = r.inspect
    return {
        "globals": vars(g).copy(),
        "rules": {name: [dict(vars(p), timeout_effective=g.timeout_for(p),
                              max_data_effective=(p.max_data or DEFAULT_MAX_DATA)
                              if p.protocol in ("smtp", "esmtp") else None,
                              alert_effective=g.alert_for(p), audit_trail_effective=g.audit_for(p))
                         for p in rule.protocols] for name, rule in r.inspect_rules.items()},
        "interfaces": [{"name": i.name, "inbound_rule": i.inspect_in or None,
                        "outgoing_rule": i.inspect_out or None,
                        "inbound_acl": i.access_group_in or None,
                        "outgoing_acl": i.access_group_out or None}
                       for i in inspected_interfaces(r)],
    }

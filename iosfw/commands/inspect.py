"""CBAC as configured: the global `ip inspect` settings and the inspection rules of `ip inspect
name` (grammar/inspect.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). It returns the running-config slot it changed.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..config import model as m
from ..config.errors import ConfigError
from .registry import config_command, converter
from .values import column


# ------------------------------------------------------------------ global settings
@config_command("inspect_alert_off")
def inspect_alert_off(cfg):
    cfg.router.inspect.alert = cfg.no
    return "inspect"


@config_command("inspect_audit_trail")
def inspect_audit_trail(cfg):
    cfg.router.inspect.audit_trail = not cfg.no
    return "inspect"


def _inspect_number(cfg, attr: str, value) -> str:
    """`no` puts a threshold or timer back to its default whatever number the line gave."""
    default = getattr(m.InspectGlobals(), attr)
    setattr(cfg.router.inspect, attr, default if cfg.no else int(value))
    return "inspect"


@config_command("inspect_max_incomplete")
def inspect_max_incomplete(cfg, high_low, count):
    cfg.defines("setting", f"max-incomplete {high_low}", count.start_pos)
    return _inspect_number(cfg, f"max_incomplete_{high_low}", count)


@config_command("inspect_one_minute")
def inspect_one_minute(cfg, high_low, count):
    cfg.defines("setting", f"one-minute {high_low}", count.start_pos)
    return _inspect_number(cfg, f"one_minute_{high_low}", count)


# alias -> InspectGlobals attribute of the timer it sets
_TIMERS = {
    "inspect_tcp_synwait": "synwait",
    "inspect_tcp_finwait": "finwait",
    "inspect_tcp_idle": "tcp_idle",
    "inspect_udp_idle": "udp_idle",
    "inspect_dns_timeout": "dns_timeout",
}


def _timer(attr: str):
    def handler(cfg, seconds):
        return _inspect_number(cfg, attr, seconds)
    return handler


for _name, _attr in _TIMERS.items():
    config_command(_name)(_timer(_attr))


@config_command("inspect_tcp_host")
def inspect_tcp_host(cfg, host_count, minutes):
    g = cfg.router.inspect
    if cfg.no:
        g.host_max_incomplete, g.host_block_time = 50, 0
    else:
        g.host_max_incomplete, g.host_block_time = int(host_count), int(minutes)
    return "inspect"


@config_command("no_inspect_all")
def no_inspect_all(cfg):
    cfg.router.inspect = m.InspectGlobals()
    cfg.router.inspect_rules.clear()
    return "inspect"


# ------------------------------------------------------------------ one protocol of a rule
class Inspected(NamedTuple):
    """A protocol line of a rule, and where it was typed: a refusal of the line points there."""
    protocol: m.InspectProtocol
    column: Optional[int]


@converter("alert_opt", "audit_opt")
def switch_opt(on_off) -> bool:
    return on_off == "on"


@converter("timeout_opt")
def timeout_opt(seconds) -> int:
    return int(seconds)


@converter("inspect_opts")
def inspect_opts(alert: Optional[bool], audit: Optional[bool], timeout: Optional[int]) -> tuple:
    """(alert, audit-trail, timeout); None for an option left out, which then follows the
    global setting or the protocol's default."""
    return alert, audit, timeout


def _inspected(node, name: str, options: tuple = (None, None, None), **fields) -> Inspected:
    alert, audit, timeout = options
    return Inspected(m.InspectProtocol(str(name), alert, audit, timeout, **fields), column(node))


def _optional_int(value) -> Optional[int]:
    return None if value is None else int(value)


@converter("proto_simple", node=True)
def proto_simple(node, name, options: tuple) -> Inspected:
    return _inspected(node, name, options)


@converter("proto_http", node=True)
def proto_http(node, java_list, urlfilter, options: tuple) -> Inspected:
    return _inspected(node, "http", options, urlfilter=urlfilter is not None,
                      java_list=None if java_list is None else str(java_list))


@converter("proto_smtp", node=True)
def proto_smtp(node, kind, alert, audit, max_data, timeout) -> Inspected:
    return _inspected(node, kind, (alert, audit, timeout), max_data=_optional_int(max_data))


@converter("proto_rpc", node=True)
def proto_rpc(node, program, wait, options: tuple) -> Inspected:
    return _inspected(node, "rpc", options, program_number=int(program),
                      wait_time=_optional_int(wait))


@converter("proto_fragment", node=True)
def proto_fragment(node, count, seconds) -> Inspected:
    return _inspected(node, "fragment", fragment_max=_optional_int(count),
                      fragment_timeout=_optional_int(seconds))


# ------------------------------------------------------------------ inspection rules
@config_command("inspect_name_rule")
def inspect_name_rule(cfg, name, inspected: Inspected):
    name, proto = str(name), inspected.protocol
    rules = cfg.router.inspect_rules
    rule = rules.get(name)
    if cfg.no:
        if rule is not None:
            rule.protocols = [p for p in rule.protocols if p.key != proto.key]
            if not rule.protocols:
                del rules[name]
        return "inspect"
    if rule is not None:
        _refuse_smtp_with_esmtp(name, rule, proto, inspected.column)
    cfg.defines("inspect", name, cfg.column)
    if rule is None:
        rule = rules[name] = m.InspectRule(name)
    existing = rule.find(proto.key)
    if existing is not None:
        rule.protocols[rule.protocols.index(existing)] = proto
    else:
        rule.protocols.append(proto)
    return "inspect"


def _refuse_smtp_with_esmtp(name: str, rule: m.InspectRule, proto: m.InspectProtocol,
                            at: Optional[int]) -> None:
    """IOS inspects a rule's mail as smtp or as esmtp, never both."""
    if proto.protocol not in ("smtp", "esmtp"):
        return
    other = "esmtp" if proto.protocol == "smtp" else "smtp"
    if rule.find(other) is not None:
        raise ConfigError(
            f"% {other} inspection is already configured in rule {name}: "
            "smtp and esmtp inspection cannot be configured simultaneously", at, "inspect")


@config_command("no_inspect_name")
def no_inspect_name(cfg, name):
    cfg.router.inspect_rules.pop(str(name), None)
    return "inspect"

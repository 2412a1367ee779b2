"""The system commands of global configuration: version, service, hostname, enable, username,
the `ip` switches, DNS, banners, logging, the time zone, the Login Enhancements, `ip ssh`,
`file prompt`, and leaving configuration mode (grammar/global.lark).

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py). It returns the running-config slot it changed.
"""
from __future__ import annotations

from typing import Optional

from ..config import model as m
from ..config.errors import ConfigError
from ..config.secrets import type5_hash
from .configure import switch
from .registry import config_command, converter


@config_command("exit", "end")
def leave(cfg):
    cfg.leave()


# A command that exists only in its `no` form (`no hostname`, `no login delay`) shares the
# handler of the command it undoes, registered under both aliases: with `cfg.no` set, the
# values it lacks are never read.

# ------------------------------------------------------------------ basics
@config_command("version")
def version(cfg, number):
    cfg.router.version = str(number)
    return "version"


@converter("ts_uptime")
def ts_uptime() -> m.Timestamps:
    return m.Timestamps()


@converter("ts_datetime")
def ts_datetime(*options) -> m.Timestamps:
    opts = set(options)
    return m.Timestamps("datetime", "msec" in opts, "localtime" in opts, "show-timezone" in opts,
                        "year" in opts)


@config_command("service_timestamps")
def service_timestamps(cfg, kind: Optional[str], stamps: Optional[m.Timestamps]):
    if cfg.no:
        # a bare `no service timestamps` stops both debug and log stamps
        for which in ([kind] if kind else ["debug", "log"]):
            cfg.router.timestamps[which] = None
        return "service"
    cfg.router.timestamps[kind or "debug"] = stamps or m.Timestamps()
    return "service"


@config_command("service_flag")
def service_flag(cfg, flag: str):
    cfg.router.services[flag] = not cfg.no
    if flag == "password-encryption" and not cfg.no:
        _encrypt_all(cfg)
    return "service"


def _encrypt_all(cfg) -> None:
    """`service password-encryption` turns every clear password into type 7 at once."""
    r = cfg.router
    if r.enable_password:
        r.enable_password = cfg.stored(r.enable_password)
    for line in r.lines.values():
        if line.password:
            line.password = cfg.stored(line.password)
    for user in r.users.values():
        if not user.is_secret:
            user.secret = cfg.stored(user.secret)


@config_command("hostname", "no_hostname")
def hostname(cfg, name=None):
    cfg.router.hostname = "Router" if cfg.no else str(name)
    return "hostname"


# ------------------------------------------------------------------ enable and users
@config_command("enable_password", "no_enable_password")
def enable_password(cfg, kind=None, word=None):
    cfg.router.enable_password = None if cfg.no else cfg.stored(cfg.password(kind, word))
    return "enable"


@config_command("enable_secret", "no_enable_secret")
def enable_secret(cfg, kind=None, word=None):
    if cfg.no:
        cfg.router.enable_secret = None
        return "enable"
    secret = cfg.password(kind, word)
    cfg.router.enable_secret = m.Secret(5, type5_hash(secret.value)) if secret.type == 0 \
        else secret
    return "enable"


@converter("user_password")
def user_password(kind, word) -> tuple:
    return False, kind, word


@converter("user_secret")
def user_secret(kind, word) -> tuple:
    return True, kind, word


@config_command("username", "no_username")
def username(cfg, name, privilege=None, password: Optional[tuple] = None):
    if cfg.no:
        cfg.router.users.pop(str(name), None)
        return "username"
    is_secret, kind, word = password
    secret = cfg.password(kind, word)
    if is_secret and secret.type == 0:
        secret = m.Secret(5, type5_hash(secret.value))
    elif not is_secret:
        secret = cfg.stored(secret)
    cfg.router.users[str(name)] = m.User(str(name), privilege, secret, is_secret)
    return "username"


# ------------------------------------------------------------------ switches
# alias -> (Router attribute, running-config slot): `no X` clears what `X` sets
_SWITCHES = {
    "boot_start_marker": ("boot_markers", "boot"),
    "boot_end_marker": ("boot_markers", "boot"),
    "aaa_new_model": ("aaa_new_model", "aaa"),
    "resource_policy": ("resource_policy", "resource"),
    "ftp_server_write_enable": ("ftp_server_write_enable", "ftp-server"),
    "ip_subnet_zero": ("ip_subnet_zero", "ip"),
    "ip_cef": ("ip_cef", "ip"),
    "ip_classless": ("ip_classless", "ip-classless"),
    "ip_domain_lookup": ("ip_domain_lookup", "ip"),
    "ip_source_route": ("ip_source_route", "ip"),
    "ip_http_server": ("ip_http_server", "ip-http"),
    "ip_http_secure_server": ("ip_http_secure_server", "ip-http"),
    "ip_dhcp_use_vrf_connected": ("ip_dhcp_use_vrf_connected", "ip"),
    "ip_ips_deny_action": ("ip_ips_deny_action", "ips"),
    "ip_scp_server_enable": ("ip_scp_server", "ip"),
}


for _name, (_attr, _slot) in _SWITCHES.items():
    config_command(_name)(switch(_attr, _slot))


@config_command("file_prompt")
def file_prompt(cfg, level=None):
    """`file prompt [alert|noisy|quiet]`; `no file prompt ...` puts back alert, the default
    (what the file commands ask: iosfw/commands/files.py)."""
    cfg.router.file_prompt = "alert" if cfg.no or level is None else str(level)
    return "file"


# ------------------------------------------------------------------ DNS
@config_command("ip_domain_name")
def ip_domain_name(cfg, name):
    cfg.router.ip_domain_name = "" if cfg.no else str(name)
    return "ip"


@config_command("ip_name_server")
def ip_name_server(cfg, *servers):
    named = [str(s) for s in servers]
    r = cfg.router
    if cfg.no:
        r.ip_name_servers = [s for s in r.ip_name_servers if s not in named]
    else:
        r.ip_name_servers += [s for s in named if s not in r.ip_name_servers]
    return "ip"


# ------------------------------------------------------------------ banners
@config_command("banner")
def banner(cfg, kind, raw):
    delim = "^C" if raw.startswith("^C") else raw[0]
    body = raw[len(delim):]
    end = body.find(delim)
    if end < 0:
        raise ConfigError("% Banner has no closing delimiter", cfg.column, "banner")
    cfg.router.banners[str(kind)] = m.Banner("^C", body[:end])
    return "banner"


@config_command("no_banner")
def no_banner(cfg, kind):
    cfg.router.banners.pop(str(kind), None)
    return "banner"


# ------------------------------------------------------------------ logging
@config_command("logging_buffered")
def logging_buffered(cfg, size, level):
    cfg.router.logging_buffered = None if cfg.no else (size, level)
    return "logging"


@config_command("logging_console")
def logging_console(cfg, level):
    cfg.router.logging_console_off = cfg.no and level is None
    cfg.router.logging_console = None if cfg.no else (level or "")
    return "logging"


@config_command("logging_monitor")
def logging_monitor(cfg, level):
    cfg.router.logging_monitor_off = cfg.no and level is None
    cfg.router.logging_monitor = None if cfg.no else (level or "")
    return "logging"


@config_command("logging_host")
def logging_host(cfg, host):
    hosts, host = cfg.router.logging_hosts, str(host)
    if cfg.no:
        if host in hosts:
            hosts.remove(host)
    elif host not in hosts:
        hosts.append(host)
    return "logging-hosts"


@config_command("clock_timezone")
def clock_timezone(cfg, zone, hours, minutes):
    cfg.router.clock_timezone = None if cfg.no else (str(zone), hours, minutes or 0)
    return "clock"


# ------------------------------------------------------------------ Login Enhancements
@config_command("login_block_for", "no_login_block_for")
def login_block_for(cfg, seconds=None, tries=None, within=None):
    cfg.router.login.block_for = None if cfg.no else m.LoginBlock(seconds, tries, within)
    return "login"


@config_command("login_delay", "no_login_delay")
def login_delay(cfg, seconds=None):
    cfg.router.login.delay = None if cfg.no else seconds
    return "login"


@config_command("login_quiet_mode", "no_login_quiet_mode")
def login_quiet_mode(cfg, acl=None):
    cfg.router.login.quiet_acl = "" if cfg.no else str(acl)
    if not cfg.no:
        cfg.refers("access-list", str(acl), acl.start_pos, "quiet-mode")
    return "login"


@config_command("login_on_failure")
def login_on_failure(cfg, every):
    cfg.router.login.on_failure = None if cfg.no else (every or 1)
    return "login"


@config_command("login_on_success")
def login_on_success(cfg, every):
    cfg.router.login.on_success = None if cfg.no else (every or 1)
    return "login"


# ------------------------------------------------------------------ ip ssh
@config_command("ip_ssh_timeout", "no_ip_ssh_timeout")
def ip_ssh_timeout(cfg, seconds=None):
    cfg.router.ssh.timeout = m.SshSettings.timeout if cfg.no else seconds
    return "ip"


@config_command("ip_ssh_retries", "no_ip_ssh_retries")
def ip_ssh_retries(cfg, retries=None):
    cfg.router.ssh.retries = m.SshSettings.retries if cfg.no else retries
    return "ip"

"""The `show` commands (grammar/show.lark) and `show history`: each renders what it shows as
IOS's text, or with `--json` as the facts behind it (`out`).

Each handler is `handler(session, *values)` and only reads. The renderers that would import
the forwarding engine (sessions, translations, routes, statistics) are imported when such a
command runs, so that a line that never shows them never loads it.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..config.names import int_to_ip
from ..parser.tree import Tree
from ..show import (
    access_lists,
    debugging,
    inspect,
    interfaces,
    lines,
    logging,
    running_config,
    system,
    users,
)
from .registry import exec_command
from .reply import Reply


def out(session, text: str, facts: Callable[[], object]) -> Reply:
    """The text, or under `--json` the facts (computed only then)."""
    if session.as_json:
        import json

        return Reply(json.dumps(facts(), indent=2, sort_keys=True) + "\n")
    return Reply(text)


def session_facts(sessions) -> list[dict]:
    return [{"id": f"{s.id:X}", "protocol": s.protocol, "state": s.state,
             "initiator": f"{int_to_ip(s.initiator[0])}:{s.initiator[1]}",
             "responder": f"{int_to_ip(s.responder[0])}:{s.responder[1]}",
             "bytes_initiator": s.bytes_initiator, "bytes_responder": s.bytes_responder,
             "interface": s.interface, "rule": s.rule} for s in sessions]


def _rendered(text, facts, reads):
    """The handler of a show command whose renderer takes what `reads(session)` gives."""
    def handler(session) -> Reply:
        args = reads(session)
        return out(session, text(*args), lambda: facts(*args))
    return handler


# alias -> (text, facts, what they read): the show commands that are one renderer call
_RENDERED = {
    "show_ip_interface_brief": (interfaces.text, interfaces.facts, lambda s: (s.router,)),
    "show_logging": (logging.text, logging.facts, lambda s: (s.router, s.device.log)),
    "show_version": (system.version_text, system.version_facts, lambda s: (s.router, s.clock)),
    "show_clock": (system.clock_text, system.clock_facts, lambda s: (s.clock,)),
    "show_users": (users.text, users.facts, lambda s: (s,)),
}
for _alias, (_text, _facts, _reads) in _RENDERED.items():
    exec_command(_alias)(_rendered(_text, _facts, _reads))


@exec_command("history")
def show_history(session) -> Reply:
    return Reply("".join(f"  {line}\n" for line in session.history[-session.history_size:]))


# ------------------------------------------------------------------ configuration
@exec_command("show_running_config")
def show_running_config(session) -> Reply:
    r = session.router
    return out(session, running_config.render(r),
               lambda: {"text": "\n".join(running_config.render_lines(r)) + "\n"})


@exec_command("show_startup_config")
def show_startup_config(session) -> Reply:
    """Without a saved configuration the router says so, under `--json` too."""
    text = session.store.read()
    if text is None:
        return Reply("startup-config is not present\n")
    return out(session, running_config.render_startup(text), lambda: {"text": text})


@exec_command("show_access_lists", "show_ip_access_lists")
def show_access_lists(session, acl: Optional[str]) -> Reply:
    r, matches = session.router, session.device.acl_matches
    name = None if acl is None else str(acl)
    return out(session, access_lists.text(r, matches, name),
               lambda: access_lists.facts(r, matches, name))


@exec_command("show_ip_route")
def show_ip_route(session) -> Reply:
    from ..show import routes

    r = session.router
    return out(session, routes.text(r), lambda: routes.facts(r))


# ------------------------------------------------------------------ show ip inspect
@exec_command("show_ip_inspect")
def show_ip_inspect(session, what: Tree) -> Reply:
    """Every form builds the engine, even those that show only the configuration: its
    statistics count from then on, as they always have."""
    return _INSPECT[what.data](session, session.engine, *what.children)


def _inspect_all(session, engine) -> Reply:
    from ..show import traffic

    r, sessions = session.router, _sessions(engine)
    lines = traffic.session_lines(sessions, False, session.clock.uptime())
    return out(session, inspect.show_all(r, lines),
               lambda: dict(inspect.facts(r), sessions=session_facts(sessions)))


def _inspect_config(session, engine) -> Reply:
    r = session.router
    return out(session, inspect.show_config(r), lambda: inspect.facts(r))


def _inspect_interfaces(session, engine) -> Reply:
    r = session.router
    return out(session, inspect.show_interfaces(r), lambda: inspect.facts(r)["interfaces"])


def _inspect_name(session, engine, rule) -> Reply:
    r, rule = session.router, str(rule)
    return out(session, inspect.show_name(r, rule), lambda: inspect.facts(r)["rules"].get(rule))


def _inspect_sessions(session, engine, detail) -> Reply:
    from ..show import traffic

    sessions = _sessions(engine)
    lines = traffic.session_lines(sessions, detail is not None, session.clock.uptime())
    return out(session, "".join(line + "\n" for line in lines), lambda: session_facts(sessions))


def _inspect_statistics(session, engine) -> Reply:
    from ..show import inspect_stats

    r, now = session.router, session.clock.uptime()
    return out(session, inspect_stats.text(r, engine, now),
               lambda: inspect_stats.facts(r, engine, now))


def _sessions(engine) -> list:
    return list(engine.sessions.sessions.values())


_INSPECT = {
    "inspect_all": _inspect_all,
    "inspect_config": _inspect_config,
    "inspect_interfaces": _inspect_interfaces,
    "inspect_name": _inspect_name,
    "inspect_sessions": _inspect_sessions,
    "inspect_statistics": _inspect_statistics,
}


# ------------------------------------------------------------------ NAT
@exec_command("show_ip_nat_translations")
def show_ip_nat_translations(session, verbose) -> Reply:
    from ..show import nat

    table, now = session.engine.nat, session.clock.uptime()
    return out(session, nat.translations_text(table, verbose is not None, now),
               lambda: nat.facts(table))


@exec_command("show_ip_nat_statistics")
def show_ip_nat_statistics(session) -> Reply:
    from ..show import nat

    r, table = session.router, session.engine.nat
    return out(session, nat.statistics_text(r, table), lambda: nat.statistics_facts(r, table))


# ------------------------------------------------------------------ the device
@exec_command("show_debugging")
def show_debugging(session) -> Reply:
    flags = sorted(session.device.debug)
    return out(session, debugging.text(flags), lambda: {"debug": flags})


@exec_command("show_login")
def show_login(session, failures) -> Reply:
    """The Login Enhancements' state; a router without vty lines watches no logins."""
    from ..show import login

    settings, pool = session.router.login, session.device.vtys
    watch = pool.guard.watch() if pool is not None else login.unwatched(settings)
    if failures is not None:
        return out(session, login.failures_text(watch), lambda: login.failures_facts(watch))
    return out(session, login.text(settings, watch), lambda: login.facts(settings, watch))


@exec_command("show_line")
def show_line(session) -> Reply:
    """Every line of the router; the console is in use where `show users` lists it (a served
    router's console has nobody on it unless this is the console)."""
    pool = session.device.vtys
    console = pool is None or session.line_name == "console"
    busy = {row.number for row in pool.rows()} if pool is not None else set()
    found = lines.rows(session.router, console, busy, pool.uses if pool is not None else None)
    return out(session, lines.text(found), lambda: lines.facts(found))

"""The router's syslog messages for what the engine reports (formats in
../docs/formats.md; the %FW and %SEC texts follow captured 12.x output)."""
from __future__ import annotations

from ..config.names import int_to_ip, mac_text
from ..engine import events as ev
from ..engine.packet import ICMP, TCP, UDP
from . import cbac_debug, smtp_debug


def _arrival(e: ev.AclLogged) -> str:
    """What log-input adds after the source: the interface, and on an Ethernet the source
    MAC address (`(FastEthernet0/0 00aa.aabb.ccdd)`)."""
    if not e.log_input:
        return ""
    return f" ({e.ingress})" if e.mac is None else f" ({e.ingress} {mac_text(e.mac)})"


def _acl_logged(e: ev.AclLogged) -> str:
    verb = "permitted" if e.permitted else "denied"
    count = "1 packet" if e.count == 1 else f"{e.count} packets"
    src = int_to_ip(e.src)
    where = _arrival(e)
    if e.standard:
        return f"%SEC-6-IPACCESSLOGS: list {e.acl} {verb} {src}{where} {count}"
    if e.proto in (TCP, UDP):
        name = "tcp" if e.proto == TCP else "udp"
        return (f"%SEC-6-IPACCESSLOGP: list {e.acl} {verb} {name} {src}({e.sport}){where} -> "
                f"{int_to_ip(e.dst)}({e.dport}), {count}")
    if e.proto == ICMP:
        return (f"%SEC-6-IPACCESSLOGDP: list {e.acl} {verb} icmp {src}{where} -> "
                f"{int_to_ip(e.dst)} ({e.icmp[0]}/{e.icmp[1]}), {count}")
    return (f"%SEC-6-IPACCESSLOGNP: list {e.acl} {verb} {e.proto} {src}{where} -> "
            f"{int_to_ip(e.dst)}, {count}")


def _audit(e: ev.SessionEnded) -> str:
    """The 12.1 form (no Start/Stop: no 12.3T capture says which form 12.3(4)T prints). An
    ICMP session's ends are as the session table has them: the initiator's request type as
    its port, 0 for the responder (`initiator (13.13.2.2:8) ... responder (13.13.5.5:0)`)."""
    s = e.session
    (a, ap), (b, bp) = s.initiator, s.responder
    return (f"%FW-6-SESS_AUDIT_TRAIL: {s.protocol} session initiator ({int_to_ip(a)}:{ap}) "
            f"sent {s.bytes_initiator} bytes -- responder ({int_to_ip(b)}:{bp}) "
            f"sent {s.bytes_responder} bytes")


def messages(event, router, debug=frozenset()) -> list[str]:
    """The lines one event puts in the log (none when the configuration keeps it quiet)."""
    if isinstance(event, ev.SmtpInspected):
        if not event.session.alert:
            return []
        ip, port = event.session.initiator
        alerts = (smtp_debug.alert_text(e, int_to_ip(ip), port) for e in event.events)
        return [text for text in alerts if text is not None]
    if isinstance(event, ev.AclLogged):
        return [_acl_logged(event)]
    if isinstance(event, ev.SessionEnded):
        return [_audit(event)] if event.audit else []
    if isinstance(event, ev.Alert):
        if event.on:
            return [f"%FW-4-ALERT_ON: getting aggressive, count ({event.count}/"
                    f"{event.threshold}) current 1-min rate: {event.rate}"]
        return [f"%FW-4-ALERT_OFF: calming down, count ({event.count}/{event.threshold}) "
                f"current 1-min rate: {event.rate}"]
    if isinstance(event, ev.HostAlert):
        return [f"%FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections ({event.limit}) "
                f"exceeded for host {int_to_ip(event.host)}."]
    if isinstance(event, ev.HostBlocked):
        unit = "minute" if event.minutes == 1 else "minutes"
        return [f"%FW-2-BLOCK_HOST: Blocking new TCP connections to host "
                f"{int_to_ip(event.host)} for {event.minutes} {unit} (half-open count "
                f"{event.limit} exceeded)."]
    if isinstance(event, ev.HostUnblocked):
        return [f"%FW-4-UNBLOCK_HOST: New TCP connections to host {int_to_ip(event.host)} "
                "no longer blocked"]
    return []


def debug_lines(event, debug) -> list[str]:
    """The lines one event puts out under the `debug` commands that are on."""
    if isinstance(event, ev.SmtpInspected):
        return smtp_debug.debug_lines(event.events) if "ip inspect smtp" in debug else []
    return cbac_debug.event_lines(event, debug) if debug else []

"""`debug ip inspect smtp` lines and the %FW SMTP alerts for what `iosfw.engine.smtp` reports.
Texts without the timestamp prefix; formats in ../docs/smtp.md (the CBAC SMTP lines follow the
document's capture, the lines and alerts it does not show are designed)."""
from __future__ import annotations

from ..engine import smtp as s
from .debugging import ALL_OFF as ALL_OFF  # with the document's other answers, below

DEBUG_ON = "INSPECT SMTP Inspection debugging is on"
DEBUG_OFF = "INSPECT SMTP Inspection debugging is off"

_P = "CBAC SMTP: "
_PARAMETER_KINDS = {"SIZE", "BODY", "DSN", "PARAM"}


# The document's line for each debug event, its fields by name (Start/End Of Data and the
# anomaly lines are ours).
_FORMATS = {
    s.Verb: "VERB - Cmd len:{cmd_len}, match_len:{match_len}, cmd_re_state:{state}",
    s.VerbMatch: "VERB - match id:{match_id}",
    s.CmdParam: "CMD PARAM - Cmd len:{cmd_len}, match_len:{match_len}, cmd_re_state:{state}",
    s.ParamMatch: "CMD PARAM - match id:{match_id}",
    s.EndOfCommandLine: "End Of Command Line - index:{index}, len:{length}",
    s.ReplyType: "reply_type {kind}",
    s.OtherReply: "OTHER REPLY - Reply len: {reply_len}, match_len:{match_len}, "
                  "reply_re_state:{state}",
    s.ReplyMatch: "OTHER REPLY match id:{match_id}",
    s.EndOfReplyLine: "End Of Reply Line - index:{index} ,len:{length}",
    s.DataStart: "Start Of Data",
    s.DataEnd: "End Of Data - len:{length}",
}


def debug_line(event) -> str | None:
    """The debug line of one event; None for alerts (they go to syslog)."""
    t = type(event)
    if t is s.Anomaly:
        return f"{_P}{event.kind[:1].upper()}{event.kind[1:]} - index:{event.index}"
    fmt = _FORMATS.get(t)
    if fmt is None:
        return None
    return _P + fmt.format_map({name: getattr(event, name) for name in t.__dataclass_fields__})


def debug_lines(events) -> list[str]:
    return [line for line in map(debug_line, events) if line is not None]


def alert_text(event, initiator_ip: str, initiator_port: int) -> str | None:
    """The %FW message of an alert event; None for debug-only events."""
    who = f"from initiator ({initiator_ip}:{initiator_port})"
    t = type(event)
    if t is s.InvalidCommand:
        return f"%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command {who}"
    if t is s.MaxDataExceeded:
        return (f"%FW-4-SMTP_MAX_DATA: SMTP data exceeds max-data ({event.max_data} bytes) "
                f"{who} -- session reset")
    if t is s.EsmtpViolation:
        if event.kind in _PARAMETER_KINDS:
            return f"%FW-3-SMTP_UNSUPPORTED_PARAMETER: Unsupported SMTP parameter " \
                   f"({event.detail}) {who}"
        return f"%FW-4-ESMTP_VIOLATION: ESMTP {event.kind} violation ({event.detail}) {who}"
    if t is s.AmbiguousEndOfData:
        return f"%FW-4-SMTP_INVALID_DATA_END: Ambiguous end of data {who} -- dot masked"
    if t is s.PendingOverflow:
        return (f"%FW-4-SMTP_PIPELINE_OVERFLOW: {event.held} bytes sent before the reply to "
                f"DATA or AUTH {who} -- session reset")
    return None

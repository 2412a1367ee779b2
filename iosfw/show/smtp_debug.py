"""`debug ip inspect smtp` lines and the %FW SMTP alerts for what `iosfw.engine.smtp` reports.
Texts without the timestamp prefix; formats in ../docs/smtp.md (the CBAC SMTP lines follow the
document's capture, the lines and alerts it does not show are designed)."""
from __future__ import annotations

from ..engine import smtp as s

DEBUG_ON = "INSPECT SMTP Inspection debugging is on"
DEBUG_OFF = "INSPECT SMTP Inspection debugging is off"
ALL_OFF = "All possible debugging has been turned off"

_P = "CBAC SMTP: "
_PARAMETER_KINDS = {"SIZE", "BODY", "DSN", "PARAM"}


def debug_line(event) -> str | None:
    """The debug line of one event; None for alerts (they go to syslog)."""
    t = type(event)
    if t is s.Verb:
        return (f"{_P}VERB - Cmd len:{event.cmd_len}, match_len:{event.match_len}, "
                f"cmd_re_state:{event.state}")
    if t is s.VerbMatch:
        return f"{_P}VERB - match id:{event.match_id}"
    if t is s.CmdParam:
        return (f"{_P}CMD PARAM - Cmd len:{event.cmd_len}, match_len:{event.match_len}, "
                f"cmd_re_state:{event.state}")
    if t is s.ParamMatch:
        return f"{_P}CMD PARAM - match id:{event.match_id}"
    if t is s.EndOfCommandLine:
        return f"{_P}End Of Command Line - index:{event.index}, len:{event.length}"
    if t is s.ReplyType:
        return f"{_P}reply_type {event.kind}"
    if t is s.OtherReply:
        return (f"{_P}OTHER REPLY - Reply len: {event.reply_len}, match_len:{event.match_len}, "
                f"reply_re_state:{event.state}")
    if t is s.ReplyMatch:
        return f"{_P}OTHER REPLY match id:{event.match_id}"
    if t is s.EndOfReplyLine:
        return f"{_P}End Of Reply Line - index:{event.index} ,len:{event.length}"
    if t is s.DataStart:
        return f"{_P}Start Of Data"
    if t is s.DataEnd:
        return f"{_P}End Of Data - len:{event.length}"
    if t is s.Anomaly:
        return f"{_P}{event.kind[:1].upper()}{event.kind[1:]} - index:{event.index}"
    return None


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

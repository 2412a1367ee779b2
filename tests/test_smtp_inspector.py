"""The SMTP/ESMTP inspector as a specification: what reaches the server, what is masked, where
the message data starts and ends, and the alerts. The simulated MTA plays the server."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iosfw.engine import smtp as s
from iosfw.engine.mta import MailServer, reply
from iosfw.show.smtp_debug import alert_text, debug_lines


class OpenServer(MailServer):
    """An MTA that keeps reading after QUIT, so a stream can go on past it."""

    def smtp_QUIT(self, arg: bytes) -> bytes:
        return reply(221, "2.0.0 Bye")


class Wire:
    """Client, inspector and server joined; the server's replies go back at once, cut into
    pieces of `reply_cut` bytes (0: whole)."""

    def __init__(self, inspector, server, reply_cut: int = 0, greet: bool = True):
        self.inspector, self.server, self.reply_cut = inspector, server, reply_cut
        self.to_server = bytearray()
        self.to_client = bytearray()
        self.events: list = []
        self.resets = 0
        if greet:
            self.greet()

    def greet(self) -> None:
        self._replies(self.server.greeting())

    def send(self, data: bytes) -> None:
        verdict = self.inspector.from_client(data)
        self.events.extend(verdict.events)
        self.resets += verdict.reset
        self._to_server(verdict.forward)

    def _to_server(self, data: bytes) -> None:
        if data:
            self.to_server += data
            self._replies(self.server.feed(data))

    def _replies(self, data: bytes) -> None:
        cut = self.reply_cut or len(data) or 1
        for k in range(0, len(data), cut):
            verdict = self.inspector.from_server(data[k:k + cut])
            self.events.extend(verdict.events)
            self.resets += verdict.reset
            self.to_client += verdict.forward
            self._to_server(verdict.release)

    def of(self, kind) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    def spans(self) -> list:
        out = []
        for e in self.events:
            if isinstance(e, s.DataStart):
                out.append([e.offset, None])
            elif isinstance(e, s.DataEnd):
                out[-1][1] = e.offset
        return out


def session(lines, esmtp=False, server=None, cut=0, **kw):
    wire = Wire(s.SmtpInspector(esmtp=esmtp, **kw), server or OpenServer())
    """Each line its own segment, the server answering in between (cut: fixed-size segments
    regardless of lines; a line holding several commands is a pipelined segment)."""
    stream = b"".join(lines)
    if cut:
        for k in range(0, len(stream), cut):
            wire.send(stream[k:k + cut])
    else:
        for line in lines:
            wire.send(line)
    return wire


# ------------------------------------------------------------------ the oracle
def _split(line: bytes):
    term = b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""
    return line[:len(line) - len(term)], term


def expected_command(line: bytes, legal, held_verbs=()) -> bytes:
    """What the server must receive for one command line (the documented masking rules)."""
    body, term = _split(line)
    verb = body[:4].upper().decode("latin-1")
    if len(body) < 4 or verb not in legal or body[4:5] not in (b"", b" "):
        return b"x" * len(body) + term
    bad = [k for k in (body.find(b"\0"), body.find(b"\r")) if k >= 0]
    if len(body) > s.MAX_COMMAND_LINE:
        bad.append(s.MAX_COMMAND_LINE)
    if not bad:
        return line
    k = 0 if verb in held_verbs else min(bad)
    return body[:k] + b"x" * (len(body) - k) + term


def expected_data(stream: bytes, start: int, end: int) -> bytes:
    """Message bytes as forwarded: dots of dot lines not framed by CRLF become x."""
    ctx = b"\r\n" + stream[start:end]
    out = bytearray(stream[start:end])
    for k in range(len(out)):
        j = k + 2
        dot_line = ctx[j] == 0x2E and ctx[j - 1] in b"\r\n" and ctx[j + 1:j + 2] in (b"\r", b"\n")
        if dot_line and not (ctx[j - 2:j] == b"\r\n" and ctx[j + 1:j + 3] == b"\r\n"):
            out[k] = 0x78
    return bytes(out)


# ------------------------------------------------------------------ strategies
LEGAL_VERBS = sorted(s.SMTP_VERBS)
ARG = st.text("abcdefghijklmnop0123456789<>@:.-= ", max_size=20).map(str.encode)
TERM = st.sampled_from([b"\r\n"] * 6 + [b"\n"])


def _case(draw, verb: str) -> bytes:
    flips = draw(st.lists(st.booleans(), min_size=4, max_size=4))
    return "".join(c.lower() if f else c for c, f in zip(verb, flips)).encode()


@st.composite
def legal_command(draw, verbs=LEGAL_VERBS):
    verb = draw(st.sampled_from([v for v in verbs if v not in ("DATA", "QUIT", "MAIL",
                                                               "RCPT")]))
    arg = draw(ARG)
    return _case(draw, verb) + (b" " + arg if arg else b"") + draw(TERM)


@st.composite
def illegal_command(draw, esmtp=False):
    kind = draw(st.integers(0, 7))
    if kind == 0:
        word = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                            min_size=1, max_size=7).map(str.encode))
        if word[:4].upper().decode() in s.SMTP_VERBS and len(word) == 4:
            word += b"X"
        line = word + draw(st.sampled_from([b"", b" root", b" a b"]))
    elif kind == 1:
        esmtp_verbs = [] if esmtp else [b"EHLO client", b"AUTH PLAIN", b"ETRN x"]
        line = draw(st.sampled_from([b"EXPN root", b"TURN", b"BDAT 10 LAST", b"STARTTLS",
                                     b"XEXCH50 1 2"] + esmtp_verbs))
    elif kind == 2:
        line = draw(st.sampled_from(LEGAL_VERBS)).encode() + draw(
            st.sampled_from([b"X", b"S foo", b"\t x", b"\x00"]))
    elif kind == 3:
        line = b""
    elif kind == 4:
        line = b" HELO x"
    elif kind == 5:
        line = b"NOOP a\x00b" if draw(st.booleans()) else b"HELO a\rEXPN b"
    elif kind == 6:
        line = b"NOOP " + b"a" * (s.MAX_COMMAND_LINE + draw(st.integers(-2, 40)))
    else:
        line = b"HE\x00LO x"
    return line + draw(TERM)


BODY_LINE = st.one_of(
    st.text("abc xyz.:-", max_size=30).map(str.encode),
    st.sampled_from([b".", b"..", b".foo", b"DATA", b"QUIT", b"EXPN x", b"", b". ",
                     b"MAIL FROM:<x@y>", b"\r.", b"a\n.", b".\rb"]),
)


@st.composite
def message(draw):
    body = draw(st.lists(st.tuples(BODY_LINE, st.sampled_from([b"\r\n"] * 8 + [b"\n"])),
                         max_size=8))
    data = b"".join(line + term for line, term in body)
    if data and not data.endswith(b"\r\n") and draw(st.booleans()):
        data += b"\r\n"
    return [b"MAIL FROM:<a@example.com>\r\n", b"RCPT TO:<b@example.com>\r\n", b"DATA\r\n",
            data + b".\r\n"]


@st.composite
def script(draw, esmtp=False):
    """A client stream (AUTH and ETRN left out under esmtp: their dialogues and syntax are
    the unit tests' business), its segments, the reply cut and whether the client talks
    before the greeting."""
    verbs = LEGAL_VERBS + (["EHLO"] if esmtp else [])
    items = draw(st.lists(st.one_of(
        legal_command(verbs).map(lambda c: [c]), illegal_command(esmtp).map(lambda c: [c]),
        message()), max_size=10))
    helo = [b"HELO client\r\n"] if draw(st.integers(0, 4)) else []
    lines = helo + [line for item in items for line in item] + [b"QUIT\r\n"]
    stream = b"".join(lines)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=30)))
    segments = [stream[a:b] for a, b in zip([0] + cuts, cuts + [len(stream)]) if a < b]
    return stream, segments, draw(st.integers(0, 9)), draw(st.booleans())


def check_stream(stream, segments, reply_cut, pregreet, esmtp):
    server = OpenServer()
    wire = Wire(s.SmtpInspector(esmtp=esmtp), server, reply_cut, greet=not pregreet)
    for k, segment in enumerate(segments):
        wire.send(segment)
        if pregreet and k == 0:
            wire.greet()
    fwd = bytes(wire.to_server)
    # sequence numbers stay valid: every byte forwarded once, nothing left behind
    assert len(fwd) == len(stream) and wire.inspector.held == 0 and not wire.resets
    # the server's view of the data phase is the inspector's
    assert wire.spans() == server.data_spans
    legal = s.ESMTP_VERBS if esmtp else s.SMTP_VERBS
    held = ("MAIL", "RCPT", "AUTH", "ETRN") if esmtp else ()
    for offset, line in server.command_lines:
        original = stream[offset:offset + len(line)]
        assert line == expected_command(original, legal, held), (original, line)
        verb = _split(line)[0].split(b" ")[0]
        assert verb.upper().decode("latin-1") in legal or set(verb) <= {0x78}
    for start, end in server.data_spans:
        end = len(stream) if end is None else end
        assert fwd[start:end] == expected_data(stream, start, end)


@settings(max_examples=max(300, settings.default.max_examples))
@given(script())
def test_masking_is_exact_length_and_data_phase_agrees_with_the_server(case):
    check_stream(*case, esmtp=False)


@settings(max_examples=max(150, settings.default.max_examples))
@given(script(esmtp=True))
def test_esmtp_masking_and_data_phase_agree_with_the_server(case):
    stream, segments, reply_cut, pregreet = case
    check_stream(stream, segments, reply_cut, pregreet, esmtp=True)


# ------------------------------------------------------------------ masking
def test_illegal_verb_masked_whole_line_and_server_answers_500():
    wire = session([b"HELO a\r\n", b"EXPN root\r\n", b"NOOP\r\n"])
    assert wire.to_server == b"HELO a\r\nxxxxxxxxx\r\nNOOP\r\n"
    assert b'500 5.5.1 Command unrecognized: "xxxxxxxxx"' in wire.to_client
    (alert,) = wire.of(s.InvalidCommand)
    assert (alert.index, alert.verb, alert.reason) == (2, b"EX", "illegal verb")


def test_illegal_verb_bytes_never_leave_even_one_byte_at_a_time():
    wire = Wire(s.SmtpInspector(), OpenServer())
    for k, byte in enumerate(b"EHLO client\r\n"):
        wire.send(bytes([byte]))
        assert b"E" not in wire.to_server
    assert wire.to_server == b"xxxxxxxxxxx\r\n"


def test_legal_verb_held_until_its_delimiter():
    inspector = s.SmtpInspector()
    inspector.from_server(b"220 hi\r\n")
    assert inspector.from_client(b"HELO").forward == b""
    assert inspector.from_client(b"X").forward == b"xxxxx"
    assert inspector.from_client(b" y\r\n").forward == b"xx\r\n"


def test_verbs_are_case_insensitive_and_smtp_masks_esmtp_verbs():
    wire = session([b"helo a\r\n", b"EHLO b\r\n", b"Noop\r\n"])
    assert wire.to_server == b"helo a\r\nxxxxxx\r\nNoop\r\n"
    wire = session([b"EHLO b\r\n"], esmtp=True)
    assert wire.to_server == b"EHLO b\r\n"


def test_pipelined_commands_each_inspected():
    wire = session([b"HELO a\r\nVRFY b\r\nEXPN c\r\nNOOP\r\nTURN\r\n"])
    assert wire.to_server == b"HELO a\r\nVRFY b\r\nxxxxxx\r\nNOOP\r\nxxxx\r\n"
    assert [e.index for e in wire.of(s.EndOfCommandLine)] == [1, 2, 3, 4, 5]
    assert [e.match_id for e in wire.of(s.VerbMatch)] == [5, 15, 8]


def test_match_ids_are_alphabetical_over_the_esmtp_verbs():
    assert [s.VERB_ID[v] for v in ("AUTH", "HELO", "HELP", "QUIT", "VRFY")] == [1, 5, 6, 9, 15]
    assert len(s.SMTP_VERBS) == 12 and len(s.ESMTP_VERBS) == 15


def test_segment_spanning_verb_and_parameters_reports_both_parts():
    inspector = s.SmtpInspector()
    inspector.from_server(b"220 hi\r\n")
    lines = debug_lines(inspector.from_client(b"HELO relay\r\n").events)
    assert lines == ["CBAC SMTP: VERB - Cmd len:4, match_len:4, cmd_re_state:56",
                     "CBAC SMTP: VERB - match id:5",
                     "CBAC SMTP: CMD PARAM - Cmd len:12, match_len:8, cmd_re_state:3",
                     "CBAC SMTP: CMD PARAM - match id:6",
                     "CBAC SMTP: End Of Command Line - index:1, len:12"]


def test_reply_split_across_segments_and_multiline_indexes():
    inspector = s.SmtpInspector()
    lines = []
    for piece in (b"220-a\r", b"\n220 b\r\n"):
        lines += debug_lines(inspector.from_server(piece).events)
    assert lines == ["CBAC SMTP: reply_type OTHERS",
                     "CBAC SMTP: OTHER REPLY - Reply len: 6, match_len:6, reply_re_state:16",
                     "CBAC SMTP: OTHER REPLY - Reply len: 7, match_len:1, reply_re_state:18",
                     "CBAC SMTP: OTHER REPLY match id:13", "CBAC SMTP: OTHER REPLY match id:10",
                     "CBAC SMTP: End Of Reply Line - index:0 ,len:7",
                     "CBAC SMTP: reply_type OTHERS",
                     "CBAC SMTP: OTHER REPLY - Reply len: 7, match_len:7, reply_re_state:18",
                     "CBAC SMTP: OTHER REPLY match id:13", "CBAC SMTP: OTHER REPLY match id:10",
                     "CBAC SMTP: End Of Reply Line - index:1 ,len:7"]


# ------------------------------------------------------------------ hostile bytes
def test_nul_in_parameters_masks_from_the_nul():
    wire = session([b"NOOP ab\x00cd\r\n"])
    assert wire.to_server == b"NOOP abxxx\r\n"
    assert wire.of(s.InvalidCommand)[0].reason == "NUL"


def test_nul_in_verb_masks_the_line():
    assert session([b"HE\x00LO x\r\n"]).to_server == b"xxxxxxx\r\n"


def test_bare_cr_inside_a_line_is_masked_so_no_server_splits_there():
    wire = session([b"HELO a\rEXPN b\r\n"], cut=1)
    assert wire.to_server == b"HELO axxxxxxx\r\n"
    assert wire.of(s.InvalidCommand)[0].reason == "bare CR"


def test_bare_lf_ends_a_command_line_like_lenient_servers():
    wire = session([b"HELO a\nEXPN b\nNOOP\n"])
    assert wire.to_server == b"HELO a\nxxxxxx\nNOOP\n"
    assert [e.length for e in wire.of(s.EndOfCommandLine)] == [7, 7, 5]


def test_over_long_line_masked_past_the_limit():
    line = b"NOOP " + b"a" * 5000 + b"\r\n"
    wire = session([line], cut=1460)
    fwd = bytes(wire.to_server)
    assert len(fwd) == len(line)
    assert fwd[:s.MAX_COMMAND_LINE] == line[:s.MAX_COMMAND_LINE]
    assert set(fwd[s.MAX_COMMAND_LINE:-2]) == {0x78} and fwd.endswith(b"\r\n")
    assert wire.of(s.InvalidCommand)[0].reason == "line too long"
    assert [len(line) for _, line in wire.server.command_lines] == [len(line)]


def test_endless_line_keeps_memory_bounded():
    inspector = s.SmtpInspector()
    inspector.from_server(b"220 hi\r\n")
    inspector.from_client(b"NOOP ")
    for _ in range(100):
        verdict = inspector.from_client(b"a" * 1000)
        assert len(verdict.forward) == 1000
    assert inspector.held == 0


def test_empty_line_passes_and_is_counted():
    wire = session([b"\r\n", b"NOOP\r\n"])
    assert wire.to_server == b"\r\nNOOP\r\n"
    assert wire.of(s.InvalidCommand)[0].reason == "empty line"


def test_commands_before_the_greeting_are_inspected_and_reported():
    wire = Wire(s.SmtpInspector(), OpenServer(), greet=False)
    wire.send(b"EXPN a\r\nHELO b\r\n")
    wire.greet()
    assert wire.to_server == b"xxxxxx\r\nHELO b\r\n"
    assert wire.of(s.Anomaly) == [s.Anomaly("command before greeting", 1)]


def test_reply_without_a_command_is_reported_not_fatal():
    inspector = s.SmtpInspector()
    inspector.from_server(b"220 hi\r\n")
    verdict = inspector.from_server(b"421 shutting down\r\n")
    assert s.Anomaly("reply without command", 1) in verdict.events
    assert verdict.forward == b"421 shutting down\r\n"


def test_garbage_never_raises():
    inspector = s.SmtpInspector(esmtp=True, max_data=100)
    for chunk in (b"\x00\xff\r\r\n\n", b"354\r\n", b"DATA\r\n", b"\r\n.\r\n" * 3, b"\n" * 10):
        inspector.from_client(chunk)
        inspector.from_server(chunk)


# ------------------------------------------------------------------ data phase
MAIL = [b"HELO a\r\n", b"MAIL FROM:<a@b>\r\n", b"RCPT TO:<c@d>\r\n", b"DATA\r\n"]


def test_data_phase_starts_at_354_and_body_is_not_commands():
    body = b"EXPN root\r\n..stuffed\r\nQUIT\r\n.\r\n"
    wire = session(MAIL + [body, b"EXPN x\r\n"], cut=3)
    assert wire.to_server == b"".join(MAIL) + body + b"xxxxxx\r\n"
    assert wire.server.messages == [body]
    assert wire.spans() == wire.server.data_spans


def test_data_rejected_without_354_keeps_commands_inspected():
    lines = [b"HELO a\r\n", b"DATA\r\n", b"EXPN x\r\n", b".\r\n"]
    wire = session(lines)
    assert wire.to_server == b"HELO a\r\nDATA\r\nxxxxxx\r\nx\r\n"
    assert wire.spans() == [] == wire.server.data_spans


def test_empty_message_right_after_354():
    wire = session(MAIL + [b".\r\n", b"NOOP\r\n"], cut=1)
    assert wire.server.messages == [b".\r\n"]
    assert wire.spans() == wire.server.data_spans
    assert wire.of(s.DataEnd)[0].length == 3


def test_end_of_data_split_at_every_byte():
    body = b"line\r\n.\r\n"
    for cut in range(1, len(body)):
        wire = session(MAIL)
        wire.send(body[:cut])
        wire.send(body[cut:] + b"NOOP\r\n")
        assert wire.server.messages == [body], cut
        assert wire.to_server.endswith(body + b"NOOP\r\n")


def test_client_sending_data_before_354_is_held_until_the_reply():
    inspector = s.SmtpInspector()
    server = OpenServer()
    inspector.from_server(server.greeting())
    verdict = inspector.from_client(b"".join(MAIL) + b"hello\r\n.\r\n")
    assert verdict.forward == b"".join(MAIL)
    assert inspector.held == len(b"hello\r\n.\r\n")
    replies = server.feed(verdict.forward)
    verdict = inspector.from_server(replies)
    assert verdict.release == b"hello\r\n.\r\n"
    assert [type(e) for e in verdict.events if type(e) in (s.DataStart, s.DataEnd)] == \
        [s.DataStart, s.DataEnd]


def test_smuggled_end_of_data_is_neutralised_for_lenient_servers():
    body = b"hi\r\n\n.\nMAIL FROM:<evil@x>\r\n\r.\rRCPT x\r\n.\r\n"
    for server in (OpenServer(), OpenServer(lenient_dot=True)):
        wire = session(MAIL + [body], server=server, cut=2)
        assert wire.server.messages == [body.replace(b"\n.\n", b"\nx\n")
                                        .replace(b"\r.\r", b"\rx\r")]
        assert len(wire.of(s.AmbiguousEndOfData)) == 2
    assert alert_text(s.AmbiguousEndOfData(5), "10.0.0.1", 1025).startswith(
        "%FW-4-SMTP_INVALID_DATA_END:")


def test_max_data_resets_the_session():
    wire = session(MAIL + [b"x" * 2000 + b"\r\n.\r\n"], max_data=1000, cut=500)
    (alert,) = wire.of(s.MaxDataExceeded)
    assert alert.max_data == 1000 and alert.data_bytes > 1000 and wire.resets
    assert len(wire.to_server) <= len(b"".join(MAIL)) + 1000
    assert wire.inspector.from_client(b"NOOP\r\n").reset
    assert alert_text(alert, "192.168.12.3", 52419) == (
        "%FW-4-SMTP_MAX_DATA: SMTP data exceeds max-data (1000 bytes) from initiator "
        "(192.168.12.3:52419) -- session reset")


def test_max_data_counts_every_message_of_the_session():
    one = [b"MAIL FROM:<a@b>\r\n", b"RCPT TO:<c@d>\r\n", b"DATA\r\n", b"y" * 400 + b"\r\n.\r\n"]
    wire = session([b"HELO a\r\n"] + one * 3, max_data=1000)
    assert len(wire.server.messages) == 2 and wire.of(s.MaxDataExceeded)


def test_pending_overflow_resets():
    inspector = s.SmtpInspector()
    inspector.from_server(b"220 hi\r\n")
    inspector.from_client(b"DATA\r\n")
    verdict = inspector.from_client(b"z" * (s.MAX_PENDING + 1))
    assert verdict.reset and isinstance(verdict.events[0], s.PendingOverflow)


# ------------------------------------------------------------------ ESMTP
EHLO = [b"EHLO client\r\n"]


def test_ehlo_extensions_are_learnt():
    wire = session(EHLO, esmtp=True)
    assert {"SIZE", "8BITMIME", "PIPELINING", "DSN", "ETRN", "AUTH"} <= \
        wire.inspector.extensions


def test_size_above_max_data_is_refused_by_masking():
    wire = session(EHLO + [b"MAIL FROM:<a@b> SIZE=30000000\r\n"], esmtp=True)
    assert wire.to_server.endswith(b"\r\n" + b"x" * 29 + b"\r\n")
    (v,) = wire.of(s.EsmtpViolation)
    assert (v.kind, v.detail, v.masked) == ("SIZE", "SIZE=30000000", True)
    assert alert_text(v, "192.168.12.3", 52419) == (
        "%FW-3-SMTP_UNSUPPORTED_PARAMETER: Unsupported SMTP parameter (SIZE=30000000) "
        "from initiator (192.168.12.3:52419)")
    assert b"500 5.5.1" in wire.to_client


@pytest.mark.parametrize("param, ok", [
    (b"SIZE=1000", True), (b"SIZE=abc", False), (b"BODY=8BITMIME", True), (b"BODY=7BIT", True),
    (b"BODY=BINARYMIME", False), (b"BODY=9BIT", False), (b"RET=HDRS", True), (b"RET=ALL", False),
    (b"ENVID=QQ+2B1", True), (b"ENVID=a=b", False), (b"AUTH=<>", True), (b"XFOO=1", False),
    (b"SIZE=1 SIZE=2", False),
])
def test_mail_parameters(param, ok):
    line = b"MAIL FROM:<a@b> " + param + b"\r\n"
    wire = session(EHLO + [line], esmtp=True)
    assert wire.to_server.endswith(line) is ok
    assert bool(wire.of(s.EsmtpViolation)) is not ok


@pytest.mark.parametrize("param, ok", [
    (b"NOTIFY=SUCCESS,FAILURE", True), (b"NOTIFY=NEVER", True), (b"NOTIFY=NEVER,DELAY", False),
    (b"ORCPT=rfc822;a@b", True), (b"ORCPT=nosemicolon", False),
])
def test_rcpt_dsn_parameters(param, ok):
    line = b"RCPT TO:<c@d> " + param + b"\r\n"
    wire = session(EHLO + [b"MAIL FROM:<a@b>\r\n", line], esmtp=True)
    assert wire.to_server.endswith(line) is ok


def test_esmtp_parameters_without_ehlo_are_violations():
    wire = session([b"HELO a\r\n", b"MAIL FROM:<a@b> SIZE=10\r\n"], esmtp=True)
    assert wire.of(s.EsmtpViolation)[0].kind == "SIZE"


def test_smtp_mode_does_not_examine_parameters():
    line = b"MAIL FROM:<a@b> SIZE=30000000\r\n"
    assert session([b"HELO a\r\n", line]).to_server.endswith(line)


def test_auth_plain_and_login_dialogues_pass():
    wire = session(EHLO + [b"AUTH LOGIN\r\n", b"dXNlcg==\r\n", b"cGFzcw==\r\n", b"NOOP\r\n"],
                   esmtp=True)
    assert wire.server.authenticated and not wire.of(s.EsmtpViolation)
    assert wire.to_server.endswith(b"dXNlcg==\r\ncGFzcw==\r\nNOOP\r\n")


def test_auth_violations_are_masked():
    for lines in ([b"AUTH CRAM-MD5\r\n"], [b"AUTH PLAIN !!!\r\n"],
                  [b"AUTH PLAIN\r\n", b"not base64!\r\n"],
                  [b"MAIL FROM:<a@b>\r\n", b"AUTH PLAIN\r\n"]):
        wire = session(EHLO + lines, esmtp=True)
        assert wire.of(s.EsmtpViolation)[0].kind == "AUTH", lines
        assert not wire.server.authenticated


def test_auth_response_is_not_taken_for_a_command():
    wire = session(EHLO + [b"AUTH PLAIN\r\n", b"AGEAYg==\r\n"], esmtp=True)
    assert wire.to_server.endswith(b"AGEAYg==\r\n") and not wire.of(s.InvalidCommand)


def test_etrn_syntax():
    assert session(EHLO + [b"ETRN @example.com\r\n"], esmtp=True).to_server.endswith(
        b"ETRN @example.com\r\n")
    wire = session(EHLO + [b"ETRN bad/node\r\n"], esmtp=True)
    assert wire.of(s.EsmtpViolation)[0].kind == "ETRN"


def test_pipelining_without_advertisement_is_alerted_not_blocked():
    server = OpenServer(extensions=("SIZE 1000",))
    inspector = s.SmtpInspector(esmtp=True)
    wire = Wire(inspector, server)
    wire.send(b"EHLO a\r\n")
    wire.send(b"NOOP\r\nNOOP\r\n")
    (v,) = wire.of(s.EsmtpViolation)
    assert (v.kind, v.masked) == ("PIPELINING", False)
    assert wire.to_server == b"EHLO a\r\nNOOP\r\nNOOP\r\n"
    assert alert_text(v, "10.1.1.1", 1234) == (
        "%FW-4-ESMTP_VIOLATION: ESMTP PIPELINING violation (not advertised) from initiator "
        "(10.1.1.1:1234)")


def test_data_beyond_declared_size_is_alerted():
    lines = EHLO + [b"MAIL FROM:<a@b> SIZE=10\r\n", b"RCPT TO:<c@d>\r\n", b"DATA\r\n",
                    b"a" * 50 + b"\r\n.\r\n"]
    wire = session(lines, esmtp=True)
    assert [v.kind for v in wire.of(s.EsmtpViolation)] == ["SIZE"]
    assert wire.server.messages

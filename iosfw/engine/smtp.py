"""SMTP/ESMTP inspection (CBAC `smtp` / `esmtp`): one `SmtpInspector` per session, fed the TCP
payload of each segment in both directions. It reassembles command and reply lines, matches
verbs with a state machine, overwrites illegal commands with `x` (same length) and follows the
replies to know when the message data starts and ends. Pure: bytes in, bytes and events out;
`iosfw.show.smtp_debug` turns the events into the router's text. Behaviour: docs/smtp.md."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from enum import Enum, auto

# ------------------------------------------------------------------ verbs and match ids
ESMTP_VERBS = ("AUTH", "DATA", "EHLO", "ETRN", "HELO", "HELP", "MAIL", "NOOP", "QUIT", "RCPT",
               "RSET", "SAML", "SEND", "SOML", "VRFY")
SMTP_VERBS = tuple(v for v in ESMTP_VERBS if v not in ("AUTH", "EHLO", "ETRN"))
VERB_ID = {verb: n for n, verb in enumerate(ESMTP_VERBS, 1)}   # AUTH 1 ... VRFY 15

PARAM_MATCH = 6                                  # CMD PARAM - match id:6 (line ends in CRLF)
REPLY_LINE, REPLY_POSITIVE, REPLY_START_DATA, REPLY_AUTH_CHALLENGE = 13, 10, 11, 12

MAX_COMMAND_LINE = 4096      # bytes before the line terminator
MAX_AUTH_LINE = 12288        # RFC 4954 allows long SASL responses
MAX_PENDING = 65536          # client bytes held while a DATA/AUTH reply is awaited

# Verb automaton: a trie over the 15 ESMTP verbs, numbered breadth first with each level's
# prefixes in descending order, so its states are the numbers the document's router prints
# (H 9, HE 24, HEL 40, HELO 56, HELP 55; V 3 ... VRFY 46; Q 6, QUI 37, QUIT 52).
START, DEAD = 0, 1
_LEVEL_BASE = {1: 3, 2: 15, 3: 31, 4: 46}
_PREFIX_STATE: dict[str, int] = {"": START}
for _depth, _base in _LEVEL_BASE.items():
    for _n, _prefix in enumerate(sorted({v[:_depth] for v in ESMTP_VERBS}, reverse=True)):
        _PREFIX_STATE[_prefix] = _base + _n
_NEXT: dict[int, dict[int, int]] = {}
for _prefix, _state in _PREFIX_STATE.items():
    if _prefix:
        _parent = _NEXT.setdefault(_PREFIX_STATE[_prefix[:-1]], {})
        _parent[ord(_prefix[-1])] = _parent[ord(_prefix[-1].lower())] = _state
_LEAF = {_PREFIX_STATE[v]: v for v in ESMTP_VERBS}

# Parameter automaton states (designed; 7, 2, 4 and 3 fit the capture).
P_START, P_DELIM, P_TEXT, P_SEP, P_CR, P_END = 0, 7, 2, 4, 5, 3

# Reply automaton states (designed; 18 and 3 at the end of a line are the document's).
R_START, R_BAD, R_DIGIT1, R_DIGIT2 = 0, 1, 4, 5
R_TEXT, R_CR, R_END = 6, 7, 3                      # other replies
R_ACT_TEXT, R_ACT_CR, R_ACT_END = 15, 16, 18       # replies the inspector acts on
R_BAD_CR = 8
_ACT_CODES = {220: REPLY_POSITIVE, 221: REPLY_POSITIVE, 250: REPLY_POSITIVE,
              251: REPLY_POSITIVE, 354: REPLY_START_DATA, 334: REPLY_AUTH_CHALLENGE}

CR, LF, SP, NUL = 13, 10, 32, 0


# ------------------------------------------------------------------ events: debug facts
@dataclass(frozen=True)
class ReplyType:
    kind: str                   # "OTHERS"


@dataclass(frozen=True)
class OtherReply:
    reply_len: int              # running length of the reply line
    match_len: int              # bytes of this segment in the line
    state: int                  # reply_re_state after them


@dataclass(frozen=True)
class ReplyMatch:
    match_id: int


@dataclass(frozen=True)
class EndOfReplyLine:
    index: int                  # reply lines of the session, from 0 (the greeting)
    length: int                 # with the line terminator


@dataclass(frozen=True)
class Verb:
    cmd_len: int
    match_len: int
    state: int                  # cmd_re_state


@dataclass(frozen=True)
class VerbMatch:
    match_id: int


@dataclass(frozen=True)
class CmdParam:
    cmd_len: int
    match_len: int
    state: int


@dataclass(frozen=True)
class ParamMatch:
    match_id: int


@dataclass(frozen=True)
class EndOfCommandLine:
    index: int                  # command lines of the session, from 1
    length: int                 # with the line terminator


@dataclass(frozen=True)
class DataStart:
    offset: int                 # client bytes forwarded before the first data byte


@dataclass(frozen=True)
class DataEnd:
    offset: int                 # client bytes forwarded up to the end of CRLF.CRLF
    length: int                 # bytes of this message, the terminator included


@dataclass(frozen=True)
class Anomaly:
    kind: str                   # "command before greeting", "reply without command"
    index: int


# ------------------------------------------------------------------ events: alerts
@dataclass(frozen=True)
class InvalidCommand:
    index: int                  # command line
    verb: bytes                 # its first bytes as received (at most 5)
    reason: str                 # illegal verb, empty line, verb delimiter, NUL, bare CR,
                                # line too long


@dataclass(frozen=True)
class MaxDataExceeded:
    data_bytes: int
    max_data: int


@dataclass(frozen=True)
class EsmtpViolation:
    kind: str                   # SIZE, BODY, DSN, AUTH, ETRN, PARAM, PIPELINING
    index: int
    detail: str
    masked: bool                # the command was overwritten (False: alert only)


@dataclass(frozen=True)
class AmbiguousEndOfData:
    offset: int                 # client stream offset of the dot that was masked


@dataclass(frozen=True)
class PendingOverflow:
    held: int                   # client bytes sent while a DATA/AUTH reply was awaited


ALERTS = (InvalidCommand, MaxDataExceeded, EsmtpViolation, AmbiguousEndOfData, PendingOverflow)


@dataclass(frozen=True)
class Verdict:
    forward: bytes              # to send on in this segment's direction
    events: tuple
    reset: bool = False         # reset the session both ways
    release: bytes = b""        # held client bytes now due to the server (from_server only)


_new_verdict = object.__new__


def _pass(data: bytes) -> Verdict:
    """Verdict(data, ()) for the data-phase fast path, built without the frozen dataclass's
    __init__ (reset and release keep their class-level defaults)."""
    verdict = _new_verdict(Verdict)
    fields = verdict.__dict__
    fields["forward"] = data
    fields["events"] = ()
    return verdict


# ------------------------------------------------------------------ parameter checks
_XTEXT = re.compile(rb"(?:[\x21-\x2a\x2c-\x3c\x3e-\x7e]|\+[0-9A-F]{2})+\Z")
_BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")
_MECH = re.compile(rb"[A-Za-z0-9_-]{1,20}\Z")
_ETRN_NODE = re.compile(rb"[@#]?[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_NOTIFY = {b"SUCCESS", b"FAILURE", b"DELAY"}
_HELD_VERBS = ("MAIL", "RCPT", "AUTH", "ETRN")     # examined whole under esmtp


def _printable(raw: bytes, limit: int = 40) -> str:
    text = raw[:limit].decode("latin-1")
    return "".join(c if " " <= c <= "~" else "." for c in text)


# ------------------------------------------------------------------ session state: plain data
class LineMode(Enum):
    """What becomes of a command line's bytes as they arrive, decided by its verb."""
    VERB = auto()               # held until the verb and its delimiter are known
    PASS = auto()               # forwarded as they arrive
    HOLD = auto()               # held whole, examined at the line's end (ESMTP parameters)
    MASK = auto()               # forwarded overwritten with `x` from `mask_from` on


# The modes as module names: looking a member up on an Enum class costs ten times a global in
# Python 3.11, and the modes are tested several times per command line.
M_VERB, M_PASS, M_HOLD, M_MASK = LineMode.VERB, LineMode.PASS, LineMode.HOLD, LineMode.MASK


@dataclass(slots=True)
class CommandLine:
    """The command line being reassembled, so that starting and ending a line are named steps."""
    index: int = 0              # command lines of the session, from 1
    length: int = 0             # bytes received, the terminator included
    vstate: int | None = START  # verb automaton; None once the verb is matched
    pstate: int = P_START       # parameter automaton
    verb: str | None = None
    mode: LineMode = M_VERB
    held: bytearray = field(default_factory=bytearray)
    fwd: int = 0                # line bytes forwarded
    mask_from: int | None = None    # line offset from which bytes are overwritten
    auth_line: bool = False     # a response to an AUTH challenge, not a command

    def begin(self, auth_response: bool) -> None:
        """Its first byte arrived: number it; an AUTH response has no verb and is held whole."""
        self.index += 1
        if auth_response:
            self.auth_line = True
            self.vstate = None
            self.pstate = P_TEXT
            self.mode = M_HOLD

    def mask(self, offset: int) -> bool:
        """Overwrite the line from `offset` on; True the first time the line is masked."""
        if self.mask_from is None or offset < self.mask_from:
            self.mask_from = offset
        if self.mode is M_MASK:
            return False
        self.mode = M_MASK
        return True

    def terminator_len(self) -> int:
        return 2 if self.held[-2:] == b"\r\n" else 1

    def reset(self) -> None:
        """After its terminator: ready for the next line, which keeps counting from `index`."""
        self.length = 0
        self.vstate = START
        self.pstate = P_START
        self.verb = None
        self.mode = M_VERB
        self.held = bytearray()
        self.fwd = 0
        self.mask_from = None
        self.auth_line = False


@dataclass(slots=True)
class DataPhase:
    """The message after a 354: what a dot line or CRLF.CRLF split across segments needs."""
    active: bool = False
    tail: bytes = b"\r\n"       # the last two message bytes forwarded
    held: bytes = b""           # a possible dot line held until its next bytes arrive
    msg_len: int = 0            # bytes of this message
    total: int = 0              # message bytes of the whole session, against max_data

    def start(self) -> None:
        """A 354 came: the message starts at a line start, with nothing held."""
        self.active = True
        self.tail = b"\r\n"
        self.held = b""
        self.msg_len = 0

    def end(self) -> None:
        """CRLF.CRLF was forwarded: the client sends commands again."""
        self.active = False


@dataclass(slots=True)
class ReplyLine:
    """The reply line being received, and the EHLO reply lines kept until its final one."""
    index: int = 0              # reply lines of the session, from 0 (the greeting)
    length: int = 0             # bytes received, the terminator included
    head: bytes = b""           # its first 512 bytes
    lines: list[bytes] = field(default_factory=list)    # heads of the EHLO reply so far

    def malformed(self) -> bool:
        head = self.head
        for k in range(min(3, len(head))):
            if not 48 <= head[k] <= 57:
                return True
        return len(head) > 3 and head[3] not in (SP, 45, CR, LF)

    def code(self):
        """(code, final) of the line so far; code None while unknown or malformed."""
        head = self.head
        if len(head) < 3 or self.malformed():
            return None, True
        return int(head[:3]), head[3:4] != b"-"

    def finish(self) -> bytes:
        """After its terminator: count it and start the next line; returns its head."""
        head = self.head
        self.index += 1
        self.length, self.head = 0, b""
        return head

    def take_lines(self) -> list[bytes]:
        """The EHLO reply lines kept until its final line, none kept for the next reply."""
        lines, self.lines = self.lines, []
        return lines


@dataclass(slots=True)
class EsmtpSession:
    """What final replies established (aiosmtpd's Session and Envelope); ESMTP checks read it."""
    greeted: bool = False
    pregreet_seen: bool = False
    pipelining_alerted: bool = False
    ext: dict[str, list[bytes]] | None = None   # EHLO keywords, None before EHLO/HELO
    auth_next: bool = False     # the next client line answers a 334 challenge
    authenticated: bool = False
    in_tx: bool = False         # a MAIL was accepted, the message not yet sent or reset
    pending_size: int | None = None     # SIZE= of the MAIL line being examined
    declared: int | None = None         # SIZE= of the MAIL command forwarded last
    size: int | None = None             # SIZE= of the accepted MAIL, for this message

    def advertised(self, keyword: str) -> bool:
        return self.ext is not None and keyword in self.ext

    def hello(self, ext: dict) -> None:
        """A positive reply to EHLO or HELO: the server's keywords, no transaction open."""
        self.ext = ext
        self.in_tx = False

    def start_transaction(self) -> None:
        """A positive reply to MAIL."""
        self.in_tx = True

    def end_transaction(self) -> None:
        """The reply to RSET or to the end of the message."""
        self.in_tx = False

    def start_data(self) -> None:
        """A 354: the message is held to the SIZE= of its transaction's MAIL."""
        self.size = self.declared if self.in_tx else None


class SmtpInspector:
    """One SMTP session seen by the router: `from_client` for the initiator's segments,
    `from_server` for the responder's."""

    def __init__(self, esmtp: bool = False, max_data: int = 20_000_000):
        self.esmtp = esmtp
        self.max_data = max_data
        self._legal = frozenset(ESMTP_VERBS if esmtp else SMTP_VERBS)
        self._reset = False
        self._out = 0                       # client bytes forwarded so far
        self._queue = deque(["GREETING"])   # commands awaiting their final reply
        self._awaiting = False              # DATA or AUTH sent: hold the client until answered
        self._pending = bytearray()
        self._session = EsmtpSession()
        self._line = CommandLine()
        self._data = DataPhase()
        self._reply = ReplyLine()

    # ---------------------------------------------------------------- public API
    def from_client(self, data: bytes) -> Verdict:
        phase = self._data
        if phase.active and not phase.held and not self._awaiting and not self._reset:
            # message data with no dot after a CR or LF: forwarded as it is
            n = len(data)
            if (n > 1 and data.find(b"\n.") < 0 and data.find(b"\r.") < 0
                    and (data[0] != 0x2E or phase.tail[-1] not in (CR, LF))
                    and phase.total + n <= self.max_data):
                phase.msg_len += n
                phase.total += n
                self._out += n
                phase.tail = data[-2:]
                return _pass(data)
        if self._reset:
            return Verdict(b"", (), True)
        if self._awaiting:
            return self._hold(data)
        out: list[bytes] = []
        events: list = []
        self._feed_client(data, out, events)
        if self._reset:
            return Verdict(b"", tuple(events), True)
        return Verdict(b"".join(out), tuple(events))

    def from_server(self, data: bytes) -> Verdict:
        if self._reset:
            return Verdict(b"", (), True)
        events: list = []
        release: list[bytes] = []
        pos, n = 0, len(data)
        while pos < n:
            nl = data.find(b"\n", pos)
            end = n if nl < 0 else nl + 1
            self._reply_chunk(data[pos:end], nl >= 0, events, release)
            pos = end
        if self._reset:
            return Verdict(b"", tuple(events), True)
        return Verdict(data, tuple(events), False, b"".join(release))

    @property
    def held(self) -> int:
        """Client bytes received but not yet forwarded."""
        return len(self._pending) + len(self._line.held) + len(self._data.held)

    @property
    def answered(self) -> bool:
        """Every command forwarded has had its final reply and no byte is held for one: a
        relay passes a client's half-close on only then, since a server that stops at end of
        file (aiosmtpd does) would drop what it has not answered yet."""
        return not self._pending and not self._queue

    @property
    def in_data(self) -> bool:
        return self._data.active

    @property
    def extensions(self) -> frozenset:
        return frozenset(self._session.ext or ())

    # ---------------------------------------------------------------- client side
    def _hold(self, data: bytes) -> Verdict:
        self._pending += data
        if len(self._pending) > MAX_PENDING:
            self._reset = True
            return Verdict(b"", (PendingOverflow(len(self._pending)),), True)
        return Verdict(b"", ())

    def _emit(self, out: list, chunk: bytes) -> None:
        if chunk:
            out.append(chunk)
            self._out += len(chunk)

    def _feed_client(self, data: bytes, out: list, events: list) -> None:
        pos, n = 0, len(data)
        while pos < n and not self._reset:
            if self._awaiting:
                self._pending += data[pos:]
                if len(self._pending) > MAX_PENDING:
                    self._reset = True
                    events.append(PendingOverflow(len(self._pending)))
                return
            if self._data.active:
                pos = self._data_chunk(data, pos, out, events)
            else:
                pos = self._command_chunk(data, pos, out, events)

    def _start_line(self, events: list) -> None:
        line, session = self._line, self._session
        line.begin(session.auth_next)
        session.auth_next = False
        if not session.greeted and not session.pregreet_seen:
            session.pregreet_seen = True
            events.append(Anomaly("command before greeting", line.index))
        elif (self.esmtp and session.greeted and self._queue and not session.pipelining_alerted
              and "PIPELINING" not in (session.ext or {})):
            session.pipelining_alerted = True
            events.append(EsmtpViolation("PIPELINING", line.index, "not advertised", False))

    def _invalid(self, events: list, reason: str, mask_from: int, seen: int = 5) -> None:
        """The line is illegal from `mask_from` on; `seen` bytes of it name the culprit."""
        line = self._line
        if line.mask(mask_from):
            head = line.held if line.fwd == 0 else b""
            events.append(InvalidCommand(line.index, bytes(head[:min(seen, 5)]), reason))

    def _command_chunk(self, data: bytes, pos: int, out: list, events: list) -> int:
        nl = data.find(b"\n", pos)
        ended = nl >= 0
        end = nl + 1 if ended else len(data)
        chunk = data[pos:end]
        line = self._line
        if line.length == 0:
            self._start_line(events)
        start = line.length
        line.length += len(chunk)
        line.held += chunk
        i = 0
        if line.vstate is not None:
            i = self._verb_part(chunk, start, events)
        if i < len(chunk):
            self._param_part(chunk, i, start, ended, events)
        if ended:
            self._end_line(out, events)
        else:
            self._flush(out, False)
        return end

    def _verb_part(self, chunk: bytes, start: int, events: list) -> int:
        line = self._line
        state, i, n = line.vstate, 0, len(chunk)
        while i < n:
            state = _NEXT.get(state, {}).get(chunk[i], DEAD)
            i += 1
            if state == DEAD or state in _LEAF:
                break
        if state in _LEAF and _LEAF[state] not in self._legal:
            state = DEAD
        decided = start + i
        if state == DEAD:
            i = n
        events.append(Verb(start + i, i, state))
        if state == DEAD:
            reason = "empty line" if chunk[:1] in (b"\r", b"\n") and start == 0 else \
                "illegal verb"
            self._invalid(events, reason, 0, decided)
            line.vstate = None
            line.pstate = DEAD
            return n
        if state in _LEAF:
            line.verb = _LEAF[state]
            line.vstate = None
            events.append(VerbMatch(VERB_ID[line.verb]))
        else:
            line.vstate = state
        return i

    def _param_part(self, chunk: bytes, i: int, start: int, ended: bool, events: list) -> None:
        line = self._line
        part = chunk[i:]
        was = line.pstate
        if line.mode is M_VERB:                 # the verb delimiter decides the verb
            b0 = part[0]
            if was == P_CR:                     # a CR ended the previous segment
                ok, reason = b0 == LF, "bare CR"
            elif b0 == CR:
                ok, reason = (part[1] == LF if len(part) > 1 else None), "bare CR"
            else:
                ok, reason = b0 == SP or b0 == LF, "verb delimiter"
            if ok:
                line.mode = M_HOLD if (self.esmtp and line.verb in _HELD_VERBS) else M_PASS
            elif ok is not None:
                self._invalid(events, reason, 0)
        if line.mode in (M_PASS, M_HOLD) and line.pstate != DEAD:
            self._scan_params(ended, events)
        if line.mode is M_MASK or line.pstate == DEAD:
            state = DEAD
        else:
            last = part[-1]
            if last == LF:
                state = P_END
            elif last == CR:
                state = P_CR
            elif last == SP:
                state = P_DELIM if was == P_START and len(part) == 1 else P_SEP
            else:
                state = P_TEXT
        line.pstate = state
        events.append(CmdParam(start + len(chunk), len(part), state))
        if state == P_END:
            events.append(ParamMatch(PARAM_MATCH))

    def _scan_params(self, ended: bool, events: list) -> None:
        """NUL, bare CR and length checks over the line bytes not yet forwarded."""
        line = self._line
        held = line.held
        base = line.fwd
        bad, reason = None, ""
        k = held.find(b"\0")
        if k >= 0:
            bad, reason = k, "NUL"
        c = held.find(b"\r")
        while c >= 0 and (bad is None or c < bad):
            if c + 1 < len(held) and held[c + 1] != LF:
                bad, reason = c, "bare CR"
                break
            c = held.find(b"\r", c + 1)
        limit = MAX_AUTH_LINE if line.auth_line else MAX_COMMAND_LINE
        body = line.length - (line.terminator_len() if ended else
                              (1 if held[-1:] == b"\r" else 0))
        if body > limit and (bad is None or base + bad > limit):
            bad, reason = limit - base, "line too long"
        if bad is not None:
            self._invalid(events, reason, 0 if line.mode is M_HOLD else base + bad)

    def _flush(self, out: list, ended: bool) -> None:
        """Forward the held line bytes whose fate is decided."""
        line = self._line
        held = line.held
        if line.mode in (M_VERB, M_HOLD) and not ended:
            return
        upto = len(held)
        term = 0
        if ended:
            term = line.terminator_len()
        elif held[-1:] == b"\r":
            upto -= 1                            # CR: terminator or bare, see next byte
        if upto <= 0:
            return
        piece = bytes(held[:upto])
        if line.mask_from is not None:
            j = max(0, line.mask_from - line.fwd)
            body_end = upto - term
            if j < body_end:
                piece = piece[:j] + b"x" * (body_end - j) + piece[body_end:]
        del held[:upto]
        line.fwd += upto
        self._emit(out, piece)

    def _end_line(self, out: list, events: list) -> None:
        line = self._line
        if line.mode is M_HOLD and line.pstate != DEAD:
            self._check_held_line(events)
        if line.mode is M_VERB:                  # a line that ended inside the verb
            self._invalid(events, "illegal verb", 0)
        self._flush(out, True)
        events.append(EndOfCommandLine(line.index, line.length))
        if line.mode is M_MASK:
            item = "xxxx"
        elif line.auth_line:
            item = "AUTHDATA"
        else:
            item = line.verb
        self._queue.append(item)
        if item == "DATA" or item in ("AUTH", "AUTHDATA"):
            self._awaiting = True
        line.reset()

    # ---------------------------------------------------------------- ESMTP examination
    def _check_held_line(self, events: list) -> None:
        line, session = self._line, self._session
        text = bytes(line.held[:len(line.held) - line.terminator_len()])
        if line.auth_line:
            problem = None if text == b"*" or _BASE64.match(text) else ("AUTH", "response")
        else:
            problem = getattr(self, "_check_" + line.verb)(text[5:])
        if problem is not None:
            kind, detail = problem
            line.mask(0)
            events.append(EsmtpViolation(kind, line.index, detail, True))
        elif line.verb == "MAIL":
            session.declared = session.pending_size

    def _params(self, arg: bytes, prefix: bytes, allowed: dict):
        """Split `FROM:<path> K=V ...`; check each parameter with `allowed[K]`."""
        if arg[:len(prefix)].upper() != prefix:
            return None, []
        rest = arg[len(prefix):].lstrip(b" ")
        if rest.startswith(b"<"):
            close = rest.find(b">")
            rest = rest[close + 1:] if close >= 0 else b""
        else:
            rest = rest.partition(b" ")[2]
        seen = set()
        for token in rest.split():
            key, eq, value = token.partition(b"=")
            key = key.upper()
            check = allowed.get(key)
            if check is None or key in seen:
                return ("PARAM", _printable(token)), []
            seen.add(key)
            problem = check(value if eq else None, token)
            if problem:
                return problem, []
        return None, list(seen)

    def _need(self, keyword: str, kind: str, token: bytes):
        if not self._session.advertised(keyword):
            return kind, _printable(token)
        return None

    def _p_size(self, value, token):
        if value is None or not value.isdigit() or len(value) > 20:
            return "SIZE", _printable(token)
        if int(value) > self.max_data:
            return "SIZE", _printable(token)
        self._session.pending_size = int(value)
        return self._need("SIZE", "SIZE", token)

    def _p_body(self, value, token):
        body = (value or b"").upper()
        if body == b"7BIT":
            return None
        if body in (b"8BITMIME", b"BINARYMIME"):
            return self._need(body.decode(), "BODY", token)
        return "BODY", _printable(token)

    def _p_ret(self, value, token):
        if (value or b"").upper() not in (b"FULL", b"HDRS"):
            return "DSN", _printable(token)
        return self._need("DSN", "DSN", token)

    def _p_envid(self, value, token):
        if not value or len(value) > 100 or not _XTEXT.match(value):
            return "DSN", _printable(token)
        return self._need("DSN", "DSN", token)

    def _p_auth(self, value, token):
        if not value or not (value == b"<>" or _XTEXT.match(value)):
            return "AUTH", _printable(token)
        return self._need("AUTH", "AUTH", token)

    def _p_notify(self, value, token):
        items = (value or b"").upper().split(b",")
        if items == [b"NEVER"] or (items and set(items) <= _NOTIFY
                                   and len(set(items)) == len(items)):
            return self._need("DSN", "DSN", token)
        return "DSN", _printable(token)

    def _p_orcpt(self, value, token):
        kind, semi, addr = (value or b"").partition(b";")
        if not semi or not _MECH.match(kind) or not addr or len(value) > 500 \
                or not _XTEXT.match(addr):
            return "DSN", _printable(token)
        return self._need("DSN", "DSN", token)

    def _check_MAIL(self, arg: bytes):
        self._session.pending_size = None
        allowed = {b"SIZE": self._p_size, b"BODY": self._p_body, b"RET": self._p_ret,
                   b"ENVID": self._p_envid, b"AUTH": self._p_auth}
        return self._params(arg, b"FROM:", allowed)[0]

    def _check_RCPT(self, arg: bytes):
        return self._params(arg, b"TO:", {b"NOTIFY": self._p_notify,
                                          b"ORCPT": self._p_orcpt})[0]

    def _check_AUTH(self, arg: bytes):
        session = self._session
        mech, _, initial = arg.strip(b" ").partition(b" ")
        if session.authenticated:
            return "AUTH", "already authenticated"
        if session.in_tx:
            return "AUTH", "during mail transaction"
        if not _MECH.match(mech):
            return "AUTH", _printable(mech)
        offered = [m.upper() for m in (session.ext or {}).get("AUTH", [])]
        if not session.advertised("AUTH") or mech.upper() not in offered:
            return "AUTH", _printable(mech)
        if initial and initial != b"=" and not _BASE64.match(initial):
            return "AUTH", "initial response"
        return None

    def _check_ETRN(self, arg: bytes):
        node = arg.strip(b" ")
        if not _ETRN_NODE.match(node):
            return "ETRN", _printable(node) or "no node"
        return self._need("ETRN", "ETRN", node)

    # ---------------------------------------------------------------- data phase
    def _data_chunk(self, data: bytes, pos: int, out: list, events: list) -> int:
        """Forward message data up to CRLF.CRLF; mask dots of other dot lines."""
        phase = self._data
        held = phase.held
        buf = held + data[pos:] if held else (data[pos:] if pos else data)
        n = len(buf)
        ctx = phase.tail
        masks = []
        end = hold = None
        lf = buf.find(b"\n.")
        cr = buf.find(b"\r.")
        d = 0 if buf[:1] == b"." and ctx[-1] in (CR, LF) else None
        while True:
            if d is None:
                if lf < 0 and cr < 0:
                    break
                if cr < 0 or (0 <= lf < cr):
                    d, lf = lf + 1, buf.find(b"\n.", lf + 1)
                else:
                    d, cr = cr + 1, buf.find(b"\r.", cr + 1)
            if d + 1 >= n:
                hold = d
                break
            nx = buf[d + 1]
            if nx == CR or nx == LF:
                if nx == CR and d + 2 >= n:
                    hold = d
                    break
                prev = buf[d - 1] if d >= 1 else ctx[-1]
                prev2 = buf[d - 2] if d >= 2 else ctx[d - 2]
                if prev2 == CR and prev == LF and nx == CR and buf[d + 2] == LF:
                    end = d + 3
                    break
                masks.append(d)
            d = None
        limit = end if end is not None else hold if hold is not None else n
        piece = buf[:limit]
        if masks:
            arr = bytearray(piece)
            for m in masks:
                arr[m] = 0x78
                events.append(AmbiguousEndOfData(self._out + m))
            piece = bytes(arr)
        consumed = (limit if end is not None else n) - len(held)
        phase.held = buf[hold:] if end is None and hold is not None else b""
        phase.msg_len += consumed
        phase.total += consumed
        if phase.total > self.max_data:
            self._reset = True
            events.append(MaxDataExceeded(phase.total, self.max_data))
            return len(data)
        if piece:
            phase.tail = (ctx + piece)[-2:] if len(piece) < 2 else piece[-2:]
        self._emit(out, piece)
        if end is None:
            return len(data)
        events.append(DataEnd(self._out, phase.msg_len))
        size = self._session.size
        if self.esmtp and size is not None and phase.msg_len > size:
            events.append(EsmtpViolation("SIZE", self._line.index,
                                         f"declared {size}, sent {phase.msg_len}", False))
        phase.end()
        self._queue.append("EOD")
        return pos + consumed

    # ---------------------------------------------------------------- server side
    def _reply_chunk(self, chunk: bytes, ended: bool, events: list, release: list) -> None:
        reply = self._reply
        if reply.length == 0:
            events.append(ReplyType("OTHERS"))
        reply.length += len(chunk)
        if len(reply.head) < 512:
            reply.head += chunk[:512 - len(reply.head)]
        code, final = reply.code()
        act = _ACT_CODES.get(code) if code is not None else None
        last = chunk[-1]
        if ended:
            state = R_ACT_END if act else R_END
        elif code is None and reply.malformed():
            state = R_BAD_CR if last == CR else R_BAD
        elif code is None:
            state = R_DIGIT1 if len(reply.head) == 1 else R_DIGIT2
        elif last == CR:
            state = R_ACT_CR if act else R_CR
        else:
            state = R_ACT_TEXT if act else R_TEXT
        events.append(OtherReply(reply.length, len(chunk), state))
        if not ended:
            return
        events.append(ReplyMatch(REPLY_LINE))
        if act:
            events.append(ReplyMatch(act))
        events.append(EndOfReplyLine(reply.index, reply.length))
        head = reply.finish()
        if self._queue and self._queue[0] == "EHLO":
            reply.lines.append(head)
        if not final:
            return
        self._final_reply(code, reply.take_lines(), events, release)

    def _final_reply(self, code, lines, events: list, release: list) -> None:
        queue, session = self._queue, self._session
        if not queue:
            events.append(Anomaly("reply without command", self._reply.index - 1))
            return
        if code == 354 and "DATA" in queue:
            while queue.popleft() != "DATA":
                pass
            self._awaiting = False
            session.start_data()
            self._data.start()
            events.append(DataStart(self._out))
            self._release(events, release)
            return
        item = queue.popleft()
        positive = code is not None and 200 <= code < 300
        if item == "GREETING":
            session.greeted = True
        elif item == "EHLO" and positive:
            session.hello(self._parse_ehlo(lines))
        elif item == "HELO" and positive:
            session.hello({})
        elif item == "MAIL" and positive:
            session.start_transaction()
        elif item in ("RSET", "EOD"):
            session.end_transaction()
        elif item in ("AUTH", "AUTHDATA"):
            if code == 334:
                session.auth_next = True
            elif code == 235:
                session.authenticated = True
        if item in ("DATA", "AUTH", "AUTHDATA") and self._awaiting:
            self._awaiting = False
            self._release(events, release)

    def _release(self, events: list, release: list) -> None:
        if self._pending:
            data = bytes(self._pending)
            self._pending.clear()
            self._feed_client(data, release, events)

    @staticmethod
    def _parse_ehlo(lines: list) -> dict:
        ext: dict[str, list[bytes]] = {}
        for line in lines[1:]:
            words = line[4:].split()
            if words:
                ext[words[0].decode("latin-1").upper()] = words[1:]
        return ext

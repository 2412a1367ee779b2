"""A simulated mail server behind the router: client bytes in, reply bytes out, no I/O. It
answers like a small MTA (RFC 5321 with SIZE, 8BITMIME, PIPELINING, DSN, ETRN, AUTH PLAIN/LOGIN,
ENHANCEDSTATUSCODES) and records what it saw, so tests can compare its view of the stream with
the inspector's. The "seed" personality gives the replies of the document's exchange."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field

DEFAULT_EXTENSIONS = ("SIZE {size}", "8BITMIME", "PIPELINING", "DSN", "ETRN",
                      "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES")

# The seed personality: texts of our own with the lengths of the document's replies
# (greeting 64 bytes, HELO 11, VRFY 19, HELP ten lines of 54 15 15 6 19 17 6 6 6 3, QUIT 21).
SEED_GREETING = b"220 mailhost.example.net ESMTP simulated mail service is ready\r\n"
SEED_HELO = b"250 Hello\r\n"
SEED_VRFY = b"252 Cannot verify\r\n"
SEED_HELP = (b"214-This simulated server understands these commands\r\n"
             b"214-HELO MAIL\r\n" b"214-RCPT DATA\r\n" b"214-\r\n" b"214-RSET and NOOP\r\n"
             b"214-VRFY & QUIT\r\n" b"214-\r\n" b"214-\r\n" b"214-\r\n" b".\r\n")
SEED_QUIT = b"221 Closing channel\r\n"


@dataclass
class Envelope:
    sender: bytes | None = None
    recipients: list = field(default_factory=list)
    size: int | None = None


def reply(code: int, *lines: str) -> bytes:
    """A reply, multi-line when given several lines."""
    lines = lines or ("",)
    out = [f"{code}-{text}\r\n" for text in lines[:-1]]
    out.append(f"{code} {lines[-1]}\r\n" if lines[-1] else f"{code}\r\n")
    return "".join(out).encode("latin-1")


class MailServer:
    """One SMTP connection as the server sees it. `feed` takes the bytes the router forwards
    and returns the replies; `data_spans` holds (start, end) stream offsets of each message
    (end None while it is being received)."""

    def __init__(self, personality: str = "default", hostname: str = "mail.example.com",
                 max_size: int = 20_000_000, extensions=DEFAULT_EXTENSIONS,
                 lenient_dot: bool = False, max_line: int = 8192):
        self.seed = personality == "seed"
        self.hostname = hostname
        self.max_size = max_size
        self.extensions = [e.format(size=max_size) for e in extensions]
        self.lenient_dot = lenient_dot      # also end data at LF.LF (a smuggling-prone MTA)
        self.max_line = max_line
        self.received = 0                    # stream offset of the next byte
        self.data_spans: list[list] = []
        self.command_lines: list[tuple[int, bytes]] = []   # (offset, line) in command mode
        self.messages: list[bytes] = []
        self.closed = False
        self._buf = bytearray()
        self._too_long = False
        self._data = False
        self._msg = bytearray()
        self._scan = 0
        self._auth = None                    # SASL exchange in progress: (mechanism, step)
        self.authenticated = False
        self._greeted_as = None
        self.envelope = Envelope()

    def greeting(self) -> bytes:
        if self.seed:
            return SEED_GREETING
        return reply(220, f"{self.hostname} ESMTP iosfw simulated MTA")

    # ---------------------------------------------------------------- stream
    def feed(self, data: bytes) -> bytes:
        if self.closed:
            return b""
        self._buf += data
        out = []
        while self._buf and not self.closed:
            if self._data:
                if not self._data_step(out):
                    break
                continue
            nl = self._buf.find(b"\n")
            if nl < 0:
                if len(self._buf) > self.max_line:
                    self.received += len(self._buf)
                    self._buf.clear()
                    self._too_long = True
                break
            line = bytes(self._buf[:nl + 1])
            del self._buf[:nl + 1]
            start = self.received
            self.received += len(line)
            self.command_lines.append((start, line))
            if self._too_long or len(line) > self.max_line:
                self._too_long = False
                out.append(reply(500, "5.5.2 Line too long"))
                continue
            out.append(self._command(line.rstrip(b"\r\n")))
        return b"".join(out)

    def _data_step(self, out: list) -> bool:
        """Move buffered bytes into the message; True when the message ended."""
        self._msg += self._buf
        self.received += len(self._buf)
        self._buf.clear()
        msg = self._msg
        end = -1
        if msg[:3] == b".\r\n":
            end = 3
        elif self.lenient_dot and msg[:2] == b".\n":
            end = 2
        if end < 0:
            k = msg.find(b"\r\n.\r\n", max(0, self._scan - 4))
            end = k + 5 if k >= 0 else -1
            if self.lenient_dot:
                for marker in (b"\n.\n", b"\n.\r\n"):
                    k = msg.find(marker, max(0, self._scan - 4))
                    if k >= 0 and (end < 0 or k + len(marker) < end):
                        end = k + len(marker)
        self._scan = len(msg)
        if end < 0:
            return False
        rest = bytes(msg[end:])
        body = bytes(msg[:end])
        self.received -= len(rest)
        self.data_spans[-1][1] = self.received
        self._buf[:0] = rest
        self._msg = bytearray()
        self._data = False
        self.messages.append(body)
        self.envelope = Envelope()
        out.append(reply(250, f"2.0.0 Ok: queued as {len(self.messages)}"))
        return True

    # ---------------------------------------------------------------- commands
    def _command(self, line: bytes) -> bytes:
        if self._auth is not None:
            return self._auth_step(line)
        verb, _, arg = line.partition(b" ")
        handler = getattr(self, "smtp_" + verb.decode("latin-1").upper(), None) \
            if verb.isalpha() else None
        if handler is None:
            if not line:
                return reply(500, "5.5.2 Error: bad syntax")
            shown = line[:40].decode("latin-1")
            return reply(500, f'5.5.1 Command unrecognized: "{shown}"')
        return handler(arg)

    def smtp_HELO(self, arg: bytes) -> bytes:
        if not arg:
            return reply(501, "Syntax: HELO hostname")
        self._greeted_as = arg
        self.envelope = Envelope()
        return SEED_HELO if self.seed else reply(250, self.hostname)

    def smtp_EHLO(self, arg: bytes) -> bytes:
        if not arg:
            return reply(501, "Syntax: EHLO hostname")
        self._greeted_as = arg
        self.envelope = Envelope()
        return reply(250, self.hostname, *self.extensions)

    def smtp_HELP(self, arg: bytes) -> bytes:
        if self.seed:
            return SEED_HELP
        return reply(214, "2.0.0 Commands:", "2.0.0   HELO EHLO MAIL RCPT DATA",
                     "2.0.0   RSET NOOP QUIT HELP VRFY ETRN AUTH", "2.0.0 End of HELP info")

    def smtp_VRFY(self, arg: bytes) -> bytes:
        if self.seed:
            return SEED_VRFY
        return reply(252, "2.0.0 Cannot VRFY user, but will accept message")

    def smtp_NOOP(self, arg: bytes) -> bytes:
        return reply(250, "2.0.0 OK")

    def smtp_RSET(self, arg: bytes) -> bytes:
        self.envelope = Envelope()
        return reply(250, "2.0.0 OK")

    def smtp_QUIT(self, arg: bytes) -> bytes:
        self.closed = True
        return SEED_QUIT if self.seed else reply(221, "2.0.0 Bye")

    def _not_implemented(self, arg: bytes) -> bytes:
        return reply(502, "5.5.1 Command not implemented")

    smtp_SAML = smtp_SEND = smtp_SOML = smtp_EXPN = smtp_TURN = _not_implemented

    def _has(self, keyword: str) -> bool:
        return any(e.split()[0] == keyword for e in self.extensions)

    def smtp_MAIL(self, arg: bytes) -> bytes:
        if self._greeted_as is None:
            return reply(503, "5.5.1 Error: send HELO/EHLO first")
        if self.envelope.sender is not None:
            return reply(503, "5.5.1 Error: nested MAIL command")
        if arg[:5].upper() != b"FROM:" or b"<" not in arg:
            return reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
        path, _, params = arg[5:].strip().partition(b">")
        size = None
        for token in params.split():
            key, _, value = token.partition(b"=")
            key = key.upper()
            if key == b"SIZE" and value.isdigit():
                size = int(value)
            elif key not in (b"BODY", b"RET", b"ENVID", b"AUTH"):
                return reply(555, f"5.5.4 Unsupported option: {token.decode('latin-1')}")
        if size is not None and size > self.max_size:
            return reply(552, "5.3.4 Message size exceeds fixed limit")
        self.envelope = Envelope(sender=path + b">", size=size)
        return reply(250, "2.1.0 Ok")

    def smtp_RCPT(self, arg: bytes) -> bytes:
        if self.envelope.sender is None:
            return reply(503, "5.5.1 Error: need MAIL command")
        if arg[:3].upper() != b"TO:" or b"<" not in arg:
            return reply(501, "5.5.4 Syntax: RCPT TO:<address>")
        self.envelope.recipients.append(arg[3:].strip())
        return reply(250, "2.1.5 Ok")

    def smtp_DATA(self, arg: bytes) -> bytes:
        if arg:
            return reply(501, "5.5.4 Syntax: DATA")
        if self.envelope.sender is None:
            return reply(503, "5.5.1 Error: need MAIL command")
        if not self.envelope.recipients:
            return reply(554, "5.5.1 Error: no valid recipients")
        self._data = True
        self._scan = 0
        self.data_spans.append([self.received, None])
        return reply(354, "End data with <CR><LF>.<CR><LF>")

    def smtp_ETRN(self, arg: bytes) -> bytes:
        if not arg:
            return reply(500, "5.5.2 Syntax: ETRN domain")
        return reply(250, "Queuing started")

    def smtp_AUTH(self, arg: bytes) -> bytes:
        mech, _, initial = arg.partition(b" ")
        mech = mech.upper()
        if self.authenticated:
            return reply(503, "5.5.1 Error: already authenticated")
        if mech == b"PLAIN":
            if initial:
                return self._auth_done(initial)
            self._auth = ("PLAIN", 0)
            return b"334 \r\n"
        if mech == b"LOGIN":
            self._auth = ("LOGIN", 0)
            return reply(334, "VXNlcm5hbWU6")
        return reply(504, "5.5.4 Unrecognized authentication type")

    def _auth_step(self, line: bytes) -> bytes:
        mech, step = self._auth
        if line == b"*":
            self._auth = None
            return reply(501, "5.7.0 Authentication aborted")
        if mech == "LOGIN" and step == 0:
            self._auth = ("LOGIN", 1)
            return reply(334, "UGFzc3dvcmQ6")
        self._auth = None
        return self._auth_done(line)

    def _auth_done(self, response: bytes) -> bytes:
        try:
            base64.b64decode(response, validate=True)
        except ValueError:
            return reply(501, "5.5.2 Cannot decode response")
        self.authenticated = True
        return reply(235, "2.7.0 Authentication successful")

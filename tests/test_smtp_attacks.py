"""SMTP attack suites through the real `iosfw proxy` on real sockets (127.0.0.1), against a
recording aiosmtpd server made lenient the way SMTP smuggling needs (a bare CR or LF is a line
end, blanks before a verb are skipped): what the server executed is asserted. No illegal verb
is ever executed, and legal conversations deliver their mail intact. Each suite prints how
many inputs it tried and how many failed; a control run straight to the server shows the
same inputs do get illegal verbs executed there, so the suites can fail."""
import asyncio
import itertools
import random
import re

import pytest
from test_proxy import LEGAL, proxy, recording_server

from iosfw.engine.smtp import MAX_COMMAND_LINE, SmtpInspector

PROPER_END = b"\r\n.\r\n"
FAKE_ENDS = (b"\n.\n", b"\r.\r", b"\n.\r\n", b"\r\n.\n", b"\r.\r\n", b"\r\n.\r")
ILLEGAL_ARGS = {"EXPN": b" root", "TURN": b"", "ATRN": b" example.org", "BDAT": b" 4 LAST",
                "STARTTLS": b""}
PADS = (b"", b" ", b"   ", b"\t")          # before the verb
ENVELOPE = (b"MAIL FROM:<a@example.org>", b"RCPT TO:<b@example.net>")
TIMEOUT = 10


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One lenient recording server and one proxy to it for the module; yields (proxy port,
    server port, recorder)."""
    with recording_server(lenient=True) as (server_port, recorder), \
            proxy(tmp_path_factory.mktemp("proxy"), server_port) as px:
        yield px.port, server_port, recorder


def report(capsys, suite: str, tried: int, failures: list) -> None:
    with capsys.disabled():
        print(f"\nsmtp attacks, {suite}: {tried} inputs tried, failures: {len(failures)}")
    assert not failures, failures[:5]


def crlf(data: bytes) -> bytes:
    """What the lenient server reads: every bare CR or LF as CRLF."""
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


class Client:
    """An SMTP client on asyncio streams."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> "Client":
        return cls(*await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT))

    async def reply(self) -> bytes:
        """One whole reply; b"" at the end of the stream."""
        data = b""
        while True:
            line = await asyncio.wait_for(self.reader.readline(), TIMEOUT)
            data += line
            if not line or line[3:4] != b"-":
                return data

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def command(self, line: bytes) -> bytes:
        await self.send(line + b"\r\n")
        return await self.reply()

    async def rest(self) -> bytes:
        return await asyncio.wait_for(self.reader.read(), TIMEOUT)

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except OSError:
            pass


async def bounded(inputs, run, at_once: int = 8) -> list:
    """`run(input)` for every input, `at_once` at a time; the failures, as (input, what)."""
    gate = asyncio.Semaphore(at_once)

    async def one(item):
        async with gate:
            try:
                problem = await run(item)
            except (OSError, asyncio.TimeoutError, AssertionError) as err:
                problem = repr(err)
            return None if problem is None else (item, problem)

    return [f for f in await asyncio.gather(*(one(item) for item in inputs)) if f]


def executed_illegal(recorder, name: str) -> list:
    return [verb for verb in recorder.conversation(name) if verb not in LEGAL]


# ------------------------------------------------------------------ end-of-data smuggling
def smuggled(end: bytes) -> bytes:
    """A message whose body ends with `end`, then an illegal verb, then the real end."""
    return b"Subject: smuggled\r\n\r\nhi" + end + b"EXPN root" + PROPER_END


def delivered(end: bytes) -> bytes:
    """The content a lenient server must store: a fake end is data, its dot masked."""
    if end == PROPER_END:
        return b"Subject: smuggled\r\n\r\nhi\r\n"
    body = smuggled(end).replace(end, end.replace(b".", b"x"), 1)
    return crlf(body)[:-len(b".\r\n")]


async def smuggle(port: int, name: str, body: bytes, cut: int) -> bytes:
    """The envelope step by step, then the body in two segments cut at `cut`; the replies
    after the body."""
    client = await Client.connect(port)
    await client.reply()
    for line in (b"HELO " + name.encode(), b"MAIL FROM:<%s@example.org>" % name.encode(),
                 ENVELOPE[1], b"DATA"):
        await client.command(line)
    await client.send(body[:cut])
    await asyncio.sleep(0.003)               # a segment of its own at the proxy
    await client.send(body[cut:])
    replies = await client.reply()
    await client.send(b"QUIT\r\n")
    replies += await client.rest()
    await client.close()
    return replies


def test_end_of_data_smuggling_split_at_every_byte(lab, capsys):
    port, _, recorder = lab
    inputs = [(end, cut) for end in (PROPER_END, *FAKE_ENDS)
              for cut in range(1, len(smuggled(end)))]

    async def run(item):
        end, cut = item
        name = f"smuggle-{FAKE_ENDS.index(end) if end in FAKE_ENDS else 'proper'}-{cut}"
        replies = await smuggle(port, name, smuggled(end), cut)
        verbs = recorder.conversation(name)
        if verbs != ["HELO", "MAIL", "RCPT", "DATA", "QUIT"] or not replies.startswith(b"250"):
            return f"executed {verbs}, replies {replies!r}"
        content = [c for sender, _, c in recorder.messages if sender == f"{name}@example.org"]
        return None if content == [delivered(end)] else f"delivered {content}"

    report(capsys, "end-of-data smuggling (7 forms, every cut)", len(inputs),
           asyncio.run(bounded(inputs, run, at_once=4)))


def test_control_the_smuggling_forms_do_execute_expn_straight_to_the_server(lab):
    _, server_port, recorder = lab

    async def run():
        for n, end in enumerate((PROPER_END, *FAKE_ENDS)):
            await smuggle(server_port, f"control-{n}", smuggled(end), 1)

    asyncio.run(run())
    assert all("EXPN" in recorder.conversation(f"control-{n}") for n in range(7))


# ------------------------------------------------------------------ illegal verbs, every case
def casings(word: str) -> list[bytes]:
    return ["".join(letters).encode() for letters in
            itertools.product(*((c.upper(), c.lower()) for c in word))]


def illegal_lines() -> list[bytes]:
    return [pad + verb + ILLEGAL_ARGS[word] for word in ILLEGAL_ARGS
            for verb in casings(word) for pad in PADS]


async def pipelined(port: int, name: str, lines: list, greeted_first: bool = True) -> bytes:
    """HELO, `lines` and QUIT in one write; every reply until the server closes."""
    client = await Client.connect(port)
    replies = await client.reply() if greeted_first else b""
    await client.send(b"".join(line + b"\r\n" for line in
                               [b"HELO " + name.encode(), *lines, b"QUIT"]))
    replies += await client.rest()
    await client.close()
    return replies


def test_illegal_verbs_in_every_case_and_with_leading_blanks(lab, capsys):
    port, _, recorder = lab
    lines = illegal_lines()
    batches = [lines[k:k + 4] for k in range(0, len(lines), 4)]   # aiosmtpd quits at 5 bad

    async def run(k):
        name = f"case-{k}"
        replies = await pipelined(port, name, batches[k])
        verbs = recorder.conversation(name)
        if verbs != ["HELO", "QUIT"] or replies.count(b"\r\n500 ") != len(batches[k]):
            return f"executed {verbs}, replies {replies!r}"
        return None

    failures = asyncio.run(bounded(range(len(batches)), run, at_once=10))
    report(capsys, f"BDAT/STARTTLS/TURN/ATRN/EXPN in every case, blanks before ({len(batches)} "
           "conversations; lines)", len(lines), failures)


def test_control_illegal_verbs_are_executed_straight_to_the_server(lab):
    _, server_port, recorder = lab
    asyncio.run(pipelined(server_port, "case-control", [b"\tExPn root", b" tUrN", b"BDAT 4"]))
    assert recorder.conversation("case-control") == ["HELO", "EXPN", "TURN", "BDAT", "QUIT"]


# ------------------------------------------------------------------ pipelined mixes
LEGAL_ITEMS = (b"NOOP", b"HELP", b"RSET", b"VRFY postmaster", b"NOOP padding")
ILLEGAL_ITEMS = tuple(illegal_lines()[::37]) + (
    b"EHLO mix", b"AUTH PLAIN AHUAcA==", b"xyzzy", b"MAILFROM:<a@example.org>")
MESSAGE = (b"Subject: mix\r\n\r\nEXPN root\r\n..leading dot\r\nDATA\r\nQUIT\r\n",
           b"Subject: mix\r\n\r\nEXPN root\r\n.leading dot\r\nDATA\r\nQUIT\r\n")  # sent, stored


def mix(rng: random.Random, n: int):
    """A random conversation: lines to pipeline, the verbs a server must execute, the senders
    of its messages."""
    lines, verbs, senders = [], ["HELO"], []
    bad = 0
    for k in range(rng.randint(3, 9)):
        kind = rng.choice(("legal", "illegal", "mail"))
        if kind == "illegal" and bad < 4:
            bad += 1
            lines.append(rng.choice(ILLEGAL_ITEMS))
        elif kind == "mail":
            sender = f"mix-{n}-{k}@example.org"
            lines += [b"MAIL FROM:<%s>" % sender.encode(), ENVELOPE[1], b"DATA",
                      MESSAGE[0] + b"."]
            verbs += ["MAIL", "RCPT", "DATA"]
            senders.append(sender)
        else:
            item = rng.choice(LEGAL_ITEMS)
            lines.append(item)
            verbs.append(item.split()[0].decode())
    return lines, verbs + ["QUIT"], senders


def test_pipelined_mixes_of_legal_and_illegal_commands_and_messages(lab, capsys):
    port, _, recorder = lab
    rng = random.Random(20231218)
    mixes = [mix(rng, n) for n in range(60)]

    async def run(n):
        lines, verbs, senders = mixes[n]
        await pipelined(port, f"mix-{n}", lines, greeted_first=n % 2 == 0)
        executed = recorder.conversation(f"mix-{n}")
        if executed != verbs:
            return f"executed {executed}, expected {verbs}"
        stored = [c for sender, _, c in recorder.messages if sender in senders]
        return None if stored == [MESSAGE[1]] * len(senders) else f"stored {stored}"

    failures = asyncio.run(bounded(range(len(mixes)), run, at_once=10))
    report(capsys, f"pipelined mixes ({len(mixes)} conversations; lines)",
           sum(len(m[0]) for m in mixes), failures)


# ------------------------------------------------------------------ DATA after a refused RCPT
def test_data_after_a_refused_rcpt_is_followed_by_commands_stepwise_and_pipelined(lab, capsys):
    """The RCPT is refused, so DATA gets 503 and the "message" the client sends next is
    commands: its illegal lines must be inspected as such."""
    port, _, recorder = lab
    inputs = [(line, mode) for line in ILLEGAL_ITEMS for mode in ("stepwise", "pipelined")]

    async def stepwise(name, line):
        client = await Client.connect(port)
        replies = await client.reply()
        for sent in (b"HELO " + name.encode(), ENVELOPE[0], b"RCPT TO:<nobody@example.net>",
                     b"DATA", b"Subject: refused", b"", line, b".", b"QUIT"):
            replies += await client.command(sent)
        await client.close()
        return replies

    async def run(item):
        line, mode = item
        name = f"refused-{ILLEGAL_ITEMS.index(line)}-{mode}"
        if mode == "stepwise":
            replies = await stepwise(name, line)
        else:
            replies = await pipelined(port, name, [ENVELOPE[0], b"RCPT TO:<nobody@example.net>",
                                                   b"DATA", b"Subject: refused", b"", line,
                                                   b"."])
        verbs = recorder.conversation(name)
        if verbs != ["HELO", "MAIL", "RCPT", "DATA", "QUIT"] or b"\r\n503 " not in replies:
            return f"executed {verbs}, replies {replies!r}"
        return None

    report(capsys, "DATA after a refused RCPT", len(inputs),
           asyncio.run(bounded(inputs, run, at_once=6)))


# ------------------------------------------------------------------ an endless line
@pytest.mark.parametrize("verb", [b"EXPN ", b"NOOP "])
def test_a_1_mb_line_without_crlf_is_masked_past_the_limit_and_never_executed(lab, verb):
    port, _, recorder = lab
    name = f"long-{verb.decode().strip()}"
    line = verb + b"a" * (2 ** 20 - len(verb))

    async def run():
        client = await Client.connect(port)
        await client.reply()
        assert (await client.command(b"HELO " + name.encode())).startswith(b"250")
        for k in range(0, len(line), 65536):
            await client.send(line[k:k + 65536])
        await asyncio.sleep(0.05)
        answer = await client.command(b"")               # the line ends at last
        assert (await client.command(b"QUIT")).startswith(b"221")
        await client.close()
        return answer

    assert asyncio.run(run()).startswith(b"500")
    assert recorder.conversation(name) == ["HELO", "QUIT"]
    received = next(bytes(data) for data in list(recorder.received.values())
                    if data.startswith(b"HELO " + name.encode()))
    kept = MAX_COMMAND_LINE if verb == b"NOOP " else 0
    assert received == (b"HELO %s\r\n" % name.encode() + line[:kept] +
                        b"x" * (len(line) - kept) + b"\r\nQUIT\r\n")


@pytest.mark.parametrize("esmtp, start", [(False, b"NOOP "), (False, b"EXPN "),
                                          (True, b"MAIL FROM:<a@example.org> ")])
def test_the_bytes_held_for_an_endless_line_stay_bounded(esmtp, start):
    """What the proxy holds of one line is what the inspector holds: under esmtp a MAIL line
    is held whole until the limit, then masked and streamed; never more than the limit and
    one segment."""
    inspector = SmtpInspector(esmtp=esmtp)
    inspector.from_server(b"220 ready\r\n")
    inspector.from_client(b"EHLO a\r\n" if esmtp else b"HELO a\r\n")
    inspector.from_server(b"250-ready\r\n250 SIZE 100\r\n" if esmtp else b"250 ready\r\n")
    inspector.from_client(start)
    segment, peak = b"a" * 1024, 0
    for _ in range(1024):
        inspector.from_client(segment)
        peak = max(peak, inspector.held)
    assert peak <= MAX_COMMAND_LINE + len(segment)


# ------------------------------------------------------------------ many at once
def test_100_concurrent_sessions_deliver_intact_and_execute_no_illegal_verb(
        lab, tmp_path, capsys):
    """The default --max-sessions admits 100 clients at once, all greeted before any goes on."""
    _, server_port, recorder = lab
    n = 100
    with proxy(tmp_path, server_port) as px:
        failures = asyncio.run(concurrently(px.port, recorder, n))
        assert "refused" not in px.text()
    report(capsys, "100 concurrent sessions", n, failures)


async def concurrently(port: int, recorder, n: int) -> list:
    greeted, everyone = [], asyncio.Event()
    body = b"Subject: many\r\n\r\n..dot\r\nEXPN root\r\n"

    async def run(k):
        name = f"many-{k}"
        client = await Client.connect(port)
        assert (await client.reply()).startswith(b"220")
        greeted.append(k)
        if len(greeted) == n:
            everyone.set()
        await asyncio.wait_for(everyone.wait(), TIMEOUT)
        await client.command(b"HELO " + name.encode())
        assert (await client.command(b"EXPN root")).startswith(b"500")
        await client.command(b"MAIL FROM:<%s@example.org>" % name.encode())
        await client.command(ENVELOPE[1])
        assert (await client.command(b"DATA")).startswith(b"354")
        assert (await client.command(body + b".")).startswith(b"250")
        assert (await client.command(b"QUIT")).startswith(b"221")
        await client.close()
        stored = [c for sender, _, c in recorder.messages if sender == f"{name}@example.org"]
        if recorder.conversation(name) != ["HELO", "MAIL", "RCPT", "DATA", "QUIT"] or \
                stored != [body.replace(b"..", b".")]:
            return f"executed {recorder.conversation(name)}, stored {stored}"
        return None

    return await bounded(range(n), run, at_once=n)

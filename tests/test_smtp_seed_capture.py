"""The document's `debug ip inspect smtp` capture, replayed: a client typing one character at a
time (telnet to port 25), the seed personality of the simulated MTA answering in whole segments,
the `smtp` inspector between them. tests/golden/smtp-seed-debug.txt is the document's capture
without timestamps (line breaks restored; `End Of Reply Line - index:N ,len:L` throughout, as
seed-notes.md gives it)."""
from __future__ import annotations

from kit import assert_golden

from iosfw.engine import smtp as s
from iosfw.engine.mta import MailServer
from iosfw.show.smtp_debug import ALL_OFF, DEBUG_ON, alert_text, debug_lines

# What the user typed, one list per command, one string per TCP segment (the capture's
# match_len values: `la`, `mi`, `UI` and every CRLF arrived as two-byte segments).
TYPED = [
    ["H", "E", "L", "O", " ", "r", "e", "la", "y", "\r\n"],
    ["V", "R", "F", "Y", " ", "p", "a", " ", "t", "\r\n"],
    ["V", "R", "F", "Y", " ", "a", "d", "mi", "n", "\r\n"],
    ["H", "E", "L", "P", "\r\n"],
    ["Q", "UI", "T", "\r\n"],
]


def replay():
    inspector, server = s.SmtpInspector(esmtp=False), MailServer("seed")
    lines, to_server, to_client = [], bytearray(), bytearray()

    def from_server(data: bytes) -> None:
        verdict = inspector.from_server(data)
        lines.extend(debug_lines(verdict.events))
        to_client.extend(verdict.forward)

    from_server(server.greeting())
    for command in TYPED:
        for segment in command:
            verdict = inspector.from_client(segment.encode())
            lines.extend(debug_lines(verdict.events))
            to_server.extend(verdict.forward)
            answer = server.feed(verdict.forward)
            if answer:
                from_server(answer)
    return lines, bytes(to_server), bytes(to_client), server


def test_seed_capture_reproduced_to_the_character():
    lines, *_ = replay()
    assert_golden("smtp-seed-debug.txt", "\n".join(lines) + "\n")


def test_seed_exchange_passes_unchanged():
    _, to_server, to_client, server = replay()
    typed = "".join("".join(c) for c in TYPED).encode()
    assert to_server == typed
    assert [line for _, line in server.command_lines] == [
        b"HELO relay\r\n", b"VRFY pa t\r\n", b"VRFY admin\r\n", b"HELP\r\n", b"QUIT\r\n"]
    assert to_client.endswith(b"221 Closing channel\r\n")


def test_seed_reply_lengths_are_the_documents():
    _, _, to_client, _ = replay()
    lengths = [len(line) + 1 for line in to_client.split(b"\n")[:-1]]
    assert lengths == [64, 11, 19, 19, 54, 15, 15, 6, 19, 17, 6, 6, 6, 3, 21]


def test_debug_command_answers():
    assert DEBUG_ON == "INSPECT SMTP Inspection debugging is on"
    assert ALL_OFF == "All possible debugging has been turned off"


def test_invalid_command_alert_text():
    event = s.InvalidCommand(1, b"EXPN ", "illegal verb")
    assert alert_text(event, "192.168.12.3", 52419) == (
        "%FW-4-SMTP_INVALID_COMMAND: Invalid SMTP command from initiator (192.168.12.3:52419)")

"""SMTP inspection throughput: `SmtpInspector` in the data phase and in the command phase.

    .venv/bin/python bench/smtp_bench.py [--quick]

Figures (best of the rounds):

* data phase: a 20 MB message of 78-byte text lines (with dot-stuffed lines sprinkled in) sent
  after DATA/354, in 1460-byte segments and as one buffer, in MB/s; the baseline is
  `bytes.find(b"\\r\\n.\\r\\n")` over the same 20 MB (what any end-of-data scan must at least
  do), and the ratio is inspector MB/s / baseline MB/s (aim >= 0.5).
* command phase: a pipelined stream of short legal and illegal commands (about 1 in 8
  masked) in 1460-byte segments, in command lines per second.

Prints figures; never asserts speed.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iosfw.engine.smtp import SmtpInspector

MSS = 1460


def best_of(fn, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def message(size: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    words = [b"mail", b"the", b"router", b"inspects", b"data.", b"segment", b"of", b"text,",
             b"and", b"commands", b"SMTP", b"x"]
    lines, n = [], 0
    while n < size:
        line = b" ".join(rng.choice(words) for _ in range(11))[:76]
        if rng.random() < 0.01:
            line = b"." + line                      # a dot-stuffed line
        line += b"\r\n"
        lines.append(line)
        n += len(line)
    return b"".join(lines)[:size - 5].rstrip(b"\r\n.") + b"\r\n.\r\n"


def _in_data(max_data: int) -> SmtpInspector:
    inspector = SmtpInspector(max_data=max_data)
    inspector.from_server(b"220 mail ready\r\n")
    for command, answer in ((b"HELO a\r\n", b"250 ok\r\n"), (b"MAIL FROM:<a@b>\r\n", b"250 ok\r\n"),
                            (b"RCPT TO:<c@d>\r\n", b"250 ok\r\n"), (b"DATA\r\n", b"354 go\r\n")):
        inspector.from_client(command)
        inspector.from_server(answer)
    assert inspector.in_data
    return inspector


def commands(count: int, seed: int = 2) -> bytes:
    rng = random.Random(seed)
    legal = [b"NOOP\r\n", b"RSET\r\n", b"VRFY postmaster\r\n", b"HELO client.example.com\r\n",
             b"HELP\r\n", b"MAIL FROM:<someone@example.com>\r\n", b"RCPT TO:<a@example.net>\r\n"]
    illegal = [b"EXPN staff\r\n", b"TURN\r\n", b"XEXCH50 2 2\r\n"]
    return b"".join(rng.choice(illegal) if rng.random() < 0.125 else rng.choice(legal)
                    for _ in range(count))


def measure(size: int = 20_000_000, lines: int = 200_000, rounds: int = 3) -> dict:
    """Figures as a dict (MB/s are 10**6 bytes per second)."""
    data = message(size)
    segments = [data[k:k + MSS] for k in range(0, len(data), MSS)]
    baseline = best_of(lambda: data.find(b"\r\n.\r\n"), rounds)

    def segmented():
        inspector = _in_data(size + 1)
        for segment in segments:
            inspector.from_client(segment)
        assert not inspector.in_data

    def whole():
        inspector = _in_data(size + 1)
        assert len(inspector.from_client(data).forward) == len(data)

    seg_time = best_of(segmented, rounds)
    whole_time = best_of(whole, rounds)
    stream = commands(lines)
    cmd_segments = [stream[k:k + MSS] for k in range(0, len(stream), MSS)]

    def pipelined():
        inspector = SmtpInspector()
        inspector.from_server(b"220 mail ready\r\n")
        for segment in cmd_segments:
            inspector.from_client(segment)

    cmd_time = best_of(pipelined, rounds)
    mb = size / 1e6
    return {
        "message_bytes": size,
        "baseline_find_mb_s": mb / baseline,
        "data_segmented_mb_s": mb / seg_time,
        "data_one_buffer_mb_s": mb / whole_time,
        "ratio_segmented": baseline / seg_time,
        "ratio_one_buffer": baseline / whole_time,
        "command_lines": lines,
        "command_lines_per_s": lines / cmd_time,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 MB, 20,000 lines, 1 round")
    args = parser.parse_args(argv)
    figures = measure(2_000_000, 20_000, 1) if args.quick else measure()
    print(f"data phase, {figures['message_bytes'] / 1e6:.0f} MB message")
    print(f"  bytes.find baseline      {figures['baseline_find_mb_s']:10.0f} MB/s")
    print(f"  1460-byte segments       {figures['data_segmented_mb_s']:10.0f} MB/s"
          f"  ratio {figures['ratio_segmented']:.2f}")
    print(f"  one buffer               {figures['data_one_buffer_mb_s']:10.0f} MB/s"
          f"  ratio {figures['ratio_one_buffer']:.2f}")
    print(f"command phase, {figures['command_lines']} pipelined lines in 1460-byte segments")
    print(f"  command lines per second {figures['command_lines_per_s']:10.0f}")


if __name__ == "__main__":
    main()

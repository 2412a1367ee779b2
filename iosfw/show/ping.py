"""What `ping` prints on IOS 12.3, and its facts for `--json` (docs/formats.md says which lines
follow real captures).

The head names what is sent (`Sending 5, 100-byte ICMP Echos to 10.10.10.2, timeout is 2
seconds:`, a sweep as `[36..18024]-byte`) and the settings that differ from the defaults, one
line each, in the router's order; then one mark per echo, 70 to a line (`!` answered, `.`
lost), or with verbose one line per echo; then the success rate, with the round trips of the
answered echoes (integer milliseconds, the average truncated, as IOS computes it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..config.names import int_to_ip

ESCAPE = "Type escape sequence to abort."
MARKS_PER_LINE = 70
ANSWERED, LOST = "!", "."


@dataclass
class PingReport:
    """One ping's settings as the router announces them, and what each echo met: `marks` one
    per echo, `rtts` the round trip in ms of each (0 for a lost one)."""
    target: int
    count: int                       # echoes sent
    size: int                        # the datagram size, or the sweep's smallest
    timeout: int                     # seconds
    sweep: Optional[tuple[int, int, int]] = None   # smallest, largest, step
    source: Optional[int] = None     # the source address, when one was asked for
    df: bool = False
    pattern: Optional[int] = None    # a data pattern other than the default
    validate: bool = False
    verbose: bool = False
    marks: list[str] = field(default_factory=list)
    rtts: list[int] = field(default_factory=list)

    def size_of(self, n: int) -> int:
        """The datagram size of echo `n` (a sweep goes through its sizes, then again)."""
        if self.sweep is None:
            return self.size
        low, high, step = self.sweep
        return low + n % ((high - low) // step + 1) * step

    @property
    def answered(self) -> list[int]:
        return [rtt for mark, rtt in zip(self.marks, self.rtts) if mark == ANSWERED]


def head(report: PingReport) -> str:
    sizes = f"[{report.sweep[0]}..{report.sweep[1]}]" if report.sweep else str(report.size)
    lines = [ESCAPE, f"Sending {report.count}, {sizes}-byte ICMP Echos to "
                     f"{int_to_ip(report.target)}, timeout is {report.timeout} seconds:"]
    if report.source is not None:
        lines.append(f"Packet sent with a source address of {int_to_ip(report.source)} ")
    if report.df:
        lines.append("Packet sent with the DF bit set")
    if report.pattern is not None:
        lines.append(f"Packet has data pattern 0x{report.pattern:04X}")
    if report.validate:
        lines.append("Reply data will be validated")
    return "".join(line + "\n" for line in lines)


def echo_lines(report: PingReport) -> str:
    if report.verbose:
        return "".join(_verbose(report, n, mark, rtt) + "\n"
                       for n, (mark, rtt) in enumerate(zip(report.marks, report.rtts)))
    marks = "".join(report.marks)
    return "".join(marks[i:i + MARKS_PER_LINE] + "\n"
                   for i in range(0, len(marks), MARKS_PER_LINE))


def _verbose(report: PingReport, n: int, mark: str, rtt: int) -> str:
    line = f"Reply to request {n} ({rtt} ms)" if mark == ANSWERED else f"Request {n} timed out"
    return line + (f" (size {report.size_of(n)})" if report.sweep else "")


def summary(report: PingReport) -> str:
    answered = report.answered
    line = (f"Success rate is {100 * len(answered) // report.count} percent "
            f"({len(answered)}/{report.count})")
    if answered:
        line += (f", round-trip min/avg/max = {min(answered)}/{sum(answered) // len(answered)}"
                 f"/{max(answered)} ms")
    return line + "\n"


def text(report: PingReport) -> str:
    return head(report) + echo_lines(report) + summary(report)


def facts(report: PingReport) -> dict:
    answered = report.answered
    return {"target": int_to_ip(report.target), "sent": report.count,
            "received": len(answered),
            "success_percent": 100 * len(answered) // report.count,
            "rtt_ms": {"min": min(answered), "avg": sum(answered) // len(answered),
                       "max": max(answered)} if answered else None,
            "marks": "".join(report.marks),
            "source": int_to_ip(report.source) if report.source is not None else None,
            "size": report.size, "sweep": list(report.sweep) if report.sweep else None,
            "timeout": report.timeout, "df_bit": report.df}

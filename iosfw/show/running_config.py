"""`show running-config` (and its `full` form) and `show startup-config`: the configuration text
iosfw.config.render writes, under the headers IOS prints (the writer is the model's, as the
loader needs it too). The writer's names that the show commands' callers use are offered here
with them.

`full` adds, to what the writer shows, the settings the model holds whose values the plain
form hides when they are the defaults: the CBAC global timeouts and thresholds, and the SSH
server's time-out and retries (docs/formats.md lists what is and is not shown). They are merged
into the writer's text where it writes the same settings when they are not the defaults.
"""
from __future__ import annotations

from typing import Callable

from ..config import model as m
from ..config.render import INSPECT_VALUES, encode_config, startup_text
from ..config.render import REJECTED_MARK as REJECTED_MARK
from ..config.render import render_lines as render_lines

# what the writer puts in the slot before `ip ssh`, after `ip subnet-zero` and two `!`
_IP_SLOT = ("ip cef", "no ip dhcp use vrf connected", "no ip domain lookup", "ip domain name ",
            "ip name-server ")


def render(r: m.Router) -> str:
    return _with_header(startup_text(r))


def render_full(r: m.Router) -> str:
    return _with_header("\n".join(full_lines(r)) + "\n")


def _with_header(body: str) -> str:
    size = len(encode_config(body))
    return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{body}"


def render_startup(text: str) -> str:
    """`show startup-config` prints the saved file with its size, as NVRAM holds it."""
    return f"Using {len(encode_config(text))} out of 129016 bytes\n{text}"


def full_lines(r: m.Router) -> list[str]:
    """The running-config with the hidden defaults written out."""
    lines = render_lines(r)
    lines = _merged(lines, _inspect_values(r.inspect), _is_inspect_value, _inspect_place)
    return _merged(lines, [f"ip ssh time-out {r.ssh.timeout}",
                           f"ip ssh authentication-retries {r.ssh.retries}"],
                   lambda line: line.startswith("ip ssh "), _ssh_place)


def _inspect_values(g: m.InspectGlobals) -> list[str]:
    return [f"ip inspect {word} {getattr(g, attr)}" for word, attr in INSPECT_VALUES] + [
        f"ip inspect tcp max-incomplete host {g.host_max_incomplete} "
        f"block-time {g.host_block_time}"]


def _is_inspect_value(line: str) -> bool:
    return line.startswith("ip inspect ") and not line.startswith(
        ("ip inspect name ", "ip inspect alert-off", "ip inspect audit-trail"))


def _merged(lines: list[str], block: list[str], owns: Callable[[str], bool],
            place: Callable[[list[str]], int]) -> list[str]:
    """`lines` with those `owns` claims replaced by `block`, where the first of them stood, or
    at `place(lines)` when there was none."""
    at = next((n for n, line in enumerate(lines) if owns(line)), None)
    kept = [line for line in lines if not owns(line)]
    at = place(kept) if at is None else at
    return kept[:at] + block + kept[at:]


def _inspect_place(lines: list[str]) -> int:
    """Before the first rule, else after `alert-off` or `audit-trail`, else at the end of the
    CBAC slot: before the `!` that precedes the `ip ips` line, which the writer always writes."""
    names = [n for n, line in enumerate(lines) if line.startswith("ip inspect name ")]
    if names:
        return names[0]
    flags = [n for n, line in enumerate(lines) if line.startswith("ip inspect ")]
    if flags:
        return flags[-1] + 1
    ips = next(n for n, line in enumerate(lines)
               if line.endswith("ip ips deny-action ips-interface"))
    return ips - 1


def _ssh_place(lines: list[str]) -> int:
    """After the last line of the writer's `ip cef` slot, else after the two `!` that follow
    `ip subnet-zero` (and `no ip source-route`)."""
    slot = [n for n, line in enumerate(lines) if line.startswith(_IP_SLOT)]
    if slot:
        return slot[-1] + 1
    subnet = max(n for n, line in enumerate(lines)
                 if line in ("ip subnet-zero", "no ip subnet-zero", "no ip source-route"))
    return subnet + 3

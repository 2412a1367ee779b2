"""The sequence diagram of a replayed SMTP exchange (`iosfw --script FILE --sequence OUT`): what
each end sent, and what the router let go on to the other end, for instructors' slides.

This is iosfw's own format, not anything a router prints (docs/formats.md, "Sequence
diagrams"). Three lifelines, client, router and server; each segment of application data is an
arrow from its sender to the router, with the text as sent, and one from the router to the
receiver, with the text as it arrived. What SMTP inspection changed is what the picture is for:
a masked command's second leg is red, a dropped segment ends at the router under a cross, bytes
the router holds wait there until it lets them go.

The data comes from the Simulator's taps (iosfw/commands/simulate.py) through a `Recorder`; the
drawing is a pure function of the arrows, standalone SVG 1.1 or one self-contained HTML page.
"""
from __future__ import annotations

import html as _html
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..config.names import int_to_ip
from ..config.ports import port_number


@dataclass(frozen=True)
class Arrow:
    """One segment of application data through the router."""
    time: float              # virtual uptime in seconds when the segment went through the router
    from_client: bool        # client->server (else server->client)
    sent: bytes              # as the sender sent it (b"": bytes the router had held, let go now)
    arrived: Optional[bytes]  # what the router let go on: None dropped; b"" held for now


# ------------------------------------------------------------------ what each arrow shows
MAX_CHARS = 64          # a shown line longer than this ends in …
MAX_LINES = 12          # lines shown per segment (a message body can be long)
_ESCAPES = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\"}

PASSED, DROPPED, HELD, MASKED, RELEASED = "passed", "dropped", "held", "masked", "released"
NOTES = {               # what a note under an arrow says, by what the router did
    MASKED: "masked by SMTP inspection",
    DROPPED: "dropped",
    HELD: "held by inspection",
    RELEASED: "held bytes let go",
}


def display_line(line: bytes) -> str:
    """One line as a learner reads it: printable ASCII as itself, `\\r`, `\\n`, `\\t`, `\\\\`
    and `\\xHH` for the rest; at most MAX_CHARS characters, an escape never cut in half."""
    tokens = [_ESCAPES.get(chr(b), chr(b) if 32 <= b <= 126 else f"\\x{b:02x}") for b in line]
    if sum(map(len, tokens)) <= MAX_CHARS:
        return "".join(tokens)
    out, length = [], 0
    for token in tokens:
        if length + len(token) > MAX_CHARS - 1:
            break
        out.append(token)
        length += len(token)
    return "".join(out) + "…"


def display_lines(data: bytes) -> list[str]:
    """A segment's lines; the CR LF that ends an SMTP line is not shown, any other line end
    is (a bare LF is exactly what a slide about SMTP should show)."""
    pieces = data.split(b"\n")
    lines = [p + b"\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    shown = [display_line(p[:-2] if p.endswith(b"\r\n") else p) for p in lines]
    if data and not "".join(shown).strip():     # a typed space, a lone line end: say it
        shown = ['"' + display_line(data) + '"']
    if len(shown) > MAX_LINES:
        more = len(shown) - MAX_LINES + 1
        shown = shown[:MAX_LINES - 1] + [f"… {more} more lines"]
    return shown


@dataclass
class Row:
    """One arrow as drawn: its lines on each leg, what the router did, the notes under it."""
    arrow: Arrow
    sent: list[str]
    arrived: list[str]
    fate: str                               # PASSED, MASKED, HELD or DROPPED
    notes: list[tuple[str, str]] = field(default_factory=list)   # (text, kind)
    original: list[str] = field(default_factory=list)   # a masked leg's bytes as they were sent

    @property
    def alarming(self) -> bool:
        """The router changed or stopped it (red), rather than only made it wait (orange)."""
        return self.fate in (MASKED, DROPPED)


def rows(arrows: Sequence[Arrow]) -> list[Row]:
    """What the router did to each arrow. Masking keeps the length, so the bytes that arrive in
    one direction line up with the bytes sent that way and not yet let go (those held): a
    byte that arrives other than it was sent was masked."""
    pending = {True: b"", False: b""}       # by direction: sent, not yet arrived
    out = []
    for a in arrows:
        sent = display_lines(a.sent)
        if a.arrived is None:
            out.append(Row(a, sent, [], DROPPED, [(NOTES[DROPPED], DROPPED)]))
            continue
        before = pending[a.from_client]
        due = before + a.sent
        expected, left = due[:len(a.arrived)], due[len(a.arrived):]
        pending[a.from_client] = left
        if not a.arrived:
            out.append(Row(a, sent, [], HELD, [(NOTES[HELD], HELD)]))
            continue
        row = Row(a, sent, display_lines(a.arrived), PASSED)
        if a.arrived != expected:
            row.fate, row.original = MASKED, display_lines(expected)
            row.notes.append((NOTES[MASKED], MASKED))
        if before:
            row.notes.append((NOTES[RELEASED], RELEASED))
        if left:
            row.notes.append((f"{len(left)} bytes held by inspection", HELD))
        out.append(row)
    return out


def clock_text(seconds: float) -> str:
    """`hh:mm:ss.mmm` of virtual uptime."""
    ms = max(0, round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


# ------------------------------------------------------------------ the SVG
FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
SIZE, SMALL, TITLE = 13, 11, 18               # font sizes in px
CHAR = 0.61                                    # a monospace character's width, in em
LINE = 17                                      # px between two lines of one segment
COLOURS = {
    "client": "#1565c0", "server": "#2e7d32", MASKED: "#d32f2f", DROPPED: "#d32f2f",
    HELD: "#ef6c00", RELEASED: "#ef6c00", "text": "#212121", "muted": "#616161",
    "lifeline": "#9e9e9e", "band": "#eceff1", "head": "#455a64", "row": "#f4f6f8",
}
MASK_COLOUR = COLOURS[MASKED]


def _clean(text: str) -> str:
    """Text XML 1.0 can hold: a control character or a lone surrogate becomes `?`."""
    return "".join(c if (c >= " " or c in "\t\n") and not "\ud800" <= c <= "\udfff"
                   and c not in "\ufffe\uffff" else "?" for c in text)


def _esc(text: str) -> str:
    return _html.escape(_clean(text), quote=True)


def _width(chars: int, size: int = SIZE) -> float:
    return chars * size * CHAR


class _Canvas:
    """SVG elements in drawing order (later ones on top)."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, tag: str, text: Optional[str] = None, **attrs) -> None:
        spelled = "".join(f' {k.rstrip("_").replace("_", "-")}="{_esc(str(v))}"'
                          for k, v in attrs.items() if v is not None)
        if text is None:
            self.items.append(f"<{tag}{spelled}/>")
        else:
            self.items.append(f"<{tag}{spelled}>{_esc(text)}</{tag}>")

    def text(self, x: float, y: float, text: str, size: int = SIZE, fill: str = "",
             weight: Optional[str] = None, style: Optional[str] = None,
             anchor: Optional[str] = None) -> None:
        self.add("text", text, x=f"{x:.1f}", y=f"{y:.1f}", font_size=size,
                 fill=fill or COLOURS["text"], font_weight=weight, font_style=style,
                 text_anchor=anchor)

    def line(self, x1, y1, x2, y2, stroke, width=1.5, dash=None) -> None:
        self.add("line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}",
                 stroke=stroke, stroke_width=width, stroke_dasharray=dash)

    def arrow(self, x1: float, x2: float, y: float, colour: str, width: float) -> None:
        """A horizontal arrow from x1 to x2, its head at x2."""
        d = 1 if x2 > x1 else -1
        head = 9 + width
        self.line(x1, y, x2 - d * head, y, colour, width)
        self.add("polygon", fill=colour, points=f"{x2:.1f},{y:.1f} {x2 - d * head:.1f},"
                 f"{y - head / 2:.1f} {x2 - d * head:.1f},{y + head / 2:.1f}")

    def cross(self, x: float, y: float, colour: str) -> None:
        for dy in (-7, 7):
            self.line(x - 7, y - dy, x + 7, y + dy, colour, 3)


@dataclass
class _Layout:
    """Where the lanes stand: x of each lifeline, the width of the picture."""
    lanes: dict[str, float]
    heads: dict[str, float]                  # width of each lane's head box
    width: float
    time_x: float = 20


_PAD = 12            # between a lifeline and the text beside it
_HEAD_H = 30
_TOP = 62            # the title, then the heads


def _layout(table: list[Row], labels: dict[str, str]) -> _Layout:
    heads = {lane: _width(len(label)) + 24 for lane, label in labels.items()}
    longest = max([len(line) for r in table for line in r.sent + r.arrived] +
                  [len(text) * SMALL / SIZE for r in table for text, _ in r.notes] + [24])
    gap = max(_width(longest) + 2 * _PAD + 14, 200)
    left = 20 + _width(len("00:00:00.000")) + 24
    client = max(left + heads["client"] / 2, left + 40)
    router = max(client + gap, client + (heads["client"] + heads["router"]) / 2 + 20)
    server = max(router + gap, router + (heads["router"] + heads["server"]) / 2 + 20)
    return _Layout({"client": client, "router": router, "server": server}, heads,
                   server + max(heads["server"] / 2, 40) + 20)


def _row_height(r: Row) -> float:
    return max(len(r.sent), len(r.arrived), 1) * LINE + 32


def _leg(c: _Canvas, lines: list[str], x1: float, x2: float, y: float, colour: str,
         masked: bool = False) -> None:
    """One leg: the text lines just above it, left-aligned in its span, then the arrow."""
    left = min(x1, x2) + _PAD
    for i, line in enumerate(lines):
        c.text(left, y - 7 - (len(lines) - 1 - i) * LINE, line,
               fill=colour if masked else COLOURS["text"], weight="bold" if masked else None)
    c.arrow(x1, x2, y, colour, 2.5 if masked else 1.5)


def _draw_row(back: _Canvas, c: _Canvas, r: Row, top: float, lay: _Layout,
              shaded: bool) -> float:
    """One arrow's row: its shading on `back`, its arrows and texts on `c`."""
    height = _row_height(r)
    if shaded:
        back.add("rect", x=0, y=f"{top:.1f}", width=lay.width, height=f"{height:.1f}",
                 fill=COLOURS["row"])
    a = r.arrow
    y = top + height - 22
    sender, receiver = ("client", "server") if a.from_client else ("server", "client")
    xs, xr, xm = lay.lanes[sender], lay.lanes[receiver], lay.lanes["router"]
    toward = 1 if xr > xm else -1
    colour = COLOURS[sender]
    c.text(lay.time_x, y + 4, clock_text(a.time), fill=COLOURS["muted"])
    if a.sent:
        _leg(c, r.sent, xs, xm - toward * 6, y, colour)
    if r.fate == DROPPED:
        c.cross(xm, y, COLOURS[DROPPED])
    elif r.arrived:
        masked = r.fate == MASKED
        _leg(c, r.arrived, xm + toward * 6, xr, y, MASK_COLOUR if masked else colour, masked)
    if any(kind in (HELD, RELEASED) for _, kind in r.notes):
        c.add("circle", cx=f"{xm:.1f}", cy=f"{y:.1f}", r=5, fill=COLOURS[HELD])
    note_x = xm + toward * _PAD
    text = "; ".join(t for t, _ in r.notes)
    if text:
        tone = COLOURS[MASKED] if r.alarming else COLOURS[HELD]
        c.text(note_x, y + 16, text, size=SMALL, fill=tone, style="italic",
               anchor=None if toward > 0 else "end")
    return height


_LEGEND = (("arrow", "client", "client to server"), ("arrow", "server", "server to client"),
           ("masked", MASKED, NOTES[MASKED]), ("cross", DROPPED, "dropped by the router"),
           ("dot", HELD, NOTES[HELD]))
_SAMPLE = {"arrow": 36, "masked": 36, "cross": 16, "dot": 12}


def _legend_step(shape: str, text: str) -> float:
    return _SAMPLE[shape] + 8 + _width(len(text), SMALL) + 28


_LEGEND_W = 40 + sum(_legend_step(shape, text) for shape, _, text in _LEGEND)


def _legend(c: _Canvas, y: float, x: float) -> None:
    for shape, kind, text in _LEGEND:
        colour = COLOURS[kind]
        if shape == "cross":
            c.cross(x + 8, y, colour)
        elif shape == "dot":
            c.add("circle", cx=f"{x + 6:.1f}", cy=f"{y:.1f}", r=5, fill=colour)
        else:
            c.arrow(x, x + _SAMPLE[shape], y, colour, 2.5 if shape == "masked" else 1.5)
        c.text(x + _SAMPLE[shape] + 8, y + 4, text, size=SMALL, fill=COLOURS["muted"])
        x += _legend_step(shape, text)


def _svg(arrows: Sequence[Arrow], title: str, client: str, router: str, server: str,
         standalone: bool = True) -> str:
    table = rows(arrows)
    labels = {"client": client, "router": router, "server": server}
    lay = _layout(table, labels)
    lay.width = math.ceil(max(lay.width, _width(len(title), TITLE) + 40,
                              _LEGEND_W if standalone else 0))
    back, body = _Canvas(), _Canvas()
    top = _TOP + _HEAD_H + 14
    for n, r in enumerate(table):
        top += _draw_row(back, body, r, top, lay, shaded=n % 2 == 0)
    end = top + 10
    legend_y = end + 26
    height = math.ceil(legend_y + 24 if standalone else end + 8)

    c = _Canvas()
    c.add("rect", x=0, y=0, width=lay.width, height=height, fill="#ffffff")
    c.text(20, 32, title, size=TITLE, weight="bold")
    c.items += back.items
    xm = lay.lanes["router"]
    c.add("rect", x=f"{xm - 6:.1f}", y=_TOP + _HEAD_H, width=12,
          height=f"{end - _TOP - _HEAD_H:.1f}", fill=COLOURS["band"])
    for lane, x in lay.lanes.items():
        c.line(x, _TOP + _HEAD_H, x, end, COLOURS["lifeline"], 1.2,
               None if lane == "router" else "5,4")
    c.items += body.items
    for lane, x in lay.lanes.items():
        w = lay.heads[lane]
        c.add("rect", x=f"{x - w / 2:.1f}", y=_TOP, width=f"{w:.1f}", height=_HEAD_H, rx=5,
              fill=COLOURS["band"], stroke=COLOURS["head"], stroke_width=1.2)
        c.text(x, _TOP + 20, labels[lane], weight="bold", anchor="middle")
    if standalone:
        _legend(c, legend_y, 20)
    namespace = ' xmlns="http://www.w3.org/2000/svg" version="1.1"' if standalone else ""
    head = (f'<svg{namespace} width="{lay.width}" height="{height}" '
            f'viewBox="0 0 {lay.width} {height}" font-family="{_esc(FONT)}" '
            f'font-size="{SIZE}" xml:space="preserve">')
    return head + "\n" + "\n".join(c.items) + "\n</svg>\n"


def svg(arrows: Sequence[Arrow], title: str, client: str, router: str, server: str) -> str:
    """The diagram as a standalone SVG 1.1 document, legend included."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _svg(arrows, title, client, router,
                                                             server)


# ------------------------------------------------------------------ the HTML page
_CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; color: #212121; margin: 2em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
p.lanes, p.foot { color: #616161; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1.5em; }
ul.legend span { display: inline-block; width: 2.2em; height: 0; vertical-align: middle;
  margin-right: 0.5em; border-top: 2px solid; }
span.client { border-color: #1565c0; } span.server { border-color: #2e7d32; }
span.masked { border-top: 4px solid #d32f2f; }
span.dropped, span.held { width: 1em; height: 1em; border: none; text-align: center;
  font-weight: bold; }
span.dropped { color: #d32f2f; } span.held { color: #ef6c00; }
figure { margin: 1em 0; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #cfd8dc; padding: 0.3em 0.6em; text-align: left;
  vertical-align: top; }
th { background: #eceff1; }
td pre { margin: 0; font-family: DejaVu Sans Mono, Menlo, Consolas, monospace; }
tr.masked td.arrived { color: #d32f2f; font-weight: bold; }
td.alert { color: #d32f2f; } td.wait { color: #ef6c00; }
"""


def _pre(lines: list[str]) -> str:
    return "<pre>" + _esc("\n".join(lines)) + "</pre>"


def _table(table: list[Row], labels: dict[str, str]) -> str:
    out = ["<table>", "<tr><th>time</th><th>from</th><th>as sent</th>"
           "<th>as the router let it go on</th><th>router</th></tr>"]
    for r in table:
        sender = "client" if r.arrow.from_client else "server"
        shown = "(nothing yet)" if r.fate == HELD else "(dropped)" if r.fate == DROPPED else ""
        tone = "alert" if r.alarming else "wait"
        out.append(f'<tr class="{r.fate}"><td>{clock_text(r.arrow.time)}</td>'
                   f"<td>{_esc(labels[sender])}</td>"
                   f"<td>{_pre(r.sent) if r.arrow.sent else '(held bytes)'}</td>"
                   f'<td class="arrived">{_pre(r.arrived) if r.arrived else shown}</td>'
                   f'<td class="{tone}">{_esc("; ".join(t for t, _ in r.notes))}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def html(arrows: Sequence[Arrow], title: str, client: str, router: str, server: str) -> str:
    """One self-contained page (inline CSS, the SVG inline, no script, nothing fetched): the
    title, a legend, the diagram, the commands the router changed and every segment as text."""
    table = rows(arrows)
    labels = {"client": client, "router": router, "server": server}
    changed = [r for r in table if r.fate == MASKED]
    legend = "".join(f'<li><span class="{cls}">{mark}</span>{_esc(text)}</li>' for cls, mark,
                     text in (("client", "", "client to server"),
                              ("server", "", "server to client"),
                              ("masked", "", NOTES[MASKED]),
                              ("dropped", "✕", "dropped by the router"),
                              ("held", "●", NOTES[HELD])))
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{_esc(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="lanes">{_esc(client)} &#8594; {_esc(router)} &#8594; {_esc(server)}</p>',
        f'<ul class="legend">{legend}</ul>',
        "<figure>", _svg(arrows, title, client, router, server, standalone=False), "</figure>",
        "<h2>Commands the router changed</h2>",
    ]
    if changed:
        parts.append("<ul>" + "".join(
            f"<li>{clock_text(r.arrow.time)}: <code>{_esc(' / '.join(r.original))}</code> "
            f"reached the {'server' if r.arrow.from_client else 'client'} as "
            f"<code>{_esc(' / '.join(r.arrived))}</code></li>" for r in changed) + "</ul>")
    else:
        parts.append("<p>None: every byte that reached the other end was sent as it is.</p>")
    parts += ["<h2>Every segment</h2>", _table(table, labels),
              '<p class="foot">Drawn by iosfw from a replayed scenario; the times are the '
              "router's virtual uptime.</p>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------ recording a replay
class Recorder:
    """A Simulator tap that keeps the SMTP exchange of a replay: the segments of connections
    to port 25 between the hosts of the first one (later connections between the same two
    hosts go on the same lifelines; others are not this diagram's)."""

    def __init__(self):
        self.arrows: list[Arrow] = []
        self.client = "client"
        self.server = "server"
        self._hosts: Optional[tuple[int, int]] = None
        self._port = port_number("tcp", "smtp")

    def __call__(self, now, conn, from_client, sent, arrived) -> None:
        if conn.server.dport != self._port:
            return
        hosts = (conn.client.src, conn.client.dst)
        if self._hosts is None:
            self._hosts = hosts
            self.client = f"client {int_to_ip(conn.client.src)}"
            real, seen = int_to_ip(conn.server.dst), int_to_ip(conn.client.dst)
            self.server = f"server {real}" + (f" ({seen})" if seen != real else "")
        elif hosts != self._hosts:
            return
        self.arrows.append(Arrow(now, from_client, sent, arrived))

    def svg(self, title: str, router: str = "router") -> str:
        return svg(self.arrows, title, self.client, router, self.server)

    def html(self, title: str, router: str = "router") -> str:
        return html(self.arrows, title, self.client, router, self.server)

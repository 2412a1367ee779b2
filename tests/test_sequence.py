"""`iosfw --script FILE --sequence OUT`: the sequence diagram of a replayed SMTP exchange
(iosfw/show/sequence.py, docs/formats.md "Sequence diagrams").

The SVG is drawn by a real renderer (resvg) and the picture looked at pixel by pixel; the HTML
is read with the standard library's parser; the arrows' notes, escaping and the command line's
errors are checked on their own.
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace

import kit
import pytest
import resvg_py
from PIL import Image

from iosfw.cli.main import main
from iosfw.config.names import ip_to_int
from iosfw.show import sequence
from iosfw.show.sequence import Arrow, Recorder

SCENARIO = str(kit.ROOT / "examples" / "scenarios" / "smtp-illegal-commands.txt")
MASKED = [("EXPN staff", "xxxxxxxxxx"), ("TURN", "xxxx"), ("wiz", "xxx")]  # as the scenario
NS = "{http://www.w3.org/2000/svg}"
RED = (0xD3, 0x2F, 0x2F)
LANES = ("client 192.0.2.7", "3640-123", "server 10.10.10.2 (172.22.1.110)")


@pytest.fixture(autouse=True)
def _fresh_nvram(monkeypatch, tmp_path):
    """main() boots from NVRAM: the built-in router, never a developer's saved one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _replay(tmp_path, capsys, out_name: str, script: str = SCENARIO):
    out = tmp_path / out_name
    status = main(["--script", script, "--sequence", str(out)])
    return status, out, capsys.readouterr()


def _texts(svg_text: str) -> list[str]:
    root = ET.fromstring(svg_text.encode("utf-8"))
    return [t.text or "" for t in root.iter(NS + "text")]


# ------------------------------------------------------------------ (a) the picture
def test_the_replayed_scenario_draws_a_picture_with_its_masked_commands_in_red(tmp_path,
                                                                                capsys):
    status, out, std = _replay(tmp_path, capsys, "seq.svg")
    assert status == 0, std.err
    assert "3640-123#simulate connect tcp 192.0.2.7 40001 172.22.1.110 25" in std.out
    text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == NS + "svg" and root.get("version") == "1.1"
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert "monospace" in root.get("font-family")
    background = root[0]
    assert background.tag == NS + "rect" and background.get("fill") == "#ffffff"
    assert (background.get("width"), background.get("height")) == (str(width), str(height))
    texts = _texts(text)
    for label in LANES:
        assert label in texts
    for original, masked in MASKED:
        assert original in texts and masked in texts
    assert texts.count("masked by SMTP inspection") == len(MASKED) + 1   # and the legend's
    assert "00:00:00.000" in texts

    png = bytes(resvg_py.svg_to_bytes(svg_string=text))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (width, height)
    data = image.tobytes()
    pixels = [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]
    colours = Counter(pixels)
    assert colours.most_common(1)[0][0] == (255, 255, 255)      # the background
    assert len([c for c, n in colours.items() if n >= 50]) >= 6  # lanes, arrows, shading, text
    assert sum(1 for p in pixels if p != (255, 255, 255)) > 0.15 * len(pixels)
    red = [(i % width, i // width) for i, p in enumerate(pixels) if p == RED]
    assert len(red) > 1000                                      # three thick red legs
    # above the legend, red is only on the router -> server legs: the right half
    legs = [x for x, y in red if y < height - 60]
    assert legs and min(legs) > width / 2 - 20


def test_the_times_are_the_virtual_clock_at_each_segment(tmp_path, capsys):
    script = tmp_path / "later.txt"
    script.write_text("simulate clock advance 5\n"
                      "simulate connect tcp 192.0.2.7 40001 172.22.1.110 25\n"
                      "simulate clock advance 1\n"
                      "simulate send tcp 192.0.2.7 40001 172.22.1.110 25 line NOOP\n")
    status, out, std = _replay(tmp_path, capsys, "later.svg", str(script))
    assert status == 0, std.err
    texts = _texts(out.read_text(encoding="utf-8"))
    assert [t for t in texts if t.startswith("00:")] == ["00:00:05.000", "00:00:06.000",
                                                         "00:00:06.000"]


# ------------------------------------------------------------------ (b) the page
class _Checked(HTMLParser):
    """Every element closed in order (void elements aside); the text and the attributes."""
    VOID = {"meta", "br", "img", "link", "input", "hr", "line", "rect", "circle", "polygon"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_page_is_one_self_contained_file_with_the_masked_commands(tmp_path, capsys):
    status, out, std = _replay(tmp_path, capsys, "seq.html")
    assert status == 0, std.err
    page = out.read_text(encoding="utf-8")
    parser = _Checked()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert {"html", "head", "title", "style", "body", "h1", "svg", "table"} <= parser.tags
    assert not parser.tags & {"script", "link", "img", "iframe", "object"}
    assert "http://" not in page and "https://" not in page
    assert not [name for name, _ in parser.attributes if name in ("src", "href")]
    text = "".join(parser.text)
    for original, masked in MASKED:
        assert f"{original} reached the server as {masked}" in text
    assert "SMTP through 3640-123: smtp-illegal-commands.txt" in text
    for entry in ("client to server", "server to client", "masked by SMTP inspection",
                  "dropped by the router", "held by inspection"):
        assert entry in text                                      # the legend


# ------------------------------------------------------------------ (c) drawing by hand
def _svg(*arrows: Arrow, title: str = "t") -> tuple[ET.Element, str]:
    text = sequence.svg(list(arrows), title, *LANES)
    return ET.fromstring(text.encode("utf-8")), text


def _notes(root: ET.Element) -> list[str]:
    """The notes under the arrows (the legend's texts are not italic)."""
    return [t.text for t in root.iter(NS + "text") if t.get("font-style") == "italic"]


def _stroke_of_leg(root: ET.Element, y: str) -> list[tuple[str, str]]:
    return [(e.get("stroke"), e.get("stroke-width")) for e in root.iter(NS + "line")
            if e.get("y1") == y == e.get("y2")]


def test_a_masked_command_has_a_red_bold_second_leg_and_its_note():
    root, _ = _svg(Arrow(1.2, True, b"EXPN root\r\n", b"xxxxxxxxx\r\n"))
    texts = {t.text: t for t in root.iter(NS + "text")}
    assert texts["EXPN root"].get("font-weight") is None
    assert texts["xxxxxxxxx"].get("fill") == "#d32f2f"
    assert texts["xxxxxxxxx"].get("font-weight") == "bold"
    assert _notes(root) == ["masked by SMTP inspection"]
    assert "00:00:01.200" in texts
    legs = [e for e in root.iter(NS + "line") if e.get("y1") == e.get("y2")
            and e.get("stroke") in ("#1565c0", "#d32f2f")]
    y = legs[0].get("y1")
    assert sorted(_stroke_of_leg(root, y)) == [("#1565c0", "1.5"), ("#d32f2f", "2.5")]


def test_a_dropped_segment_ends_at_the_router_under_a_cross():
    root, _ = _svg(Arrow(0, True, b"HELO a\r\n", None))
    texts = [t.text for t in root.iter(NS + "text")]
    assert _notes(root) == ["dropped"] and texts.count("HELO a") == 1   # no second leg
    crosses = [e for e in root.iter(NS + "line") if e.get("stroke") == "#d32f2f"
               and e.get("stroke-width") == "3"]
    assert len(crosses) == 2 + 2                                  # the row's and the legend's


def test_held_bytes_wait_at_the_router_and_are_let_go_later():
    root, _ = _svg(Arrow(0, True, b"DATA\r\nSubject: x\r\n", b"DATA\r\n"),
                   Arrow(1, True, b"MAIL FROM:<a@b>\r\n", b""),
                   Arrow(2, True, b"", b"Subject: x\r\nMAIL FROM:<a@b>\r\n"))
    assert _notes(root) == ["12 bytes held by inspection", "held by inspection",
                            "held bytes let go"]
    texts = [t.text for t in root.iter(NS + "text")]
    assert texts.count("MAIL FROM:<a@b>") == 2      # as sent, then as let go
    dots = [e for e in root.iter(NS + "circle") if e.get("fill") == "#ef6c00"]
    assert len(dots) == 3 + 1                       # each row's and the legend's


def test_rows_line_up_held_bytes_so_a_typed_command_is_seen_masked():
    typed = [Arrow(0, True, b"E", b""), Arrow(0.2, True, b"X", b"xx"),
             Arrow(0.4, True, b"\r\n", b"\r\n"), Arrow(0.5, False, b"500 no\r\n", b"500 no\r\n")]
    table = sequence.rows(typed)
    assert [r.fate for r in table] == ["held", "masked", "passed", "passed"]
    assert table[1].original == ["EX"] and table[1].arrived == ["xx"]
    assert [t for t, _ in table[1].notes] == ["masked by SMTP inspection", "held bytes let go"]
    assert table[2].sent == ['"\\r\\n"'] and table[2].notes == []


def test_text_is_escaped_split_into_lines_and_cut():
    long = b"RCPT TO:<" + b"a" * 100 + b">\r\n"
    root, raw = _svg(Arrow(0, True, b"MAIL FROM:<a&b>\r\nRCPT TO:<c@d>\r\n\x00\x1b[1m\n" + long,
                           b"MAIL FROM:<a&b>\r\n"), title="<&> \"quoted\"")
    assert "&lt;a&amp;b&gt;" in raw and "<a&b>" not in raw
    texts = [t.text for t in root.iter(NS + "text")]
    assert "<&> \"quoted\"" in texts
    assert ["MAIL FROM:<a&b>", "RCPT TO:<c@d>", "\\x00\\x1b[1m\\n"] == texts[
        texts.index("MAIL FROM:<a&b>"):texts.index("MAIL FROM:<a&b>") + 3]
    cut = [t for t in texts if t.startswith("RCPT TO:<aaa")]
    assert cut == ["RCPT TO:<" + "a" * (sequence.MAX_CHARS - 10) + "…"]
    assert len(cut[0]) == sequence.MAX_CHARS


def test_clock_text():
    assert sequence.clock_text(0) == "00:00:00.000"
    assert sequence.clock_text(3723.0456) == "01:02:03.046"


def _conn(client: str, seen: str, real: str, port: int = 25):
    return SimpleNamespace(client=SimpleNamespace(src=ip_to_int(client), dst=ip_to_int(seen)),
                           server=SimpleNamespace(src=ip_to_int(client), dst=ip_to_int(real),
                                                  dport=port))


def test_the_recorder_keeps_the_first_smtp_hosts_and_names_the_lanes():
    rec = Recorder()
    rec(0.0, _conn("192.0.2.7", "172.22.1.110", "10.10.10.2", 80), True, b"GET /\r\n",
        b"GET /\r\n")
    assert rec.arrows == []
    smtp = _conn("192.0.2.7", "172.22.1.110", "10.10.10.2")
    rec(1.0, smtp, True, b"HELO a\r\n", b"HELO a\r\n")
    rec(1.5, _conn("192.0.2.9", "172.22.1.110", "10.10.10.2"), True, b"HELO b\r\n", None)
    rec(2.0, smtp, False, b"250 ok\r\n", b"250 ok\r\n")
    assert rec.arrows == [Arrow(1.0, True, b"HELO a\r\n", b"HELO a\r\n"),
                          Arrow(2.0, False, b"250 ok\r\n", b"250 ok\r\n")]
    assert (rec.client, rec.server) == ("client 192.0.2.7", "server 10.10.10.2 (172.22.1.110)")
    texts = _texts(rec.svg("title", "fw"))
    assert {"client 192.0.2.7", "fw", "server 10.10.10.2 (172.22.1.110)"} <= set(texts)
    direct = Recorder()
    direct(0.0, _conn("10.10.10.9", "10.10.10.2", "10.10.10.2"), True, b"x\r\n", b"x\r\n")
    assert direct.server == "server 10.10.10.2"


# ------------------------------------------------------------------ (d) the errors
def test_sequence_needs_a_script(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--sequence", str(tmp_path / "x.svg")])
    assert stop.value.code == 2
    assert "--sequence needs --script" in capsys.readouterr().err


def test_sequence_takes_an_svg_or_html_name(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--script", SCENARIO, "--sequence", str(tmp_path / "x.png")])
    assert stop.value.code == 2
    assert "iosfw: error: --sequence: FILE.svg or FILE.html" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_a_script_without_smtp_writes_nothing(tmp_path, capsys):
    script = tmp_path / "web.txt"
    script.write_text("simulate connect tcp 192.0.2.7 40001 172.22.1.110 80\n")
    status, out, std = _replay(tmp_path, capsys, "none.svg", str(script))
    assert status == 1
    assert std.err == (f"iosfw: --sequence: the script opened no SMTP connection; {out} "
                       "not written\n")
    assert not out.exists() and list(tmp_path.glob("none.svg*")) == []

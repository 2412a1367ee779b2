"""Configurations as the bytes of a file, for the save-and-reload properties
(tests/test_load_fixed_point.py): generated configurations (tests/test_properties.py) with
banners closed and unclosed, control characters, CR/LF/CRLF mixes, encodings, a BOM, NULs and
stray bytes."""
from __future__ import annotations

from hypothesis import strategies as st
from test_properties import GRAMMAR_BLOCK, SECTIONS, configs, garbage_configs

# What a swallowed banner must never turn into: configuration that opens the router.
DANGEROUS = ["enable password evil", "line vty 0 4", " no login", " password evil",
             "username evil privilege 15 password evil", "interface Ethernet2/0",
             " no ip access-group 101 in", "end", "!% rejected: enable password evil",
             "banner motd ^C", "^C", "#"]
# Characters other tools take for line ends or spaces, and characters outside ASCII.
ODD_CHARS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "\t",
             "\x00", "\x7f", "\x1b", "\xa0", "\ufeff", "\u200b", "é", "€", "ß", "日本", "Ω",
             " ", "  ", "!", "^C"]
ENCODINGS = ["utf-8", "utf-8", "latin-1", "cp1252", "koi8_r", "shift_jis", "mac_roman",
             "cp437", "utf-16", "utf-8-sig"]
STRAY_BYTES = [b"\x00", b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xe9", b"\r", b"\n", b"\r\n",
               b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xf0\x9f", b"\x0c", b"\x85"]
BANNER_KINDS = ["motd", "login", "exec", "incoming", "slip-ppp", "m"]
DELIMITERS = ["^C", "^C", "#", "%", "X", "^", "\x03", "é"]

BANNER_LINE = st.one_of(st.sampled_from(DANGEROUS),
                        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                                max_size=20),
                        st.text(max_size=8))


@st.composite
def banner_block(draw) -> list[str]:
    """`banner KIND DELIM`, lines of text, and (unless `unclosed`) the delimiter somewhere."""
    kind, delim = draw(st.sampled_from(BANNER_KINDS)), draw(st.sampled_from(DELIMITERS))
    lead = draw(st.sampled_from(["", "", " ", "\t"]))
    first = f"{lead}banner {kind} {delim}{draw(BANNER_LINE)}"
    body = draw(st.lists(BANNER_LINE, max_size=5))
    lines = [first] + body
    ending = draw(st.sampled_from(["unclosed", "end of line", "own line", "with text after"]))
    if ending == "end of line":
        lines[-1] += delim
    elif ending == "own line":
        lines.append(delim)
    elif ending == "with text after":
        lines[-1] += delim + draw(BANNER_LINE)
    return lines


ADDRESSING = st.sampled_from([
    "ip address 10.0.0.1 255.255.255.0", "ip address 10.0.1.1 255.255.255.0 secondary",
    "ip address 10.0.2.1 255.255.255.0 secondary", "no ip address 10.0.1.1 255.255.255.0 secondary",
    "ip address dhcp", "ip address negotiated", "no ip address", "no ip address dhcp"])


@st.composite
def addressing_block(draw) -> str:
    """An interface's addresses set and taken back in any order (primary, secondaries, DHCP)."""
    name = draw(st.sampled_from(["Ethernet2/0", "Serial2/0", "Loopback3", "Ethernet2/0.7"]))
    lines = draw(st.lists(ADDRESSING, min_size=1, max_size=5))
    return "\n".join([f"interface {name}"] + [" " + line for line in lines])


ACL_BLOCK_LINES = st.sampled_from([
    "permit any", "deny 10.0.0.0 0.0.0.255", "permit ip any any", "deny tcp any any eq 23",
    "remark kept", "15 permit host 10.1.1.1", "no 10", "permit 1.1.1.1 0.0.0.0 junk",
    "evaluate REFLECTED", "dynamic testlist permit ip any any", "permit tcp any any eq 99999"])


@st.composite
def numbered_block(draw) -> str:
    """A numbered list written as a named one (`ip access-list standard 5`): entries, remarks
    and lines it keeps among them, or none at all."""
    head = draw(st.sampled_from(["ip access-list standard 5", "ip access-list extended 150",
                                 "ip access-list standard 1300"]))
    lines = draw(st.lists(ACL_BLOCK_LINES, max_size=5))
    return "\n".join([head] + [" " + line for line in lines])


BASE_CONFIGS = st.one_of(
    addressing_block(),
    numbered_block(),
    st.lists(st.sampled_from(SECTIONS), min_size=2, max_size=4, unique=True).flatmap(
        lambda sections: configs(tuple(sections), most=2, required=())),
    st.lists(GRAMMAR_BLOCK, max_size=4).map(
        lambda blocks: "\n".join(line for block in blocks for line in block)),
    garbage_configs(),
)


def _insert(draw, items: list, item) -> None:
    items.insert(draw(st.integers(0, len(items))), item)


@st.composite
def config_lines(draw) -> list[str]:
    """A configuration's lines with banners among them and odd characters inside them."""
    lines = draw(BASE_CONFIGS).split("\n")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines)))
        lines[at:at] = draw(banner_block())
    for _ in range(draw(st.integers(0, 4))):
        if lines:
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.sampled_from(ODD_CHARS)) + lines[i][j:]
    return lines


@st.composite
def config_bytes(draw) -> bytes:
    """The lines joined by CR, LF or CR LF (mixed), encoded, maybe with a BOM, stray bytes."""
    lines = draw(config_lines())
    ends = st.sampled_from(["\n", "\n", "\r\n", "\r"])
    mixed = draw(st.booleans())
    end = draw(ends)
    text = "".join(line + (draw(ends) if mixed else end) for line in lines)
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.integers(0, 5)) == 0:
        data = b"\xef\xbb\xbf" + data
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(STRAY_BYTES)) + data[at:]
    return data

"""Real configurations written by other people (`../shared/corpus/`) load as a 12.3(4)T would
load them at boot, and `show running-config` keeps every command line they hold.

The corpus is not part of this repository (its licences differ); without it these tests skip.
Lines are compared after the normalisations IOS itself applies to modelled lines: whitespace
(`deny   ` padding), host bits cleared under a wildcard, port numbers shown by name, interface
type names in IOS case, and defaults that running-config does not show.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import kit
import pytest
from kit import CORPUS

from iosfw.commands.loader import load_file, read_config_file
from iosfw.show import inspect
from iosfw.show.running_config import render, render_lines

REJECTED = "!% rejected: "


def corpus_params():
    if not CORPUS.is_dir():
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(p, id=p.name) for p in sorted(CORPUS.iterdir())
            if p.is_file() and p.name != "README.md"]


@pytest.fixture(params=corpus_params())
def corpus_path(request) -> Path:
    if request.param is None:
        pytest.skip(f"../shared/corpus not present: {CORPUS}")
    return request.param


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"../shared/corpus not present: {path}")
    return path


# ------------------------------------------------------------------ reading the source
BANNER = re.compile(r"^\s*banner\s+\S+\s+(\^C|\S)", re.IGNORECASE)
BLOCK_HEADER = re.compile(r"^(interface|line|ip access-list|controller|voice-port|control-plane"
                          r"|router|class-map|policy-map)\b")
NAMED_ACL = re.compile(r"^ip access-list (standard|extended) (\S+)\s*$")
ACL_WORD = re.compile(r"(\d+\s+)?(permit|deny|remark|evaluate)\b")


class Blocks:
    """Which block header a line belongs to, read line by line (None for a global line)."""

    def __init__(self):
        self.header: str | None = None

    def reset(self) -> None:
        self.header = None

    def context(self, raw: str) -> str | None:
        if BLOCK_HEADER.match(raw.lstrip()) and (not raw[:1].isspace() or self.header is None):
            self.header = " ".join(raw.split())
            return None
        if raw[:1].isspace():
            return self.header
        if self.header and NAMED_ACL.match(self.header) and ACL_WORD.match(raw):
            return self.header
        self.header = None
        return None


class Source:
    """A config file's command lines, classified with the diagnostics iosfw gave for them."""

    def __init__(self, text: str, diagnostics):
        by_line = {d.line: d for d in diagnostics}
        self.modelled: list[tuple[str | None, str]] = []   # (block header, raw)
        self.unknown: list[str] = []    # kept verbatim: unknown lines and their block children
        self.rejected: list[str] = []
        blocks = Blocks()
        block_indent = None             # children of an unknown block header are kept with it
        for lineno, raw in _commands(text):
            if raw is None:             # a `!` line closes an unknown block
                block_indent = None
                blocks.reset()
                continue
            indent = len(raw) - len(raw.lstrip())
            if block_indent is not None and indent > block_indent:
                self.unknown.append(raw)
                continue
            block_indent = None
            header = blocks.context(raw)
            diag = by_line.get(lineno)
            if diag is None:
                self.modelled.append((header, raw))
            elif diag.severity == "warning":
                self.unknown.append(raw)
                block_indent = indent
            else:
                self.rejected.append(raw)


def _commands(text: str) -> list[tuple[int, str | None]]:
    """(line number, raw command) as the loader reads them: banners joined, `!` lines as None."""
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        raw = lines[i].rstrip("\r")
        i += 1
        lineno = i
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("!"):
            out.append((lineno, None))
            continue
        if stripped.lower() == "end":
            break
        banner = BANNER.match(raw)
        if banner:
            rest = raw[banner.end():]
            while banner.group(1) not in rest and i < len(lines):
                rest += "\n" + lines[i]
                raw += "\n" + lines[i]
                i += 1
        out.append((lineno, raw))
    return out


# ------------------------------------------------------------------ IOS normalisations
TCP_PORTS = {7: "echo", 9: "discard", 13: "daytime", 19: "chargen", 20: "ftp-data", 21: "ftp",
             23: "telnet", 25: "smtp", 37: "time", 43: "whois", 49: "tacacs", 53: "domain",
             70: "gopher", 79: "finger", 80: "www", 101: "hostname", 109: "pop2", 110: "pop3",
             111: "sunrpc", 113: "ident", 119: "nntp", 179: "bgp", 194: "irc",
             496: "pim-auto-rp", 512: "exec", 513: "login", 514: "cmd", 515: "lpd",
             517: "talk", 540: "uucp", 543: "klogin", 544: "kshell"}
UDP_PORTS = {7: "echo", 9: "discard", 37: "time", 42: "nameserver", 49: "tacacs", 53: "domain",
             67: "bootps", 68: "bootpc", 69: "tftp", 111: "sunrpc", 123: "ntp",
             137: "netbios-ns", 138: "netbios-dgm", 139: "netbios-ss", 161: "snmp",
             162: "snmptrap", 177: "xdmcp", 195: "dnsix", 434: "mobile-ip", 496: "pim-auto-rp",
             500: "isakmp", 512: "biff", 513: "who", 514: "syslog", 517: "talk", 520: "rip"}
INTERFACE_TYPES = {t.lower(): t for t in (
    "Ethernet", "FastEthernet", "GigabitEthernet", "Serial", "Vlan", "Dialer", "Loopback",
    "ATM", "BVI", "Tunnel", "Virtual-Template", "Null", "Async", "Virtual-Access")}
QUAD = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
# What a 12.3(4)T does not print because it is the default (ios-facts.md §2.2).
HIDDEN_DEFAULTS = {
    "ip inspect max-incomplete low 400", "ip inspect max-incomplete high 500",
    "ip inspect one-minute low 400", "ip inspect one-minute high 500",
    "ip inspect tcp synwait-time 30", "ip inspect tcp finwait-time 5",
    "ip inspect tcp idle-time 3600", "ip inspect udp idle-time 30", "ip inspect dns-timeout 5",
    "ip inspect tcp max-incomplete host 50 block-time 0",
}
# What running-config shows although nobody typed it: the defaults of an empty router, and
# `no ip address` for an interface without one.
SHOWN_DEFAULTS_EXTRA = {"no ip address"}
# A later `ip nat inside source list N ...` replaces the mapping for list N.
REPLACED = {
    "margrave-example1.txt": ["ip nat inside source list 1 pool localnet overload"],
    "margrave-example1-reflexive.txt": ["ip nat inside source list 1 pool localnet overload"],
}


def _ip(text: str) -> int:
    a, b, c, d = (int(x) for x in text.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def _dotted(value: int) -> str:
    return ".".join(str((value >> s) & 255) for s in (24, 16, 8, 0))


def _acl_entry(words: list[str], header: str | None) -> tuple[int, str] | None:
    """(index of the action word, 'standard'/'extended') if the words are an ACL entry."""
    if len(words) > 3 and words[0] == "access-list" and words[1].isdigit() \
            and words[2] in ("permit", "deny"):
        n = int(words[1])
        return 2, "standard" if n < 100 or 1300 <= n <= 1999 else "extended"
    named = NAMED_ACL.match(header or "")
    if named and words and words[0] in ("permit", "deny"):
        return 0, named.group(1)
    return None


def normalise(raw: str, header: str | None = None) -> str:
    words = raw.split()
    if len(words) >= 2 and words[0] == "interface":
        m = re.match(r"([A-Za-z-]+)(.*)", words[1])
        if m and m.group(1).lower() in INTERFACE_TYPES:
            words[1] = INTERFACE_TYPES[m.group(1).lower()] + m.group(2)
    entry = _acl_entry(words, header)
    if entry is None:
        return " ".join(words)
    start, kind = entry
    body = words[start + 1:]
    ports = {"tcp": TCP_PORTS, "udp": UDP_PORTS}.get(body[0] if kind == "extended" else "", {})
    out, i = [], 0
    while i < len(body):
        word = body[i]
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if QUAD.match(word) and QUAD.match(nxt) and (not out or out[-1] != "host"):
            wildcard = _ip(nxt)
            out += [_dotted(_ip(word) & ~wildcard & 0xFFFFFFFF), nxt]
            i += 2
            continue
        if word in ("eq", "neq", "lt", "gt", "range") and ports:
            count = 2 if word == "range" else 1
            named = [ports.get(int(p), p) if p.isdigit() else p
                     for p in body[i + 1:i + 1 + count]]
            out += [word] + named
            i += 1 + count
            continue
        out.append(word)
        i += 1
    return " ".join(words[:start + 1] + out)


def rendered_parts(lines: list[str], unknown: list[str]):
    """(modelled lines with their block header, verbatim lines, rejected lines) of a render."""
    verbatim = Counter(unknown)
    modelled, kept, rejected = [], [], []
    blocks = Blocks()
    for line in lines:
        if line.strip().startswith(REJECTED):
            rejected.append(line.strip())
        elif line.lstrip().startswith("!"):
            blocks.reset()
        elif verbatim[line] > 0:
            verbatim[line] -= 1
            kept.append(line)
            blocks.context(line)
        else:
            modelled.append((blocks.context(line), line))
    return modelled, kept, rejected


def normalised_counts(pairs) -> Counter:
    seen, counts = set(), Counter()
    for header, raw in pairs:
        key = normalise(raw, header)
        if (header, key) in seen and (header is not None or key.startswith("ip access-list")):
            continue        # a line repeated in the same block (or a block re-entered) adds nothing
        seen.add((header, key))
        counts[key] += 1
    return counts


def shown_defaults() -> set[str]:
    empty = render_lines(kit.load("", "empty").router)
    return {" ".join(line.split()) for line in empty if not line.startswith("!")} \
        | SHOWN_DEFAULTS_EXTRA


# ------------------------------------------------------------------ every corpus file
def test_corpus_file_loads_without_raising(corpus_path):
    result = load_file(corpus_path)
    text = render(result.router)
    header = re.match(r"Building configuration\.\.\.\n\nCurrent configuration : (\d+) bytes\n",
                      text)
    assert header
    assert int(header.group(1)) == len(text[header.end():].encode("utf-8"))


def test_each_diagnostic_quotes_the_line_it_names(corpus_path):
    result = load_file(corpus_path)
    source = read_config_file(corpus_path).splitlines()
    for diag in result.diagnostics:
        assert diag.path == str(corpus_path)
        assert diag.severity in ("error", "warning")
        assert diag.text.split("\n")[0] == source[diag.line - 1], diag.format()
        if diag.column is not None:
            assert 0 <= diag.column < len(diag.text), diag.format()
            assert diag.text[diag.column] != " ", diag.format()


@pytest.mark.parametrize("command", [
    "show running-config", "show ip inspect all", "show ip inspect config",
    "show ip inspect interfaces", "show access-lists", "show ip nat translations",
    "show ip interface brief", "show ip route", "show version",
])
def test_show_commands_answer_on_every_corpus_router(corpus_path, command, tmp_path):
    router = load_file(corpus_path).router
    session = kit.session(tmp_path, router=router)
    reply = session.execute(command)
    assert not reply.error, reply.output


def test_unknown_lines_are_kept_verbatim_in_running_config(corpus_path):
    result = load_file(corpus_path)
    source = Source(read_config_file(corpus_path), result.diagnostics)
    shown = Counter(render_lines(result.router))
    missing = Counter(source.unknown) - shown
    assert not missing, sorted(missing)


def test_rejected_lines_stay_in_running_config_marked(corpus_path):
    result = load_file(corpus_path)
    source = Source(read_config_file(corpus_path), result.diagnostics)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert len(source.rejected) == len(errors)
    marked = [line.strip() for line in render_lines(result.router)
              if line.strip().startswith(REJECTED)]
    assert Counter(marked) == Counter(REJECTED + raw.strip() for raw in source.rejected)


def test_every_modelled_line_is_in_running_config_once(corpus_path):
    """Each modelled source line is shown exactly as often as it was written (after IOS's
    normalisations); running-config adds only defaults and hides only default values."""
    result = load_file(corpus_path)
    source = Source(read_config_file(corpus_path), result.diagnostics)
    wanted = normalised_counts(source.modelled)
    for line in REPLACED.get(corpus_path.name, []):
        wanted[line] -= 1
    modelled, _, _ = rendered_parts(render_lines(result.router), source.unknown)
    shown = Counter(normalise(raw, header) for header, raw in modelled)
    defaults = shown_defaults()
    wrong = {}
    for key in set(wanted) | set(shown):
        want, got = max(wanted[key], 0), shown[key]
        if key in HIDDEN_DEFAULTS:
            ok = got <= want
        elif key in defaults:
            ok = got >= want
        else:
            ok = got == want
        if not ok:
            wrong[key] = f"written {want}, shown {got}"
    assert not wrong, wrong


def _acl_blocks(lines, header_of=None) -> dict[str, list[str]]:
    """Named ACL blocks: their entries in order (modelled, unknown and rejected alike)."""
    blocks, current = {}, None
    for line in lines:
        stripped = line.strip()
        if not stripped or (stripped.startswith("!") and not stripped.startswith(REJECTED)):
            current = None if not stripped or stripped == "!" else current
            continue
        named = NAMED_ACL.match(line)
        if named:
            current = blocks.setdefault(named.group(2), [])
            continue
        if not line.startswith(" ") and not re.match(r"(permit|deny|remark|evaluate)\b", line):
            current = None
            continue
        if current is not None:
            text = stripped[len(REJECTED):] if stripped.startswith(REJECTED) else stripped
            entry = normalise(text, "ip access-list extended x")
            if entry not in current or entry.startswith("remark"):
                current.append(entry)    # IOS ignores an entry the list already has
    return blocks


def test_access_list_lines_keep_their_order(corpus_path):
    """ACLs are ordered: every line of a named ACL, known, unknown or rejected, stays where
    it was written (an `evaluate` moved below a `deny` changes what the list does)."""
    result = load_file(corpus_path)
    written = _acl_blocks(read_config_file(corpus_path).splitlines())
    shown = _acl_blocks(render_lines(result.router))
    for name, entries in written.items():
        assert shown.get(name) == entries, name


def test_reloading_running_config_gives_the_same_running_config(corpus_path):
    first = load_file(corpus_path)
    lines = render_lines(first.router)
    again = kit.load("\n".join(lines) + "\n", "reloaded")
    assert render_lines(again.router) == lines


def test_reloading_running_config_reports_each_kept_line_again(corpus_path):
    """Unknown lines warn again as unknown; each rejected line comes back as a marked comment,
    kept and reported as kept, not applied again."""
    first = load_file(corpus_path)
    again = kit.load("\n".join(render_lines(first.router)) + "\n", "reloaded")
    kinds = lambda diags: Counter((d.severity, d.message) for d in diags)  # noqa: E731
    before, after = kinds(first.diagnostics), kinds(again.diagnostics)
    rejected = sum(n for (severity, _), n in before.items() if severity == "error")
    kept = ("warning", "kept from an earlier load: a line the router rejected")
    assert after.pop(kept, 0) == rejected
    assert after == Counter({k: n for k, n in before.items() if k[0] == "warning"})


# ------------------------------------------------------------------ ccp-sample_01 (12.4 router)
PROTOCOLS_AFTER_12_3_4T = ["aol", "cddbp", "ddns-v3", "dns", "ftps", "https", "ipass", "isakmp",
                           "ntp", "pop3", "pop3s", "realsecure", "snmp", "ssh", "ipsec-msft"]


@pytest.mark.parametrize("protocol", PROTOCOLS_AFTER_12_3_4T)
def test_ccp01_inspect_protocol_unknown_to_12_3_4T_is_rejected_at_the_protocol_word(protocol):
    path = corpus_file("ccp-sample_01.ios")
    result = load_file(path)
    source = read_config_file(path).splitlines()
    lineno = next(n for n, line in enumerate(source, 1)
                  if line.startswith(f"ip inspect name EXT_OUT {protocol} "))
    diag = next(d for d in result.diagnostics if d.line == lineno)
    assert diag.severity == "error"
    assert diag.column == len("ip inspect name EXT_OUT ")
    assert diag.format().startswith(f"{path}:{lineno}:{diag.column + 1}: error: ")
    assert protocol not in [p.protocol for p in result.router.inspect_rules["EXT_OUT"].protocols]
    assert f"!% rejected: {source[lineno - 1]}" in render_lines(result.router)


def test_ccp01_esmtp_is_kept_in_ext_out_and_smtp_in_ext_out_audit():
    result = load_file(corpus_file("ccp-sample_01.ios"))
    rules = result.router.inspect_rules
    assert [p.protocol for p in rules["EXT_OUT"].protocols] == [
        "fragment", "http", "ftp", "tcp", "udp", "icmp", "rtsp", "sip", "realaudio", "esmtp"]
    assert [p.protocol for p in rules["EXT_OUT_AUDIT"].protocols] == [
        "fragment", "http", "smtp", "ftp", "tcp", "udp", "icmp"]
    shown = inspect.show_name(result.router, "EXT_OUT").splitlines()
    assert "    esmtp max-data 20000000 alert is on audit-trail is off timeout 7200" in shown
    lines = render_lines(result.router)
    assert "ip inspect name EXT_OUT esmtp alert on audit-trail off" in lines


def test_ccp01_ext_out_is_applied_outbound_on_dialer1():
    result = load_file(corpus_file("ccp-sample_01.ios"))
    interfaces = inspect.show_interfaces(result.router).splitlines()
    assert interfaces[:4] == ["Interface Configuration", " Interface Dialer1",
                              "  Inbound inspection rule is not set",
                              "  Outgoing inspection rule is EXT_OUT"]


@pytest.mark.parametrize("line", [" no exec", " exec prompt timestamp"])
def test_ccp01_line_commands_iosfw_does_not_model_are_not_rejected(line):
    """`no exec` has been a line command since IOS 10; `exec prompt timestamp` is listed in
    docs/grammar.md as kept verbatim. Neither is a line IOS would refuse."""
    path = corpus_file("ccp-sample_01.ios")
    result = load_file(path)
    wrong = [d.format() for d in result.diagnostics if d.text == line and d.severity == "error"]
    assert wrong == []
    assert line in render_lines(result.router)


def test_ccp01_transport_input_is_kept_on_its_line():
    lines = render_lines(load_file(corpus_file("ccp-sample_01.ios")).router)
    aux = lines[lines.index("line aux 0") + 1:lines.index("line vty 0 4")]
    vty = lines[lines.index("line vty 0 4") + 1:]
    assert " transport input telnet" in aux
    assert " transport input telnet ssh" in vty


# ------------------------------------------------------------------ margrave-example1
def indented(text: str) -> str:
    """The same config with interface sub-commands indented one space, as IOS writes them."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("interface "):
            inside = True
        elif line.startswith("!"):
            inside = False
        elif inside:
            line = " " + line
        out.append(line)
    return "\n".join(out) + "\n"


def test_margrave_example1_unindented_interface_lines_configure_the_interfaces():
    text = read_config_file(corpus_file("margrave-example1.txt"))
    flat = kit.load(text, "flat")
    tidy = kit.load(indented(text), "tidy")
    assert flat.router.interfaces == tidy.router.interfaces
    assert render_lines(flat.router) == render_lines(tidy.router)
    assert [(d.line, d.severity, d.message) for d in flat.diagnostics] == \
        [(d.line, d.severity, d.message) for d in tidy.diagnostics]
    fa0 = flat.router.interfaces["FastEthernet0"]
    vlan1 = flat.router.interfaces["Vlan1"]
    assert (fa0.access_group_in, fa0.nat, fa0.speed) == ("102", "outside", "auto")
    assert vlan1.nat == "inside" and not vlan1.access_group_in
    assert list(flat.router.interfaces) == ["FastEthernet0", "Vlan1"]


# ------------------------------------------------------------------ margrave-simple-intern
def test_margrave_simple_intern_extended_entry_without_protocol_is_rejected():
    path = corpus_file("margrave-simple-intern.txt")
    result = load_file(path)
    diag = next(d for d in result.diagnostics if d.text == "access-list 102 deny any")
    assert diag.severity == "error"
    assert diag.column == len("access-list 102 deny ")
    assert "!% rejected: access-list 102 deny any" in render_lines(result.router)
    assert len(result.router.access_lists["102"].entries) == 3


def test_margrave_simple_intern_acl_lines_are_shown_the_ios_way():
    lines = render_lines(load_file(corpus_file("margrave-simple-intern.txt")).router)
    assert [line for line in lines if line.startswith("access-list 102 ")] == [
        "access-list 102 deny   ip 192.168.4.0 0.0.0.255 host 10.1.1.3",
        "access-list 102 permit tcp any host 10.1.1.3 eq smtp",
        "access-list 102 permit tcp any any eq www",
    ]
    assert "access-list 1 permit 192.168.0.0 0.0.255.255" in lines


# ------------------------------------------------------------------ margrave-example2-baz
def test_margrave_baz_secondary_address_written_before_the_primary_is_accepted():
    """IOS writes secondary addresses above the primary (baz is such a router's output, and
    iosfw renders them that way too), so a router booting from it must accept them."""
    result = load_file(corpus_file("margrave-example2-baz.txt"))
    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    gi = result.router.interfaces["GigabitEthernet0/0"]
    assert len(gi.secondaries) == 1

"""A large, valid IOS 12.3 running-config, generated deterministically for the loading benchmark.

`generate(n_lines, seed)` returns exactly `n_lines` lines (the same lines for the same
arguments) laid out as `show running-config` lays them out: a short header, interface blocks,
static routes, static NAT, named extended ACLs, then numbered standard and extended ACLs, `end`.

Every line is one IOS accepts, so loading it must give no diagnostics: one-to-one static NAT
uses each inside local and each inside global address once (IOS refuses a second mapping of
either), static port NATs never reuse a global address/port, routes use contiguous masks on
aligned prefixes, interface addresses are neither network nor broadcast addresses, and named
ACLs with explicit sequence numbers never repeat one.

Proportions (share of the body, roughly what a large edge firewall carries):
numbered extended ACL entries 35 %, named extended ACLs 18 %, interface blocks 14 %,
one-to-one static NAT 12 %, static routes 10 %, numbered standard ACL entries 7 %,
static port NAT 4 %.
"""
from __future__ import annotations

import random

SHARES = {
    "interfaces": 0.14,
    "routes": 0.10,
    "nat_static": 0.12,
    "nat_port": 0.04,
    "named_acls": 0.18,
    "std_acls": 0.07,
    # numbered extended ACL entries take the rest (about 35 %)
}

HEADER = [
    "!",
    "version 12.3",
    "service timestamps debug datetime msec",
    "service timestamps log datetime msec",
    "service password-encryption",
    "!",
    "hostname bench-fw",
    "!",
    "boot-start-marker",
    "boot-end-marker",
    "!",
    "no aaa new-model",
    "ip subnet-zero",
    "ip cef",
    "!",
    "ip inspect name IN-OUT tcp",
    "ip inspect name IN-OUT udp",
    "ip inspect name IN-OUT ftp",
    "!",
]
TRAILER = ["!", "end"]

TCP_PORT_NAMES = ["www", "smtp", "ftp", "ftp-data", "telnet", "domain", "pop3", "bgp", "ident",
                  "nntp", "lpd", "sunrpc", "tacacs", "whois", "cmd", "login"]
TCP_PORT_NUMBERS = [22, 443, 445, 1433, 1521, 3306, 3389, 5060, 8080, 8443, 9000, 10000]
UDP_PORT_NAMES = ["domain", "ntp", "snmp", "snmptrap", "syslog", "tftp", "bootps", "bootpc",
                  "isakmp", "netbios-ns", "netbios-dgm", "rip"]
UDP_PORT_NUMBERS = [500, 1645, 1646, 1812, 1813, 4500, 5060, 16384]
ICMP_NAMES = ["echo", "echo-reply", "unreachable", "time-exceeded", "packet-too-big",
              "administratively-prohibited", "traceroute", "source-quench"]
IP_PROTOCOLS = ["ip", "ip", "ip", "gre", "esp", "ahp", "ospf", "eigrp", "pim", "igmp", "47"]
NAME_WORDS = ["WEB", "MAIL", "DMZ", "VPN", "MGMT", "BRANCH", "PARTNER", "VOICE", "DB", "BACKUP",
              "GUEST", "CORE", "EDGE", "DNS", "NTP", "SYSLOG"]


def ip(value: int) -> str:
    return f"{value >> 24 & 255}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"


def dotted(a: int, b: int, c: int, d: int) -> int:
    return a << 24 | b << 16 | c << 8 | d


def mask_of(length: int) -> int:
    return (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF if length else 0


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    # addresses ---------------------------------------------------------------
    def host_in(self, base: int, bits: int) -> int:
        """A host address (not .0, not .255) inside base/(32-bits)."""
        r = self.r
        while True:
            value = base | r.getrandbits(bits)
            if 0 < value & 255 < 255:
                return value

    def any_host(self) -> int:
        r = self.r
        pools = ((dotted(10, 0, 0, 0), 24), (dotted(172, 16, 0, 0), 20),
                 (dotted(192, 168, 0, 0), 16), (dotted(203, 0, 113, 0), 8),
                 (dotted(198, 51, 100, 0), 8), (dotted(100, 64, 0, 0), 22))
        base, bits = r.choice(pools)
        return self.host_in(base, bits)

    def net(self) -> tuple[int, int]:
        """An aligned network and its wildcard."""
        length = self.r.choice((8, 12, 16, 16, 20, 22, 24, 24, 24, 24, 26, 27, 28, 29, 30))
        mask = mask_of(length)
        return self.any_host() & mask, ~mask & 0xFFFFFFFF

    def addr(self, weights=(2, 5, 4)) -> str:
        """ACL address: any, host A.B.C.D or A.B.C.D wildcard."""
        kind = self.r.choices(("any", "host", "net"), weights)[0]
        if kind == "any":
            return "any"
        if kind == "host":
            return f"host {ip(self.any_host())}"
        network, wildcard = self.net()
        return f"{ip(network)} {ip(wildcard)}"

    # ACL entries -------------------------------------------------------------
    def port_spec(self, family: str) -> str:
        r = self.r
        names, numbers = ((TCP_PORT_NAMES, TCP_PORT_NUMBERS) if family == "tcp"
                          else (UDP_PORT_NAMES, UDP_PORT_NUMBERS))
        op = r.choices(("eq", "gt", "lt", "neq", "range"), (70, 10, 5, 3, 12))[0]
        if op == "range":
            low = r.randrange(1024, 60000)
            return f"range {low} {low + r.randrange(1, 5000)}"
        port = r.choice(names) if r.random() < 0.55 else str(r.choice(numbers))
        return f"{op} {port}"

    def ext_entry(self) -> str:
        r = self.r
        action = "permit" if r.random() < 0.75 else "deny"
        proto = r.choices(("tcp", "udp", "icmp", "ip"), (55, 25, 8, 12))[0]
        if proto in ("tcp", "udp"):
            src = self.addr()
            sport = f" {self.port_spec(proto)}" if r.random() < 0.12 else ""
            dst = self.addr((1, 6, 4))
            dport = f" {self.port_spec(proto)}" if r.random() < 0.85 else ""
            text = f"{action} {proto} {src}{sport} {dst}{dport}"
            if proto == "tcp" and action == "permit" and r.random() < 0.08:
                text += " established"
        elif proto == "icmp":
            text = f"{action} icmp {self.addr()} {self.addr()}"
            if r.random() < 0.7:
                text += f" {r.choice(ICMP_NAMES)}"
        else:
            text = f"{action} {r.choice(IP_PROTOCOLS)} {self.addr()} {self.addr()}"
        if r.random() < 0.1:
            text += " log"
        return text

    def std_entry(self) -> str:
        r = self.r
        action = "permit" if r.random() < 0.8 else "deny"
        kind = r.choices(("host", "bare", "net", "any"), (4, 2, 5, 1))[0]
        if kind == "any":
            text = f"{action} any"
        elif kind == "host":
            text = f"{action} host {ip(self.any_host())}"
        elif kind == "bare":
            text = f"{action} {ip(self.any_host())}"
        else:
            network, wildcard = self.net()
            text = f"{action} {ip(network)} {ip(wildcard)}"
        if r.random() < 0.08:
            text += " log"
        return text

    # sections ----------------------------------------------------------------
    def interfaces(self, budget: int, acl_names: list[str]) -> list[str]:
        """Blocks of four lines: interface, ip address, ip access-group, !"""
        out: list[str] = []
        r = self.r
        for number in range(budget // 4):
            # unique /30 or /32 per interface, from 192.168.0.0/16 (16,384 /30s)
            if r.random() < 0.5:
                address, mask = dotted(192, 168, 0, 0) + number * 4 + 1, mask_of(30)
            else:
                address, mask = dotted(192, 168, 0, 0) + number * 4 + 2, mask_of(32)
            out += [f"interface Loopback{number}",
                    f" ip address {ip(address)} {ip(mask)}",
                    f" ip access-group {r.choice(acl_names)} {r.choice(('in', 'in', 'out'))}",
                    "!"]
        return out

    def routes(self, budget: int) -> list[str]:
        r = self.r
        seen: set = set()
        out: list[str] = []
        while len(out) < budget:
            length = r.choice((8, 12, 16, 20, 22, 23, 24, 24, 24, 25, 26, 27, 28, 29, 30, 32))
            mask = mask_of(length)
            prefix = self.any_host() & mask
            if (prefix, mask) in seen:
                continue
            seen.add((prefix, mask))
            target = r.choices(("hop", "null", "intf"), (85, 10, 5))[0]
            if target == "hop":
                line = f"ip route {ip(prefix)} {ip(mask)} {ip(self.host_in(dotted(172, 31, 0, 0), 16))}"
            elif target == "null":
                line = f"ip route {ip(prefix)} {ip(mask)} Null0"
            else:
                line = f"ip route {ip(prefix)} {ip(mask)} Loopback{r.randrange(8)}"
            if r.random() < 0.15:
                line += f" {r.randrange(2, 255)}"
            extra = r.random()
            if extra < 0.10:
                line += f" name {r.choice(NAME_WORDS)}-{r.randrange(1000)}"
            elif extra < 0.15:
                line += f" tag {r.randrange(1, 100000)}"
            elif extra < 0.17:
                line += " permanent"
            out.append(line)
        return out

    def nat_static(self, budget: int) -> list[str]:
        """One-to-one: each local (10/8) and each global (100.64/10) address used once."""
        r = self.r
        # host slots .1-.254 of each /24; sample distinct slot indexes
        locals_ = r.sample(range((1 << 16) * 254), budget)
        globals_ = r.sample(range((1 << 14) * 254), budget)
        out = []
        for lo, gl in zip(locals_, globals_):
            local = dotted(10, 0, 0, 0) + (lo // 254 << 8) + lo % 254 + 1
            glob = dotted(100, 64, 0, 0) + (gl // 254 << 8) + gl % 254 + 1
            opt = " extendable" if r.random() < 0.1 else ""
            out.append(f"ip nat inside source static {ip(local)} {ip(glob)}{opt}")
        return out

    def nat_port(self, budget: int) -> list[str]:
        """Static port forwards; a global address/port pair is never reused."""
        r = self.r
        seen: set = set()
        out: list[str] = []
        while len(out) < budget:
            proto = "tcp" if r.random() < 0.8 else "udp"
            glob = self.host_in(dotted(198, 18, 0, 0), 12)
            gport = r.choice((80, 443, 25, 53, 8080, 8443, 2222, 3389)) if r.random() < 0.6 \
                else r.randrange(1024, 65536)
            if (proto, glob, gport) in seen:
                continue
            seen.add((proto, glob, gport))
            local = self.host_in(dotted(172, 16, 0, 0), 20)
            lport = r.choice((80, 443, 25, 53, 22, 3389, 8080))
            out.append(f"ip nat inside source static {proto} {ip(local)} {lport} {ip(glob)} {gport}")
        return out

    def named_acls(self, budget: int) -> tuple[list[str], list[str]]:
        r = self.r
        out: list[str] = []
        names: list[str] = []
        while len(out) < budget - 1:
            name = f"{r.choice(NAME_WORDS)}-{r.choice(NAME_WORDS)}-{len(names) + 1}"
            names.append(name)
            size = min(budget - len(out) - 1, r.choice((5, 10, 20, 40, 60, 120, 250)))
            explicit = r.random() < 0.3          # `10 permit ...` style, sequence by 10
            out.append(f"ip access-list extended {name}")
            for i in range(size):
                if r.random() < 0.04:
                    out.append(f" remark {r.choice(NAME_WORDS).lower()} rule {i}")
                elif explicit:
                    out.append(f" {(i + 1) * 10} {self.ext_entry()}")
                else:
                    out.append(f" {self.ext_entry()}")
        while len(out) < budget:                   # a one-line remainder: an empty list
            names.append(f"EMPTY-{len(names) + 1}")
            out.append(f"ip access-list extended {names[-1]}")
        return out, names

    def numbered(self, budget: int, numbers: list[int], entry) -> list[str]:
        """`access-list N ...` lines grouped by number, lists of uneven size."""
        r = self.r
        weights = [r.paretovariate(1.2) for _ in numbers]
        counts = dict.fromkeys(numbers, 0)
        for n in r.choices(numbers, weights, k=budget):
            counts[n] += 1
        out = []
        for n in numbers:
            for _ in range(counts[n]):
                out.append(f"access-list {n} {entry()}")
        return out


EXT_NUMBERS = list(range(100, 200)) + list(range(2000, 2700))
STD_NUMBERS = list(range(1, 100)) + list(range(1300, 2000))


def generate(n_lines: int = 100_000, seed: int = 20031) -> list[str]:
    """Exactly n_lines configuration lines (n_lines >= 1000)."""
    if n_lines < 1000:
        raise ValueError("n_lines must be at least 1000")
    g = _Gen(seed)
    body = n_lines - len(HEADER) - len(TRAILER) - 6   # six `!` between sections
    budget = {k: int(body * share) for k, share in SHARES.items()}
    budget["interfaces"] -= budget["interfaces"] % 4
    named, acl_names = g.named_acls(budget["named_acls"])
    std = g.numbered(budget["std_acls"], STD_NUMBERS, g.std_entry)
    used = sum(budget.values())
    ext = g.numbered(body - used, EXT_NUMBERS, g.ext_entry)
    # interfaces reference a mix of numbered and named lists, each one the file defines
    defined = {line.split()[1] for line in ext}
    refs = [str(n) for n in EXT_NUMBERS[:150] if str(n) in defined] + acl_names
    sections = [
        g.interfaces(budget["interfaces"], refs),
        g.routes(budget["routes"]),
        g.nat_static(budget["nat_static"]),
        g.nat_port(budget["nat_port"]),
        named,
        std,
        ext,
    ]
    lines = list(HEADER)
    for i, section in enumerate(sections):
        if i:
            lines.append("!")
        lines += section
    lines += TRAILER
    assert len(lines) == n_lines, (len(lines), n_lines)
    return lines


def line_mix(lines: list[str]) -> dict[str, int]:
    """How many lines of each kind, for the report."""
    kinds = {"access-list (extended)": 0, "access-list (standard)": 0, "named ACL lines": 0,
             "ip nat static": 0, "ip nat static port": 0, "ip route": 0,
             "interface blocks (lines)": 0, "other": 0}
    in_named = in_intf = False
    for line in lines:
        if line.startswith(" "):
            kinds["interface blocks (lines)" if in_intf else "named ACL lines" if in_named
                  else "other"] += 1
            continue
        if line == "!" and in_intf:          # the `!` that closes an interface block
            kinds["interface blocks (lines)"] += 1
            in_intf = False
            continue
        in_named = line.startswith("ip access-list ")
        in_intf = line.startswith("interface ")
        if in_named:
            kinds["named ACL lines"] += 1
        elif in_intf:
            kinds["interface blocks (lines)"] += 1
        elif line.startswith("access-list "):
            n = int(line.split()[1])
            kinds["access-list (standard)" if n < 100 or 1300 <= n <= 1999
                  else "access-list (extended)"] += 1
        elif line.startswith("ip nat inside source static tcp ") or \
                line.startswith("ip nat inside source static udp "):
            kinds["ip nat static port"] += 1
        elif line.startswith("ip nat inside source static "):
            kinds["ip nat static"] += 1
        elif line.startswith("ip route "):
            kinds["ip route"] += 1
        else:
            kinds["other"] += 1
    return kinds

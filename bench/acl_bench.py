"""Access-list matching: the compiled, indexed lists of iosfw.engine.acl against the naive
first-match loop over the same integer rules, on lists of 10, 1,000 and 10,000 entries.

    .venv/bin/python bench/acl_bench.py [--seed N] [--packets N] [--rounds N]

The lists look like a perimeter ACL: mostly a host or a /24 destination with an `eq` port,
some port ranges, ICMP and `ip` entries, a few `any` destinations, no final catch-all. The
packets are new flows (fresh addresses and source ports): half aimed at an entry anywhere in
the list, a quarter at the last tenth of the list, a quarter at addresses no entry names
(the implicit deny).

Figures are the best of --rounds passes, every figure measured once per round: compiled over
all packets, naive over as many of the same packets as fit in about 0.3 s; `differ` counts the
packets of that sample on which the two disagree (it should be 0). The last line replays the first 200 flows
over and over: the difference to the line above is the cost of the large list's structures
not fitting the CPU caches. Prints figures only; never asserts speed.
"""
from __future__ import annotations

import argparse
import functools
import random
import time

from iosfw.commands.loader import load_text
from iosfw.engine.acl import CompiledAcl, naive_first_match, protocol_number
from iosfw.engine.packet import ICMP, TCP, UDP, Packet

SIZES = (10, 1_000, 10_000)
SPEEDUP_AIM = 10.0      # compiled / naive packets per second at 1,000 entries: at or above
SCALING_AIM = 1.5       # compiled time per packet, 10,000 entries / 10 entries: at or below
NAIVE_BUDGET = 0.3      # seconds of naive matching per size and round, about
WARM_FLOWS = 200        # flows replayed for the warm-cache figure

PORTS = {"tcp": (21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 993, 1433, 3306, 3389, 8080),
         "udp": (53, 67, 69, 123, 161, 500, 514, 1812, 5060)}


def source(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.75:
        return "any"
    if roll < 0.95:
        return f"100.64.{rng.randrange(256)}.0 0.0.0.255"
    return f"host 100.65.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def entry_line(rng: random.Random, servers: int) -> str:
    """One realistic extended entry (without the `access-list N` in front)."""
    server = rng.randrange(servers)
    host = f"host 10.{server >> 8 & 255}.{server & 255}.{10 + server % 7}"
    net24 = f"172.16.{rng.randrange(256)}.0 0.0.0.255"
    action = "permit" if rng.random() < 0.8 else "deny"
    proto = "tcp" if rng.random() < 0.7 else "udp"
    port = rng.choice(PORTS[proto])
    src = source(rng)
    roll = rng.random()
    if roll < 0.60:
        return f"{action} {proto} {src} {host} eq {port}"
    if roll < 0.75:
        return f"{action} {proto} {src} {net24} eq {port}"
    if roll < 0.80:
        low = rng.randrange(1024, 60000)
        ports = rng.choice((f"range {low} {low + 100}", "gt 1023"))
        return f"{action} {proto} {src} {host} {ports}"
    if roll < 0.84:
        return f"{action} {proto} 100.64.{rng.randrange(256)}.0 0.0.0.255 any eq {port}"
    if roll < 0.89:
        kind = rng.choice(("echo", "echo-reply"))
        return f"permit icmp {src} {rng.choice((host, net24))} {kind}"
    if roll < 0.95:
        return f"{action} ip {src} {host}"
    return f"deny ip {src} 10.{rng.randrange(256)}.0.0 0.0.255.255"


def generated_acl(size: int, rng: random.Random) -> CompiledAcl:
    lines: dict[str, None] = {}
    servers = max(4, size // 3)
    while len(lines) < size:
        lines[f"access-list 150 {entry_line(rng, servers)}"] = None
    result = load_text("\n".join(lines) + "\n", "acl_bench")
    if result.diagnostics:
        raise SystemExit("acl_bench: generated list did not load:\n"
                         + "\n".join(d.format() for d in result.diagnostics[:5]))
    return CompiledAcl(result.router.access_lists["150"])


def within(rng: random.Random, addr) -> int:
    """A random address the entry's address (and wildcard) takes."""
    return addr.ip | rng.getrandbits(32) & addr.wildcard


def flow_to(rng: random.Random, entry) -> Packet:
    """A new flow aimed at `entry`: its addresses, protocol and ports."""
    src, dst = within(rng, entry.src), within(rng, entry.dst)
    proto = protocol_number(entry.protocol)
    if proto == ICMP:
        itype = entry.icmp[0] if entry.icmp else 8
        return Packet.icmp(src, dst, itype)
    if proto not in (TCP, UDP):
        proto = rng.choice((TCP, UDP))
    family = "tcp" if proto == TCP else "udp"
    dport = rng.choice(PORTS[family])
    if entry.dst_port is not None:
        op, ports = entry.dst_port.op, entry.dst_port.ports
        dport = {"eq": ports[0], "gt": rng.randrange(ports[0] + 1, 65536),
                 "range": rng.randrange(ports[0], ports[-1] + 1)}.get(op, dport)
    sport = rng.randrange(1024, 65536)
    return Packet(proto, src, dst, sport, dport, length=60)


def stray_flow(rng: random.Random) -> Packet:
    """A flow to addresses no entry names: the implicit deny decides it."""
    proto = rng.choice((TCP, UDP))
    family = "tcp" if proto == TCP else "udp"
    return Packet(proto, 0xC6336400 | rng.randrange(256), 0xC6120000 | rng.getrandbits(17),
                  rng.randrange(1024, 65536), rng.choice(PORTS[family]), length=60)


def flows(acl: CompiledAcl, count: int, rng: random.Random) -> list[Packet]:
    entries = [r.entry for r in acl.rules]
    tail = entries[-max(1, len(entries) // 10):]
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            out.append(flow_to(rng, rng.choice(entries)))
        elif roll < 0.75:
            out.append(flow_to(rng, rng.choice(tail)))
        else:
            out.append(stray_flow(rng))
    return out


def seconds_per_packet(match, packets: list[Packet]) -> float:
    start = time.perf_counter()
    for p in packets:
        match(p)
    return (time.perf_counter() - start) / len(packets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--packets", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    setups = []
    for size in SIZES:
        acl = generated_acl(size, rng)
        start = time.perf_counter()
        CompiledAcl(acl.acl)
        compile_ms = (time.perf_counter() - start) * 1000
        packets = flows(acl, args.packets, rng)
        warm = (packets[:WARM_FLOWS] * (len(packets) // WARM_FLOWS + 1))[:len(packets)]
        naive = functools.partial(naive_first_match, acl)
        # the naive loop gets as many of the same packets as fit in its budget
        per_packet = seconds_per_packet(naive, packets[:50])
        sample = packets[:max(50, min(len(packets), int(NAIVE_BUDGET / per_packet)))]
        setups.append((size, acl, compile_ms, naive, {"compiled": packets, "warm": warm,
                                                       "naive": sample}))

    # Every measurement once per round, the best round kept: a machine that is slower for a
    # while (clock changes, neighbours) slows whole rounds, not one figure against another.
    best: dict[tuple[int, str], float] = {}
    for _ in range(args.rounds):
        for size, acl, _, naive, runs in setups:
            for name, packets in runs.items():
                match = naive if name == "naive" else acl.first_match
                figure = seconds_per_packet(match, packets)
                best[size, name] = min(best.get((size, name), figure), figure)

    print(f"{'entries':>8} {'compile ms':>11} {'compiled pkt/s':>15} {'naive pkt/s':>12} "
          f"{'ratio':>7} {'implicit deny':>14} {'differ':>7}")
    for size, acl, compile_ms, naive, runs in setups:
        compiled = best[size, "compiled"]
        differ = sum(acl.first_match(p) is not naive(p) for p in runs["naive"])
        deny = sum(acl.first_match(p) is None for p in runs["compiled"]) / args.packets
        print(f"{size:>8,} {compile_ms:>11.1f} {1 / compiled:>15,.0f} "
              f"{1 / best[size, 'naive']:>12,.0f} {best[size, 'naive'] / compiled:>6.1f}x "
              f"{deny:>13.0%} {differ:>7}")

    print(f"\ncompiled / naive at 1,000 entries: "
          f"{best[1_000, 'naive'] / best[1_000, 'compiled']:.1f}x (aim >= {SPEEDUP_AIM:.0f}x)")
    print(f"compiled time per packet, 10,000 / 10 entries: "
          f"{best[10_000, 'compiled'] / best[10, 'compiled']:.2f}x (aim <= {SCALING_AIM}x)")
    print(f"  the same with {WARM_FLOWS} flows replayed (CPU caches warm): "
          f"{best[10_000, 'warm'] / best[10, 'warm']:.2f}x")


if __name__ == "__main__":
    main()

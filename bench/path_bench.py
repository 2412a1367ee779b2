"""The traffic path: `Engine.forward` on the built-in router (static NAT, inbound ACL 101,
inspection OUT-IN smtp on Ethernet2/0) with ACL 101 grown to 10, 1,000 or 10,000 entries,
against a naive first-match loop over the same entries as plain integer tuples.

    .venv/bin/python bench/path_bench.py [--quick] [--profile] [--seed N]

Figures (best of the rounds, every figure measured once per round in the same process):

* new flows: a TCP SYN from a fresh source address and port to 172.22.1.110:25 (static NAT to
  10.10.10.2), arriving on Ethernet2/0. ACL 101 has N-1 generated entries that the packet must
  skip (hosts and /24s of 172.22.0.0/16 with `eq` ports and ranges, sources `any`, /24s and
  hosts, icmp and `ip` entries) and `permit tcp any host 172.22.1.110 eq smtp` last, so every
  packet matches the last entry; NAT makes an extended entry and inspection opens a session
  per packet. A round is `flows` SYNs (below the 250 half-open per host limit, so the DoS
  thresholds never delete); between rounds, untimed, sessions and translations are cleared
  and the virtual clock jumps so every stale timer is dropped.
* baseline: `for e in entries` over tuples (proto, src_val, src_mask, dst_val, dst_mask,
  lo_port, hi_port, permit) of the same entries, first match wins, for the same packets.
* established: data (client -> server, PSH|ACK, 500 bytes) and acknowledgements (server ->
  client, on Ethernet2/1) of flows whose handshake went through `forward` before the timing.
* memory: `sessions` flows opened through `forward` with a full handshake (SYN, SYN-ACK, ACK;
  half-open they would be deleted at the 250 per host limit), tracemalloc bytes after minus
  before per session, split by the engine module that allocated them.

The router config raises the half-open thresholds (`max-incomplete`, `one-minute` 1,000,000 /
900,000; `tcp max-incomplete host` 250, the most IOS accepts, block-time 0). Prints figures;
never asserts speed.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import sys
import time
import tracemalloc

from iosfw.cli.startup import builtin_text
from iosfw.commands.loader import load_text
from iosfw.config.names import ip_to_int
from iosfw.engine.acl import CompiledAcl
from iosfw.engine.packet import ACK, PSH, SYN, Packet
from iosfw.engine.pipeline import Engine

OUTSIDE, INSIDE = "Ethernet2/0", "Ethernet2/1"
SERVER = ip_to_int("172.22.1.110")          # static NAT inside global of 10.10.10.2
CLIENTS = ip_to_int("198.18.0.0")           # 198.18.0.0/15: no generated entry names it
PERMIT = "access-list 101 permit tcp any host 172.22.1.110 eq smtp"
THRESHOLDS = """\
ip inspect max-incomplete high 1000000
ip inspect max-incomplete low 900000
ip inspect one-minute high 1000000
ip inspect one-minute low 900000
ip inspect tcp max-incomplete host 250 block-time 0
"""
SPEEDUP_AIM = 10.0         # new flows, iosfw / baseline packets per second at 1,000 entries
SCALING_AIM = 1.5          # new flows, time per packet 10,000 / 10 entries: at or below
ESTABLISHED_AIM = 25.0     # established packets / baseline (1,000 entries) packets per second
MEMORY_AIM = 1024          # bytes per session, whole engine state: below

PORTS = (21, 22, 23, 53, 80, 110, 143, 443, 445, 993, 1433, 3306, 3389, 8080)


# ------------------------------------------------------------------ the router
def entry_line(rng: random.Random, servers: int) -> str:
    """One realistic entry of an outside ACL, never one that takes the test traffic (TCP from
    198.18.0.0/15 to 172.22.1.110 port 25)."""
    server = rng.randrange(servers)
    host_ip = f"172.22.{server >> 8 & 255}.{server & 255 or 1}"
    host = f"host {host_ip}"
    net24 = f"172.22.{rng.randrange(256)}.0 0.0.0.255"
    action = "permit" if rng.random() < 0.8 else "deny"
    proto = "tcp" if rng.random() < 0.7 else "udp"
    port = rng.choice(PORTS)                # 25 is left out: the test traffic's port
    roll = rng.random()
    src = ("any" if roll < 0.75 else f"100.64.{rng.randrange(256)}.0 0.0.0.255" if roll < 0.95
           else f"host 100.65.{rng.randrange(256)}.{rng.randrange(1, 255)}")
    roll = rng.random()
    if roll < 0.55:
        return f"{action} {proto} {src} {host} eq {port}"
    if roll < 0.70:
        return f"{action} {proto} {src} {net24} eq {port}"
    if roll < 0.77:
        low = rng.randrange(1024, 60000)
        return f"{action} {proto} {src} {host} " + rng.choice((f"range {low} {low + 100}",
                                                                "gt 1023"))
    if roll < 0.82:
        return f"{action} {proto} 100.64.{rng.randrange(256)}.0 0.0.0.255 any eq {port}"
    if roll < 0.88:
        return f"permit icmp {src} {rng.choice((host, net24))} " + rng.choice(("echo",
                                                                               "echo-reply"))
    if roll < 0.95:
        return f"{action} ip {src} {host}" if host_ip != "172.22.1.110" else \
            f"{action} ip {src} host 172.22.1.111"
    return f"deny ip {src} 10.{rng.randrange(256)}.0.0 0.0.255.255"


def acl_lines(size: int, rng: random.Random) -> list[str]:
    """`size` distinct entries of list 101, the test traffic's permit last. A few entries
    name the test server on other ports, so its own buckets are not empty."""
    lines: dict[str, None] = {}
    servers = max(4, size // 3)
    own = ["permit tcp any host 172.22.1.110 eq 80", "permit tcp any host 172.22.1.110 eq 443",
           "deny tcp any host 172.22.1.110 range 6000 6063", "permit udp any host 172.22.1.110"]
    for line in own[:max(0, min(len(own), size - 1 - 4))]:
        lines[f"access-list 101 {line}"] = None
    while len(lines) < size - 1:
        lines[f"access-list 101 {entry_line(rng, servers)}"] = None
    return list(lines) + [PERMIT]


def config_text(acl: list[str]) -> str:
    text = builtin_text()
    assert PERMIT + "\n" in text and "ip inspect name OUT-IN smtp\n" in text
    text = text.replace(PERMIT + "\n", "\n".join(acl) + "\n")
    return text.replace("ip inspect name OUT-IN smtp\n", "ip inspect name OUT-IN smtp\n"
                        + THRESHOLDS)


def router_with(size: int, seed: int):
    result = load_text(config_text(acl_lines(size, random.Random(seed + size))), "path_bench")
    if result.diagnostics:
        raise SystemExit("path_bench: generated config did not load:\n"
                         + "\n".join(d.format() for d in result.diagnostics[:5]))
    return result.router


# ------------------------------------------------------------------ the baseline
def baseline_entries(router) -> list[tuple]:
    """ACL 101 as (proto, src_val, src_mask, dst_val, dst_mask, lo_port, hi_port, permit);
    proto -1 is `ip`. The generated lists have no source ports, `neq` or fragments entries."""
    out = []
    for r in CompiledAcl(router.access_lists["101"]).rules:
        lo, hi = (r.dport[0], r.dport[1]) if r.dport is not None else (0, 0xFFFF)
        out.append((r.proto, r.src, r.src_care, r.dst, r.dst_care, lo, hi, r.permit))
    return out


def baseline_index(entries: list[tuple], p: Packet) -> int:
    """The naive first match: the entry's index, -1 for the implicit deny."""
    proto, src, dst, dport = p.proto, p.src, p.dst, p.dport
    for i, (e_proto, src_val, src_mask, dst_val, dst_mask, lo, hi, permit) in enumerate(entries):
        if ((e_proto == proto or e_proto == -1) and src & src_mask == src_val
                and dst & dst_mask == dst_val and lo <= dport <= hi):
            return i
    return -1


def baseline_seconds(entries: list[tuple], packets: list[Packet]) -> float:
    """Seconds for the naive loop over `packets`: the verdict per packet, nothing else."""
    start = time.perf_counter()
    for p in packets:
        proto, src, dst, dport = p.proto, p.src, p.dst, p.dport
        verdict = False
        for e_proto, src_val, src_mask, dst_val, dst_mask, lo, hi, permit in entries:
            if ((e_proto == proto or e_proto == -1) and src & src_mask == src_val
                    and dst & dst_mask == dst_val and lo <= dport <= hi):
                verdict = permit  # noqa: F841 - the decision, as a real loop makes it
                break
    return time.perf_counter() - start


# ------------------------------------------------------------------ traffic
class Flows:
    """Distinct client endpoints (address in 198.18.0.0/15, port 1024-65023), in a fixed
    scrambled order so consecutive flows differ in both."""

    def __init__(self):
        self.n = 0

    def next(self) -> tuple[int, int]:
        i, self.n = self.n, self.n + 1
        return CLIENTS | (i * 40503) & 0x1FFFF, 1024 + (i * 7919) % 64000

    def syns(self, count: int) -> list[Packet]:
        return [from_client(self.next(), SYN) for _ in range(count)]


def from_client(client: tuple[int, int], flags: int, length: int = 40) -> Packet:
    """A segment of the client's flow to the server's global address, port 25."""
    return Packet.tcp(client[0], SERVER, client[1], 25, flags, length=length)


def handshake(engine: Engine, client: tuple[int, int], now: float) -> Packet:
    """SYN, SYN-ACK, ACK through `forward`; returns the packet the server sees (its view)."""
    syn = engine.forward(from_client(client, SYN), OUTSIDE, now)
    inner = syn.out_packet
    if not syn.forwarded or syn.session is None:
        raise SystemExit(f"path_bench: SYN not forwarded: {[s.verdict for s in syn.steps]}")
    back = engine.forward(Packet.tcp(inner.dst, inner.src, inner.dport, inner.sport, SYN | ACK),
                          INSIDE, now)
    done = engine.forward(from_client(client, ACK), OUTSIDE, now)
    if not (back.forwarded and done.forwarded):
        raise SystemExit("path_bench: handshake not forwarded")
    return inner


def reset(engine: Engine, now: float) -> float:
    """Untimed, between rounds: no sessions, no translations, no timers due; the new now."""
    engine.clear_sessions()
    engine.nat.clear()
    now += 100_000.0
    engine.tick(now)
    return now


def forward_seconds(engine: Engine, traffic: list[tuple[Packet, str]], now: float,
                    step: float) -> tuple[float, float]:
    """Seconds to forward `traffic`, `step` of virtual time apart; and the clock after."""
    forward = engine.forward
    start = time.perf_counter()
    for packet, ingress in traffic:
        forward(packet, ingress, now)
        now += step
    return time.perf_counter() - start, now


class NewFlows:
    """One ACL size: the router, its engine, and the checks that the traffic does what the
    figures say (permitted by the last entry, a session per packet)."""

    def __init__(self, size: int, seed: int):
        self.size = size
        self.router = router_with(size, seed)
        self.engine = Engine(self.router)
        self.entries = baseline_entries(self.router)
        self.now = 0.0
        probe = Flows().syns(50)
        last = len(self.entries) - 1
        acl = self.engine.acls["101"]
        if any(acl.first_match(p) is not acl.acl.entries[-1] for p in probe) or \
                any(baseline_index(self.entries, p) != last for p in probe):
            raise SystemExit(f"path_bench: test traffic does not match only the last entry "
                             f"of the {size}-entry list")

    def round(self, flows: Flows, count: int) -> float:
        """Seconds per packet for `count` new flows."""
        self.now = reset(self.engine, self.now)
        packets = flows.syns(count)
        seconds, self.now = forward_seconds(self.engine, [(p, OUTSIDE) for p in packets],
                                            self.now, 0.001)
        opened = len(self.engine.sessions.sessions)
        if opened != count:
            raise SystemExit(f"path_bench: {count} SYNs opened {opened} sessions")
        return seconds / count


def established_traffic(engine: Engine, flows: Flows, count: int, now: float):
    """`count` flows through their handshake; then one round of data: for each flow a 500-byte
    PSH|ACK from the client and the server's ACK, the flows interleaved."""
    traffic = []
    for _ in range(count):
        client = flows.next()
        inner = handshake(engine, client, now)
        traffic.append((from_client(client, PSH | ACK, length=540), OUTSIDE))
        traffic.append((Packet.tcp(inner.dst, inner.src, inner.dport, inner.sport, ACK),
                        INSIDE))
    return traffic


# ------------------------------------------------------------------ memory
def deep_size(root, seen: set) -> int:
    """Bytes of the objects reachable from `root` that belong to it: containers, instances,
    their numbers and floats; not strings (session strings are shared constants), small ints,
    classes or the configuration model. `seen` is shared, so nothing is counted twice."""
    total, stack = 0, [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (str, bool, type)):
            continue
        if isinstance(obj, int) and -5 <= obj <= 256:
            continue
        module = type(obj).__module__
        if module == "iosfw.config.model" or callable(obj) and not isinstance(obj, type(root)):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)) or type(obj).__name__ == "deque":
            stack.extend(obj)
        elif module.startswith("iosfw."):
            if hasattr(obj, "__dict__"):
                total += sys.getsizeof(obj.__dict__)
                stack.extend(vars(obj).values())
            for slot in getattr(type(obj), "__slots__", ()):
                stack.append(getattr(obj, slot, None))
    return total


def memory(sessions: int, seed: int) -> dict:
    """Bytes per session: `sessions` handshakes through `forward`. The whole engine state is
    what tracemalloc counts as still allocated after them (minus before); the split is a walk
    of the session table's and the NAT table's objects (sys.getsizeof)."""
    engine = Engine(router_with(10, seed))
    flows = Flows()
    engine.forward(from_client(flows.next(), SYN), OUTSIDE, 0.0)    # warm caches
    engine.clear_sessions()
    engine.nat.clear()
    gc.collect()
    tracemalloc.start(1)
    before = tracemalloc.get_traced_memory()[0]
    now = 1.0
    start = time.perf_counter()
    for _ in range(sessions):
        handshake(engine, flows.next(), now)
        now += 0.0001
    seconds = time.perf_counter() - start
    gc.collect()
    total = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    if len(engine.sessions.sessions) != sessions:
        raise SystemExit(f"path_bench: {len(engine.sessions.sessions)} sessions, "
                         f"wanted {sessions}")
    seen: set = {id(engine.router), id(engine.sessions.globals)}
    table = deep_size(engine.sessions, seen)
    nat = deep_size(engine.nat, seen | {id(engine.nat.static), id(engine.nat.router)})
    return {"sessions": sessions, "total": total / sessions, "sessions_bytes": table / sessions,
            "nat": nat / sessions, "session_timers": heap_size(engine.sessions),
            "nat_timers": heap_size(engine.nat), "traced_seconds": seconds}


def heap_size(table) -> int:
    """Entries in a table's timer heap (-1 when it has none by that name)."""
    return len(getattr(table, "_timers", ())) if hasattr(table, "_timers") else -1


# ------------------------------------------------------------------ everything
def measure(sizes=(10, 1_000, 10_000), flows_per_round: int = 200, rounds: int = 7,
            established_flows: int = 500, memory_sessions: int = 100_000,
            seed: int = 1) -> dict:
    """The figures, as a dict: packets/s, ratios, bytes per session. `sizes` must hold 1,000
    (the speedup and established figures use it); the scaling figure needs 10 and 10,000."""
    setups = {size: NewFlows(size, seed) for size in sizes}
    main = setups[1_000]
    flows = Flows()
    traffic = established_traffic(main.engine, flows, established_flows, main.now)
    est_engine = main.engine
    main.engine = Engine(main.router)     # new flows get an engine without these sessions
    est_now = 1.0
    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, seconds), seconds)

    base_packets = Flows().syns(flows_per_round)
    for _ in range(rounds):
        for size, setup in setups.items():
            keep(f"new_{size}", setup.round(flows, flows_per_round))
            sample = base_packets if size <= 1_000 else base_packets[:max(10, flows_per_round // 10)]
            keep(f"baseline_{size}", baseline_seconds(setup.entries, sample) / len(sample))
        seconds, est_now = forward_seconds(est_engine, traffic, est_now, 0.0001)
        keep("established", seconds / len(traffic))

    figures = {f"new_flow_pps_{size}": 1 / best[f"new_{size}"] for size in sizes}
    figures.update({f"baseline_pps_{size}": 1 / best[f"baseline_{size}"] for size in sizes})
    figures["established_pps"] = 1 / best["established"]
    figures["new_flow_speedup"] = best["baseline_1000"] / best["new_1000"]
    figures["established_speedup"] = best["baseline_1000"] / best["established"]
    if 10 in sizes and 10_000 in sizes:
        figures["scaling_10000_vs_10"] = best["new_10000"] / best["new_10"]
    figures["established_timer_heaps"] = (heap_size(est_engine.sessions),
                                          heap_size(est_engine.nat))
    figures["established_packets_sent"] = rounds * len(traffic)
    if memory_sessions:
        figures["memory"] = memory(memory_sessions, seed)
    return figures


def profile(what: str, packets: int = 20_000, seed: int = 1, top: int = 15) -> str:
    """cProfile of `packets` new-flow SYNs (what="new", 1,000 entries) or established packets
    (what="established"): the top functions by tottime."""
    setup = NewFlows(1_000, seed)
    flows = Flows()
    if what == "new":
        profiler = cProfile.Profile()
        for _ in range(max(1, packets // 200)):
            setup.now = reset(setup.engine, setup.now)
            traffic = [(p, OUTSIDE) for p in flows.syns(200)]
            profiler.enable()
            forward_seconds(setup.engine, traffic, setup.now, 0.001)
            profiler.disable()
            setup.now += 1.0
    else:
        traffic = established_traffic(setup.engine, flows, 500, 0.0)
        traffic = (traffic * (packets // len(traffic) + 1))[:packets]
        profiler = cProfile.Profile()
        profiler.enable()
        forward_seconds(setup.engine, traffic, 1.0, 0.0001)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    total = next((line.strip() for line in lines if "function calls" in line), "")
    return "\n".join([f"  {total}"] + ["  " + line for line in lines[start:] if line.strip()])


def report(f: dict) -> list[str]:
    """The figure lines bench/run.py and the command line print."""
    lines = []
    sizes = sorted(int(k.rsplit("_", 1)[1]) for k in f if k.startswith("new_flow_pps_"))
    lines.append(f"  {'ACL entries':>11} {'new flows pkt/s':>16} {'naive ACL loop pkt/s':>21} "
                 f"{'ratio':>7}")
    for size in sizes:
        new, base = f[f"new_flow_pps_{size}"], f[f"baseline_pps_{size}"]
        lines.append(f"  {size:>11,} {new:>16,.0f} {base:>21,.0f} {new / base:>6.1f}x")
    lines.append(f"  established packets: {f['established_pps']:,.0f} pkt/s; timer heaps after "
                 f"{f['established_packets_sent']:,} packets of 500 established flows: "
                 f"sessions {f['established_timer_heaps'][0]:,}, "
                 f"NAT {f['established_timer_heaps'][1]:,} entries")
    mem = f.get("memory")
    if mem:
        lines.append(f"  memory, {mem['sessions']:,} established sessions (tracemalloc): "
                     f"{mem['total']:,.0f} B/session whole engine; object walk: session table "
                     f"{mem['sessions_bytes']:,.0f} B/session, NAT table {mem['nat']:,.0f}; "
                     f"{mem['session_timers']:,} session timers, {mem['nat_timers']:,} NAT "
                     f"timers for {mem['sessions']:,} flows")
    return lines


def summary(f: dict) -> list[str]:
    out = [f"traffic path: new flows through 1,000 ACL entries + NAT + inspection "
           f"{f['new_flow_pps_1000']:,.0f} pkt/s, naive ACL loop {f['baseline_pps_1000']:,.0f} "
           f"pkt/s, ratio {f['new_flow_speedup']:.1f}x (aim >= {SPEEDUP_AIM:g}x)"
           + ("" if f["new_flow_speedup"] >= SPEEDUP_AIM else "  -- below aim")]
    if "scaling_10000_vs_10" in f:
        s = f["scaling_10000_vs_10"]
        out.append(f"traffic path: new-flow time per packet 10,000 / 10 entries {s:.2f}x "
                   f"(aim <= {SCALING_AIM:g}x)" + ("" if s <= SCALING_AIM else "  -- above aim"))
    e = f["established_speedup"]
    out.append(f"traffic path: established {f['established_pps']:,.0f} pkt/s, ratio to the naive "
               f"loop {e:.1f}x (aim >= {ESTABLISHED_AIM:g}x)"
               + ("" if e >= ESTABLISHED_AIM else "  -- below aim"))
    mem = f.get("memory")
    if mem:
        out.append(f"traffic path: memory {mem['total']:,.0f} B/session whole engine, "
                   f"{mem['sessions_bytes']:,.0f} B session table (aim < {MEMORY_AIM} B)"
                   + ("" if mem["total"] < MEMORY_AIM else "  -- above aim"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, few rounds")
    ap.add_argument("--profile", action="store_true", help="also cProfile both paths")
    ap.add_argument("--sessions", type=int, help="memory test sessions (default 100,000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    sessions = args.sessions if args.sessions is not None else (5_000 if args.quick else 100_000)
    figures = measure(rounds=3 if args.quick else 7, memory_sessions=sessions, seed=args.seed)
    print("\n".join(report(figures) + summary(figures)))
    if args.profile:
        for what in ("new", "established"):
            print(f"\nprofile: {what} path, top 15 by tottime\n" + profile(what, seed=args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

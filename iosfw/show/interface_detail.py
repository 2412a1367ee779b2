"""`show interfaces [IF]` and `show interfaces summary` in the 12.3 layout.

The blocks follow 12.3 captures of 2600/3600 routers with the same port hardware as the
3640's network modules (AmdP2 Ethernet, QUICC serial on a WIC): the MTU line split before
`reliability`, `Kbit` without `/sec`, the keepalive on a line of its own, broadcasts and runts
on one `Received` line, weighted fair queueing by default on a serial line. No link state is
simulated (an interface is up unless shut down, as in `show ip interface brief`); the packet
and byte counters are the engine's (iosfw/engine/counters.py), each packet counted with the
bytes of its link header. docs/formats.md says what is captured and what is ours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from ..config import model as m
from ..config.names import int_to_ip, interface_mac, mac_text, prefix_len
from ..timestamps import uptime_stamp

if TYPE_CHECKING:
    from ..engine.counters import InterfaceCounters

Counters = Callable[[str], "InterfaceCounters"]     # the counters of an interface, by name


@dataclass(frozen=True)
class Hardware:
    """What a kind of port shows: the chip, the defaults of its link, and its sections."""
    chip: str
    mtu: int
    bandwidth: int          # Kbit
    delay: int              # usec
    encapsulation: str
    header: int             # bytes of link header each packet adds to the byte counters
    lan: bool = False       # a MAC address, ARP and the Ethernet error lines
    serial: bool = False    # weighted fair queueing, carrier transitions and the leads
    fifo_max: int = 40      # the output queue's size under fifo


HARDWARE = {
    "Ethernet": Hardware("AmdP2", 1500, 10000, 1000, "ARPA", 14, lan=True),
    "FastEthernet": Hardware("AmdFE", 1500, 100000, 100, "ARPA", 14, lan=True),
    "Serial": Hardware("QUICC Serial", 1500, 1544, 20000, "HDLC", 4, serial=True),
    "Loopback": Hardware("Loopback", 1514, 8000000, 5000, "LOOPBACK", 0, fifo_max=0),
    "Tunnel": Hardware("Tunnel", 1514, 9, 500000, "TUNNEL", 0, fifo_max=0),
}
OTHER = Hardware("Unknown", 1500, 56, 20000, "HDLC", 4)
WFQ_SHARE = 0.75            # of the bandwidth, what weighted fair queueing makes available

LEGEND = (
    " *: interface is up",
    " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
    " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
    " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
    " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
    " TRTL: throttle count",
    "",
    "  Interface               IHQ   IQD  OHQ   OQD  RXBS RXPS  TXBS TXPS TRTL",
    "-" * 73,
)
SUMMARY_ROW = "%s %-20s%6s%6s%5s%6s%6s%5s%6s%5s%5s"
SUMMARY_COLUMNS = ("ihq", "iqd", "ohq", "oqd", "rxbs", "rxps", "txbs", "txps", "trtl")
_VLAN = re.compile(r"^\s*encapsulation\s+dot1q\s+(\d+)", re.IGNORECASE)


def hardware(name: str) -> Hardware:
    return HARDWARE.get(name.split(".")[0].rstrip("0123456789/:"), OTHER)


def _vlan(intf: m.Interface) -> Optional[int]:
    """The 802.1Q VLAN of a subinterface, from its `encapsulation dot1Q N` line (kept verbatim
    by the model)."""
    for line in intf.extra:
        found = _VLAN.match(line.text)
        if found:
            return int(found.group(1))
    return None


# ------------------------------------------------------------------ facts
def interface_facts(r: m.Router, intf: m.Interface, counters: InterfaceCounters,
                    now: float) -> dict:
    """One interface as `show interfaces` reports it (the text is made from these)."""
    hw, sub = hardware(intf.name), "." in intf.name
    parent = r.interfaces.get(intf.name.split(".")[0], intf)
    down = intf.shutdown or parent.shutdown
    mac = interface_mac(intf.name) if hw.lan else None
    vlan = _vlan(intf) if sub else None
    ip, length = (int_to_ip(intf.address[0]), prefix_len(intf.address[1])) \
        if intf.address else (None, None)
    return {
        "interface": intf.name,
        "link_status": "administratively down" if intf.shutdown else
        "down" if down else "up",
        "protocol_status": "down" if down else "up",
        "hardware_type": hw.chip,
        "mac_address": None if mac is None else mac_text(mac),
        "description": intf.description or None,
        "ip_address": ip,
        "prefix_length": length,
        "secondary_addresses": [f"{int_to_ip(a)}/{prefix_len(k)}" for a, k in intf.secondaries],
        "negotiated": {"dhcp": "DHCP", "negotiated": "IPCP"}.get(intf.address_dynamic),
        "mtu": hw.mtu,
        "bandwidth_kbit": hw.bandwidth,
        "delay_usec": hw.delay,
        "encapsulation": "802.1Q Virtual LAN" if vlan is not None else hw.encapsulation,
        "vlan_id": vlan,
        "duplex": ("Full-duplex" if intf.duplex == "full" else "Half-duplex")
        if hw.chip == "AmdFE" else None,
        "speed": ("10Mb/s" if intf.speed == "10" else "100Mb/s") if hw.chip == "AmdFE" else None,
        "subinterface": sub,
        "queueing_strategy": "weighted fair" if hw.serial else "fifo",
        "last_input": _ago(counters.last_input, now),
        "last_output": _ago(counters.last_output, now),
        "input_packets": counters.packets_in,
        "input_bytes": counters.bytes_in + hw.header * counters.packets_in,
        "output_packets": counters.packets_out,
        "output_bytes": counters.bytes_out + hw.header * counters.packets_out,
    }


def _ago(when: Optional[float], now: float) -> Optional[float]:
    return None if when is None else max(now - when, 0.0)


def facts(r: m.Router, counters: Counters, now: float,
          names: Optional[list[str]] = None) -> list[dict]:
    return [interface_facts(r, r.interfaces[name], port_counters(r, counters, name), now)
            for name in (names if names is not None else list(r.interfaces))]


def port_counters(r: m.Router, counters: Counters, name: str) -> InterfaceCounters:
    """What crossed a port, its subinterfaces' traffic included (IOS counts it on the
    port)."""
    total = counters(name)
    if "." in name:
        return total
    for sub in r.interfaces:
        if sub.startswith(name + "."):
            total.add(counters(sub))
    return total


# ------------------------------------------------------------------ text
def text(r: m.Router, counters: Counters, now: float,
         names: Optional[list[str]] = None) -> str:
    """The blocks of `names` (default: every interface, in the router's order)."""
    return "".join(block(f) for f in facts(r, counters, now, names))


def _when(seconds: Optional[float]) -> str:
    return "never" if seconds is None else uptime_stamp(seconds)


def block(f: dict) -> str:
    hw = hardware(f["interface"])
    lines = [f"{f['interface']} is {f['link_status']}, line protocol is {f['protocol_status']} ",
             "  Hardware is " + hw.chip + ("" if f["mac_address"] is None else
                                           f", address is {f['mac_address']}"
                                           f" (bia {f['mac_address']})")]
    if f["description"]:
        lines.append(f"  Description: {f['description']}")
    if f["ip_address"]:
        lines.append(f"  Internet address is {f['ip_address']}/{f['prefix_length']}")
    elif f["negotiated"]:
        lines.append(f"  Internet address will be negotiated using {f['negotiated']}")
    lines += [f"  Secondary address {address}" for address in f["secondary_addresses"]]
    lines += [f"  MTU {f['mtu']} bytes, BW {f['bandwidth_kbit']} Kbit, DLY {f['delay_usec']}"
              " usec, ",
              "     reliability 255/255, txload 1/255, rxload 1/255"]
    if f["subinterface"]:
        return "\n".join(lines + _subinterface_lines(f, hw)) + "\n"
    lines += [f"  Encapsulation {f['encapsulation']}, loopback not set",
              "  Keepalive set (10 sec)"]
    if f["duplex"]:
        lines.append(f"  {f['duplex']}, {f['speed']}, 100BaseTX/FX")
    if hw.lan:
        lines.append("  ARP type: ARPA, ARP Timeout 04:00:00")
    lines += [f"  Last input {_when(f['last_input'])}, output {_when(f['last_output'])},"
              " output hang never",
              '  Last clearing of "show interface" counters never',
              "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0",
              f"  Queueing strategy: {f['queueing_strategy']}",
              *_queue_lines(hw),
              "  5 minute input rate 0 bits/sec, 0 packets/sec",
              "  5 minute output rate 0 bits/sec, 0 packets/sec",
              *_counter_lines(f, hw)]
    return "\n".join(lines) + "\n"


def _subinterface_lines(f: dict, hw: Hardware) -> list[str]:
    """A subinterface keeps no counters of its own (its port's count for it)."""
    if f["vlan_id"] is not None:
        lines = [f"  Encapsulation 802.1Q Virtual LAN, Vlan ID  {f['vlan_id']}."]
    else:
        lines = [f"  Encapsulation {f['encapsulation']}"]
    if hw.lan:
        lines.append("  ARP type: ARPA, ARP Timeout 04:00:00")
    return lines + ["  Keepalive set (10 sec)",
                    '  Last clearing of "show interface" counters never']


def _queue_lines(hw: Hardware) -> list[str]:
    if not hw.serial:
        return [f"  Output queue: 0/{hw.fifo_max} (size/max)"]
    return ["  Output queue: 0/1000/64/0 (size/max total/threshold/drops) ",
            "     Conversations  0/0/256 (active/max active/max total)",
            "     Reserved Conversations 0/0 (allocated/max allocated)",
            f"     Available Bandwidth {int(hw.bandwidth * WFQ_SHARE)} kilobits/sec"]


def _counter_lines(f: dict, hw: Hardware) -> list[str]:
    abort = "" if hw.lan else ", 0 abort"
    lines = [f"     {f['input_packets']} packets input, {f['input_bytes']} bytes, 0 no buffer",
             "     Received 0 broadcasts, 0 runts, 0 giants, 0 throttles",
             f"     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored{abort}"]
    if hw.lan:
        lines.append("     0 input packets with dribble condition detected")
    lines += [f"     {f['output_packets']} packets output, {f['output_bytes']} bytes,"
              " 0 underruns",
              "     0 output errors, 0 collisions, 0 interface resets"]
    if hw.lan:
        lines += ["     0 babbles, 0 late collision, 0 deferred",
                  "     0 lost carrier, 0 no carrier"]
    lines.append("     0 output buffer failures, 0 output buffers swapped out")
    if hw.serial:
        lead = "down" if f["protocol_status"] == "down" else "up"
        lines += ["     0 carrier transitions",
                  "     " + "  ".join(f"{name}={lead}" for name in
                                      ("DCD", "DSR", "DTR", "RTS", "CTS")),
                  ""]
    return lines


# ------------------------------------------------------------------ summary
def summary_facts(r: m.Router) -> list[dict]:
    """A row per interface: the queues and rates (none simulated: zero), `up`; a
    subinterface has no counters of its own (None)."""
    rows = []
    for intf in r.interfaces.values():
        sub = "." in intf.name
        parent = r.interfaces.get(intf.name.split(".")[0], intf)
        row = {"interface": intf.name, "up": not (intf.shutdown or parent.shutdown)}
        row.update(dict.fromkeys(SUMMARY_COLUMNS, None if sub else 0))
        rows.append(row)
    return rows


def summary_text(r: m.Router) -> str:
    rows = summary_facts(r)
    lines = ["", *LEGEND]
    for row in rows:
        values = ["-" if row[c] is None else str(row[c]) for c in SUMMARY_COLUMNS]
        lines.append(SUMMARY_ROW % ("*" if row["up"] else " ", row["interface"], *values))
    if any(row["ihq"] is None for row in rows):
        lines.append("NOTE:No separate counters are maintained for subinterfaces")
    return "\n".join(lines) + "\n"

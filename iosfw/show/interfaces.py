"""`show ip interface brief`."""
from __future__ import annotations

from ..config import model as m
from ..config.names import int_to_ip

HEADER = "Interface                  IP-Address      OK? Method Status                Protocol"


def _row_facts(intf: m.Interface) -> dict:
    if intf.address:
        address = int_to_ip(intf.address[0])
    else:
        address = "unassigned"
    status = "administratively down" if intf.shutdown else "up"
    # a negotiated address is learnt over PPP (IPCP) or DHCP, however the config was read
    method = {"negotiated": "IPCP", "dhcp": "DHCP"}.get(intf.address_dynamic, intf.method)
    return {"interface": intf.name, "ip_address": address, "ok": "YES", "method": method,
            "status": status, "protocol": "down" if intf.shutdown else "up"}


def facts(r: m.Router) -> list[dict]:
    return [_row_facts(i) for i in r.interfaces.values()]


def text(r: m.Router) -> str:
    rows = [HEADER]
    for f in facts(r):
        rows.append("%-26s %-15s %-3s %-6s %-21s %s" % (
            f["interface"], f["ip_address"], f["ok"], f["method"], f["status"], f["protocol"]))
    return "\n".join(rows) + "\n"

"""`show cdp` and `show cdp neighbors [detail]`: CDP runs on the router as IOS's default has
it (no `no cdp run` in the model), and no simulated host speaks CDP, so the neighbor table is
always empty. Designed from 12.x captures as we remember them (docs/formats.md)."""
from __future__ import annotations

GLOBAL = ("Global CDP information:\n"
          "\tSending CDP packets every 60 seconds\n"
          "\tSending a holdtime value of 180 seconds\n"
          "\tSending CDPv2 advertisements is  enabled\n")

NEIGHBORS = ("Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge\n"
             "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone\n"
             "\n"
             "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID\n")


def facts() -> dict:
    return {"enabled": True, "timer": 60, "holdtime": 180, "v2_advertisements": True,
            "neighbors": []}

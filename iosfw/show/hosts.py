"""`show hosts`: the default domain, how names are looked up, the name servers and the host
cache, in the layout of 12.x captures (docs/formats.md).

The model has `ip domain name`, `ip domain lookup` and `ip name-server` but no `ip host` and no
resolver: the host table is always empty, only its header is printed. Without a name server
IOS asks the local broadcast address, and says so.
"""
from __future__ import annotations

from ..config import model as m

BROADCAST = "255.255.255.255"
LEGEND = ("Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate",
          "       temp - temporary, perm - permanent",
          "       NA - Not Applicable None - Not defined")
HEADER = "Host                      Port  Flags      Age Type   Address(es)"


def facts(r: m.Router) -> dict:
    return {"default_domain": r.ip_domain_name or None,
            "lookup": "domain service" if r.ip_domain_lookup else "static mappings",
            "name_servers": list(r.ip_name_servers) or [BROADCAST],
            "hosts": []}


def text(r: m.Router) -> str:
    f = facts(r)
    lines = [f"Default domain is {f['default_domain'] or 'not set'}",
             f"Name/address lookup uses {f['lookup']}",
             f"Name servers are {', '.join(f['name_servers'])}",
             "", *LEGEND, "", HEADER]
    return "".join(line + "\n" for line in lines)

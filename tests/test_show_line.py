"""`show line` (added by the steps of docs/adding-a-command.md): every line of the router, the
ones in use starred, their access classes and how many sessions they have had.

The row layout is compared with rows of captured output (docs/formats.md: from later
releases' captures, no 12.3(4)T one is known); the seed router's full table is a golden file of
ours built from that layout."""
from __future__ import annotations

import json
import re

import kit

from iosfw.remote.vty import VtyPool
from iosfw.show.lines import HEADER, LineRow, row_text

# rows of a captured `show line` (IOS 12.x and later print the same columns)
CAPTURED_HEADER = ("   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns"
                   "   Int\n")
CAPTURED_AUX = ("      1 AUX   9600/9600  -    -      -    -    -      0       0     0/0"
                "       -\n")
CAPTURED_VTY = ("*     4 VTY              -    -      -    -    - 151182       0     0/0"
                "       -\n")


def test_the_header_and_rows_have_the_columns_of_captured_output():
    assert HEADER == CAPTURED_HEADER
    assert row_text(LineRow(1, "AUX", 0, "9600/9600", False, "", "", 0)) == CAPTURED_AUX
    assert row_text(LineRow(4, "VTY", 2, "", True, "", "", 151182)) == CAPTURED_VTY


def test_the_seed_router_on_its_console():
    s = kit.session(privileged=False)
    kit.assert_golden("show-line-console.txt", kit.ok(s, "show line"))


def test_vtys_in_use_are_starred_and_count_their_sessions():
    device = kit.device()
    pool = VtyPool(device)
    first, link = kit.privileged_vty(pool)
    second, _ = kit.privileged_vty(pool)
    second.close()
    third, _ = kit.privileged_vty(pool)          # vty 1 again: its second session
    first.data_received(b"show line\r")
    rows = link.take().split("\r\n")[1:]
    assert rows[1].startswith("      0 CTY")       # nobody on a served router's console
    assert rows[3].startswith("*   130 VTY") and rows[3].split()[-4] == "1"
    assert rows[4].startswith("*   131 VTY") and rows[4].split()[-4] == "2"
    assert rows[5].startswith("    132 VTY") and rows[5].split()[-4] == "0"


def test_access_classes_and_the_vtys_configuration_adds():
    s = kit.session(None, "access-list 10 permit host 192.0.2.1",
                    "line vty 5 15", "access-class 10 in", "line con 0", "access-class 10 out")
    rows = kit.ok(s, "show line").splitlines()
    assert rows[1] == "*     0 CTY              -    -      -   10    -      0       0     0/0" \
                      "       -"
    assert [r.split()[0] for r in rows[3:]] == [str(n) for n in range(130, 146)]
    assert rows[3 + 5].split()[5:7] == ["-", "10"]          # vty 5: AccO -, AccI 10
    assert rows[3 + 4].split()[5:7] == ["-", "-"]           # vty 4 is in another block


def test_show_line_as_json():
    s = kit.session()
    s.as_json = True
    found = json.loads(kit.ok(s, "show line"))
    assert found[0] == {"tty": 0, "type": "CTY", "line": "con 0", "tx_rx": "", "active": True,
                        "access_class_out": "", "access_class_in": "", "uses": 0}
    assert [row["line"] for row in found[1:]] == ["aux 0"] + [f"vty {n}" for n in range(5)]


def test_help_offers_it_in_user_exec():
    s = kit.session(privileged=False)
    assert re.search(r"^  line +TTY line information$", s.help("show "), re.MULTILINE)

"""`debug ip inspect` beyond smtp: each flag's answers, `show debugging`, `undebug`, `?`, Tab and
abbreviations; and the `CBAC …` lines each flag prints for simulated traffic on the seed router
(docs/formats.md), compared to the character."""
import kit
import pytest

from iosfw.show import cbac_debug, smtp_debug

T = "*Mar  1 00:00:00.000: "         # the seed's `service timestamps debug datetime msec`
WEB = "10.10.10.5 1040 198.51.100.80 80"      # an inside host browsing (static NAT .111)
MAIL = "192.0.2.7 40000 172.22.1.110 25"      # the Internet to the mail server (static NAT)

FLAGS = {
    "object-creation": "INSPECT Object Creations debugging is",
    "object-deletion": "INSPECT Object Deletions debugging is",
    "events": "INSPECT Special Events debugging is",
    "timers": "INSPECT Timers debugging is",
    "detailed": "INSPECT Detailed debugging is",
    "tcp": "INSPECT TCP Inspection debugging is",
    "udp": "INSPECT UDP Inspection debugging is",
    "icmp": "INSPECT ICMP Inspection debugging is",
    **{p: f"INSPECT {p.upper()} Inspection debugging is" for p in (
        "cuseeme", "dns", "ftp-cmd", "ftp-tokens", "h323", "http", "netshow", "rcmd",
        "realaudio", "rpc", "rtsp", "sip", "skinny", "smtp", "sqlnet", "streamworks", "tftp",
        "vdolive")},
}


def cbac(output: str) -> list[str]:
    return [line for line in output.splitlines() if "CBAC" in line]


def web_session(s) -> list[str]:
    """Connect, data both ways, close, and the finwait timeout: the CBAC lines of it all."""
    lines = []
    for command in (f"simulate connect tcp {WEB}", f"simulate send tcp {WEB} bytes 120",
                    f"simulate send tcp {WEB} bytes 1400 reply", f"simulate close tcp {WEB}",
                    "simulate clock advance 5"):
        lines += cbac(s.execute(command).output)
    return lines


# ------------------------------------------------------------------ on, off, listed
@pytest.mark.parametrize("flag", FLAGS)
def test_each_flag_turns_on_is_listed_and_turns_off(tmp_path, flag):
    s = kit.session(tmp_path)
    assert s.execute(f"debug ip inspect {flag}").output == FLAGS[flag] + " on\n"
    assert s.execute("show debugging").output == f"INSPECT:\n  {FLAGS[flag]} on\n"
    assert s.execute(f"undebug ip inspect {flag}").output == FLAGS[flag] + " off\n"
    assert s.execute("show debugging").output == ""
    s.execute(f"debug ip inspect {flag}")
    assert s.execute(f"no debug ip inspect {flag}").output == FLAGS[flag] + " off\n"
    assert s.execute("show debugging").output == ""


def test_the_smtp_answers_are_still_the_documents():
    assert cbac_debug.answer("smtp", True) == smtp_debug.DEBUG_ON
    assert cbac_debug.answer("smtp", False) == smtp_debug.DEBUG_OFF


def test_show_debugging_lists_the_flags_in_a_fixed_order_and_undebug_all_clears(tmp_path):
    s = kit.session(tmp_path)
    for flag in ("http", "tcp", "object-deletion", "timers", "object-creation"):
        s.execute(f"debug ip inspect {flag}")
    assert s.execute("show debugging").output == (
        "INSPECT:\n"
        "  INSPECT Object Creations debugging is on\n"
        "  INSPECT Object Deletions debugging is on\n"
        "  INSPECT Timers debugging is on\n"
        "  INSPECT TCP Inspection debugging is on\n"
        "  INSPECT HTTP Inspection debugging is on\n")
    assert s.execute("undebug all").output == "All possible debugging has been turned off\n"
    assert s.execute("show debugging").output == ""
    s.execute("debug ip inspect events")
    assert s.execute("no debug all").output == "All possible debugging has been turned off\n"
    assert s.execute("show debugging").output == ""


def test_help_after_debug_ip_inspect_lists_every_flag(tmp_path):
    s = kit.session(tmp_path)
    listing = (
        "  cuseeme          CUSeeMe Inspection\n"
        "  detailed         Inspection Detailed Debugs\n"
        "  dns              DNS Inspection\n"
        "  events           Inspection events\n"
        "  ftp-cmd          FTP Command Channel Inspection\n"
        "  ftp-tokens       FTP Command Channel Tokens Inspection\n"
        "  h323             H.323 Inspection\n"
        "  http             HTTP Inspection\n"
        "  icmp             ICMP Inspection\n"
        "  netshow          NetShow Inspection\n"
        "  object-creation  Inspection Object Creation\n"
        "  object-deletion  Inspection Object Deletion\n"
        "  rcmd             R commands Inspection\n"
        "  realaudio        RealAudio Inspection\n"
        "  rpc              RPC Inspection\n"
        "  rtsp             RTSP Inspection\n"
        "  sip              SIP Inspection\n"
        "  skinny           Skinny Inspection\n"
        "  smtp             SMTP Inspection\n"
        "  sqlnet           SQL*Net Inspection\n"
        "  streamworks      StreamWorks Inspection\n"
        "  tcp              TCP Inspection\n"
        "  tftp             TFTP Inspection\n"
        "  timers           Inspection timers\n"
        "  udp              UDP Inspection\n"
        "  vdolive          VDOLive Inspection\n\n")
    assert s.help("debug ip inspect ") == listing
    assert s.help("undebug ip inspect ") == listing
    assert s.help("no debug ip inspect ") == listing
    assert s.help("debug ip inspect obj") == "object-creation  object-deletion\n\n"
    assert s.help("debug ip inspect t") == "tcp  tftp  timers\n\n"


def test_abbreviations_and_tab(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute("deb ip insp obj")
    assert reply.error and reply.output == '% Ambiguous command:  "deb ip insp obj"\n'
    assert s.execute("deb ip insp object-c").output == \
        "INSPECT Object Creations debugging is on\n"
    assert s.execute("deb ip insp object-d").output == \
        "INSPECT Object Deletions debugging is on\n"
    assert s.execute("deb ip insp ti").output == "INSPECT Timers debugging is on\n"
    assert s.execute("deb ip insp det").output == "INSPECT Detailed debugging is on\n"
    assert s.execute("deb ip insp ev").output == "INSPECT Special Events debugging is on\n"
    assert s.execute("undeb ip insp ti").output == "INSPECT Timers debugging is off\n"
    assert s.execute("deb ip insp t").error
    assert s.complete("debug ip inspect object-c") == "debug ip inspect object-creation "
    assert s.complete("debug ip inspect ftp-t") == "debug ip inspect ftp-tokens "
    assert s.complete("debug ip inspect obj") is None


def test_function_trace_is_not_offered(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("debug ip inspect function-trace").error


# ------------------------------------------------------------------ the lines, one flag each
def test_object_creation_names_both_views_of_the_flow(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect object-creation")
    # inside to outside: the alternative view is the translated source
    assert web_session(s) == [
        T + "CBAC OBJ_CREATE: Pak 63C41E38 sis 6155930C initiator_addr (10.10.10.5:1040) "
        "responder_addr (198.51.100.80:80) initiator_alt_addr (172.22.1.111:1040) "
        "responder_alt_addr (198.51.100.80:80)"]
    # outside to inside: the alternative view is the global destination
    assert cbac(s.execute(f"simulate connect tcp {MAIL}").output) == [
        ("*Mar  1 00:00:05.000: CBAC OBJ_CREATE: Pak 63C43338 sis 615594AC "
         "initiator_addr (192.0.2.7:40000) responder_addr (10.10.10.2:25) "
         "initiator_alt_addr (192.0.2.7:40000) responder_alt_addr (172.22.1.110:25)")]


def test_object_deletion_when_the_session_goes(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect object-deletion")
    assert web_session(s) == ["*Mar  1 00:00:05.000: CBAC OBJ_DELETE: delete sis 6155930C"]


def test_tcp_lines_with_synthesized_sequence_numbers(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect tcp")
    ends_out = "(10.10.10.5:1040) => (198.51.100.80:80)"
    ends_in = "(10.10.10.5:1040) <= (198.51.100.80:80)"
    client, server = 3191822156, 437338337        # the initial numbers of session 6155930C
    assert web_session(s) == [
        f"{T}CBAC sis 6155930C pak 63C41E38 TCP S seq {client}(len 0) {ends_out}",
        (f"{T}CBAC sis 6155930C pak 63C420D8 TCP S ack {client + 1} seq {server}(len 0) "
         f"{ends_in}"),
        (f"{T}CBAC sis 6155930C pak 63C42378 TCP A ack {server + 1} seq {client + 1}(len 0) "
         f"{ends_out}"),
        (f"{T}CBAC sis 6155930C pak 63C42618 TCP PA ack {server + 1} seq {client + 1}(len 120) "
         f"{ends_out}"),
        (f"{T}CBAC sis 6155930C pak 63C428B8 TCP PA ack {client + 121} seq {server + 1}"
         f"(len 1400) {ends_in}"),
        (f"{T}CBAC sis 6155930C pak 63C42B58 TCP FA ack {server + 1401} seq {client + 121}"
         f"(len 0) {ends_out}"),
        (f"{T}CBAC sis 6155930C pak 63C42DF8 TCP FA ack {client + 121} seq {server + 1401}"
         f"(len 0) {ends_in}"),
        (f"{T}CBAC sis 6155930C pak 63C43098 TCP A ack {server + 1401} seq {client + 121}"
         f"(len 0) {ends_out}")]


def test_timers_start_with_the_timeout_that_applies_and_stop_with_the_session(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect timers")
    start = T + "CBAC Timer Start: sis 6155930C Timer: 61559340 Time: "
    assert web_session(s) == [
        T + "CBAC Timer Init Leaf: sis 6155930C",
        start + "30000 milisecs",           # SYN: synwait-time
        start + "30000 milisecs",           # SYN-ACK: still half-open
        start + "3600000 milisecs",         # the handshake's ACK: tcp idle-time
        start + "3600000 milisecs",
        start + "3600000 milisecs",
        start + "5000 milisecs",            # FIN: finwait-time
        start + "5000 milisecs",
        start + "5000 milisecs",
        "*Mar  1 00:00:05.000: CBAC Timer Stop: sis 6155930C Timer: 61559340"]


def test_udp_and_icmp_lines_and_their_timers(tmp_path):
    s = kit.session(tmp_path)
    for flag in ("udp", "icmp", "timers"):
        s.execute(f"debug ip inspect {flag}")
    assert cbac(s.execute("simulate udp 10.10.10.5 1053 198.51.100.9 5000 bytes 40").output) == [
        T + "CBAC Timer Init Leaf: sis 6155930C",
        T + "CBAC sis 6155930C pak 63C41E38 UDP (len 40) (10.10.10.5:1053) => "
        "(198.51.100.9:5000)",
        T + "CBAC Timer Start: sis 6155930C Timer: 61559340 Time: 30000 milisecs"]
    assert cbac(s.execute("simulate udp 198.51.100.9 5000 172.22.1.111 1053 bytes 100"
                          ).output) == [
        T + "CBAC sis 6155930C pak 63C420D8 UDP (len 100) (10.10.10.5:1053) <= "
        "(198.51.100.9:5000)",
        T + "CBAC Timer Start: sis 6155930C Timer: 61559340 Time: 30000 milisecs"]
    lines = cbac(s.execute("simulate icmp 10.10.10.5 198.51.100.80 echo").output)
    assert lines[0] == T + "CBAC Timer Init Leaf: sis 615594AC"
    assert lines[1].startswith(T + "CBAC sis 615594AC pak 63C42378 ICMP type 8 code 0 (len ")
    assert lines[1].endswith(") (10.10.10.5:8) => (198.51.100.80:0)")
    assert lines[2] == T + "CBAC Timer Start: sis 615594AC Timer: 615594E0 Time: 10000 milisecs"


def test_dns_is_udp_to_port_53_with_the_dns_timeout(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect dns")
    s.execute("debug ip inspect timers")
    assert cbac(s.execute("simulate udp 10.10.10.5 1053 198.51.100.53 53 bytes 40").output) == [
        T + "CBAC Timer Init Leaf: sis 6155930C",
        T + "CBAC sis 6155930C dns L7 inspect result: PASS packet",
        T + "CBAC Timer Start: sis 6155930C Timer: 61559340 Time: 5000 milisecs"]


def test_an_application_flag_reports_each_packet_with_bytes_of_its_sessions(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect http")
    assert web_session(s) == [T + "CBAC sis 6155930C http L7 inspect result: PASS packet"] * 2
    s.execute("undebug all")
    s.execute("debug ip inspect ftp-cmd")           # IN-OUT inspects ftp
    ftp = "10.10.10.5 1041 198.51.100.21 21"
    s.execute(f"simulate connect tcp {ftp}")
    assert cbac(s.execute(f"simulate send tcp {ftp} bytes 12").output) == [
        "*Mar  1 00:00:05.000: CBAC sis 615594AC ftp L7 inspect result: PASS packet"]
    s.execute("undebug all")
    s.execute("debug ip inspect smtp")              # another protocol's flag: no lines
    assert cbac(s.execute(f"simulate send tcp {ftp} bytes 12 reply").output) == []


def test_events_say_why_a_session_went(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect events")
    assert web_session(s) == [
        ("*Mar  1 00:00:05.000: CBAC EVENT: sis 6155930C (10.10.10.5:1040)=>(198.51.100.80:80) "
         "http deleted -- FIN wait timeout")]
    s.execute(f"simulate connect tcp {MAIL}")
    assert cbac(s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 25 rst").output) == [
        ("*Mar  1 00:00:05.000: CBAC EVENT: sis 615594AC (192.0.2.7:40000)=>(10.10.10.2:25) "
         "smtp deleted -- RST received")]
    s.execute("simulate tcp 192.0.2.8 40000 172.22.1.110 25 syn")
    assert cbac(s.execute("clear ip inspect session").output) == [
        ("*Mar  1 00:00:05.000: CBAC EVENT: sis 6155964C (192.0.2.8:40000)=>(10.10.10.2:25) "
         "smtp deleted -- cleared by clear ip inspect session")]
    s.execute("simulate tcp 192.0.2.8 40001 172.22.1.110 25 syn")
    assert cbac(s.execute("simulate clock advance 30").output) == [
        ("*Mar  1 00:00:35.000: CBAC EVENT: sis 615597EC (192.0.2.8:40001)=>(10.10.10.2:25) "
         "smtp deleted -- SYN wait timeout")]


def test_events_of_the_thresholds_in_order_with_the_log(tmp_path):
    s = kit.session(tmp_path, "ip inspect tcp max-incomplete host 2 block-time 1")
    s.execute("debug ip inspect events")
    s.execute("debug ip inspect object-deletion")
    out = s.execute("simulate flood tcp 192.0.2.66 172.22.1.110 25 count 4 rate 10").output
    assert out.splitlines()[2:] == [
        "*Mar  1 00:00:00.200: CBAC EVENT: half-open limit (2) reached for host 10.10.10.2",
        ("*Mar  1 00:00:00.200: %FW-4-HOST_TCP_ALERT_ON: Max tcp half-open connections (2) "
         "exceeded for host 10.10.10.2."),
        "*Mar  1 00:00:00.200: CBAC EVENT: host 10.10.10.2 blocked for 1 minute",
        ("*Mar  1 00:00:00.200: %FW-2-BLOCK_HOST: Blocking new TCP connections to host "
         "10.10.10.2 for 1 minute (half-open count 2 exceeded)."),
        ("*Mar  1 00:00:00.200: CBAC EVENT: sis 6155930C (192.0.2.66:1024)=>(10.10.10.2:25) "
         "smtp deleted -- half-open limit of host 10.10.10.2"),
        "*Mar  1 00:00:00.200: CBAC OBJ_DELETE: delete sis 6155930C",
        ("*Mar  1 00:00:00.200: CBAC EVENT: sis 615594AC (192.0.2.66:1025)=>(10.10.10.2:25) "
         "smtp deleted -- half-open limit of host 10.10.10.2"),
        "*Mar  1 00:00:00.200: CBAC OBJ_DELETE: delete sis 615594AC",
        ("*Mar  1 00:00:00.200: CBAC EVENT: Pak 63C42378 refused -- new TCP connections to host "
         "10.10.10.2 are blocked"),
        ("*Mar  1 00:00:00.300: CBAC EVENT: Pak 63C42618 refused -- new TCP connections to host "
         "10.10.10.2 are blocked")]
    assert s.execute("simulate clock advance 60").output.splitlines() == [
        "*Mar  1 00:01:00.200: CBAC EVENT: host 10.10.10.2 unblocked",
        ("*Mar  1 00:01:00.200: %FW-4-UNBLOCK_HOST: New TCP connections to host 10.10.10.2 no "
         "longer blocked")]


def test_events_of_aggressive_mode(tmp_path):
    s = kit.session(tmp_path, "ip inspect max-incomplete high 2",
                     "ip inspect max-incomplete low 1")
    s.execute("debug ip inspect events")
    out = s.execute("simulate flood tcp 192.0.2.66 172.22.1.110 25 count 4 rate 10").output
    assert cbac(out) == [
        "*Mar  1 00:00:00.200: CBAC EVENT: aggressive mode on, half-open count 3, 1-min rate 3",
        ("*Mar  1 00:00:00.300: CBAC EVENT: sis 6155930C (192.0.2.66:1024)=>(10.10.10.2:25) "
         "smtp deleted -- aggressive mode, oldest half-open session")]
    assert cbac(s.execute("simulate clock advance 60").output)[-1] == \
        "*Mar  1 00:00:30.300: CBAC EVENT: aggressive mode off, half-open count 0, 1-min rate 4"


def test_detailed_tells_the_path_of_each_packet_cbac_sees(tmp_path):
    s = kit.session(tmp_path)
    s.execute("debug ip inspect detailed")
    assert cbac(s.execute(f"simulate tcp {MAIL} syn").output) == [
        T + "CBAC pak 63C41E38 arrives on Ethernet2/0: tcp 192.0.2.7:40000 -> 172.22.1.110:25 S,"
        " 40 bytes",
        T + 'CBAC pak 63C41E38 inbound access list 101: permitted by "10 permit tcp any host '
        '172.22.1.110 eq smtp (1 match)"',
        T + "CBAC pak 63C41E38 NAT outside->inside: destination 172.22.1.110 becomes 10.10.10.2 "
        "(static)",
        T + "CBAC pak 63C41E38 routing: 10.10.10.0/24 is directly connected, Ethernet2/1",
        T + "CBAC pak 63C41E38 inspection OUT-IN in on Ethernet2/0: session 6155930C opened, "
        "smtp SIS_OPENING",
        T + "CBAC pak 63C41E38 result: forwarded Ethernet2/0 -> Ethernet2/1: tcp "
        "192.0.2.7:40000 -> 10.10.10.2:25 S"]
    # a packet the access list drops never reaches CBAC: nothing
    assert cbac(s.execute("simulate tcp 192.0.2.7 40000 172.22.1.110 23 syn").output) == []


def test_all_on_one_packet_in_order(tmp_path):
    s = kit.session(tmp_path)
    for flag in ("object-creation", "timers", "tcp", "detailed"):
        s.execute(f"debug ip inspect {flag}")
    lines = [line[len(T):] for line in cbac(s.execute(f"simulate tcp {WEB} syn").output)]
    assert [line.split(":")[0] for line in lines] == [
        "CBAC pak 63C41E38 arrives on Ethernet2/1",
        "CBAC pak 63C41E38 routing",
        "CBAC pak 63C41E38 NAT inside->outside",
        "CBAC pak 63C41E38 inspection IN-OUT in on Ethernet2/1",
        "CBAC pak 63C41E38 result",
        "CBAC OBJ_CREATE",
        "CBAC Timer Init Leaf",
        "CBAC sis 6155930C pak 63C41E38 TCP S seq 3191822156(len 0) (10.10.10.5",
        "CBAC Timer Start"]


def test_lines_follow_service_timestamps_debug_and_nothing_without_a_flag(tmp_path):
    s = kit.session(tmp_path, "service timestamps debug uptime")
    assert cbac(s.execute(f"simulate connect tcp {WEB}").output) == []
    s.execute("debug ip inspect object-deletion")
    s.execute("simulate clock advance 100")
    assert s.execute("clear ip inspect session").output == \
        "00:01:40: CBAC OBJ_DELETE: delete sis 6155930C\n"


def test_a_vty_sees_the_lines_only_after_terminal_monitor(tmp_path):
    console = kit.session(tmp_path)
    vty = kit.session(on=console.device, line="vty0")
    console.execute("debug ip inspect tcp")
    assert cbac(vty.execute(f"simulate tcp {WEB} syn").output) == []
    vty.execute("terminal monitor")
    assert cbac(vty.execute(f"simulate tcp {WEB} ack").output) == [
        T + "CBAC sis 6155930C pak 63C420D8 TCP A ack 437338338 seq 3191822157(len 0) "
        "(10.10.10.5:1040) => (198.51.100.80:80)"]

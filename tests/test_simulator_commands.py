"""The `simulate` family on the seed router: connections (connect, send, close) both ways with
their byte counts, errors for unknown connections and malformed lines, the flood summary,
`?` help, and the clear commands that go with traffic (`clear access-list counters`,
`clear ip inspect session`)."""
import kit
import pytest
from kit import configure

PROMPT = "3640-123#"
INVALID = "% Invalid input detected at '^' marker.\n\n"


# ------------------------------------------------------------------ connections
def test_connect_from_outside_runs_the_handshake_through_nat(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    assert not reply.error
    assert reply.output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 S\n"
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.110:25 -> 192.0.2.7:40000 SA\n"
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 A\n"
        # port 25: the simulated mail server greets (64 bytes, the document's length)
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.110:25 -> 192.0.2.7:40000 PA "
        '"220 mailhost.example.net ESMTP simulated mail service is ready\\r\\n"\n')
    assert s.execute("show ip inspect sessions").output == (
        "Established Sessions\n"
        " Session 6155930C (192.0.2.7:40000)=>(10.10.10.2:25) smtp SIS_OPEN\n")


def test_send_counts_payload_bytes_each_way_and_close_ends_in_closing(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate clock advance 4")
    assert s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 120 reply"
                     ).output == ("forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.110:25 -> "
                                  "192.0.2.7:40000 PA\n")
    s.execute("simulate clock advance 3")
    assert s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 18").output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 PA\n")
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 52 reply")
    s.execute("simulate clock advance 2")
    assert s.execute("show ip inspect sessions detail").output == (
        "Established Sessions\n"
        " Session 6155930C (192.0.2.7:40000)=>(10.10.10.2:25) smtp SIS_OPEN\n"
        "  Created 00:00:09, Last heard 00:00:02\n"
        "  Bytes sent (initiator:responder) [18:236]\n")    # 172 + the 64-byte greeting
    assert s.execute("simulate close tcp 192.0.2.7 40000 172.22.1.110 25").output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 FA\n"
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.110:25 -> 192.0.2.7:40000 FA\n"
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 192.0.2.7:40000 -> 10.10.10.2:25 A\n")
    assert s.execute("show ip inspect sessions").output == (
        "Established Sessions\n"
        " Session 6155930C (192.0.2.7:40000)=>(10.10.10.2:25) smtp SIS_CLOSING\n")
    s.execute("simulate clock advance 5")                 # finwait-time 5
    assert s.execute("show ip inspect sessions").output == ""


def test_connect_send_and_close_from_inside_through_static_nat(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("simulate connect tcp 10.10.10.5 2001 198.51.100.10 80").output == (
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.111:2001 -> 198.51.100.10:80 S\n"
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 198.51.100.10:80 -> 10.10.10.5:2001 SA\n"
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.111:2001 -> 198.51.100.10:80 A\n")
    s.execute("simulate send tcp 10.10.10.5 2001 198.51.100.10 80 bytes 300")
    assert s.execute("simulate send tcp 10.10.10.5 2001 198.51.100.10 80 bytes 1400 reply"
                     ).output == ("forwarded Ethernet2/0 -> Ethernet2/1: tcp 198.51.100.10:80 -> "
                                  "10.10.10.5:2001 PA\n")
    s.execute("simulate send tcp 10.10.10.5 2001 198.51.100.10 80 bytes 1400 reply")
    assert s.execute("show ip inspect sessions detail").output == (
        "Established Sessions\n"
        " Session 6155930C (10.10.10.5:2001)=>(198.51.100.10:80) http SIS_OPEN\n"
        "  Created 00:00:00, Last heard 00:00:00\n"
        "  Bytes sent (initiator:responder) [300:2800]\n")
    assert s.execute("simulate close tcp 10.10.10.5 2001 198.51.100.10 80").output == (
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.111:2001 -> 198.51.100.10:80 FA\n"
        "forwarded Ethernet2/0 -> Ethernet2/1: tcp 198.51.100.10:80 -> 10.10.10.5:2001 FA\n"
        "forwarded Ethernet2/1 -> Ethernet2/0: tcp 172.22.1.111:2001 -> 198.51.100.10:80 A\n")


def test_trace_connect_prints_one_block_per_packet(tmp_path):
    s = kit.session(tmp_path)
    out = s.execute("simulate trace connect tcp 10.10.10.5 2001 198.51.100.10 80").output
    assert out.count("\nResult: forwarded ") == 3
    assert out.startswith("Packet tcp 10.10.10.5:2001 -> 198.51.100.10:80 S, 40 bytes, arrives "
                          "on Ethernet2/1\n")
    assert " 3 inspection IN-OUT in on Ethernet2/1: session 6155930C opened, http " \
           "SIS_OPENING\n" in out


def test_a_refused_connect_opens_nothing_and_later_send_is_unknown(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 23")
    assert reply.output == ("dropped on Ethernet2/0 by access list 101 (its implicit deny)\n")
    reply = s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 23 bytes 10")
    assert reply.error
    assert reply.output == ("% (iosfw) no connection 192.0.2.7:40000 -> 172.22.1.110:23: "
                            "open it with simulate connect\n")


@pytest.mark.parametrize("line", [
    "simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 5",
    "simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 5 reply",
    "simulate close tcp 192.0.2.7 40000 172.22.1.110 25",
    "simulate trace close tcp 192.0.2.7 40000 172.22.1.110 25",
])
def test_send_and_close_on_an_unknown_connection_are_errors(tmp_path, line):
    s = kit.session(tmp_path)
    reply = s.execute(line)
    assert reply.error
    assert reply.output == ("% (iosfw) no connection 192.0.2.7:40000 -> 172.22.1.110:25: "
                            "open it with simulate connect\n")
    assert s.engine.sessions.sessions == {}


def test_a_closed_connection_is_forgotten(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate close tcp 192.0.2.7 40000 172.22.1.110 25")
    reply = s.execute("simulate close tcp 192.0.2.7 40000 172.22.1.110 25")
    assert reply.error and reply.output.startswith("% (iosfw) no connection 192.0.2.7:40000")


def test_a_connection_is_known_on_every_line_of_the_same_session_only(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    other = kit.session(on=s.device, line="vty0")
    assert other.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 1").error
    assert not s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 1").error


# ------------------------------------------------------------------ flood
def test_flood_summary_line(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 10 rate 4").output == (
        "flood: 10 SYN to 172.22.1.110:25 from 203.0.113.99 at 4/s over 2.250 s: 10 forwarded, "
        "0 dropped\n")
    assert s.device.now() == 2.25
    assert len(s.engine.sessions.half_open) == 10
    assert [x.initiator[1] for x in s.engine.sessions.half_open.values()] == list(
        range(1024, 1034))


def test_flood_of_one_packet_takes_no_time(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 1 rate 1000").output \
        == ("flood: 1 SYN to 172.22.1.110:25 from 203.0.113.99 at 1000/s over 0.000 s: "
            "1 forwarded, 0 dropped\n")
    assert s.device.now() == 0.0


def test_flood_counts_the_drops_by_reason(tmp_path):
    s = kit.session(tmp_path)
    assert s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 23 count 3 rate 10").output == (
        "flood: 3 SYN to 172.22.1.110:23 from 203.0.113.99 at 10/s over 0.200 s: 0 forwarded, "
        "3 dropped\n"
        "  3 dropped on Ethernet2/0 by access list 101 (its implicit deny)\n")
    assert "(3 matches)" not in s.execute("show access-lists").output   # no entry matched


def test_flood_refuses_too_many_packets(tmp_path):
    s = kit.session(tmp_path)
    reply = s.execute("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 1000001 rate 10")
    assert reply.error
    assert reply.output == "% (iosfw) at most 1000000 packets per flood\n"
    assert s.engine.sessions.sessions == {}


def test_flood_from_a_source_no_interface_leads_to(tmp_path):
    s = kit.session(tmp_path, router=kit.router(
        "interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\n"))
    reply = s.execute("simulate flood tcp 192.0.2.9 10.0.0.9 80 count 5 rate 5")
    assert reply.error
    assert reply.output == ("% (iosfw) no interface leads to 192.0.2.9: no route back to that "
                            "source\n")


# ------------------------------------------------------------------ help and errors
def test_help_lists_the_simulate_family(tmp_path):
    listing = kit.session(tmp_path).help("simulate ")
    for word, text in [("clock", "The virtual clock"),
                       ("close", "Close a TCP connection: FIN, FIN-ACK, ACK"),
                       ("connect", "Open a TCP connection: SYN, SYN-ACK, ACK"),
                       ("flood", "A burst of TCP SYNs from one source, at a rate"),
                       ("icmp", "An ICMP message: source, destination, type"),
                       ("send", "Data on a connection, from the client (or the server: reply)"),
                       ("tcp", "A TCP segment: source, port, destination, port, flags"),
                       ("trace", "Show what each phase of the packet path decided"),
                       ("udp", "A UDP datagram: source, port, destination, port")]:
        assert f"  {word:<8} (iosfw) {text}\n" in listing
    words = [line.split()[0] for line in listing.splitlines() if line.strip()]
    assert words == sorted(words)


def test_help_after_flood_tcp_asks_for_an_address(tmp_path):
    assert "  A.B.C.D  IP address\n" in kit.session(tmp_path).help("simulate flood tcp ")


def test_an_icmp_echo_takes_an_identifier_and_a_payload_length(tmp_path):
    s = kit.session(tmp_path)
    assert s.help("simulate icmp 10.10.10.9 198.51.100.1 echo ") == (
        "  bytes  (iosfw) Payload length in bytes\n"
        "  id     (iosfw) Echo identifier (1 unless given)\n"
        "  <cr>\n\n")
    assert s.help("simulate icmp 10.10.10.9 198.51.100.1 echo id ") == (
        "  <0-65535>  ICMP identifier\n\n")
    assert s.execute("simulate trace icmp 10.10.10.9 198.51.100.1 echo id 77 bytes 72"
                     ).output.startswith(
        "Packet icmp 10.10.10.9 -> 198.51.100.1 type 8 id 77, 100 bytes, arrives on Ethernet2/1\n")
    assert s.execute("simulate icmp 198.51.100.1 10.10.10.9 echo-reply").output == (
        "forwarded Ethernet2/0 -> Ethernet2/1: icmp 198.51.100.1 -> 10.10.10.9 type 0 id 1\n")


@pytest.mark.parametrize("line, column", [
    ("simulate bogus", len("simulate ")),
    ("simulate tcp 192.0.2.7 40000 172.22.1.110 70000", len("simulate tcp 192.0.2.7 40000 "
                                                              "172.22.1.110 ")),
    ("simulate connect udp 1.2.3.4 1 5.6.7.8 2", len("simulate connect ")),
    ("simulate flood tcp 1.2.3.4 5.6.7.8 25 count 0 rate 5",
     len("simulate flood tcp 1.2.3.4 5.6.7.8 25 count ")),
    ("simulate flood tcp 1.2.3.4 5.6.7.8 25 count 5 rate 0",
     len("simulate flood tcp 1.2.3.4 5.6.7.8 25 count 5 rate ")),
    ("simulate flood udp 1.2.3.4 5.6.7.8 25 count 5 rate 1", len("simulate flood ")),
    ("simulate clock advance -1", len("simulate clock advance ")),
    ("simulate clock rewind 5", len("simulate clock ")),
    ("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn bytes 10 extra",
     len("simulate tcp 192.0.2.7 40000 172.22.1.110 25 syn bytes 10 ")),
    ("simulate icmp 192.0.2.7 172.22.1.110 redirect", len("simulate icmp 192.0.2.7 "
                                                          "172.22.1.110 ")),
])
def test_malformed_simulate_lines_get_the_caret_under_the_bad_word(tmp_path, line, column):
    s = kit.session(tmp_path)
    reply = s.execute(line)
    assert reply.error
    assert reply.output == " " * (len(PROMPT) + column) + "^\n" + INVALID
    assert s.engine.sessions.sessions == {} and s.device.now() == 0.0


@pytest.mark.parametrize("line", [
    "simulate", "simulate send tcp 1.2.3.4 1 5.6.7.8 2 bytes", "simulate flood tcp 1.2.3.4",
    "simulate clock advance", "simulate connect tcp 1.2.3.4 1 5.6.7.8",
])
def test_unfinished_simulate_lines_are_incomplete(tmp_path, line):
    reply = kit.session(tmp_path).execute(line)
    assert reply.error and reply.output == "% Incomplete command.\n\n"


def test_simulate_is_not_a_configuration_command(tmp_path):
    s = kit.session(tmp_path)
    s.execute("configure terminal")
    reply = s.execute("simulate clock advance 5")
    assert reply.error and "% Invalid input detected at '^' marker." in reply.output
    s.execute("end")
    assert s.device.now() == 0.0


# ------------------------------------------------------------------ clear commands
def test_clear_access_list_counters_all_or_one_list(tmp_path):
    s = kit.session(tmp_path)
    configure(s, "access-list 102 permit icmp any any", "interface Ethernet2/1",
              "ip access-group 102 in")
    for port in (40000, 40001, 40002):
        s.execute(f"simulate tcp 192.0.2.7 {port} 172.22.1.110 25 syn")
    s.execute("simulate icmp 10.10.10.9 198.51.100.1 echo")
    s.execute("simulate icmp 10.10.10.9 198.51.100.2 echo")
    assert s.execute("show access-lists").output == (
        "Extended IP access list 101\n"
        "    10 permit tcp any host 172.22.1.110 eq smtp (3 matches)\n"
        "Extended IP access list 102\n"
        "    10 permit icmp any any (2 matches)\n")
    reply = s.execute("clear access-list counters 101")
    assert reply.output == "" and not reply.error
    assert s.execute("show access-lists").output == (
        "Extended IP access list 101\n"
        "    10 permit tcp any host 172.22.1.110 eq smtp\n"
        "Extended IP access list 102\n"
        "    10 permit icmp any any (2 matches)\n")
    s.execute("simulate tcp 192.0.2.7 40003 172.22.1.110 25 syn")
    assert "eq smtp (1 match)\n" in s.execute("show access-lists").output
    assert s.execute("clear access-list counters").output == ""
    assert s.execute("show access-lists").output == (
        "Extended IP access list 101\n"
        "    10 permit tcp any host 172.22.1.110 eq smtp\n"
        "Extended IP access list 102\n"
        "    10 permit icmp any any\n")


def test_session_traffic_does_not_count_on_the_access_list(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 10")
    assert "eq smtp (1 match)\n" in s.execute("show access-lists").output


def test_clear_ip_inspect_session_removes_every_session(tmp_path):
    s = kit.session(tmp_path)
    s.execute("simulate connect tcp 192.0.2.7 40000 172.22.1.110 25")
    s.execute("simulate tcp 192.0.2.7 40001 172.22.1.110 25 syn")
    s.execute("simulate udp 10.10.10.5 3000 198.51.100.20 123")
    assert len(s.engine.sessions.sessions) == 3
    reply = s.execute("clear ip inspect session")
    assert reply.output == "" and not reply.error
    assert s.execute("show ip inspect sessions").output == ""
    assert s.engine.sessions.half_open == {} and s.engine.sessions.half_open_by_host == {}
    # the answer of a cleared session is no longer let in
    assert "eq smtp (2 matches)\n" in s.execute("show access-lists").output
    s.execute("simulate send tcp 192.0.2.7 40000 172.22.1.110 25 bytes 10")
    assert "eq smtp (3 matches)\n" in s.execute("show access-lists").output   # no bypass now
    assert s.execute("simulate udp 198.51.100.20 123 172.22.1.111 3000").output == (
        "dropped on Ethernet2/0 by access list 101 (its implicit deny)\n")
    assert s.engine.next_deadline(s.device.now()) is not None     # NAT entries remain

"""`ping` from the router: the simple form and its options, the extended ping's questions, the
IOS 12.3 text, and the path the echoes take through the engine (the inbound list of the
interface the answer comes in on decides it; outbound lists, NAT and CBAC leave the router's
own echoes alone), on the virtual clock."""
from __future__ import annotations

import kit
import pytest
from kit import assert_golden, ok, refused

SEED_ECHO_REPLY = "access-list 101 permit icmp any any echo-reply"


def transcript(s, line: str, *answers: str) -> str:
    """What the terminal shows for `line` and the answers typed to its questions: the prompt
    and the line, each question with its answer, every output, as a telnet user sees them."""
    text = s.prompt() + line + "\n"
    reply = s.execute(line)
    text += reply.output
    for answer in answers:
        assert reply.ask is not None, f"no question left for {answer!r}:\n{text}"
        text += reply.ask.prompt + answer + "\n"
        reply = reply.ask.answer(answer)
        text += reply.output
    assert reply.ask is None, f"still asking {reply.ask.prompt!r}:\n{text}"
    return text


# ------------------------------------------------------------------ the simple form
def test_a_ping_to_an_inside_host_is_answered_with_the_ios_text():
    s = kit.session()
    assert_golden("ping-simple.txt", transcript(s, "ping 10.10.10.2"))


def test_repeat_size_and_source_change_what_is_sent_and_say_so():
    s = kit.session()
    text = transcript(s, "ping 10.10.10.2 repeat 75 size 1500 source Ethernet2/0")
    text += transcript(s, "ping 10.10.10.2 source 10.10.10.1 repeat 2 df-bit validate data 61680")
    assert_golden("ping-options.txt", text)


def test_the_options_go_in_any_order_as_napalm_sends_them_and_the_last_one_wins():
    s = kit.session()
    text = ok(s, "ping 10.10.10.2 timeout 1 size 200 repeat 3 source e2/1 repeat 4")
    assert "Sending 4, 200-byte ICMP Echos to 10.10.10.2, timeout is 1 seconds:\n" in text
    assert "Packet sent with a source address of 10.10.10.1 \n!!!!\n" in text
    assert ok(s, "ping ip 10.10.10.2 re 2").count("!") == 2


def test_the_router_answers_its_own_addresses():
    s = kit.session()
    assert "!!!!!\nSuccess rate is 100 percent (5/5)" in ok(s, "ping 172.22.1.16")


def test_help_lists_ip_and_the_options_as_ios_12_3_gives_them():
    s = kit.session()
    text = "".join(f"{s.prompt()}{line}?\n{s.help(line)}" for line in
                   ("ping ", "ping 10.10.10.2 ", "ping 10.10.10.2 repeat ",
                    "ping 10.10.10.2 size ", "ping 10.10.10.2 timeout ", "ping 10.10.10.2 data "))
    assert_golden("ping-help.txt", text)


@pytest.mark.parametrize("line, message", [
    ("ping 10.10.10.2 source 192.0.2.1",
     "% Invalid source address- IP address not on any of our up interfaces\n"),
    ("ping 10.10.10.2 source Serial2/0",
     "% Invalid source interface - IP not enabled or interface is down\n"),
])
def test_a_source_the_router_cannot_send_from_is_refused(line, message):
    assert refused(kit.session(), line) == message


def test_a_source_interface_the_router_lacks_is_refused_at_its_word():
    s = kit.session()
    assert kit.caret(s, "ping 10.10.10.2 source Ethernet0/0") == len("3640-123#ping 10.10.10.2 "
                                                                       "source ")


def test_a_name_is_looked_up_and_not_found():
    assert refused(kit.session(), "ping mailhost") == (
        'Translating "mailhost"...domain server (255.255.255.255)\n'
        "% Unrecognized host or address, or protocol not running.\n\n")
    s = kit.session(None, "no ip domain-lookup")
    assert refused(s, "ping mailhost") == (
        "% Unrecognized host or address, or protocol not running.\n\n")


def test_json_gives_the_counts_and_round_trips():
    import json

    s = kit.session()
    s.as_json = True
    facts = json.loads(ok(s, "ping 10.10.10.2 repeat 3"))
    assert facts["sent"] == 3 and facts["received"] == 3 and facts["success_percent"] == 100
    assert facts["rtt_ms"] == {"min": 1, "avg": 2, "max": 4} and facts["marks"] == "!!!"


def test_iosfw_bounds_the_echoes_of_one_ping():
    assert refused(kit.session(), "ping 10.10.10.2 repeat 2147483647") == (
        "% (iosfw) at most 1000000 echoes per ping\n")


# ------------------------------------------------------------------ the extended ping
def test_extended_ping_asks_its_questions_in_order_and_uses_the_answers():
    s = kit.session()
    text = transcript(s, "ping", "", "10.10.10.2", "", "", "", "y", "Ethernet2/1", "", "", "",
                      "", "", "")
    text += transcript(s, "ping", "", "172.22.1.1", "3", "", "", "", "")
    assert_golden("ping-extended.txt", text)


def test_extended_ping_asks_again_after_a_wrong_number_or_yes_no_answer():
    s = kit.session()
    text = transcript(s, "ping ip", "10.10.10.2", "0", "2", "20", "", "", "y", "Serial 2", "e2/0",
                      "256", "1", "maybe", "yes", "", "0xF0F0", "v", "", "y", "1495", "1505", "5")
    assert_golden("ping-extended-answers.txt", text)


@pytest.mark.parametrize("answers, message", [
    (("ipx",), '% Unknown protocol - "ipx", type "ping ?" for help\n'),
    (("", ""), "% Bad IP address\n"),
    (("", "mailhost"), "% Bad IP address\n"),
])
def test_extended_ping_ends_at_a_protocol_or_target_it_cannot_use(answers, message):
    assert transcript(kit.session(), "ping", *answers).endswith(message)


def test_extended_ping_offers_only_verbose_of_the_ip_options():
    s = kit.session()
    text = transcript(s, "ping", "", "10.10.10.2", "2", "", "", "y", "", "", "", "", "",
                      "record", "", "")
    assert "Verbose[none]: record\n% (iosfw) loose, strict, record and timestamp are not " \
           "simulated\nLoose, Strict, Record, Timestamp, Verbose[none]: \n" in text
    assert "\n!!\n" in text


def test_extended_ping_with_an_unusable_source_is_refused_when_it_starts():
    s = kit.session()
    text = transcript(s, "ping", "", "10.10.10.2", "", "", "", "y", "192.0.2.1", "", "", "",
                      "", "", "")
    assert text.endswith("Sweep range of sizes [n]: \n% Invalid source address- IP address "
                         "not on any of our up interfaces\n")


# ------------------------------------------------------------------ through the engine
def test_the_seed_routers_inbound_list_drops_the_answers_from_the_internet():
    """The classic: list 101 on Ethernet2/0 lets in SMTP to the mail server and nothing else,
    so the router's own pings out of Ethernet2/0 get no answer back."""
    s = kit.session()
    assert_golden("ping-blocked.txt", transcript(s, "ping 172.22.1.1"))
    kit.configure(s, SEED_ECHO_REPLY)
    assert "!!!!!\nSuccess rate is 100 percent (5/5)" in ok(s, "ping 198.51.100.9")
    assert "20 permit icmp any any echo-reply (5 matches)" in ok(s, "show access-lists")


def test_an_answer_a_listed_entry_denies_is_logged_by_it():
    s = kit.session(None, "access-list 101 deny icmp any any log")
    reply = s.execute("ping 172.22.1.1 repeat 1")
    assert ".\nSuccess rate is 0 percent (0/1)\n" in reply.body
    assert reply.messages == ("*Mar  1 00:00:00.001: %SEC-6-IPACCESSLOGDP: list 101 denied icmp "
                              "172.22.1.1 -> 172.22.1.16 (0/0), 1 packet\n")


def test_an_outbound_list_does_not_filter_the_routers_own_echoes():
    s = kit.session(None, "access-list 150 deny ip any any", "interface Ethernet2/0",
                    "no ip access-group 101 in", "ip access-group 150 out")
    assert "!!!!!" in ok(s, "ping 172.22.1.1")
    assert "(" not in ok(s, "show access-lists 150")       # no entry matched anything


def test_echoes_open_no_cbac_session_and_make_no_translation():
    """12.3(4)T inspects no router-generated traffic, and NAT translates what comes from an
    inside interface: the answers from the inside come back on no session and no entry."""
    s = kit.session()
    ok(s, "ping 10.10.10.2 source Ethernet2/0")
    assert ok(s, "show ip inspect sessions") == ""
    assert "icmp" not in ok(s, "show ip nat translations")


def test_without_a_route_the_echoes_time_out():
    s = kit.session(None, "no ip route 0.0.0.0 0.0.0.0 172.22.1.1")
    assert ".....\nSuccess rate is 0 percent (0/5)\n" in ok(s, "ping 192.0.2.1")
    s = kit.session(None, "ip route 192.0.2.0 255.255.255.0 Null0")
    assert "....." in ok(s, "ping 192.0.2.1")


def test_the_clock_moves_by_the_round_trips_and_the_timeouts():
    s = kit.session()
    ok(s, "ping 10.10.10.2")                        # 1 + 4 + 1 + 2 + 4 ms
    assert s.device.now() == pytest.approx(0.012)
    ok(s, "ping 172.22.1.1 repeat 2 timeout 3")     # two answers lost: 3 s each
    assert s.device.now() == pytest.approx(6.012)
    ok(s, "ping 10.10.10.2 repeat 1 size 1500")     # 1 ms, and 2 x 1500 bytes at 10 Mb/s
    assert s.device.now() == pytest.approx(6.015)


def test_an_echo_larger_than_the_mtu_with_df_set_is_lost():
    s = kit.session()
    assert "\n!!\n" in ok(s, "ping 10.10.10.2 repeat 2 size 1500 df-bit")
    assert "Packet sent with the DF bit set\n..\n" in ok(s, "ping 10.10.10.2 repeat 2 size 1501 "
                                                             "df-bit")
    assert "\n!!\n" in ok(s, "ping 10.10.10.2 repeat 2 size 1501")    # fragmented without DF


def test_a_long_ping_runs_in_slices_and_wraps_its_marks_at_70():
    s = kit.session()
    reply = s.execute("ping 10.10.10.2 repeat 2500", stepwise=True)
    assert reply.more is not None and reply.output == ""
    while reply.more is not None:
        reply = reply.more()
    lines = reply.output.splitlines()
    assert lines[2:-1] == ["!" * 70] * 35 + ["!" * 50]
    assert lines[-1] == "Success rate is 100 percent (2500/2500), round-trip min/avg/max = 1/2/4 ms"


# ------------------------------------------------------------------ tools
def test_ntc_templates_parse_the_output():
    from ntc_templates.parse import parse_output

    s = kit.session()
    parsed = parse_output(platform="cisco_ios", command="ping",
                          data=ok(s, "ping 10.10.10.2 repeat 3 source 10.10.10.1"))
    assert parsed == [{"sent_qty": "3", "sent_type": "100-byte ICMP Echos",
                       "destination": "10.10.10.2", "timeout": "2", "source": "10.10.10.1",
                       "response_stream": ["!!!"], "success_pct": "100", "success_qty": "3",
                       "rtt_min": "1", "rtt_avg": "2", "rtt_max": "4", "responders": []}]


def test_netmiko_send_command_pings_from_a_served_router(tmp_path):
    import netmiko

    with kit.served("--telnet", "127.0.0.1:0", env={"XDG_DATA_HOME": str(tmp_path)}) as ports:
        conn = netmiko.ConnectHandler(device_type="cisco_ios_telnet", host="127.0.0.1",
                                      port=ports["telnet"], username="",
                                      password=kit.SEED_PASSWORD, secret=kit.SEED_PASSWORD,
                                      timeout=20)
        try:
            conn.enable()
            out = conn.send_command("ping 10.10.10.2")
        finally:
            conn.disconnect()
    assert out.strip("\n") == ("Type escape sequence to abort.\n"
                               "Sending 5, 100-byte ICMP Echos to 10.10.10.2, timeout is 2 "
                               "seconds:\n!!!!!\nSuccess rate is 100 percent (5/5), "
                               "round-trip min/avg/max = 1/2/4 ms")

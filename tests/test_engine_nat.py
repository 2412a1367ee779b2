"""Static NAT in the packet path: the seed's mail server and port statics."""
import kit

from iosfw.config.names import ip_to_int
from iosfw.engine.nat import StaticNat

TCP, UDP = 6, 17


def nat_of(text: str) -> StaticNat:
    return StaticNat(kit.router(text))


def test_seed_mail_server_global_address_reaches_the_inside_server():
    nat = StaticNat(kit.seed_router())
    ip, port, t = nat.to_inside(TCP, ip_to_int("172.22.1.110"), 25)
    assert (ip, port) == (ip_to_int("10.10.10.2"), 25)
    assert t is not None and t.protocol == 0


def test_seed_inside_server_leaves_with_its_global_address():
    nat = StaticNat(kit.seed_router())
    ip, port, _ = nat.to_outside(TCP, ip_to_int("10.10.10.2"), 25)
    assert (ip, port) == (ip_to_int("172.22.1.110"), 25)


def test_addresses_without_an_entry_are_left_alone():
    nat = StaticNat(kit.seed_router())
    assert nat.to_inside(UDP, ip_to_int("172.22.1.16"), 53) == (ip_to_int("172.22.1.16"), 53, None)
    assert nat.to_outside(TCP, ip_to_int("10.10.10.9"), 1025)[2] is None


def test_port_static_translates_only_its_protocol_and_port():
    nat = nat_of("ip nat inside source static tcp 192.168.2.6 80 209.172.108.16 8080\n")
    assert nat.to_inside(TCP, ip_to_int("209.172.108.16"), 8080)[:2] == (ip_to_int("192.168.2.6"), 80)
    assert nat.to_inside(TCP, ip_to_int("209.172.108.16"), 80)[2] is None
    assert nat.to_inside(UDP, ip_to_int("209.172.108.16"), 8080)[2] is None
    assert nat.to_outside(TCP, ip_to_int("192.168.2.6"), 80)[:2] == (ip_to_int("209.172.108.16"), 8080)


def test_port_static_on_an_interface_uses_the_interface_address():
    nat = nat_of("interface Ethernet0/0\n ip address 198.51.100.2 255.255.255.0\n"
                 "ip nat inside source static tcp 10.0.0.5 22 interface Ethernet0/0 1415\n")
    assert nat.to_inside(TCP, ip_to_int("198.51.100.2"), 1415)[:2] == (ip_to_int("10.0.0.5"), 22)


def test_port_static_wins_over_a_one_to_one_entry_for_the_same_address():
    nat = nat_of("ip nat inside source static 10.0.0.7 198.51.100.7\n"
                 "ip nat inside source static tcp 10.0.0.8 25 198.51.100.7 25\n")
    assert nat.to_inside(TCP, ip_to_int("198.51.100.7"), 25)[0] == ip_to_int("10.0.0.8")
    assert nat.to_inside(TCP, ip_to_int("198.51.100.7"), 80)[0] == ip_to_int("10.0.0.7")

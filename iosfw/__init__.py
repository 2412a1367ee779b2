"""iosfw: a Cisco IOS Firewall (CBAC) simulator of a 3640 on IOS 12.3(4)T."""

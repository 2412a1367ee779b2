"""The router over the network: telnet and SSH vty lines (`iosfw serve`)."""

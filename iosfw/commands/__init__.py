"""The command layer: one module per family of commands (system, interface, acl, inspect,
nat, line, blocks; exec, show, debug, simulate), each holding one handler per grammar alias,
registered by name in registry.py; configure.py and the session only route. See
docs/adding-a-command.md."""

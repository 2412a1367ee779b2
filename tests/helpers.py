"""What several test files need: the seed router's console in privileged EXEC, configured."""
from iosfw.cli.session import Session
from iosfw.cli.startup import StartupStore, builtin_text
from iosfw.clock import Clock
from iosfw.config.loader import load_text
from iosfw.device import Device


def configure(s: Session, *lines: str) -> str:
    """Configure from `s`; what the line shows after `end` (the %SYS-5-CONFIG_I line)."""
    s.execute("configure terminal")
    for line in lines:
        reply = s.execute(line)
        assert not reply.error, (line, reply.output)
    return s.execute("end").output


def seed_session(tmp_path, *config: str) -> Session:
    """A privileged session on a fresh built-in 3640-123 (saving under tmp_path), with `config`
    lines applied."""
    router = load_text(builtin_text()).router
    s = Session(Device(router, StartupStore(tmp_path / "startup"), Clock()), privileged=True)
    if config:
        configure(s, *config)
    return s


class RecordingLink:
    """A vty's connection without a socket: what the router sent, taken as text."""

    def __init__(self):
        self.sent = bytearray()
        self.closed = False

    def send(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        self.closed = True

    def take(self) -> str:
        text, self.sent = self.sent.decode("latin-1"), bytearray()   # the wire is 8-bit
        return text


def privileged_vty(pool, peer: str = "127.0.0.1", schedule=None):
    """The next free vty of `pool` (a VtyPool on the seed router), logged in with the seed's
    line password and enabled; (vty, its RecordingLink), with the login's output taken.
    `schedule` is the server loop's call-soon (default: call at once)."""
    from iosfw.remote.vty import Vty

    link = RecordingLink()
    vty = Vty(pool, pool.reserve(), link, peer, "telnet", schedule or (lambda call: call()))
    vty.start_telnet()
    vty.data_received(b"cisco123\renable\rcisco123\r")
    link.take()
    return vty, link

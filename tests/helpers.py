"""The names tests used to import from here, now tests/kit.py's (kept while tests written
against them are merged; new tests import kit)."""
from kit import RecordingLink, configure, privileged_vty
from kit import session as seed_session

__all__ = ["RecordingLink", "configure", "privileged_vty", "seed_session"]

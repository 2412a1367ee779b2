"""The startup-config: where the router boots from and where `write memory` saves to."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

BUILTIN_NAME = "3640-123.cfg"


def builtin_text() -> str:
    return resources.files("iosfw.data").joinpath(BUILTIN_NAME).read_text(encoding="utf-8")


def user_startup_path() -> Path:
    """The built-in router's NVRAM: one file per user, as each user has their own router."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "iosfw" / "3640-123.startup-config"


@dataclass
class StartupStore:
    path: Path
    fallback: Optional[str] = None   # what to boot from while nothing was saved (built-in)

    def read(self) -> Optional[str]:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self.fallback
        except UnicodeDecodeError:
            return self.path.read_text(encoding="latin-1")

    def write(self, text: str) -> None:
        """Atomically: a temporary file beside the target, fsync, then rename over it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".startup-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if self.path.exists():
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        try:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass

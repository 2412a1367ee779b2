"""`show running-config` and `show startup-config`: the configuration text iosfw.config.render
writes, under the headers IOS prints (the writer is the model's, as the loader needs it too).
The writer's names that the show commands' callers use are offered here with them."""
from __future__ import annotations

from ..config import model as m
from ..config.render import REJECTED_MARK as REJECTED_MARK
from ..config.render import encode_config, startup_text
from ..config.render import render_lines as render_lines


def render(r: m.Router) -> str:
    body = startup_text(r)
    size = len(encode_config(body))
    return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{body}"


def render_startup(text: str) -> str:
    """`show startup-config` prints the saved file with its size, as NVRAM holds it."""
    return f"Using {len(encode_config(text))} out of 129016 bytes\n{text}"

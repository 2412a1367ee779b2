"""The blocks iosfw reads but barely models: `controller T1|E1 S/P` with its framing and line
code, `voice-port S/P/P`, `voice-card N` and `control-plane` (grammar/blocks.lark, entered
from global configuration). They are kept so that running-config shows them back; a voice
port's `shutdown` is the interface family's handler.

Each handler is `handler(cfg, *values)`: `cfg.no` for the `no`/`default` form, the values as
the rule gives them (registry.py).
"""
from __future__ import annotations

from ..config import model as m
from .registry import config_command


@config_command("controller")
def controller(cfg, kind, slot_port):
    name = f"{str(kind).upper()} {slot_port}"
    ctl = cfg.router.controllers.setdefault(name, m.Controller(name))
    return cfg.enter("config-controller", ctl, f"controller:{name}")


@config_command("controller_framing")
def controller_framing(cfg, framing):
    cfg.context.target.framing = "" if cfg.no else str(framing)


@config_command("controller_linecode")
def controller_linecode(cfg, linecode):
    cfg.context.target.linecode = "" if cfg.no else str(linecode)


@config_command("voice_port")
def voice_port(cfg, slot_port):
    name, ports = str(slot_port), cfg.router.voice_ports
    if cfg.no:
        ports.pop(name, None)
        return "voice-port"
    port = ports.setdefault(name, m.SimpleBlock(name))
    return cfg.enter("config-voiceport", port, f"voice-port:{name}")


@config_command("voice_card")
def voice_card(cfg, slot):
    slot, cards = int(slot), cfg.router.voice_cards
    if cfg.no:
        if slot in cards:
            cards.remove(slot)
        return "voice-card"
    if slot not in cards:
        cards.append(slot)
    return cfg.enter("config-voicecard", slot, "voice-card")


@config_command("control_plane")
def control_plane(cfg):
    if cfg.router.control_plane is None:
        cfg.router.control_plane = m.SimpleBlock("control-plane")
    return cfg.enter("config-cp", cfg.router.control_plane, "control-plane")

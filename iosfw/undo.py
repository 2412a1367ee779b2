"""Undo for one command: the state of a graph of objects, put back in place.

A command that fails half-way must leave the router as it was, for its own line and for every
other line of the device. Replacing objects with deep copies would not do that: other lines
hold the live objects (a vty in interface mode holds the Interface it configures, the engine
holds the access-list entries it counts). So a snapshot walks the graph once and keeps a
shallow copy of each mutable object's contents; restoring writes those contents back into the
same objects. Objects the command created are simply no longer referenced; objects it removed
come back with their old contents.
"""
from __future__ import annotations

from collections import deque
from enum import Enum
from operator import attrgetter
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Iterable, Optional

_ATOMIC = (int, float, complex, str, bytes, bool, type(None), range, Enum, type, FunctionType,
           BuiltinFunctionType, MethodType, ModuleType)
ATOM, LIST, DICT, COPYABLE, FROZEN, OBJECT = range(6)
_KINDS: dict[type, int] = {}
_SLOTS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, attrgetter] = {}      # all of a class's slots at once


def _kind(cls: type) -> int:
    """How to keep an instance of `cls`, decided once per type."""
    if issubclass(cls, _ATOMIC):
        kind = ATOM
    elif issubclass(cls, list):
        kind = LIST
    elif issubclass(cls, dict):
        kind = DICT
    elif issubclass(cls, (set, deque, bytearray)):
        kind = COPYABLE
    elif issubclass(cls, (tuple, frozenset)):
        kind = FROZEN
    elif _slots(cls) or "__dict__" in dir(cls):
        kind = OBJECT
    else:
        kind = ATOM             # a C type without state we could restore (re.Pattern, ...)
    _KINDS[cls] = kind
    return kind


def _slots(cls: type) -> tuple[str, ...]:
    """Every slot an instance of `cls` may have, from its whole class hierarchy."""
    names = _SLOTS.get(cls)
    if names is None:
        found: list[str] = []
        for klass in cls.__mro__:
            slots = klass.__dict__.get("__slots__", ())
            found += [slots] if isinstance(slots, str) else [n for n in slots if n != "__dict__"]
        names = _SLOTS[cls] = tuple(dict.fromkeys(found))
        if names:
            _GETTERS[cls] = attrgetter(*names)
    return names


class Snapshot:
    """The contents of every mutable object reachable from `roots`, except those in `stop`
    (and what only they reach); with `depth`, only of objects at most that many references
    away from a root (the objects below are then assumed unchanged)."""

    def __init__(self, roots: Iterable, stop: Iterable = (), depth: Optional[int] = None):
        self._saved: list[tuple[object, object]] = []
        seen = {id(obj) for obj in stop}
        saved = self._saved
        kinds = _KINDS
        level, distance = list(roots), 0
        while level and (depth is None or distance <= depth):
            below: list = [] if depth is None or distance < depth else _Sink()
            for obj in level:
                cls = type(obj)
                kind = kinds.get(cls)
                if kind is None:
                    kind = _kind(cls)
                if kind == ATOM or id(obj) in seen:
                    continue
                seen.add(id(obj))
                if kind == LIST:
                    saved.append((obj, obj[:]))
                    below.extend(obj)
                elif kind == DICT:
                    saved.append((obj, obj.copy()))
                    below.extend(obj.keys())
                    below.extend(obj.values())
                elif kind == COPYABLE:
                    saved.append((obj, obj.copy()))
                    if cls is not bytearray:
                        below.extend(obj)
                elif kind == FROZEN:
                    below.extend(obj)
                else:
                    state = getattr(obj, "__dict__", None)
                    if state is not None:
                        saved.append((obj, state.copy()))
                        below.extend(state.values())
                    names = _SLOTS[cls] if cls in _SLOTS else _slots(cls)
                    if names:
                        try:
                            values = _GETTERS[cls](obj)
                        except AttributeError:          # an empty slot
                            values = tuple(getattr(obj, n, _MISSING) for n in names)
                        if len(names) == 1:
                            values = (values,)
                        saved.append((obj, _Slots(values)))
                        below.extend(values)
            level, distance = below, distance + 1

    def restore(self) -> None:
        for obj, state in self._saved:
            if type(state) is _Slots:
                for name, value in zip(_SLOTS[type(obj)], state.values):
                    if value is not _MISSING:
                        object.__setattr__(obj, name, value)
                    elif hasattr(obj, name):
                        object.__delattr__(obj, name)
            elif isinstance(obj, (list, bytearray)):
                obj[:] = state
            elif isinstance(obj, deque):
                obj.clear()
                obj.extend(state)
            elif isinstance(obj, (dict, set)):
                obj.clear()
                obj.update(state)
            else:
                obj.__dict__.clear()
                obj.__dict__.update(state)


class _Sink(list):
    """Where the children of the last level kept go: nowhere."""
    __slots__ = ()

    def extend(self, items) -> None:
        pass


class _Slots:
    """The slot values of one object, in `_slots` order (kept apart from a `__dict__` copy of
    the same object)."""
    __slots__ = ("values",)

    def __init__(self, values: tuple):
        self.values = values


_MISSING = _Slots(())          # an empty slot (never a value of the graph)

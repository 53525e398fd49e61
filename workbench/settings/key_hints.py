"""The keys that run each binding now, and the texts that name them (``{debug.run}`` placeholders).

A binding's keys are the keymap's for its id when the keymap has them, else the binding's own. Texts name a binding
as ``{binding.id}``, never a key, so that they follow the keymap. How a key is shown is the caller's (the app
writes ``ctrl+r`` as ``Ctrl+R``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")
"""A binding named in a text: ``{debug.run}``."""


@dataclass(frozen=True)
class ActiveKeys:
    """The keys in effect: the keymap's for the ids it names, the bindings' own for the others."""

    keymap: Mapping[str, str]
    """binding id -> keys the keymap gives it (Textual's notation, several separated by commas)"""
    defaults: Callable[[str], str]
    """binding id -> the keys its binding has (``KeyError`` for an unknown id)"""

    def keys(self, binding_id: str) -> list[str]:
        """The keys that run ``binding_id`` now, in Textual's notation (``["ctrl+shift+z", "ctrl+y"]``)."""
        return [key.strip() for key in (self.keymap.get(binding_id) or self.defaults(binding_id)).split(",")]

    def clashes(self, binding_ids: frozenset[str], show: Callable[[str], str]) -> list[str]:
        """Each key the keymap gives to a binding that another binding has too, with both: ``Ctrl+S: debug.run,
        app.save`` (keys compared as ``show`` writes them, so ``?`` and ``question_mark`` are one key)."""
        bound = {binding_id: {show(key) for key in self.keys(binding_id)} for binding_id in binding_ids}
        found: list[str] = []
        for binding_id, keys in sorted(self.keymap.items()):
            for key in keys.split(","):
                shown = show(key.strip())
                others = sorted(other for other, taken in bound.items() if other != binding_id and shown in taken)
                if others:
                    found.append(f"{shown}: {binding_id}, {', '.join(others)}")
        return found

    def fill(self, text: str, show: Callable[[str], str]) -> str:
        """``text`` with each ``{binding.id}`` replaced by the keys bound to it now: ``Ctrl+Shift+Z (or Ctrl+Y)``."""

        def keys(match: re.Match[str]) -> str:
            first, *others = (show(key) for key in self.keys(match.group(1)))
            return f"{first} (or {', '.join(others)})" if others else first

        return PLACEHOLDER.sub(keys, text)

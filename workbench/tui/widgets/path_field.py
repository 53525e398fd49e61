"""A file path field with completion: the rest of the first file or folder whose name starts with what is typed
shows greyed after the caret, and → (or End) takes it; relative paths start at a base folder (the workspace's)."""

from __future__ import annotations

import asyncio
import itertools
import os
from pathlib import Path
from typing import Any

from textual.suggester import Suggester

from workbench.tui.widgets.fields import Input

MAX_ENTRIES = 5_000
"""How many entries of a folder are looked at (a huge folder completes from its first ones)."""


def complete_path(base: Path, value: str) -> str | None:
    """``value`` completed to the first entry (by name) of its folder whose name starts with its last part, a
    folder with a ``/`` after it; ``None`` when there is none (or nothing is typed). Hidden entries only when the
    part starts with a dot."""
    if not value:
        return None
    folder_text, _, prefix = value.rpartition("/")
    folder = Path(folder_text + "/" if folder_text or value.startswith("/") else ".").expanduser()
    folder = folder if folder.is_absolute() else base / folder
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                (entry.name, entry.is_dir())
                for entry in itertools.islice(entries, MAX_ENTRIES)
                if entry.name.startswith(prefix) and (prefix.startswith(".") or not entry.name.startswith("."))
            )
    except OSError:
        return None
    for name, is_folder in names:
        rest = name[len(prefix) :] + ("/" if is_folder else "")
        if rest and name.isprintable():
            return value + rest
    return None


class PathSuggester(Suggester):
    """Suggests :func:`complete_path` completions, read off the UI loop (a folder may be slow, or huge)."""

    def __init__(self, base: Path) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, self.base, value)


class PathInput(Input):
    """An :class:`~workbench.tui.widgets.fields.Input` for a file path, completing from ``base``."""

    def __init__(self, base: Path, **kwargs: Any) -> None:
        super().__init__(suggester=PathSuggester(base), **kwargs)
        self.base = base

    def path(self) -> Path | None:
        """The path typed (relative ones from ``base``, ``~`` expanded), ``None`` when nothing is."""
        text = self.value.strip()
        if not text:
            return None
        typed = Path(text).expanduser()
        return typed if typed.is_absolute() else self.base / typed

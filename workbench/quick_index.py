"""The names of a workspace's items read straight from its files, to draw the tree before the models load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from workbench.folders import FOLDERS, KINDS, Kind
from workbench.jsonfile import read_regular

QUICK_READ_BYTES = 256 * 1024
"""Bigger files show their file name until the models have loaded."""


@dataclass(frozen=True)
class QuickItem:
    """An item as the tree shows it while loading: its kind, its name (unvalidated) and its file."""

    kind: Kind
    name: str
    path: Path


def quick_index(root: Path) -> list[QuickItem]:
    """Every connector, procedure and scenario file with the ``name`` it holds (its file name if unreadable)."""
    items: list[QuickItem] = []
    for kind in KINDS:
        folder = root / FOLDERS[kind]
        if folder.is_dir():
            items.extend(QuickItem(kind, _name_of(path), path) for path in sorted(folder.glob("*.json")))
    return items


def _name_of(path: Path) -> str:
    try:
        data = orjson.loads(read_regular(path, QUICK_READ_BYTES))
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str) and name.strip():
            return name
    except (OSError, orjson.JSONDecodeError):
        pass
    return path.stem

"""The layout of a workspace folder: its settings file and one folder per kind of file.

Kept apart from :mod:`workbench.store` (which re-exports these names) so that checking a folder does not
load the models: the app's first screen draws before pydantic is imported.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Literal

Kind = Literal["connector", "procedure", "scenario"]
KINDS: tuple[Kind, ...] = ("connector", "procedure", "scenario")
FOLDERS: dict[Kind, str] = {"connector": "connectors", "procedure": "procedures", "scenario": "scenarios"}
SETTINGS_FILE = "workbench.json"


def name_key(name: str) -> str:
    """What makes two names the same name: equal after Unicode compatibility normalization and case folding.

    The loader refuses a second item with the same key; everything that asks whether a name is taken uses it.
    """
    return unicodedata.normalize("NFKC", name).casefold()


def is_workspace(root: Path) -> bool:
    """Whether a folder looks like a workspace (a settings file or one of the kind folders)."""
    return root.is_dir() and (
        (root / SETTINGS_FILE).is_file() or any((root / folder).is_dir() for folder in FOLDERS.values())
    )

"""Where the user's settings file is, and the parts of it read or written without validating it all.

Nothing here imports pydantic (:mod:`workbench.settings.user_config` validates): the app reads the theme before its
first frame and validates the whole file in the background.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.jsonfile import JsonFileError, Location, atomic_write, dumps_pretty, read_json

CONFIG_FILE = "config.json"
LINT_DELAY_S = 0.3
"""Default pause in typing before the workspace is linted."""
TRANSFORM_DELAY_S = 0.3
"""Default pause in editing a transform before it runs again on the example."""


@dataclass(frozen=True)
class ConfigProblem:
    """A part of the settings file that does not apply, and where it is."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def config_path() -> Path:
    """Where the settings live: ``$XDG_CONFIG_HOME/workbench/config.json`` (default ``~/.config``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"  # a relative value is ignored (XDG)
    return root / "workbench" / CONFIG_FILE


def read_theme(path: Path | None = None) -> str | None:
    """The theme the file names, if it is readable and names one as a string (its problems are left to
    :func:`workbench.settings.user_config.load_config`)."""
    try:
        data, _, _ = read_json(path or config_path())
    except JsonFileError:
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(theme: str, path: Path | None = None) -> None:
    """Record the chosen theme in the settings file, atomically, keeping every other key as it was.

    Raises ``OSError`` when it cannot be written and :class:`JsonFileError` when the file is not a JSON object
    (it is left as it is, for the user to fix: nothing of theirs is overwritten).
    """
    path = path or config_path()
    data: dict[str, Any] = {}
    if path.exists():
        loaded, _, _ = read_json(path)
        if not isinstance(loaded, dict):
            raise JsonFileError(path, Location(1, 1), "expected a JSON object: not overwritten")
        data = loaded
    data["theme"] = theme
    atomic_write(path, dumps_pretty(data))

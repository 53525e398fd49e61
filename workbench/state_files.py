"""The app's own state, kept for the user outside every workspace: recovery journals and the log.

Both live under ``$XDG_STATE_HOME/workbench/`` (default ``~/.local/state/workbench/``), never in a workspace
folder: they are the user's, not the project's, and must not end up in its git.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

LOG_FILE = "workbench.log"
LOG_LIMIT_BYTES = 1024 * 1024
"""Past this size the log moves to ``workbench.log.1`` (replacing the one before) and starts anew."""


def state_dir() -> Path:
    """``$XDG_STATE_HOME/workbench`` (default ``~/.local/state/workbench``)."""
    base = os.environ.get("XDG_STATE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"  # relative: ignored (XDG)
    return root / "workbench"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/workbench`` (default ``~/.cache/workbench``): what can be thrown away (judge verdicts)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # relative: ignored (XDG)
    return root / "workbench"


def log_path() -> Path:
    """The log file: crashes' tracebacks and the freeze watchdog's stacks."""
    return state_dir() / LOG_FILE


def append_log(title: str, text: str) -> Path:
    """Append a dated section to the log (raises ``OSError``); returns the log's path."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.stat().st_size > LOG_LIMIT_BYTES:
            os.replace(path, path.with_name(LOG_FILE + ".1"))
    except FileNotFoundError:
        pass
    stamp = time.strftime("%Y-%m-%d %H:%M:%S %z")
    section = f"=== {stamp} pid {os.getpid()}: {title}\n{text.rstrip()}\n\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8", errors="backslashreplace") as log:
        log.write(section)
    return path

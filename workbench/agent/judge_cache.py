"""Judge verdicts cached by criterion and transcript: re-judging an unchanged run costs nothing and gives the
same verdict.

The key is a SHA-256 of the judge's endpoint, model and whole prompt (the criterion, the transcript, the
outcome and the path), so any change to them is a miss. Verdicts are kept in memory for the process and, unless
``folder`` is ``None``, one small JSON file each under ``$XDG_CACHE_HOME/workbench/judge/`` (default
``~/.cache/workbench/judge/``): never in a workspace. Only decided verdicts are kept (not a judge's failure);
their reasoning is stored as the model gave it after the run's secret masking. An unreadable file is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from workbench.jsonfile import atomic_write
from workbench.state_files import cache_dir


def default_folder() -> Path:
    """Where verdict files go by default."""
    return cache_dir() / "judge"


def verdict_key(base_url: str, model: str, prompt: Sequence[dict[str, Any]]) -> str:
    """The cache key of one judgement."""
    return hashlib.sha256(orjson.dumps([base_url, model, list(prompt)])).hexdigest()


@dataclass
class JudgeCache:
    """Verdicts by key (:func:`verdict_key`): ``(passed, reasoning)``; ``folder`` ``None``: memory only."""

    folder: Path | None = None
    _memory: dict[str, tuple[bool, str]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[bool, str] | None:
        """The cached verdict, if any."""
        if key in self._memory:
            return self._memory[key]
        if self.folder is None:
            return None
        try:
            data = orjson.loads((self.folder / f"{key}.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("passed"), bool):
            return None
        found = (data["passed"], str(data.get("reasoning") or ""))
        self._memory[key] = found
        return found

    def put(self, key: str, passed: bool, reasoning: str) -> None:
        """Keep a verdict (a file that cannot be written is skipped: the cache is only a saving)."""
        self._memory[key] = (passed, reasoning)
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            atomic_write(self.folder / f"{key}.json", orjson.dumps({"passed": passed, "reasoning": reasoning}))

"""Shared fixtures: the sample workspaces and throw-away copies of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
SUPPORT_DESK = SAMPLE_DATA / "support-desk"
LINT_EXAMPLES = SAMPLE_DATA / "lint-examples"


@pytest.fixture
def desk_copy(tmp_path: Path) -> Path:
    """A private copy of the support desk that a test may change."""
    return Path(shutil.copytree(SUPPORT_DESK, tmp_path / "support-desk"))


def run_workbench(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m workbench ARGS`` in a child process, without colour unless ``env`` asks for it."""
    child_env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=60,
        check=False,
    )

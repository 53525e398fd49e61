"""Fixtures of the debugger's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.debug.harness import brisk


@pytest.fixture
def brisk_desk(desk_copy: Path) -> Path:
    """A copy of the support desk whose mocked calls answer at once (:func:`~tests.tui.debug.harness.brisk`)."""
    return brisk(desk_copy)

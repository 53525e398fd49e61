"""Fixtures of the import tests."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from workbench.cli.new import run as new_workspace


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A fresh workspace made by ``workbench new``."""
    root = tmp_path / "desk"
    new_workspace(argparse.Namespace(directory=str(root), empty=False))
    return root

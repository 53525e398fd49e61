"""``workbench simulate --compare OLD.json NEW.json`` and ``--baseline OLD.json``: two results files side by
side (see :mod:`workbench.agent.comparison`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from workbench.agent.comparison import Format, compare_results, render
from workbench.agent.results import LoadedScenario, load_results, read_results
from workbench.cli import UsageError, output


def _load(path: Path, option: str) -> dict[str, LoadedScenario]:
    try:
        return load_results(path)
    except ValueError as error:
        raise UsageError(f"{option} {error}") from None


def _show(old: dict[str, LoadedScenario], new: dict[str, LoadedScenario], form: Format, console: Console) -> bool:
    comparison = compare_results(old, new)
    text = render(comparison, form)
    if form == "json":
        output.write_json(text.encode() + b"\n")
    else:
        console.print(text)
    return comparison.regressed


def compare_files(old: Path, new: Path, form: Format) -> int:
    """Print the comparison of two results files; 1 when a rate fell beyond noise, else 0."""
    before, after = _load(old, "--compare"), _load(new, "--compare")
    return 1 if _show(before, after, form, output.console()) else 0


def compare_documents(old: Path, document: dict[str, Any], form: Format, console: Console) -> bool:
    """Print the comparison of a baseline file with this run's results; whether a rate fell beyond noise."""
    before = _load(old, "--baseline")
    console.print(Text(f"\ncompared with {old}:", style="bold"))
    return _show(before, read_results(document, "this run"), form, console)

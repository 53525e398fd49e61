"""``workbench test --accept``: the failing scenarios' expectations rewritten to what their runs showed, shown
as a diff first and written as one set after a yes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from workbench.cli import UsageError
from workbench.editing.writes import FileWrite, WriteSetError, write_set
from workbench.scenarios import ScenarioReport
from workbench.scenarios.accept import acceptances

_DIFF_STYLES = {"+": "green", "-": "red", "@": "cyan"}


def accept_failures(
    reports: list[ScenarioReport],
    console: Console,
    root: Path,
    *,
    ask: bool,
    answer: Callable[[str], str] | None = None,
) -> int:
    """Show and (after a yes, unless ``ask`` is false) write the accepted expectations of the failed scenarios.

    Returns the exit status: 0 when every scenario now passes or was updated, 1 when one could not run or the
    update was declined. ``answer`` asks the question (default: the terminal; without one, asking is a usage
    error naming ``--yes``)."""
    updates = acceptances(reports)
    left = [report for report in reports if report.status == "error"]
    if not updates:
        console.print(Text("\nNothing to accept: no failing scenario has a run to take its expectations from."))
        return 0 if all(report.passed for report in reports) else 1
    for update in updates:
        console.print()
        console.print(Text(f"{update.name}  ({update.path})", style="bold"))
        for line in update.diff:
            console.print(Text(line, style=_DIFF_STYLES.get(line[:1], "")))
    count = f"{len(updates)} scenario file{'s' * (len(updates) != 1)}"
    if ask:
        if answer is None and not sys.stdin.isatty():
            raise UsageError(f"--accept: {count} to update; pass --yes to write them without asking")
        if (answer or input)(f"\nUpdate {count}? [y/N] ").strip().lower() not in ("y", "yes"):
            console.print(Text("Nothing written."))
            return 1
    try:
        write_set([FileWrite(update.path, update.data) for update in updates], root, f"accept {count}")
    except WriteSetError as error:
        raise UsageError(f"--accept: {error}; no scenario was changed") from None
    console.print(Text(f"Updated {count}.", style="bold green"))
    return 1 if left else 0

"""The coverage report in a chosen format, printed or written to a file: what ``workbench test --coverage`` and the
pytest plugin's ``--workbench-coverage`` both do, and the ``fail-under`` gate on the arms taken."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.coverage import exchange, formats
from workbench.coverage.report import CoverageReport
from workbench.outputs import write_output

FORMATS: dict[str, Callable[[CoverageReport], str | bytes]] = {
    "text": formats.text,
    "json": formats.to_json,
    "markdown": formats.markdown,
    "lcov": exchange.lcov,
    "cobertura": exchange.cobertura,
}
"""Every format by name (the choices of ``--coverage-format``)."""


def shown(report: CoverageReport, kind: str, path: Path | None) -> str:
    """What to show on the terminal: the report in ``kind``; with ``path``, the report is written there atomically
    (a file, or written through a FIFO or device; ``OSError`` when it cannot be) and the text report is shown with a line saying where it went."""
    output = FORMATS[kind](report)
    if path is None:
        return output.decode() if isinstance(output, bytes) else output
    write_output(path, output if isinstance(output, bytes) else output.encode())
    return formats.text(report) + f"\nwrote the {kind} report to {path}\n"


def below(report: CoverageReport, fail_under: float | None) -> str | None:
    """Why the report fails ``fail_under`` (a percentage of the branch arms taken), or ``None`` when it passes."""
    arms = report.ratio("arm")
    if fail_under is None or arms.percent >= fail_under:
        return None
    return f"branch arms taken: {arms.percent:.1f}%, below the {fail_under:g}% required"

"""``workbench test --coverage``: the procedure coverage of the scenarios just run, printed and written in a
format CI reads, and the ``--fail-under`` gate on the share of branch arms taken."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from workbench.cli import UsageError
from workbench.coverage import Hits, measure
from workbench.coverage.output import FORMATS, below, shown
from workbench.scenarios import ScenarioReport
from workbench.store import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The coverage options of ``workbench test``."""
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="after the scenarios, report which steps, branch arms and connector outcomes they reached",
    )
    parser.add_argument(
        "--fail-under",
        type=_percent,
        metavar="N",
        help="with --coverage: exit 1 when fewer than N%% of the branch arms are taken",
    )
    parser.add_argument(
        "--coverage-format",
        choices=tuple(FORMATS),
        default="text",
        help="with --coverage: the report's format (default text); lcov and cobertura carry file:line hits",
    )
    parser.add_argument("-o", dest="coverage_output", metavar="FILE", help="with --coverage: write the report to FILE")


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse the coverage options without ``--coverage``."""
    if args.coverage:
        return
    given = [
        name
        for name, value in (
            ("--fail-under", args.fail_under is not None),
            ("--coverage-format", args.coverage_format != "text"),
            ("-o", args.coverage_output is not None),
        )
        if value
    ]
    if given:
        raise UsageError(f"{given[0]} goes with --coverage")


def hits_of(reports: list[ScenarioReport]) -> Hits:
    """What the scenario runs reached (every scenario that ran, passed or failed)."""
    hits = Hits()
    for report in reports:
        if report.result is not None:
            hits.add_run(report.result.events)
    return hits


def report_coverage(
    workspace: Workspace, reports: list[ScenarioReport], args: argparse.Namespace, console: Console
) -> int:
    """Print (or write) the coverage; 1 when the arms taken are below ``--fail-under``, else 0."""
    report = measure(workspace, hits_of(reports))
    path = Path(args.coverage_output) if args.coverage_output else None
    try:
        text = shown(report, args.coverage_format, path)
    except OSError as error:
        raise UsageError(f"-o {args.coverage_output}: cannot write it: {error.strerror or error}") from None
    console.print()
    console.print(Text(text), end="")
    failure = below(report, args.fail_under)
    if failure is None:
        return 0
    console.print(Text(f"{failure} (--fail-under)", style="bold red"))
    return 1


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, got {text!r}")
    return value

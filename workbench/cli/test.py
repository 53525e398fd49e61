"""``workbench test WORKSPACE [-k PATTERN] [--junit FILE] [-j N] [--mode MODE] [--live-agent] [--coverage ...]``:
run the workspace's scenarios.

Scenarios replay their recorded answers, decisions and messages with no model and no network. With
``--live-agent`` a language model (workbench.json's ``agent``) plays the agent instead, a scenario's
``simulation`` plays the customer, and success criteria (``expect.criteria``) are judged.

With ``--accept`` the failing scenarios' expectations are rewritten to what their runs showed, as the app's
Scenarios tab does: the diff is shown first and written only after a yes (``--yes``: without asking).

With ``--coverage`` the procedure coverage of the runs follows the results (workbench/cli/coverage.py).

Scenarios run concurrently (``-j``, default 8); results are listed in file order as they complete, with a
progress bar on a terminal, then every failure explained. Exit status: 0 all passed, 1 a scenario failed or
could not run as written (or the arms taken are below ``--fail-under``), 2 bad usage (no workspace, no scenario selected, an unwritable JUnit file).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Mapping
from pathlib import Path

from rich.console import Console
from rich.text import Text

from workbench import sandbox
from workbench.cli import (
    UsageError,
    add_env_file_argument,
    check_environment,
    coverage,
    open_workspace,
    output,
    secrets_for_cli,
)
from workbench.cli.accept import accept_failures
from workbench.cli.judging import add_judge_cache_argument, judge_cache
from workbench.model.connector import ResponseMode
from workbench.scenarios import DEFAULT_JOBS, ScenarioCase, ScenarioReport, ScenarioRunner, collect_cases, write_junit
from workbench.store import FOLDERS, SETTINGS_FILE, Workspace

_STATUS = {"passed": ("PASS", "green"), "failed": ("FAIL", "bold red"), "error": ("ERROR", "bold magenta")}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``test`` command."""
    parser = subparsers.add_parser(
        "test",
        help="run the scenarios of a workspace",
        description="Run every scenario (scenarios/*.json) headless and check its expectations. "
        "Exit status: 0 all pass, 1 a failure, 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument(
        "-k",
        dest="pattern",
        metavar="PATTERN",
        help="only scenarios whose name, file name or procedure contains PATTERN (or matches it "
        "as a glob), case-insensitive",
    )
    parser.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML to FILE")
    parser.add_argument(
        "--mode",
        choices=("live", "example", "dynamic"),
        help="force one transport for every scenario (live: call the environment's servers, such as "
        "'workbench mock serve'; scenario mocks still win)",
    )
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="run every scenario in this workbench.json environment (e.g. the mock server's, with --mode live)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=DEFAULT_JOBS,
        metavar="N",
        help=f"how many scenarios run at once (default {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "--live-agent",
        action="store_true",
        help='play the agent with the language model of workbench.json\'s "agent" and judge success criteria',
    )
    parser.add_argument(
        "--accept",
        action="store_true",
        help="rewrite the failing scenarios' expectations to what their runs showed (only what each checks), "
        "after showing the diff and asking",
    )
    parser.add_argument("--yes", action="store_true", help="with --accept: write without asking")
    add_judge_cache_argument(parser)
    coverage.add_arguments(parser)
    add_env_file_argument(parser)
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    """Run the selected scenarios, print the results and write the JUnit file; returns the exit status."""
    if args.yes and not args.accept:
        raise UsageError("--yes goes with --accept")
    coverage.check_arguments(args)
    workspace = open_workspace(args.workspace)
    check_environment(workspace, args.env)
    cases = _select(workspace, args.pattern)
    console = output.console()
    suite = workspace.settings.model.name or workspace.root.resolve().name
    for problem in workspace.problems:
        if problem.path.parent != workspace.root / FOLDERS["scenario"]:
            output.say(f"workbench: note: {problem}", err=True)
    console.print(Text(f"{suite}: {len(cases)} scenario{'s' * (len(cases) != 1)}", style="bold"))
    started = time.perf_counter()
    try:
        secrets = secrets_for_cli(workspace, args.env_file) if args.env_file else None
        runner = _runner(workspace, cases, args, secrets)
        reports = asyncio.run(_run_all(runner, cases, args.jobs, console))
    finally:
        sandbox.shutdown()
    duration = time.perf_counter() - started
    print_failures(reports, console)
    print_summary(reports, duration, console)
    if args.junit:
        try:
            write_junit(reports, Path(args.junit), suite=suite, duration_s=duration)
        except OSError as error:
            raise UsageError(f"--junit {args.junit}: cannot write it: {error.strerror or error}") from None
    covered = coverage.report_coverage(workspace, reports, args, console) if args.coverage else 0
    if args.accept:
        return max(accept_failures(reports, console, workspace.root, ask=not args.yes), covered)
    return max(0 if all(report.passed for report in reports) else 1, covered)


def _runner(
    workspace: Workspace, cases: list[ScenarioCase], args: argparse.Namespace, secrets: Mapping[str, str] | None
) -> ScenarioRunner:
    """The scenario runner: scripted replay, or the model agent with ``--live-agent`` (the judge's verdicts
    cached as ``simulate`` caches them, unless ``--no-judge-cache``)."""
    mode: ResponseMode | None = args.mode
    environment: str | None = args.env
    if not args.live_agent:
        judged = sum(bool(case.document and case.document.model.expect.criteria) for case in cases)
        if judged:
            output.say(
                f"workbench: note: the criteria of {judged} scenario(s) are judged only with --live-agent",
                err=True,
            )
        return ScenarioRunner(workspace, mode=mode, secrets=secrets, environment=environment)
    from workbench.agent.errors import MissingKey
    from workbench.agent.simulation import Simulator
    from workbench.cli.simulate import settings_or_usage

    try:
        settings = settings_or_usage(workspace)
        simulator = Simulator(workspace, settings, secrets=secrets, judge_cache=judge_cache(args))
    except MissingKey as error:
        raise UsageError(str(error)) from None
    return ScenarioRunner(workspace, mode=mode, player=simulator.player, secrets=secrets, environment=environment)


def _select(workspace: Workspace, pattern: str | None) -> list[ScenarioCase]:
    broken = [str(item) for item in workspace.problems if item.path.name == SETTINGS_FILE]
    if broken:
        raise UsageError("; ".join(broken))
    cases = collect_cases(workspace)
    if not cases:
        raise UsageError(f"{workspace.root}: no scenarios to run (add scenarios/*.json)")
    selected = [case for case in cases if pattern is None or case.matches(pattern)]
    if not selected:
        raise UsageError(f"-k {pattern!r} selects none of the {len(cases)} scenarios")
    return selected


async def _run_all(
    runner: ScenarioRunner, cases: list[ScenarioCase], jobs: int, console: Console
) -> list[ScenarioReport]:
    """Run the cases, printing each result in file order as soon as those before it are done."""
    done: dict[int, ScenarioReport] = {}
    printed = 0
    width = max(len(case.name) for case in cases)
    progress = output.progress_bar(console)
    task = progress.add_task("running", total=len(cases))

    def on_report(index: int, report: ScenarioReport) -> None:
        nonlocal printed
        done[index] = report
        while printed in done:
            progress.console.print(result_line(done[printed], width))
            printed += 1
        progress.advance(task)

    with progress:
        return await runner.run_all(cases, jobs=jobs, on_report=on_report)


def result_line(report: ScenarioReport, width: int = 0) -> Text:
    """One scenario's verdict on one line: status, name (padded to ``width``), file, time."""
    label, style = _STATUS[report.status]
    line = Text("  ")
    line.append(f"{label:<5}", style=style)
    line.append(f" {report.case.name:<{width}}")
    line.append(f"  {report.case.path.name}  {report.duration_s:.2f}s", style="dim")
    return line


def print_failures(reports: list[ScenarioReport], console: Console) -> None:
    """Every failure and error, explained."""
    for report in reports:
        if report.passed:
            continue
        label, style = _STATUS[report.status]
        console.print()
        heading = Text(f"{label} ", style=style)
        heading.append(report.case.name, style="bold")
        heading.append(
            f"  ({report.case.path}" + (f", procedure {report.case.procedure!r})" if report.case.procedure else ")"),
            style="dim",
        )
        console.print(heading)
        console.print(Text(report.explanation()))


def print_summary(reports: list[ScenarioReport], duration_s: float, console: Console) -> None:
    """The closing line: how many passed, failed and could not run, and how long it took."""
    counts = {status: sum(report.status == status for report in reports) for status in _STATUS}
    parts = [f"{counts['passed']} passed"]
    if counts["failed"]:
        parts.append(f"{counts['failed']} failed")
    if counts["error"]:
        parts.append(f"{counts['error']} could not run")
    style = "bold green" if counts["passed"] == len(reports) else "bold red"
    console.print()
    console.print(Text(f"{', '.join(parts)} in {duration_s:.2f}s", style=style))

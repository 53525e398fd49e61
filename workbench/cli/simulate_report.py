"""What ``workbench simulate`` prints and writes: each run, each scenario's verdicts over its runs (pass rates,
intervals, pass^k, pass@k, flakiness), and JUnit with one case per scenario.

Print with :func:`workbench.cli.output.console`: it shows the control characters of models', servers' and files'
text instead of sending them to the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from workbench.agent.results import ScenarioResults
from workbench.agent.simulation import SimulationRun, Summary
from workbench.agent.verdicts import PassRule
from workbench.connectors import Masker
from workbench.engine.describe import served_by
from workbench.events import ConnectorResponded
from workbench.scenarios.junit import JUnitCase, junit_document


def print_run(done: SimulationRun, console: Console, *, verbose: bool = False) -> None:
    """One run: verdict, outcome, path, tokens, time; each criterion with the judge's reasoning; what failed;
    with ``verbose`` the conversation and each connector call, marked live or mocked."""
    line = Text(f"\nrun {done.index}  ")
    line.append("PASS" if done.passed else "FAIL", style="green" if done.passed else "bold red")
    line.append(f"  {done.outcome}  {done.path}")
    line.append(f"  {done.tokens:,} tokens  {done.duration_s:.1f}s", style="dim")
    console.print(line)
    if done.problem:
        console.print(Text(f"  could not run: {done.problem}", style="red"))
    if done.result is not None and done.result.error is not None:
        error = done.result.error
        console.print(Text(f"  error [{error.reason}] {error.message}", style="red"))
    for verdict in done.verdicts:
        mark = Text("  ✓ " if verdict.passed else "  ✗ ", style="green" if verdict.passed else "red")
        mark.append(verdict.criterion)
        mark.append(f" — {verdict.error or verdict.reasoning or 'no reasoning given'}", style="dim")
        if verdict.cached:
            mark.append(" (cached verdict)", style="dim")
        console.print(mark)
    for mismatch in done.mismatches:
        if not mismatch.expectation.startswith("criteria > "):
            console.print(Text(f"  ✗ {mismatch.expectation}: {mismatch.detail}", style="red"))
    if verbose and done.result is not None:
        for event in done.result.events:
            payload = event.payload
            if isinstance(payload, ConnectorResponded):
                console.print(
                    Text(f"    call      {payload.connector} [{served_by(payload.source)}] {payload.status}", "dim")
                )
        for turn in done.result.conversation:
            who = "agent   " if turn.role == "agent" else "customer"
            console.print(Text(f"    {who}  {turn.text}", style="cyan" if turn.role == "agent" else ""))


def print_summary(summary: Summary, console: Console, rule: PassRule, k: int) -> None:
    """The scenario's verdict under ``rule``, each criterion's, paths, outcomes, tokens and time."""
    console.print()
    style = "bold green" if summary.passed == summary.runs else "bold red"
    console.print(Text(f"{summary.passed}/{summary.runs} runs passed", style=style))
    verdict = summary.passes(rule)
    line = Text(f"verdict ({rule}): ", style="bold")
    line.append("PASS" if verdict else "FAIL", style="bold green" if verdict else "bold red")
    line.append(f"  {summary.scenario.describe(k)}")
    console.print(line)
    if summary.criteria:
        console.print(Text("criteria:", style="bold"))
        for criterion, tally in summary.criteria.items():
            mark = "✓" if tally.verdict(rule) else "✗"
            console.print(Text(f"  {mark} {tally.describe(k)}  {criterion}"))
    console.print(Text("paths:", style="bold"))
    for path, count in summary.paths.most_common():
        console.print(Text(f"  {count:>3}×  {path}"))
    outcomes = ", ".join(f"{outcome} {count}" for outcome, count in summary.outcomes.most_common())
    console.print(Text("outcomes: ", style="bold") + Text(outcomes))
    per_run = summary.tokens // summary.runs if summary.runs else 0
    console.print(Text("tokens: ", style="bold") + Text(f"{summary.tokens:,} ({per_run:,} per run)"))
    console.print(Text("time: ", style="bold") + Text(f"{summary.duration_s:.1f}s ({summary.mean_run_s:.1f}s per run)"))


def junit_cases(entries: Sequence[ScenarioResults], rule: PassRule, k: int, masker: Masker) -> list[JUnitCase]:
    """One JUnit case per scenario: failed when it does not pass ``rule``; its pass rate, interval, pass^k,
    pass@k and flakiness as properties; every secret masked."""
    cases = []
    for entry in entries:
        summary = Summary.of(entry.runs, name=entry.scenario.name)
        tallies = [("scenario", summary.scenario), *summary.criteria.items()]
        properties: dict[str, str] = {"pass_rule": str(rule)}
        for name, tally in tallies:
            low, high = tally.interval
            prefix = "" if name == "scenario" else f"criterion {name}: "
            properties[f"{prefix}pass_rate"] = f"{tally.rate:.4f}"
            properties[f"{prefix}interval"] = f"{low:.4f}-{high:.4f}"
            properties[f"{prefix}pass^{k}"] = f"{tally.pass_hat(k):.4f}"
            properties[f"{prefix}pass@{k}"] = f"{tally.pass_at(k):.4f}"
            properties[f"{prefix}flaky"] = "true" if tally.flaky else "false"
            if tally.flaky:
                properties[f"{prefix}failed_runs"] = ",".join(map(str, tally.failed_runs))
        failing = [name for name, tally in tallies if not tally.verdict(rule)]
        lines = [f"{name}: {tally.describe(k)}" for name, tally in tallies]
        lines += _failures(entry.runs)
        text = "\n".join(lines)
        cases.append(
            JUnitCase(
                masker.mask(entry.scenario.procedure),
                masker.mask(entry.scenario.name),
                entry.file or "",
                sum(run.duration_s for run in entry.runs),
                "passed" if summary.passes(rule) else "failed",
                masker.mask(f"does not pass {rule}: {', '.join(failing)}" if failing else ""),
                masker.mask(text),
                {masker.mask(key): masker.mask(value) for key, value in properties.items()},
            )
        )
    return cases


def _failures(runs: Sequence[SimulationRun]) -> list[str]:
    """What went wrong in each run, a line each."""
    lines = []
    for run in runs:
        if run.problem:
            lines.append(f"run {run.index}: could not run: {run.problem}")
        lines += [f"run {run.index}: {mismatch.expectation}: {mismatch.detail}" for mismatch in run.mismatches]
    return lines


def junit_bytes(entries: Sequence[ScenarioResults], rule: PassRule, k: int, masker: Masker, suite: str) -> bytes:
    """The JUnit document of a simulation suite."""
    duration = sum(run.duration_s for entry in entries for run in entry.runs)
    return junit_document(junit_cases(entries, rule, k, masker), suite=suite, duration_s=duration)

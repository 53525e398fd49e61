"""``workbench simulate WORKSPACE PROCEDURE [--scenario F] [--runs N] [-j J] [--save-scenario FILE]``.

Runs a procedure N times with a language model playing the agent and (from the scenario's ``simulation``, or
a default one) the customer, judges the scenario's criteria after each run, and sums up: pass rate per
criterion, the paths taken, outcomes, tokens and time. The model comes from ``"agent"`` in workbench.json,
with ``--model``, ``--base-url``, ``--temperature`` and ``--timeout`` overriding it for this command.
Exit status: 0 every run passed, 1 a run failed, 2 bad usage (no model configured, a missing API key, ...).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from rich.console import Console
from rich.text import Text

from workbench import sandbox
from workbench.agent.errors import MissingKey
from workbench.agent.simulation import SimulationRun, Simulator, Summary, agent_settings
from workbench.cli import UsageError, open_workspace, output, secrets_for_cli
from workbench.cli.run import _scenario as find_scenario
from workbench.cli.run import check_workspace, save_for_cli
from workbench.model import AgentSettings, Scenario
from workbench.store import Workspace

DEFAULT_JOBS = 4


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``simulate`` command."""
    parser = subparsers.add_parser(
        "simulate",
        help="run a procedure with a model agent and a simulated customer, and sum up",
        description="Run a procedure with a language model as the agent (any OpenAI-compatible endpoint) and a "
        "simulated customer, judge the scenario's criteria, and print pass rates, paths, outcomes, tokens and "
        "time. Exit status: 0 every run passed, 1 a run failed, 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument(
        "procedure", metavar="PROCEDURE", nargs="?", help="the procedure's name (default: the --scenario's procedure)"
    )
    parser.add_argument(
        "--scenario", metavar="FILE", help="the scenario (file or name): its simulation, criteria, attributes, mocks"
    )
    parser.add_argument("--runs", type=_count, default=1, metavar="N", help="how many runs (default 1)")
    parser.add_argument(
        "-j", "--jobs", type=_count, default=DEFAULT_JOBS, metavar="J", help=f"runs at once (default {DEFAULT_JOBS})"
    )
    parser.add_argument(
        "--save-scenario",
        metavar="FILE",
        help="save a run as a scenario that replays offline (a bare name goes to the scenarios folder)",
    )
    parser.add_argument(
        "--save-run", type=_count, metavar="K", help="which run --save-scenario saves (default: the first that passed)"
    )
    parser.add_argument("--model", help="the model name (over agent.model)")
    parser.add_argument("--base-url", help="the chat-completions endpoint (over agent.base_url)")
    parser.add_argument("--temperature", type=float, help="sampling temperature (over agent.temperature)")
    parser.add_argument("--timeout", type=float, metavar="S", help="seconds per model call (over agent.timeout_s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each run's conversation")
    parser.set_defaults(func=run)


def _count(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def settings_or_usage(workspace: Workspace, **overrides: Any) -> AgentSettings:
    """The agent settings for this command, or a :class:`UsageError` saying what is wrong with them."""
    try:
        return agent_settings(workspace, **overrides)
    except ValueError as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Run the simulations and print each run and the summary; returns the exit status."""
    workspace = open_workspace(args.workspace)
    scenario = find_scenario(args.scenario, workspace) if args.scenario else None
    procedure = args.procedure or (scenario.procedure if scenario else "")
    if not procedure:
        raise UsageError("name the PROCEDURE to simulate, or give --scenario")
    check_workspace(workspace, procedure)
    scenario = (scenario or Scenario(name=f"Simulation of {procedure}", procedure=procedure)).model_copy(
        update={"procedure": procedure}
    )
    settings = settings_or_usage(
        workspace, model=args.model, base_url=args.base_url, temperature=args.temperature, timeout_s=args.timeout
    )
    try:
        simulator = Simulator(workspace, settings, secrets=secrets_for_cli(workspace, None))
    except MissingKey as error:
        raise UsageError(str(error)) from None
    console = output.console()
    console.print(
        Text(
            f"Simulating {procedure!r} with {settings.model} at {settings.base_url}: "
            f"{args.runs} run{'s' * (args.runs != 1)}, {min(args.jobs, args.runs)} at a time",
            style="bold",
        )
    )
    started = time.perf_counter()
    try:
        runs = asyncio.run(
            simulator.run_many(scenario, runs=args.runs, jobs=args.jobs, on_run=lambda done: _progress(done, console))
        )
    finally:
        sandbox.shutdown()
    for done in runs:
        print_run(done, console, verbose=args.verbose)
    print_summary(Summary.of(runs, time.perf_counter() - started), console)
    if args.save_scenario:
        _save(simulator, scenario, runs, args)
    return 0 if all(done.passed for done in runs) else 1


def _progress(done: SimulationRun, console: Console) -> None:
    if console.is_terminal:
        console.print(Text(f"  run {done.index} finished ({done.outcome})", style="dim"))


def print_run(done: SimulationRun, console: Console, *, verbose: bool = False) -> None:
    """One run: verdict, outcome, path, tokens, time; each criterion with the judge's reasoning; what failed."""
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
        console.print(mark)
    for mismatch in done.mismatches:
        if not mismatch.expectation.startswith("criteria > "):
            console.print(Text(f"  ✗ {mismatch.expectation}: {mismatch.detail}", style="red"))
    if verbose and done.result is not None:
        for turn in done.result.conversation:
            who = "agent   " if turn.role == "agent" else "customer"
            console.print(Text(f"    {who}  {turn.text}", style="cyan" if turn.role == "agent" else ""))


def print_summary(summary: Summary, console: Console) -> None:
    """Pass rates per criterion, paths, outcomes, tokens and time."""
    console.print()
    style = "bold green" if summary.passed == summary.runs else "bold red"
    console.print(Text(f"{summary.passed}/{summary.runs} runs passed", style=style))
    if summary.criteria:
        console.print(Text("criteria:", style="bold"))
        for criterion, (met, judged) in summary.criteria.items():
            console.print(f"  {met / judged:>4.0%}  ({met}/{judged})  {criterion}")
    console.print(Text("paths:", style="bold"))
    for path, count in summary.paths.most_common():
        console.print(f"  {count:>3}×  {path}")
    outcomes = ", ".join(f"{outcome} {count}" for outcome, count in summary.outcomes.most_common())
    console.print(Text("outcomes: ", style="bold") + Text(outcomes))
    per_run = summary.tokens // summary.runs if summary.runs else 0
    console.print(Text("tokens: ", style="bold") + Text(f"{summary.tokens:,} ({per_run:,} per run)"))
    console.print(Text("time: ", style="bold") + Text(f"{summary.duration_s:.1f}s ({summary.mean_run_s:.1f}s per run)"))


def _save(simulator: Simulator, scenario: Scenario, runs: list[SimulationRun], args: argparse.Namespace) -> None:
    if args.save_run is not None and args.save_run > len(runs):
        raise UsageError(f"--save-run {args.save_run}: there were only {len(runs)} runs")
    chosen = runs[args.save_run - 1] if args.save_run else next((done for done in runs if done.passed), runs[0])
    if chosen.result is None:
        raise UsageError(f"--save-scenario: run {chosen.index} did not run, so it pins no behaviour: {chosen.problem}")
    output.say(f"workbench: saving run {chosen.index}", err=True)
    options, amend = simulator.recording(scenario)
    save_for_cli(args.save_scenario, simulator.workspace, scenario.procedure, options, chosen.result, amend)

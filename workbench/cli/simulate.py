"""``workbench simulate WORKSPACE [PROCEDURE] [--scenario F | --all [-k PATTERN]] [--runs N] [--pass-rule RULE]
[-j J] [--results FILE] [--baseline OLD.json] [--junit FILE] [--seed S] [--save-scenario FILE]`` and
``workbench simulate --compare OLD.json NEW.json [--format text|json|markdown]``.

Runs a procedure (or with ``--all`` every scenario that has a ``simulation``) N times with a language model
playing the agent and (from the scenario's ``simulation``, or a default one) the customer, judges the
scenario's criteria after each run, and gives each criterion and scenario a verdict under the pass rule
(``all``, ``majority`` or ``rate:R``) with its pass rate, Wilson interval, pass^k and pass@k, marking flaky
ones. The model comes from ``"agent"`` in workbench.json, with ``--model``, ``--base-url``, ``--temperature``,
``--timeout`` and ``--seed`` overriding it for this command.
Exit status: 0 every scenario passed its rule (and, against a baseline, no rate fell beyond noise), 1 one did
not, 2 bad usage (no model configured, a missing API key, ...).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from workbench import sandbox
from workbench.agent.connector_modes import connector_modes, describe_modes
from workbench.agent.errors import MissingKey
from workbench.agent.results import ScenarioResults, git_revision, results_document, write_results
from workbench.agent.simulation import SimulationRun, Simulator, Summary, agent_settings
from workbench.agent.verdicts import PassRule
from workbench.cli import UsageError, open_workspace, output, secrets_for_cli
from workbench.cli.judging import add_judge_cache_argument, judge_cache
from workbench.cli.run import _scenario as find_scenario
from workbench.cli.run import check_workspace, save_for_cli
from workbench.cli.simulate_report import junit_bytes, print_run, print_summary
from workbench.model import AgentSettings, Scenario
from workbench.outputs import write_output
from workbench.scenarios import collect_cases
from workbench.scenarios.recording import workspace_masker
from workbench.store import Workspace

DEFAULT_JOBS = 4
DEFAULT_K = 3
"""pass^k and pass@k are given for k runs (at most the runs made)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``simulate`` command."""
    parser = subparsers.add_parser(
        "simulate",
        help="run a procedure with a model agent and a simulated customer, and sum up",
        description="Run a procedure (or every scenario with a simulation) with a language model as the agent "
        "(any OpenAI-compatible endpoint) and a simulated customer, judge the scenario's criteria, and give each "
        "criterion and scenario a verdict with its pass rate, interval, pass^k and pass@k, flaky ones marked. "
        "Exit status: 0 all pass, 1 a failure, 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", nargs="?", help="the workspace folder")
    parser.add_argument(
        "procedure", metavar="PROCEDURE", nargs="?", help="the procedure's name (default: the --scenario's procedure)"
    )
    parser.add_argument(
        "--scenario", metavar="FILE", help="the scenario (file or name): its simulation, criteria, attributes, mocks"
    )
    parser.add_argument("--all", action="store_true", help="every scenario that has a simulation")
    parser.add_argument("-k", dest="pattern", metavar="PATTERN", help="with --all: only scenarios matching PATTERN")
    parser.add_argument("--runs", type=_count, default=1, metavar="N", help="how many runs of each (default 1)")
    parser.add_argument(
        "--pass-rule",
        type=_rule,
        default=PassRule(),
        metavar="RULE",
        help="when repeated runs pass: all (default), majority, or rate:R (a pass rate of at least R, 0-1)",
    )
    parser.add_argument(
        "--k", type=_count, default=DEFAULT_K, metavar="K", help=f"k of pass^k and pass@k (default {DEFAULT_K})"
    )
    parser.add_argument(
        "-j", "--jobs", type=_count, default=DEFAULT_JOBS, metavar="J", help=f"runs at once (default {DEFAULT_JOBS})"
    )
    parser.add_argument("--results", metavar="FILE", help="write every run and verdict as JSON to FILE")
    parser.add_argument("--baseline", metavar="OLD.json", help="compare this run with an earlier --results file")
    parser.add_argument(
        "--compare", nargs=2, metavar=("OLD.json", "NEW.json"), help="compare two --results files (no run)"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="of a comparison (default text)"
    )
    parser.add_argument("--junit", metavar="FILE", help="also write JUnit XML (one case per scenario) to FILE")
    parser.add_argument(
        "--save-scenario",
        metavar="FILE",
        help="save a run as a scenario that replays offline (a bare name goes to the scenarios folder)",
    )
    parser.add_argument(
        "--save-run", type=_count, metavar="K", help="which run --save-scenario saves (default: the first that passed)"
    )
    parser.add_argument(
        "--from-transcript",
        metavar="FILE",
        help="draft a scenario with a simulation from a real conversation (Customer:/Agent: lines or an Intercom "
        "conversation's JSON) and save it with --save-scenario; no run",
    )
    parser.add_argument("--model", help="the model name (over agent.model)")
    parser.add_argument("--base-url", help="the chat-completions endpoint (over agent.base_url)")
    parser.add_argument("--temperature", type=float, help="sampling temperature (over agent.temperature)")
    parser.add_argument("--timeout", type=float, metavar="S", help="seconds per model call (over agent.timeout_s)")
    parser.add_argument(
        "--seed", type=int, metavar="S", help="sent to the model (run i gets S+i-1) for steadier replies"
    )
    add_judge_cache_argument(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each run's calls and conversation")
    parser.set_defaults(func=run)


def _count(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _rule(text: str) -> PassRule:
    try:
        return PassRule.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def settings_or_usage(workspace: Workspace, **overrides: Any) -> AgentSettings:
    """The agent settings for this command, or a :class:`UsageError` saying what is wrong with them."""
    try:
        return agent_settings(workspace, **overrides)
    except ValueError as error:
        raise UsageError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Run the simulations (or compare two results files) and print them; returns the exit status."""
    if args.compare:
        from workbench.cli.simulate_compare import compare_files

        return compare_files(Path(args.compare[0]), Path(args.compare[1]), args.format)
    if not args.workspace:
        raise UsageError("name the WORKSPACE to simulate in (or give --compare OLD.json NEW.json)")
    if args.from_transcript:
        from workbench.cli.simulate_transcript import from_transcript

        return from_transcript(args)
    workspace = open_workspace(args.workspace)
    targets = _targets(workspace, args)
    settings = settings_or_usage(
        workspace,
        model=args.model,
        base_url=args.base_url,
        temperature=args.temperature,
        timeout_s=args.timeout,
        seed=args.seed,
    )
    try:
        cache = judge_cache(args)
        simulator = Simulator(workspace, settings, secrets=secrets_for_cli(workspace, None), judge_cache=cache)
    except MissingKey as error:
        raise UsageError(str(error)) from None
    console = output.console()
    runs = args.runs
    what = f"{len(targets)} scenario{'s' * (len(targets) != 1)}" if args.all else repr(targets[0][0].procedure)
    console.print(
        Text(
            f"Simulating {what} with {settings.model} at {settings.base_url}: {runs} "
            f"run{'s' * (runs != 1)} each, {min(args.jobs, runs * len(targets))} at a time, pass rule {args.pass_rule}",
            style="bold",
        )
    )
    connectors = workspace.connector_models()
    for scenario, _ in targets:
        unknown = [
            name for name in (scenario.simulation.connectors if scenario.simulation else {}) if name not in connectors
        ]
        if unknown:
            raise UsageError(f"{scenario.name}: simulation.connectors: unknown connector {unknown[0]!r}")
        said = describe_modes(connector_modes(connectors, scenario))
        if said:
            named = f" in {scenario.name!r}" if args.all else ""
            console.print(Text(f"connectors{named}: {said}"))
    started = time.perf_counter()
    try:
        done = asyncio.run(_run_suite(simulator, [scenario for scenario, _ in targets], runs, args.jobs, console))
    finally:
        sandbox.shutdown()
    duration = time.perf_counter() - started
    entries = [
        ScenarioResults(scenario, file, runs_of) for (scenario, file), runs_of in zip(targets, done, strict=True)
    ]
    k = min(args.k, runs)
    passing = 0
    for entry in entries:
        if args.all:
            console.print(Text(f"\n{entry.scenario.name}", style="bold underline"))
        if not args.all or args.verbose:
            for one in entry.runs:
                print_run(one, console, verbose=args.verbose)
        spent = duration if len(entries) == 1 else sum(one.duration_s for one in entry.runs)
        summary = Summary.of(entry.runs, spent, name=entry.scenario.name)
        print_summary(summary, console, args.pass_rule, k)
        passing += summary.passes(args.pass_rule)
    if args.all:
        style = "bold green" if passing == len(entries) else "bold red"
        console.print(
            Text(f"\n{passing}/{len(entries)} scenarios pass {args.pass_rule} in {duration:.1f}s", style=style)
        )
    regressed = _write_outputs(simulator, entries, args, k, console)
    if args.save_scenario:
        _save(simulator, entries[0].scenario, entries[0].runs, args)
    return 0 if passing == len(entries) and not regressed else 1


def _targets(workspace: Workspace, args: argparse.Namespace) -> list[tuple[Scenario, str | None]]:
    """The scenarios to simulate, each with the file it came from."""
    if args.all:
        if args.scenario or args.procedure or args.save_scenario:
            raise UsageError(
                "--all runs every scenario with a simulation: give no PROCEDURE, --scenario or --save-scenario"
            )
        cases = [
            case
            for case in collect_cases(workspace, args.pattern)
            if case.document is not None and case.document.model.simulation is not None
        ]
        if not cases:
            selected = f" matching -k {args.pattern!r}" if args.pattern else ""
            raise UsageError(f"{workspace.root}: no scenario with a simulation{selected}")
        for case in cases:
            check_workspace(workspace, case.document.model.procedure if case.document else "")
        return [(case.document.model, str(case.path)) for case in cases if case.document is not None]
    if args.pattern:
        raise UsageError("-k goes with --all")
    scenario = find_scenario(args.scenario, workspace) if args.scenario else None
    procedure = args.procedure or (scenario.procedure if scenario else "")
    if not procedure:
        raise UsageError("name the PROCEDURE to simulate, or give --scenario or --all")
    check_workspace(workspace, procedure)
    scenario = (scenario or Scenario(name=f"Simulation of {procedure}", procedure=procedure)).model_copy(
        update={"procedure": procedure}
    )
    known = workspace.scenarios.get(args.scenario) if args.scenario else None
    return [(scenario, str(known.path) if known else args.scenario)]


async def _run_suite(
    simulator: Simulator, scenarios: list[Scenario], runs: int, jobs: int, console: Console
) -> list[list[SimulationRun]]:
    """Every run of every scenario, with a progress bar on a terminal."""
    progress = output.progress_bar(console)
    task = progress.add_task("simulating", total=len(scenarios) * runs)
    with progress:
        return await simulator.run_suite(
            scenarios, runs=runs, jobs=jobs, on_run=lambda _position, _run: progress.advance(task)
        )


def _write_outputs(
    simulator: Simulator, entries: list[ScenarioResults], args: argparse.Namespace, k: int, console: Console
) -> bool:
    """Write --results and --junit, and compare with --baseline; whether a rate fell beyond noise."""
    workspace = simulator.workspace
    masker = workspace_masker(workspace, simulator.environment)
    suite = workspace.settings.model.name or workspace.root.resolve().name
    document = results_document(
        entries,
        settings=simulator.settings,
        rule=args.pass_rule,
        k=k,
        workspace=suite,
        revision=git_revision(workspace.root),
        masker=masker,
    )
    if args.results:
        try:
            write_results(Path(args.results), document)
        except OSError as error:
            raise UsageError(f"--results {args.results}: cannot write it: {error.strerror or error}") from None
    if args.junit:
        try:
            write_output(Path(args.junit), junit_bytes(entries, args.pass_rule, k, masker, suite))
        except OSError as error:
            raise UsageError(f"--junit {args.junit}: cannot write it: {error.strerror or error}") from None
    if not args.baseline:
        return False
    from workbench.cli.simulate_compare import compare_documents

    return compare_documents(Path(args.baseline), document, args.format, console)


def _save(simulator: Simulator, scenario: Scenario, runs: list[SimulationRun], args: argparse.Namespace) -> None:
    if args.save_run is not None and args.save_run > len(runs):
        raise UsageError(f"--save-run {args.save_run}: there were only {len(runs)} runs")
    chosen = runs[args.save_run - 1] if args.save_run else next((done for done in runs if done.passed), runs[0])
    if chosen.result is None:
        raise UsageError(f"--save-scenario: run {chosen.index} did not run, so it pins no behaviour: {chosen.problem}")
    output.say(f"workbench: saving run {chosen.index}", err=True)
    options, amend = simulator.recording(scenario)
    save_for_cli(args.save_scenario, simulator.workspace, scenario.procedure, options, chosen.result, amend)

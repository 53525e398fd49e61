"""``workbench run WORKSPACE PROCEDURE``: run a procedure headless and print its events.

A readable log by default (coloured on a terminal, ``NO_COLOR`` respected), one JSON event per line with
``--json``. Exit status: 0 finished (resolved, handoff, escalated, completed), 1 failed or stopped, 2 bad usage
or an unusable workspace.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast, get_args

from rich.console import Console
from rich.text import Text

from workbench import jsoncodec
from workbench.cli import (
    UsageError,
    add_env_file_argument,
    check_environment,
    open_workspace,
    output,
    secrets_for_cli,
)
from workbench.cli.overrides import overrides
from workbench.engine import (
    DecisionRequest,
    Event,
    InputRequest,
    NoAnswer,
    ProcedureContext,
    RunOptions,
    RunResult,
    ScriptedAgent,
    run_procedure,
)
from workbench.engine.describe import describe
from workbench.engine.scripted import scripted_agent
from workbench.mentions import normalize_path, split_path, suggest
from workbench.model import BUILTIN_NAMESPACES, Scenario
from workbench.model.connector import Fault
from workbench.scenarios.affected import dependencies
from workbench.scenarios.recording import save_recording
from workbench.scenarios.validate import check_scenario
from workbench.store import FOLDERS, SETTINGS_FILE, Document, DocumentError, Workspace, load_document


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` command."""
    parser = subparsers.add_parser(
        "run",
        help="run a procedure headless and print its events",
        description="Run a procedure against its connectors (mocked or live) and print every event. "
        "Exit status: 0 finished, 1 the run failed or was stopped, 2 bad usage or workspace.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument(
        "procedure", metavar="PROCEDURE", nargs="?", help="the procedure's name (default: the --scenario's procedure)"
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="take attributes, answers, decisions and mocks from a scenario file (or a scenario's name)",
    )
    parser.add_argument(
        "--attr",
        action="append",
        default=[],
        metavar="'PATH=VALUE'",
        help="an attribute value, e.g. 'User > email=ada@example.com' (repeatable)",
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the customer's answer for a collect step id, attribute path or connector input",
    )
    parser.add_argument(
        "--decide",
        action="append",
        default=[],
        metavar="STEP=VALUE",
        help="decide a describe condition: true/false, a branch index, a branch's text or 'else'",
    )
    parser.add_argument("--env", metavar="NAME", help="the workbench.json environment to use")
    parser.add_argument(
        "--mode", choices=("live", "example", "dynamic"), help="force one transport for every connector"
    )
    parser.add_argument(
        "--mock",
        action="append",
        default=[],
        metavar="'NAME=FILE|status:CODE'",
        help="answer connector NAME with the JSON body in FILE, or with HTTP status CODE (repeatable)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME=FAULT",
        help=f"make connector NAME fail: {', '.join(get_args(Fault))} (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON event per line")
    add_env_file_argument(parser)
    parser.add_argument(
        "--save-scenario",
        metavar="FILE",
        help="write the run as a scenario file (a bare file name goes to the workspace's scenarios folder)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the procedure and print its events; returns the exit status."""
    workspace = open_workspace(args.workspace)
    scenario = _scenario(args.scenario, workspace) if args.scenario else Scenario(name="command line", procedure="")
    procedure = args.procedure or scenario.procedure
    if not procedure:
        raise UsageError("name the PROCEDURE to run, or give --scenario")
    check_workspace(workspace, procedure)
    if args.save_scenario is not None and not args.save_scenario.strip():
        raise UsageError("--save-scenario: expected a file name or a scenario name, got an empty one")
    answers = _pairs(args.answer, "--answer")
    decisions = {key: _decision(value) for key, value in _pairs(args.decide, "--decide").items()}
    _check_flags(workspace, procedure, answers, decisions)
    options = RunOptions(
        environment=args.env or scenario.environment,
        mode=args.mode or scenario.mode,
        attributes=_attributes({namespace: values for namespace, values in scenario.attributes.items()}, args.attr),
        mocks={**scenario.mocks, **overrides(workspace, args.mock, args.fault)},
        secrets=secrets_for_cli(workspace, args.env_file),
        stale_tokens=frozenset(scenario.stale_tokens),
    )
    check_environment(workspace, options.environment)
    scripted = scripted_agent({**scenario.answers, **answers}, {**scenario.decisions, **decisions}, scenario.messages)
    agent = PromptingAgent(scripted) if sys.stdin.isatty() else scripted
    printer = print_json if args.json else LogPrinter(output.console())
    result = asyncio.run(run_procedure(workspace, procedure, agent, options, on_event=printer))
    if args.save_scenario is not None:
        save_for_cli(args.save_scenario, workspace, procedure, options, result)
    return 0 if result.ok else 1


def _scenario(reference: str, workspace: Workspace) -> Scenario:
    """A scenario by file path (as given, or inside the workspace) or by name."""
    if reference in workspace.scenarios:
        return workspace.scenarios[reference].model
    path = Path(reference)
    if not path.is_file() and (workspace.root / reference).is_file():
        path = workspace.root / reference
    if not path.is_file():
        raise UsageError(f"--scenario {reference}: no such file or scenario name")
    try:
        return cast(Scenario, load_document(path, "scenario").model)
    except DocumentError as error:
        raise UsageError(str(error.problem)) from None


def check_workspace(workspace: Workspace, procedure: str) -> None:
    """Raise :class:`UsageError` when the procedure is unknown or a file the run needs did not load."""
    settings_problems = [str(item) for item in workspace.problems if item.path.name == SETTINGS_FILE]
    if settings_problems:
        raise UsageError("; ".join(settings_problems))
    if procedure not in workspace.procedures:
        broken = _problems(workspace, "procedure")
        hint = suggest(procedure, workspace.procedures)
        detail = f" (did you mean {hint!r}?)" if hint else ""
        if broken:
            detail += "; procedure files that did not load: " + "; ".join(broken)
        elif not hint:
            detail += f" (known: {', '.join(sorted(workspace.procedures)) or 'none'})"
        raise UsageError(f"unknown procedure {procedure!r}{detail}")
    reach = dependencies({name: document.model for name, document in workspace.procedures.items()}, procedure)
    for kind, missing in (
        ("procedure", reach.procedures - set(workspace.procedures)),
        ("connector", reach.connectors - set(workspace.connectors)),
    ):
        broken = _problems(workspace, kind)
        if missing and broken:
            names = ", ".join(sorted(missing))
            raise UsageError(f"the run needs {kind} {names}, which did not load: " + "; ".join(broken))


def _problems(workspace: Workspace, kind: str) -> list[str]:
    folder = workspace.root / FOLDERS[kind]  # type: ignore[index]
    return [str(item) for item in workspace.problems if item.path.parent == folder]


def _check_flags(
    workspace: Workspace, procedure: str, answers: dict[str, Any], decisions: dict[str, bool | int | str]
) -> None:
    """Raise :class:`UsageError` for an ``--answer`` or ``--decide`` that names nothing the run can reach
    (the same checks as a scenario file's ``answers`` and ``decisions``)."""
    if not answers and not decisions:
        return
    probe = Scenario(name="command line", procedure=procedure, answers=answers, decisions=decisions)
    flags = {"answers:": "--answer", "decisions:": "--decide"}
    problems = [
        flags[prefix] + problem.message.removeprefix(prefix)
        for problem in check_scenario(Document("scenario", Path("command line"), probe), workspace)
        for prefix in flags
        if problem.message.startswith(prefix)
    ]
    if problems:
        raise UsageError("; ".join(problems))


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments as a mapping."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{flag} {item!r}: expected NAME=VALUE")
        result[normalize_path(name)] = value
    return result


def _attributes(base: dict[str, dict[str, Any]], items: list[str]) -> dict[str, dict[str, Any]]:
    """The scenario's attributes with ``--attr 'Namespace > key=value'`` laid over them."""
    context = ProcedureContext(base)
    for path, value in _pairs(items, "--attr").items():
        root, *rest = split_path(path)
        if root not in BUILTIN_NAMESPACES or not rest:
            raise UsageError(
                f"--attr {path!r}: expected a path under {', '.join(BUILTIN_NAMESPACES)}, "
                "e.g. 'User > email=ada@example.com'"
            )
        try:
            context.set(path, value)
        except ValueError as error:
            raise UsageError(f"--attr {path!r}: {error}") from None
    return context.attributes


def _decision(value: str) -> bool | int | str:
    """A ``--decide`` value: yes/no, a branch index, or a branch's text."""
    folded = value.strip().lower()
    if folded in ("true", "yes", "y"):
        return True
    if folded in ("false", "no", "n"):
        return False
    return int(folded) if folded.isdigit() else value


class PromptingAgent:
    """Answers from the scripted values first, then asks the person at the terminal (on standard error)."""

    def __init__(self, scripted: ScriptedAgent) -> None:
        self.scripted = scripted

    async def answer(self, request: InputRequest) -> Any:
        try:
            return await self.scripted.answer(request)
        except NoAnswer:
            pass
        problem = f" ({request.error})" if request.error else ""
        return await _read_line(f"{request.prompt}{problem} [{request.value_type}] > ")

    async def decide(self, request: DecisionRequest) -> bool:
        try:
            return await self.scripted.decide(request)
        except NoAnswer:
            pass
        while True:
            reply = (await _read_line(f"Does this hold: {request.describe}? [y/n] > ")).strip().lower()
            if reply in ("y", "yes", "n", "no"):
                return reply.startswith("y")


async def _read_line(prompt: str) -> str:
    """One line from standard input, read in a daemon thread so that Ctrl-C never waits for it."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def deliver(line: str | None) -> None:
        if not future.done():
            future.set_result(line)

    def read() -> None:
        output.say(prompt, err=True, end="", flush=True)
        line = sys.stdin.readline()
        loop.call_soon_threadsafe(deliver, line.rstrip("\n") if line else None)

    threading.Thread(target=read, daemon=True).start()
    line = await future
    if line is None:
        raise NoAnswer("no answer: standard input ended")
    return line


def print_json(event: Event) -> None:
    """One event as a JSON line."""
    output.write_json(jsoncodec.dumps(event.to_json()) + b"\n")


_STYLES = {
    "run_started": "bold",
    "run_finished": "bold",
    "message": "green",
    "warning": "yellow",
    "error": "bold red",
    "paused": "magenta",
    "connector_called": "cyan",
    "connector_responded": "cyan",
    "input_requested": "blue",
    "input_received": "blue",
    "condition_evaluated": "",
    "step_started": "dim",
}


class LogPrinter:
    """The readable log: one line per event, its time, indented by sub-procedure depth."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.depth = 0

    def __call__(self, event: Event) -> None:
        if event.type == "subprocedure_exited":
            self.depth -= 1
        line = Text(f"{event.t:8.3f}s  ", style="dim")
        line.append("  " * self.depth)
        line.append(describe(event), style=_STYLES.get(event.type, ""))
        self.console.print(line)
        if event.type == "subprocedure_entered":
            self.depth += 1


def save_for_cli(
    file: str,
    workspace: Workspace,
    procedure: str,
    options: RunOptions,
    result: RunResult,
    amend: Callable[[Scenario], Scenario] | None = None,
) -> None:
    """``--save-scenario FILE``: save the run and say where on standard error (standard output keeps the events);
    ``amend`` as in :func:`~workbench.scenarios.recording.save_recording`."""
    try:
        path, scenario, notes = save_recording(file, workspace, procedure, options, result, amend)
    except ValueError as error:
        raise UsageError(f"--save-scenario: {error}") from None
    except OSError as error:
        raise UsageError(f"--save-scenario {file}: cannot write it: {error.strerror or error}") from None
    output.say(f"workbench: saved scenario {scenario.name!r} to {path}", err=True)
    for note in notes:
        output.say(f"workbench: note: {note}", err=True)

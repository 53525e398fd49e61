"""Running scenarios: the run options and scripted agent a scenario asks for, the engine run, the verdict.

Scenarios run offline unless they say ``"mode": "live"``; connectors configured ``live`` answer with their
example response. Simulated latency is skipped (it changes no behaviour), so a suite runs at full speed.
"""

from __future__ import annotations

import asyncio
import fnmatch
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from workbench.connectors.mcp import mcp_batch
from workbench.engine import Agent, RunOptions, RunResult, run_procedure
from workbench.engine.scripted import scripted_agent
from workbench.model import Connector, MockResponse, Scenario
from workbench.model.connector import ResponseMode
from workbench.scenarios.expectations import Mismatch, compare
from workbench.scenarios.explain import explain_mismatches
from workbench.scenarios.validate import check_scenario
from workbench.store import FOLDERS, Document, LoadProblem, Workspace

Status = Literal["passed", "failed", "error"]
DEFAULT_JOBS = 8
"""How many scenarios ``run_all`` runs at once by default."""
Player = Callable[[Scenario], Awaitable[tuple[RunResult, list[Mismatch]]]]
"""Plays a scenario another way than the scripted replay (a model agent: ``workbench test --live-agent``) and
returns the run and the mismatches of what it judged beyond the expectations (success criteria)."""


@dataclass(frozen=True)
class ScenarioCase:
    """One scenario file: its loaded document, or the problem that kept it from loading."""

    path: Path
    name: str
    document: Document[Scenario] | None = None
    problem: LoadProblem | None = None

    @property
    def procedure(self) -> str | None:
        """The procedure the scenario runs, when it loaded."""
        return self.document.model.procedure if self.document else None

    def matches(self, pattern: str) -> bool:
        """Whether ``-k PATTERN`` selects this case: a case-insensitive part (or a glob) of its name, file name
        or procedure."""
        folded = pattern.casefold()
        fields = [self.name, self.path.name, self.procedure or ""]
        if any(char in pattern for char in "*?["):
            return any(fnmatch.fnmatchcase(text.casefold(), folded) for text in fields)
        return any(folded in text.casefold() for text in fields)


def collect_cases(workspace: Workspace, pattern: str | None = None) -> list[ScenarioCase]:
    """The workspace's scenario files, loaded or not, in file order; with ``pattern``, the matching ones."""
    folder = workspace.root / FOLDERS["scenario"]
    cases = [ScenarioCase(document.path, document.name, document) for document in workspace.scenarios.values()]
    cases += [
        ScenarioCase(problem.path, problem.path.stem, problem=problem)
        for problem in workspace.problems
        if problem.path.parent == folder
    ]
    cases.sort(key=lambda case: case.path.name)
    return [case for case in cases if pattern is None or case.matches(pattern)]


@dataclass
class ScenarioReport:
    """The verdict on one scenario. ``error``: the scenario could not run as written (``problems`` say where);
    ``failed``: it ran and ``mismatches`` lists the unmet expectations."""

    case: ScenarioCase
    status: Status
    duration_s: float
    problems: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    result: RunResult | None = None

    @property
    def passed(self) -> bool:
        """Whether every expectation was met."""
        return self.status == "passed"

    @property
    def headline(self) -> str:
        """One line saying what went wrong (empty when it passed)."""
        if self.problems:
            return self.problems[0]
        return f"{self.mismatches[0].expectation}: {self.mismatches[0].detail}" if self.mismatches else ""

    def explanation(self) -> str:
        """Why it did not pass, over several lines: the problems, or expected against actual with context."""
        if self.status == "error":
            return "\n".join(self.problems)
        if self.status == "failed" and self.result is not None:
            expected = self.case.document.model.expect.path if self.case.document else None
            return explain_mismatches(self.mismatches, self.result, expected)
        return ""


class ScenarioRunner:
    """Runs the scenarios of one workspace (offline connectors, no simulated latency); ``mode`` forces one
    transport for every scenario (``live``: against the environment's servers, e.g. ``workbench mock serve``);
    ``player`` replaces the scripted replay; ``secrets`` serve live runs (default: the environment over the
    workspace's ``.env``); ``environment`` runs every scenario in that environment (default: each its own)."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        mode: ResponseMode | None = None,
        player: Player | None = None,
        secrets: Mapping[str, str] | None = None,
        environment: str | None = None,
    ) -> None:
        self.workspace = workspace
        self.environment = environment
        self.mode = mode
        self.player = player
        self.secrets = secrets
        self._fast = replace(
            workspace,
            connectors={
                name: replace(document, model=_instant_connector(document.model))
                for name, document in workspace.connectors.items()
            },
        )

    def options(self, scenario: Scenario) -> RunOptions:
        """The run options a scenario asks for."""
        mode = self.mode or scenario.mode
        mocks = {name: _instant(mock) for name, mock in scenario.mocks.items()}
        if mode is None:
            for name, document in self._fast.connectors.items():
                response = document.model.response
                if response.mode == "live" and response.example is not None:
                    mocks.setdefault(name, response.example)
        return RunOptions(
            environment=self.environment or scenario.environment,
            mode=mode,
            attributes={namespace: values for namespace, values in scenario.attributes.items()},
            mocks=mocks,
            secrets=self.secrets if mode == "live" else {},
            stale_tokens=frozenset(scenario.stale_tokens),
        )

    async def play(
        self, scenario: Scenario, agent: Agent | None = None, options: RunOptions | None = None
    ) -> RunResult:
        """Run the scenario's procedure with its attributes, mocks and ``agent`` (default: its scripted answers,
        decisions and messages), with ``options`` (default: :meth:`options`); no checks, no verdict."""
        agent = agent or scripted_agent(scenario.answers, scenario.decisions, scenario.messages)
        return await run_procedure(self._fast, scenario.procedure, agent, options or self.options(scenario))

    async def run(self, case: ScenarioCase) -> ScenarioReport:
        """Run one scenario and judge it; never raises for a bad scenario or a failing run."""
        started = time.perf_counter()

        def report(status: Status, **details: Any) -> ScenarioReport:
            return ScenarioReport(case, status, time.perf_counter() - started, **details)

        if case.document is None:
            return report("error", problems=[str(case.problem)])
        problems = check_scenario(case.document, self.workspace)
        if problems:
            return report("error", problems=[str(problem) for problem in problems])
        scenario = case.document.model
        if (
            self.player is None
            and scenario.simulation
            and not (scenario.answers or scenario.decisions or scenario.messages)
        ):
            return report(
                "error",
                problems=[
                    f"{case.path}: a simulation with nothing recorded to replay: save a simulated run into it "
                    "(workbench simulate ... --save-scenario FILE) or play it with a model (workbench test --live-agent)"
                ],
            )
        try:
            result, judged = (await self.play(scenario), []) if self.player is None else await self.player(scenario)
        except Exception as error:  # the engine promises not to raise; if it does, the other scenarios go on
            return report("error", problems=[f"{case.path}: the run crashed: {type(error).__name__}: {error}"])
        mismatches = compare(scenario.expect, result) + judged
        return report("failed" if mismatches else "passed", mismatches=mismatches, result=result)

    async def run_all(
        self,
        cases: Sequence[ScenarioCase],
        *,
        jobs: int = DEFAULT_JOBS,
        on_report: Callable[[int, ScenarioReport], None] | None = None,
    ) -> list[ScenarioReport]:
        """Run many scenarios, ``jobs`` at a time, as one batch (a stdio MCP server is started once for all, and
        stopped when they are done); ``on_report(index, report)`` hears each as it finishes."""
        slots = asyncio.Semaphore(max(1, jobs))

        async def one(index: int, case: ScenarioCase) -> ScenarioReport:
            async with slots:
                result = await self.run(case)
            if on_report is not None:
                on_report(index, result)
            return result

        async with mcp_batch(self.workspace.settings.model.limits.max_response_bytes):
            return list(await asyncio.gather(*(one(index, case) for index, case in enumerate(cases))))


def _instant(mock: MockResponse) -> MockResponse:
    """The mock (and every response of its sequence) without simulated latency."""
    update: dict[str, Any] = {}
    if mock.latency_ms:
        update["latency_ms"] = 0
    if any(item.latency_ms for item in mock.then):
        update["then"] = [_instant(item) for item in mock.then]
    return mock.model_copy(update=update) if update else mock


def _instant_connector(connector: Connector) -> Connector:
    """A copy of the connector whose example and dynamic rules answer without simulated latency."""
    response = connector.response
    rules = [rule.model_copy(update={"response": _instant(rule.response)}) for rule in response.rules]
    example = _instant(response.example) if response.example is not None else None
    return connector.model_copy(update={"response": response.model_copy(update={"example": example, "rules": rules})})

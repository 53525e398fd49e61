"""Simulations: a scenario played by the model agent and (when it has a ``simulation``) a simulated customer,
then judged against its success criteria; many runs summed up.

Public API::

    simulator = Simulator(workspace, settings)            # secrets: environment, .env; raises MissingKey early
    run = await simulator.run(scenario, index=1)          # SimulationRun: result, verdicts, mismatches, tokens
    suite = await simulator.run_suite(scenarios, runs=10, jobs=4, on_run=callback)  # per scenario, its runs
    summary = Summary.of(suite[0])                        # pass rates per criterion, paths, outcomes, tokens, time
    ScenarioRunner(workspace, player=simulator.player)    # ``workbench test --live-agent``
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.agent.client import ChatClient, Exchange, resolve_api_key
from workbench.agent.connector_modes import apply_modes
from workbench.agent.customer import SimulatedCustomer
from workbench.agent.errors import MissingKey, ModelError
from workbench.agent.judge import Verdict, judge
from workbench.agent.judge_cache import JudgeCache
from workbench.agent.model_agent import ModelAgent
from workbench.agent.redaction import Redactor, redacted_paths
from workbench.agent.verdicts import PassRule, Tally
from workbench.connectors.dotenv import EnvFileError, run_secrets
from workbench.connectors.masking import run_masker
from workbench.connectors.mcp import mcp_batch
from workbench.engine import Agent, RunOptions, RunResult, ScriptedAgent
from workbench.events import AgentExchange
from workbench.model import AgentSettings, Scenario, Simulation
from workbench.scenarios import Mismatch, ScenarioRunner, compare
from workbench.scenarios.recording import save_recording
from workbench.store import Workspace, to_data


def criteria_mismatches(verdicts: list[Verdict]) -> list[Mismatch]:
    """The criteria not met, as scenario mismatches (the judge's reasoning as the detail)."""
    return [
        Mismatch(f"criteria > {verdict.criterion}", "met", "not met", verdict.error or verdict.reasoning)
        for verdict in verdicts
        if not verdict.passed
    ]


@dataclass
class SimulationRun:
    """One simulated run: the engine's result, the judge's verdicts, the unmet expectations (criteria included),
    the model exchanges outside the run's events (the customer's opening, the judge) and the time it took.
    ``problem`` says why there is no result (the run could not start)."""

    index: int
    result: RunResult | None
    verdicts: list[Verdict] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    duration_s: float = 0.0
    problem: str | None = None
    seed: int | None = None

    @property
    def passed(self) -> bool:
        """Whether the run met every expectation and criterion."""
        return self.problem is None and not self.mismatches

    @property
    def tokens(self) -> int:
        """Tokens used by every model call of this run (agent, customer, judge)."""
        events = self.result.events if self.result else []
        in_run = sum(event.payload.tokens.total for event in events if isinstance(event.payload, AgentExchange))
        return int(in_run + sum(exchange.tokens for exchange in self.exchanges))

    @property
    def path(self) -> str:
        """The steps taken, as one line."""
        return " → ".join(self.result.path) if self.result else "(did not run)"

    @property
    def outcome(self) -> str:
        """How the run ended (``error`` when it could not run)."""
        return self.result.outcome if self.result else "error"


@dataclass
class Summary:
    """Many runs summed up: the scenario's and each criterion's tally, paths taken, outcomes, tokens, time."""

    runs: int
    passed: int
    scenario: Tally
    criteria: dict[str, Tally]
    paths: Counter[str]
    outcomes: Counter[str]
    tokens: int
    duration_s: float
    mean_run_s: float

    @classmethod
    def of(cls, runs: list[SimulationRun], duration_s: float = 0.0, *, name: str = "") -> Summary:
        """The summary of ``runs`` (``duration_s``: the wall time of them all; ``name``: the scenario's)."""
        judged: dict[str, list[tuple[int, bool]]] = {}
        for run in runs:
            for verdict in run.verdicts:
                judged.setdefault(verdict.criterion, []).append((run.index, verdict.passed))
        return cls(
            runs=len(runs),
            passed=sum(run.passed for run in runs),
            scenario=Tally.of(name, [(run.index, run.passed) for run in runs]),
            criteria={criterion: Tally.of(criterion, outcomes) for criterion, outcomes in judged.items()},
            paths=Counter(run.path for run in runs),
            outcomes=Counter(run.outcome for run in runs),
            tokens=sum(run.tokens for run in runs),
            duration_s=duration_s,
            mean_run_s=sum(run.duration_s for run in runs) / len(runs) if runs else 0.0,
        )

    def passes(self, rule: PassRule) -> bool:
        """Whether the scenario and every criterion pass ``rule``."""
        return self.scenario.verdict(rule) and all(tally.verdict(rule) for tally in self.criteria.values())


def agent_settings(workspace: Workspace, **overrides: Any) -> AgentSettings:
    """workbench.json's ``agent`` settings with ``overrides`` laid over them (``None`` values ignored); raises
    ``ValueError`` saying what is wrong when they are invalid or name no model."""
    base = workspace.settings.model.agent or AgentSettings()
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        settings = AgentSettings.model_validate({**to_data(base), **given})
    except ValidationError as error:
        first = error.errors()[0]
        raise ValueError(f"agent settings: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    if not settings.model:
        raise ValueError(
            'no model to run the agent with: set "agent": {"model": ...} in workbench.json, or pass --model'
        )
    return settings


def default_simulation(workspace: Workspace, procedure: str) -> Simulation:
    """The customer of a simulation whose scenario describes none: someone who needs what the procedure is for."""
    model = workspace.procedure(procedure)
    purpose = (model.description if model else "") or f"get help ({procedure})"
    return Simulation(goal=purpose)


class Simulator:
    """Plays scenarios with the model agent of ``settings``; ``judge_cache`` keeps the judge's verdicts (none:
    every criterion is judged anew). Raises :class:`~workbench.agent.errors.MissingKey` at once when the API
    key's secret is not set. ``secrets`` default to a run's (the environment, then the workspace's ``.env``: see
    :func:`~workbench.connectors.dotenv.run_secrets`)."""

    def __init__(
        self,
        workspace: Workspace,
        settings: AgentSettings,
        *,
        secrets: Mapping[str, str] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        judge_cache: JudgeCache | None = None,
    ) -> None:
        if secrets is None:
            try:
                secrets = run_secrets(workspace.root)
            except EnvFileError as error:
                raise MissingKey(f"the secrets cannot be read: {error}") from None
        self.judge_cache = judge_cache
        self.workspace = workspace
        self.settings = settings
        self.api_key = resolve_api_key(settings.api_key, secrets)
        self.runner = ScenarioRunner(workspace)
        self._redacted = redacted_paths(workspace.connector_models())
        self._sleep = sleep
        self.environment = secrets

    async def run(self, scenario: Scenario, index: int = 1, *, simulate_customer: bool = True) -> SimulationRun:
        """Play ``scenario`` once with the model agent, then judge its criteria. The customer is simulated when the
        scenario has a ``simulation`` (or ``simulate_customer`` gives it the default one), else its answers
        play the customer. Never raises for a model or procedure problem."""
        started = time.perf_counter()
        redactor = self._redactor()
        outside: list[Exchange] = []
        seed = None if self.settings.seed is None else self.settings.seed + index - 1
        settings = self.settings.model_copy(update={"seed": seed})
        client = ChatClient(settings, self.api_key, scrub=redactor, on_exchange=outside.append, sleep=self._sleep)
        simulation = scenario.simulation
        if simulation is None and simulate_customer and not scenario.answers:
            simulation = default_simulation(self.workspace, scenario.procedure)
        try:
            opening: str | None = None
            customer: Agent
            if simulation is not None:
                simulated = SimulatedCustomer(client, simulation, model=self.settings.customer_model)
                opening = await simulated.opening()
                customer = simulated
            else:
                customer = ScriptedAgent(scenario.answers)
            agent = ModelAgent(client, self.workspace, customer, redactor, opening=opening)
            result = await self.runner.play(scenario, agent, self.options(scenario))
            client.on_exchange = outside.append
            verdicts = await judge(
                client, scenario.expect.criteria, result, model=self.settings.judge_model, cache=self.judge_cache
            )
        except Exception as error:  # a model failing before the run (the opening) or a bug: this run only
            return SimulationRun(
                index, None, exchanges=outside, duration_s=time.perf_counter() - started, problem=_why(error), seed=seed
            )
        finally:
            await client.aclose()
        mismatches = compare(scenario.expect, result) + criteria_mismatches(verdicts)
        return SimulationRun(index, result, verdicts, mismatches, outside, time.perf_counter() - started, seed=seed)

    async def run_suite(
        self,
        scenarios: Sequence[Scenario],
        *,
        runs: int,
        jobs: int,
        on_run: Callable[[int, SimulationRun], None] | None = None,
    ) -> list[list[SimulationRun]]:
        """``runs`` runs of each scenario, ``jobs`` at a time over them all; per scenario its runs in index
        order, as one batch (see :func:`~workbench.connectors.mcp.mcp_batch`). ``on_run(position, run)`` hears each
        run as it ends (``position``: the scenario's in the list)."""
        slots = asyncio.Semaphore(max(1, jobs))

        async def one(position: int, index: int) -> SimulationRun:
            async with slots:
                run = await self.run(scenarios[position], index)
            if on_run is not None:
                on_run(position, run)
            return run

        async with mcp_batch(self.workspace.settings.model.limits.max_response_bytes):
            done = await asyncio.gather(
                *(one(position, index) for position in range(len(scenarios)) for index in range(1, runs + 1))
            )
        return [list(done[position * runs : (position + 1) * runs]) for position in range(len(scenarios))]

    def options(self, scenario: Scenario) -> RunOptions:
        """The run options of a simulated run: the scenario's, with the simulation's connector modes (actions
        mocked unless it says ``live``)."""
        return apply_modes(self.runner.options(scenario), self.workspace.connector_models(), scenario)

    def interactive(self, customer: Agent) -> ModelAgent:
        """A model agent for one run in the app, where ``customer`` (the author) answers; close it with ``aclose``."""
        redactor = self._redactor()
        client = ChatClient(self.settings, self.api_key, scrub=redactor, sleep=self._sleep)
        return ModelAgent(client, self.workspace, customer, redactor)

    def _redactor(self) -> Redactor:
        """The filter of one run's prompts, masking with a masker of every secret of the workspace and the API key
        (the run's own masker once it starts, see :meth:`Redactor.share`)."""
        masker = run_masker(
            self.workspace.connector_models(),
            self.workspace.settings.model,
            self.environment,
            also=[self.api_key] if self.api_key else [],
        )
        return Redactor(masker, self._redacted)

    def save(self, file: str | Path, scenario: Scenario, run: SimulationRun) -> tuple[Path, Scenario, list[str]]:
        """Write a simulated run as a scenario that replays offline (the model's messages, decisions and filled
        inputs and the customer's answers recorded; every secret masked), keeping the source's ``simulation``
        and criteria so that ``workbench test --live-agent`` can play it again. Raises ``ValueError`` /
        ``OSError`` as :func:`~workbench.scenarios.recording.save_recording` does."""
        if run.result is None:
            raise ValueError(f"run {run.index} did not run, so it pins no behaviour: {run.problem}")
        options, amend = self.recording(scenario)
        return save_recording(file, self.workspace, scenario.procedure, options, run.result, amend)

    def recording(self, scenario: Scenario) -> tuple[RunOptions, Callable[[Scenario], Scenario]]:
        """The run options and the amendment :func:`~workbench.scenarios.recording.save_recording` takes to write
        a simulated run of ``scenario``: every secret of the environment masked, its simulation and criteria kept,
        and the model's own words left out of ``messages_contain`` (a replay says them verbatim, and a model playing
        again words them anew: the criteria judge those)."""

        def amend(recorded: Scenario) -> Scenario:
            composed = {
                text for said in recorded.messages.values() for text in ([said] if isinstance(said, str) else said)
            }
            expect = recorded.expect.model_copy(
                update={
                    "criteria": list(scenario.expect.criteria),
                    "messages_contain": [text for text in recorded.expect.messages_contain if text not in composed],
                }
            )
            return recorded.model_copy(update={"simulation": scenario.simulation, "expect": expect})

        return replace(self.runner.options(scenario), secrets=self.environment), amend

    async def player(self, scenario: Scenario) -> tuple[RunResult, list[Mismatch]]:
        """A :data:`~workbench.scenarios.runner.Player` for ``workbench test --live-agent``: the model agent plays,
        the scenario's answers are the customer unless it has a ``simulation``, its criteria are judged."""
        run = await self.run(scenario, simulate_customer=False)
        if run.result is None:
            raise RuntimeError(run.problem)
        return run.result, criteria_mismatches(run.verdicts)


def _why(error: Exception) -> str:
    return str(error) if isinstance(error, ModelError) else f"{type(error).__name__}: {error}"

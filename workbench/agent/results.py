"""Results files of ``workbench simulate --results FILE``: every run of every scenario, with the verdicts over
them, as JSON that ``--compare`` reads back.

The document: ``format``, ``version``, ``created``, ``workspace``, ``revision`` (the workspace's git commit, or
``null``), ``models``, ``base_url``, ``pass_rule``, ``k``, and ``scenarios``: per scenario its ``name``,
``file``, ``procedure``, the scenario's tally (:meth:`~workbench.agent.verdicts.Tally.to_json`), each
criterion's, and ``runs``: per run ``index``, ``passed``, ``path``, ``outcome``, ``criteria`` (verdict and
reason), ``problems``, ``tokens``, ``latency_s``, ``seed``, ``calls`` (each connector call, live or mocked) and
``models``. Every secret of the workspace is masked before it is written.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from workbench.agent.simulation import SimulationRun, Summary
from workbench.agent.verdicts import PassRule, Tally
from workbench.connectors import Masker
from workbench.engine.describe import served_by
from workbench.events import ConnectorResponded
from workbench.model import AgentSettings, Scenario
from workbench.outputs import write_output

FORMAT = "workbench-simulation-results"
VERSION = 1


@dataclass
class ScenarioResults:
    """The runs of one scenario (``file``: where it was read from, if anywhere)."""

    scenario: Scenario
    file: str | None
    runs: list[SimulationRun]


def git_revision(root: Path) -> str | None:
    """The commit checked out in ``root``'s git repository (``None``: no git, or not a repository)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = done.stdout.strip()
    return revision if done.returncode == 0 and revision else None


def models(settings: AgentSettings) -> dict[str, str]:
    """The models of each role."""
    return {
        "agent": settings.model,
        "customer": settings.customer_model or settings.model,
        "judge": settings.judge_model or settings.model,
    }


def run_calls(run: SimulationRun) -> list[dict[str, str]]:
    """Each connector call of the run and whether it was ``live`` or ``mocked`` (``cache``: reused)."""
    events = run.result.events if run.result else []
    return [
        {"connector": event.payload.connector, "source": served_by(event.payload.source)}
        for event in events
        if isinstance(event.payload, ConnectorResponded)
    ]


def _run(run: SimulationRun, settings: AgentSettings) -> dict[str, Any]:
    return {
        "index": run.index,
        "passed": run.passed,
        "path": run.path,
        "outcome": run.outcome,
        "criteria": [
            {
                "criterion": verdict.criterion,
                "passed": verdict.passed,
                "reason": verdict.error or verdict.reasoning,
                "cached": verdict.cached,
            }
            for verdict in run.verdicts
        ],
        "problems": ([run.problem] if run.problem else [])
        + [
            f"{mismatch.expectation}: {mismatch.detail}"
            for mismatch in run.mismatches
            if not mismatch.expectation.startswith("criteria > ")
        ],
        "tokens": run.tokens,
        "latency_s": round(run.duration_s, 3),
        "seed": run.seed,
        "calls": run_calls(run),
        "models": models(settings),
    }


def results_document(
    entries: list[ScenarioResults],
    *,
    settings: AgentSettings,
    rule: PassRule,
    k: int,
    workspace: str,
    revision: str | None,
    masker: Masker,
) -> dict[str, Any]:
    """The results file's content, every secret masked."""
    scenarios = []
    for entry in entries:
        summary = Summary.of(entry.runs, name=entry.scenario.name)
        scenarios.append(
            {
                "name": entry.scenario.name,
                "file": entry.file,
                "procedure": entry.scenario.procedure,
                **summary.scenario.to_json(rule, k),
                "criteria": [{"criterion": name, **tally.to_json(rule, k)} for name, tally in summary.criteria.items()],
                "runs": [_run(run, settings) for run in entry.runs],
            }
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "workspace": workspace,
        "revision": revision,
        "models": models(settings),
        "base_url": settings.base_url,
        "pass_rule": str(rule),
        "k": k,
        "scenarios": scenarios,
    }
    masked: dict[str, Any] = masker.mask(document)
    return masked


def write_results(path: Path, document: dict[str, Any]) -> None:
    """Write the results file (atomically, or through a stream such as ``/dev/stdout``; raises ``OSError``)."""
    write_output(path, orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")


@dataclass(frozen=True)
class LoadedScenario:
    """One scenario of a results file, as comparison needs it: its tally, its criteria's, the paths taken."""

    name: str
    tally: Tally
    criteria: dict[str, Tally]
    paths: frozenset[str]


def load_results(path: Path) -> dict[str, LoadedScenario]:
    """The scenarios of a results file by name, their tallies recounted from the runs; raises ``ValueError``
    naming the file and what is wrong, that it cannot be read included."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON: {error}") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot read it: {error.strerror or error}") from None
    return read_results(data, str(path))


def read_results(data: Any, path: str) -> dict[str, LoadedScenario]:
    """:func:`load_results` of a results document already read (``path`` names it in errors)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'{path}: not a workbench simulation results file (no "format": "{FORMAT}")')
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, list):
        raise ValueError(f'{path}: "scenarios" must be a list')
    loaded: dict[str, LoadedScenario] = {}
    for position, entry in enumerate(scenarios):
        where = f"{path}: scenarios[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ValueError(f'{where}: expected an object with a "name"')
        runs = entry.get("runs")
        if not isinstance(runs, list) or not all(_is_run(run) for run in runs):
            raise ValueError(f'{where}: "runs" must be a list of runs with an index, passed, path and criteria')
        judged: dict[str, list[tuple[int, bool]]] = {}
        for run in runs:
            for verdict in run["criteria"]:
                judged.setdefault(str(verdict["criterion"]), []).append((run["index"], bool(verdict["passed"])))
        loaded[entry["name"]] = LoadedScenario(
            entry["name"],
            Tally.of(entry["name"], [(run["index"], bool(run["passed"])) for run in runs]),
            {name: Tally.of(name, outcomes) for name, outcomes in judged.items()},
            frozenset(str(run["path"]) for run in runs),
        )
    return loaded


def _is_run(run: Any) -> bool:
    return (
        isinstance(run, dict)
        and isinstance(run.get("index"), int)
        and isinstance(run.get("passed"), bool)
        and "path" in run
        and isinstance(run.get("criteria"), list)
        and all(isinstance(item, dict) and "criterion" in item and "passed" in item for item in run["criteria"])
    )

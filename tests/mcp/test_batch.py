"""A scenario batch shares one stdio MCP server: ``workbench test`` (and ``ScenarioRunner.run_all``) starts each
server once for all its scenarios, however many run at once, restarts one that went away, and stops every
process when the batch ends; a run on its own still starts and stops its own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from tests.cli.test_simulate_cli import workbench
from tests.engine.build import ROOT, procedure, workspace
from tests.mcp.build import LOOKUP, mcp_connector, stdio_server
from tests.mcp.test_engine import alive, pids
from tests.waiting import wait_until
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.model import Scenario
from workbench.scenarios import ScenarioCase, ScenarioRunner
from workbench.store import Document, Workspace

LOOK = {"id": "a", "type": "instruction", "text": "@call(Lookup order) It is @read(Lookup order > status)."}
CRASH = {
    "id": "a",
    "type": "instruction",
    "text": "@call(Crash)",
    "on_error": [{"id": "sorry", "type": "instruction", "text": "Sorry."}],
}
SLOW = mcp_connector("Slow", "slow", inputs=[{"name": "seconds", "type": "number", "default": 60}])


SHIPPED: dict[str, Any] = {"messages_contain": ["It is shipped."], "errors": []}


def scenario(name: str, procedure_name: str, expect: dict[str, Any]) -> dict[str, Any]:
    """A live scenario of ``procedure_name`` (its MCP tools called on the stdio server)."""
    data = {"name": name, "procedure": procedure_name, "mode": "live", "expect": expect}
    return {**data, "attributes": {"Conversation": {"order": "A-7"}}}


def suite(pid_file: Path, scenarios: list[dict[str, Any]]) -> tuple[Workspace, list[ScenarioCase]]:
    made = workspace(
        [LOOKUP, mcp_connector("Crash", "crash"), SLOW],
        [procedure("Look", LOOK), procedure("Crash", CRASH), procedure("Slow", {**LOOK, "text": "@call(Slow)"})],
        {"mcp_servers": {"orders": stdio_server(env={"MCP_PID_FILE": str(pid_file)})}},
    )
    cases = []
    for index, data in enumerate(scenarios):
        path = ROOT / "scenarios" / f"s{index}.json"
        document = Document("scenario", path, Scenario.model_validate(data))
        made.scenarios[document.name] = document
        cases.append(ScenarioCase(path, document.name, document))
    return made, cases


async def test_a_batch_starts_the_stdio_server_once_and_stops_it_at_its_end(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    made, cases = suite(pid_file, [scenario(f"Look {n}", "Look", SHIPPED) for n in range(6)])
    reports = await ScenarioRunner(made).run_all(cases, jobs=3)
    assert [report.status for report in reports] == ["passed"] * 6, [report.headline for report in reports]
    [pid] = pids(pid_file)
    assert not alive(pid)


async def test_a_server_that_went_away_is_started_anew_for_the_next_scenario(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    made, cases = suite(
        pid_file,
        [
            scenario("Look", "Look", SHIPPED),
            scenario("Crash", "Crash", {"path": ["a", "sorry"]}),
            scenario("Look again", "Look", SHIPPED),
        ],
    )
    reports = await ScenarioRunner(made).run_all(cases, jobs=1)
    assert [report.status for report in reports] == ["passed"] * 3, [report.headline for report in reports]
    started = pids(pid_file)
    assert len(started) == 2 and not any(map(alive, started))


async def test_a_cancelled_batch_still_stops_its_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    made, cases = suite(pid_file, [scenario("Slow", "Slow", {})])
    batch = asyncio.ensure_future(ScenarioRunner(made).run_all(cases))
    await wait_until(lambda: pids(pid_file), what="the server started")
    batch.cancel()
    await asyncio.gather(batch, return_exceptions=True)
    [pid] = pids(pid_file)
    assert not alive(pid)


async def test_a_run_on_its_own_starts_and_stops_its_own_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    made, _ = suite(pid_file, [])
    for _ in range(2):
        options = RunOptions(attributes={"Conversation": {"order": "A-7"}}, mode="live", secrets={})
        result = await run_procedure(made, "Look", ScriptedAgent(), options)
        assert result.error is None, result.error
    started = pids(pid_file)
    assert len(started) == 2 and not any(map(alive, started))


async def test_workbench_test_starts_one_server_process_for_its_scenarios(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    root = tmp_path / "desk"
    for folder in ("connectors", "procedures", "scenarios"):
        (root / folder).mkdir(parents=True)
    server = {**stdio_server(env={"MCP_PID_FILE": str(pid_file)}), "cwd": str(Path.cwd())}
    (root / "workbench.json").write_bytes(orjson.dumps({"mcp_servers": {"orders": server}}))
    (root / "connectors" / "lookup-order.json").write_bytes(orjson.dumps(LOOKUP))
    (root / "procedures" / "look.json").write_bytes(orjson.dumps(procedure("Look", LOOK)))
    for n in range(4):
        data = scenario(f"Look {n}", "Look", SHIPPED)
        (root / "scenarios" / f"look-{n}.json").write_bytes(orjson.dumps(data))
    code, out, err = await workbench("test", root, "-j", "2")
    assert code == 0 and "4 passed" in out, out + err
    [pid] = pids(pid_file)
    assert not alive(pid)

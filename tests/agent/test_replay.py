"""A simulation saved as a scenario replays offline; ``test --live-agent`` plays it with the model again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.agent.chat_server import ChatServer, tool
from tests.agent.desk import SECRET, SECRETS, happy_path, says, write_desk
from workbench.agent.simulation import Simulator
from workbench.model import Scenario
from workbench.scenarios import ScenarioRunner, collect_cases
from workbench.store import load_workspace

SOURCE: dict[str, Any] = {
    "name": "Where is my order",
    "procedure": "Help",
    "simulation": {"persona": "Ada", "goal": "know where order ORD-7 is", "facts": {"order_id": "ORD-7"}},
    "expect": {"criteria": ["the customer gets the tracking number", "the agent is polite"]},
}


async def simulate_and_save(root: Path, **source: Any) -> tuple[Path, dict[str, Any]]:
    workspace = load_workspace(write_desk(root))
    scenario = Scenario.model_validate({**SOURCE, **source})
    async with ChatServer(happy_path()) as server:
        simulator = Simulator(workspace, server.settings(), secrets=SECRETS)
        run = await simulator.run(scenario)
        path, _, _ = simulator.save("where-is-my-order", scenario, run)
    assert run.passed, run.mismatches
    return path, orjson.loads(path.read_bytes())


async def test_a_saved_simulation_records_what_the_models_did(tmp_path: Path) -> None:
    path, saved = await simulate_and_save(tmp_path)
    assert path == tmp_path / "scenarios" / "where-is-my-order.json"
    assert saved["messages"] == {
        "lookup": "Model says (lookup)",
        "thanks": "Model says (thanks)",
        "bye": "Model says (bye)",
    }
    assert saved["decisions"] == {"mood": 1}
    assert saved["answers"] == {"Get order > order_id": "ORD-7", "reason": "Nothing else, thanks!"}
    assert saved["simulation"]["facts"] == {"order_id": "ORD-7"}
    assert saved["expect"]["criteria"] == SOURCE["expect"]["criteria"]
    assert saved["expect"]["path"] == ["lookup", "mood", "thanks", "reason", "extra", "bye", "done"]
    assert saved["expect"]["messages_contain"] == []  # the model's words are replayed, not pinned
    assert SECRET not in path.read_text()


async def test_the_saved_simulation_replays_offline_with_no_model(tmp_path: Path) -> None:
    await simulate_and_save(tmp_path)  # the chat server is gone from here on
    workspace = load_workspace(tmp_path)
    [case] = collect_cases(workspace)
    report = await ScenarioRunner(workspace).run(case)
    assert report.status == "passed", report.explanation()
    result = report.result
    assert result is not None and result.messages[0] == "Model says (lookup)"
    assert not [event for event in result.events if event.type == "agent_exchange"]


async def test_a_replay_notices_a_changed_procedure(tmp_path: Path) -> None:
    await simulate_and_save(tmp_path)
    procedure_file = tmp_path / "procedures" / "Help.json"
    data = orjson.loads(procedure_file.read_bytes())
    data["steps"][-1]["outcome"] = "handoff"
    procedure_file.write_bytes(orjson.dumps(data))
    workspace = load_workspace(tmp_path)
    [case] = collect_cases(workspace)
    report = await ScenarioRunner(workspace).run(case)
    assert report.status == "failed" and report.headline.startswith("outcome: the run ended handoff")


async def test_recorded_messages_must_name_instruction_steps(tmp_path: Path) -> None:
    path, saved = await simulate_and_save(tmp_path)
    saved["messages"]["mood"] = "not a message step"
    saved["simulation"]["mood"] = "unknown key"
    path.write_bytes(orjson.dumps(saved))
    workspace = load_workspace(tmp_path)
    [case] = collect_cases(workspace)
    report = await ScenarioRunner(workspace).run(case)
    assert report.status == "error"
    assert any("messages: 'mood' is a condition step" in problem for problem in report.problems)
    assert any("simulation.mood: unknown key" in problem for problem in report.problems)


async def test_live_agent_judges_criteria_as_expectations(tmp_path: Path) -> None:
    await simulate_and_save(tmp_path)
    workspace = load_workspace(tmp_path)
    [case] = collect_cases(workspace)
    roles = happy_path()
    roles.scripts["message"] = [says("This time the model says")]
    roles.scripts["judge"] = [
        tool("verdict", {"passed": True, "reasoning": "TRK-42 was given"}),
        tool("verdict", {"passed": False, "reasoning": "the agent never greeted the customer"}),
    ]
    async with ChatServer(roles) as server:
        simulator = Simulator(workspace, server.settings(), secrets=SECRETS)
        report = await ScenarioRunner(workspace, player=simulator.player).run(case)
    assert report.status == "failed"
    [mismatch] = report.mismatches
    assert mismatch.expectation == "criteria > the agent is polite"
    assert mismatch.detail == "the agent never greeted the customer"
    assert len(roles.seen["judge"]) == 2 and "decision" in roles.seen

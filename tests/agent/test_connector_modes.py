"""Per-connector modes in simulations: actions mocked by default, ``live``, ``block``; files stay byte-stable."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.engine.build import connector, procedure, workspace
from workbench.agent.connector_modes import apply_modes, connector_modes, describe_modes
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.model import Scenario
from workbench.store import Document, load_document, save_document

READ = connector("Get order", {"status": "shipped"}, response={"mode": "live", "example": {"body": {"s": 1}}})
ACTION = connector("Issue refund", {"ok": True}, kind="action")


def scenario(**simulation: object) -> Scenario:
    return Scenario.model_validate(
        {"name": "S", "procedure": "Refund", "mode": "live", "simulation": {"goal": "refund", **simulation}}
    )


def test_actions_are_mocked_unless_the_simulation_says_otherwise() -> None:
    made = workspace([READ, ACTION], [])
    connectors = made.connector_models()
    assert connector_modes(connectors, scenario()) == {"Issue refund": ("mock", True)}
    assert describe_modes(connector_modes(connectors, scenario())) == "mocked: Issue refund (action)"
    said = connector_modes(connectors, scenario(connectors={"Issue refund": "live", "Get order": "block"}))
    assert said == {"Issue refund": ("live", False), "Get order": ("block", False)}
    options = apply_modes(RunOptions(mode="live"), connectors, scenario())
    assert options.modes == {"Issue refund": "example"} and options.blocked == frozenset()
    options = apply_modes(RunOptions(mocks={}), connectors, scenario(connectors={"Get order": "live"}), {"K": "v"})
    assert options.modes == {"Get order": "live", "Issue refund": "example"} and options.secrets == {"K": "v"}


async def test_a_blocked_connector_fails_the_run_even_under_on_error() -> None:
    step = {
        "id": "look",
        "type": "instruction",
        "text": "@call(Get order)",
        "on_error": [{"id": "sorry", "type": "end", "outcome": "handoff"}],
    }
    made = workspace([READ], [procedure("Refund", step, {"id": "done", "type": "end", "outcome": "resolved"})])
    options = RunOptions(blocked=frozenset({"Get order"}))
    result = await run_procedure(made, "Refund", ScriptedAgent({}), options)
    assert result.outcome == "failed" and result.error is not None and result.error.reason == "blocked"
    assert result.error.message.startswith("Get order is blocked in this simulation")
    assert "connector_called" not in [event.type for event in result.events]


def test_a_simulation_without_connector_modes_round_trips_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    raw = orjson.dumps(
        {"name": "S", "procedure": "P", "simulation": {"goal": "g", "persona": "p"}}, option=orjson.OPT_INDENT_2
    )
    path.write_bytes(raw + b"\n")
    loaded = load_document(path, "scenario")
    save_document(Document("scenario", path, loaded.model))
    first = path.read_bytes()
    save_document(Document("scenario", path, load_document(path, "scenario").model))
    assert path.read_bytes() == first and b"connectors" not in first
    with_modes = loaded.model.model_copy(
        update={"simulation": loaded.model.simulation.model_copy(update={"connectors": {"X": "block"}})}
    )
    save_document(Document("scenario", path, with_modes))
    assert orjson.loads(path.read_bytes())["simulation"]["connectors"] == {"X": "block"}

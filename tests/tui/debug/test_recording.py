"""Recording a debugger run as a scenario: edits made while paused are kept, and the scenario replays."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quick_pilot import quick_test
from tests.tui.debug.harness import DebugApp, answer, edit, finished, state
from tests.waiting import wait_until
from workbench.editing.recording import record_debug_run
from workbench.model import Scenario
from workbench.scenarios import ScenarioCase, ScenarioReport, ScenarioRunner
from workbench.store import Document


async def test_a_run_with_edits_and_answers_replays_as_a_scenario(brisk_desk: Path) -> None:
    app = DebugApp(brisk_desk, "Cancel subscription")
    async with quick_test(app, size=(100, 40)) as pilot:
        await pilot.press("f10")
        await wait_until(lambda: state(app.view) == "paused", pilot)
        await edit(pilot, app.view, ("User", "email"), "ada@example.com")
        await pilot.press("f5")
        await answer(pilot, app.view, "The customer would stay for a discount", "no")
        await answer(pilot, app.view, "Conversation > cancellation_reason", "Moving abroad")
        await finished(pilot, app.view)
        debug_run = app.view.debug_run
        assert debug_run is not None
        scenario, notes = record_debug_run(debug_run, "Cancel while moving abroad", secrets={})
    assert notes == []
    assert scenario.attributes == {"User": {"email": "ada@example.com"}}
    assert scenario.answers == {"reason": "Moving abroad"} and scenario.decisions == {"state": "else"}
    assert scenario.expect.path == ["lookup", "state", "reason", "cancel", "done"]
    assert scenario.expect.outcome == "resolved"
    report = await replays(app, scenario)
    assert report.passed, report.explanation()


async def replays(app: DebugApp, scenario: Scenario) -> ScenarioReport:
    case = ScenarioCase(Path("recorded.json"), scenario.name, Document("scenario", Path("recorded.json"), scenario))
    return await ScenarioRunner(app.workspace).run(case)


async def test_an_edited_response_is_mocked_as_the_later_steps_saw_it_and_a_stopped_run_is_not_recorded(
    brisk_desk: Path,
) -> None:
    """A response edited while paused is mocked in the scenario as the later steps saw it, and the scenario
    replays; a run stopped is not recorded (one debug view: two tests once, each starting it)."""
    app = DebugApp(brisk_desk, "Order status")
    async with quick_test(app, size=(100, 40)) as pilot:
        app.view.toggle_breakpoint("Order status", "big-order")
        await pilot.press("f5")
        await wait_until(lambda: state(app.view) == "paused", pilot)
        await edit(pilot, app.view, ("Temporary attributes", "Get orders", "status"), "cancelled")
        await pilot.press("f5")
        await finished(pilot, app.view)
        scenario, notes = record_debug_run(app.view.debug_run, "Edited", secrets={})
        report = await replays(app, scenario)

        await pilot.press("f10")
        await wait_until(lambda: state(app.view) == "paused", pilot)
        await pilot.press("shift+f5")
        await finished(pilot, app.view)
        with pytest.raises(ValueError, match="stopped"):
            record_debug_run(app.view.debug_run, "Stopped", secrets={})
    assert notes == [] and scenario.expect.outcome == "handoff" and scenario.attributes == {}
    assert scenario.mocks["Get orders"].body["status"] == "cancelled"
    assert "processing" not in scenario.expect.messages_contain  # said before the edit: the replay says cancelled
    assert report.passed, report.explanation()

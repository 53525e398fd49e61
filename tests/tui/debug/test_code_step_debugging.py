"""Debugging a code step: a breakpoint pauses before it, F10 runs it, and the Context tab shows its outputs under
its name; the run log has its code_ran line."""

from __future__ import annotations

from pathlib import Path

from tests.quick_pilot import quick_test
from tests.scenarios.refund_desk import write_refund_procedure
from tests.tui.debug.harness import DebugApp, find, finished, state
from tests.waiting import wait_until


async def test_stepping_over_a_code_step_shows_its_outputs_in_the_context(desk_copy: Path) -> None:
    write_refund_procedure(desk_copy)
    app = DebugApp(desk_copy, "Partial refund")
    async with quick_test(app, size=(140, 40)) as pilot:
        app.selected = "compute"
        await pilot.press("f9")
        await pilot.press("f5")
        view = app.view
        # The pause is drawn before the app hears which step it reached: wait for both, not one then the other.
        await wait_until(lambda: state(view) == "paused" and app.reached[-1:] == [("Partial refund", "compute")], pilot)
        await pilot.press("f10")
        await wait_until(lambda: app.reached[-1:] == [("Partial refund", "offer")], pilot, what="the pause after it")
        fee = await find(pilot, view.context_inspector.tree, ("Temporary attributes", "Refund", "breakdown", "fee"))
        assert str(fee.label) == 'fee: "9.75"'
        assert any(event.type == "code_ran" for event in view.run_log.events)
        await pilot.press("f5")
        await finished(pilot, view)

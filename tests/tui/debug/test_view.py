"""Real runs of the support desk under the debug view: breakpoints, stepping, editing the context, answering
the customer, stopping, and connector errors."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TabbedContent

from tests.quick_pilot import quick_test
from tests.tui.debug.harness import DebugApp, answer, edit, finished, state, status
from tests.waiting import wait_until
from workbench.tui.debug import EventDetail


async def test_breakpoints_steps_stops_answers_and_a_connector_error_in_one_view(brisk_desk: Path) -> None:
    """One debug view, run after run (four tests once, each starting it; each run starts a clear log and
    conversation):

    - a breakpoint pauses before its step, F10 steps (to the customer's question, then on, paused);
    - Shift+F5 ends a paused run, and a run waiting for the customer (its question no longer asked);
    - the customer answers a collect step in the conversation (an answer that is no choice asked again);
    - a connector's error (the billing system timing out) fails the run, shown in the log, without a crash."""
    app = DebugApp(brisk_desk, "Cancel subscription")
    async with quick_test(app, size=(100, 40)) as pilot:
        app.selected = "state"
        await pilot.press("f9")
        assert app.view.breakpoints == {"Cancel subscription": {"state"}}
        await pilot.press("f5")
        await wait_until(lambda: app.reached and app.reached[-1] == ("Cancel subscription", "state"), pilot)
        assert state(app.view) == "paused"
        assert status(app.view).startswith("paused before state (breakpoint)")
        assert [event.type for event in app.view.run_log.events][-1] == "paused"
        await pilot.press("f10")
        await wait_until(lambda: state(app.view) == "asking", pilot)
        assert app.view.query_one(TabbedContent).active == "conversation"
        await pilot.press(*"no", "enter")
        await wait_until(lambda: app.reached[-1] == ("Cancel subscription", "reason"), pilot)
        assert state(app.view) == "paused"

        await pilot.press("shift+f5")  # paused
        await finished(pilot, app.view)
        assert app.view.debug_run.result.outcome == "stopped"
        assert app.reached[-1] == (None, None)
        await pilot.press("f9")  # the breakpoint off: on to the question
        await pilot.press("f5")
        await wait_until(lambda: state(app.view) == "asking", pilot)
        await pilot.press("shift+f5")  # waiting for the customer
        await finished(pilot, app.view)
        assert app.view.debug_run.result.outcome == "stopped"
        assert not app.view.conversation.has_class("-asking")

        await pilot.press("f5")  # the customer answers
        await answer(pilot, app.view, "The customer would stay for a discount", "maybe")
        await wait_until(
            lambda: "answer yes or no" in str(app.view.conversation.transcript.children[-1].render()), pilot
        )
        assert state(app.view) == "asking"
        await answer(pilot, app.view, "The customer would stay for a discount", "no")
        await answer(pilot, app.view, "Conversation > cancellation_reason", "Too expensive")
        await finished(pilot, app.view)
        result = app.view.debug_run.result
        assert result is not None and result.outcome == "resolved"
        assert result.context.attributes["Conversation"]["cancellation_reason"] == "Too expensive"
        chat = [str(line.render()) for line in app.view.conversation.transcript.children]
        assert "Customer\nToo expensive" in chat
        assert "Decided: The customer would stay for a discount → no" in chat

        await pilot.press("f10")
        await wait_until(lambda: state(app.view) == "paused", pilot)
        await edit(pilot, app.view, ("User", "email"), "timeout@example.com")
        await pilot.press("f5")
        await finished(pilot, app.view)
        assert app.view.debug_run.result.outcome == "failed"
        assert status(app.view).startswith("finished: failed: Get subscription: no complete response")
        app.view.query_one(TabbedContent).active = "run-log"
        app.view.query_one("#log-filter", Input).focus()
        await pilot.press(*"error")
        await pilot.pause()
        log = app.view.run_log
        assert log.row_count == 1 and log.event_at(0).payload.reason == "timeout"
        log.focus()
        await pilot.press("down")
        await pilot.pause()
        shown = app.view.query_one(EventDetail).event
        assert shown is not None and shown.type == "error" and shown.payload.connector == "Get subscription"


async def test_editing_the_context_changes_the_branch(brisk_desk: Path) -> None:
    app = DebugApp(brisk_desk, "Order status")
    async with quick_test(app, size=(100, 40)) as pilot:
        app.selected = "big-order"
        await pilot.press("f9", "f5")
        await wait_until(lambda: state(app.view) == "paused", pilot)
        await edit(pilot, app.view, ("Temporary attributes", "Get orders", "status"), "cancelled")
        edited = [event for event in app.view.run_log.events if event.payload.to_json().get("edited")]
        assert edited and edited[-1].payload.attributes == {"Get orders > status": "cancelled"}
        await pilot.press("f5")
        await finished(pilot, app.view)
        result = app.view.debug_run.result
        assert result is not None and result.outcome == "handoff"
        assert app.paths[-1] == [("Order status", step) for step in ("lookup", "big-order", "cancelled-handoff")]
        assert status(app.view).startswith("finished: handoff")


async def test_a_breakpoint_belongs_to_its_procedure(brisk_desk: Path) -> None:
    app = DebugApp(brisk_desk, "Refund request")
    async with quick_test(app, size=(100, 40)) as pilot:
        app.view.toggle_breakpoint("Order status", "lookup")
        app.view.toggle_breakpoint("Refund eligibility", "refund")
        await pilot.press("f5")
        await answer(pilot, app.view, "Verify identity > postcode", "22201")
        await wait_until(lambda: app.reached and app.reached[-1][0] is not None, pilot)
        assert app.reached[-1] == ("Refund eligibility", "refund")
        await pilot.press("f5")
        await finished(pilot, app.view)
        assert app.view.debug_run.result.outcome == "resolved"
        assert ("Refund request", "lookup") in app.paths[-1]

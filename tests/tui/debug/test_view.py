"""Real runs of the support desk under the debug view: breakpoints, stepping, editing the context, answering
the customer, stopping, and connector errors."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from tests.conftest import SUPPORT_DESK
from tests.tui.debug.harness import DebugApp, wait_until
from tests.tui.debug.test_context_inspector import select
from workbench.tui.debug import EventDetail


def status(app: DebugApp) -> str:
    return str(app.view.run_bar.query_one("#run-status").render())


def state(app: DebugApp) -> str | None:
    return app.view.session.state if app.view.session is not None else None


async def finished(pilot: Pilot[None], app: DebugApp, timeout: float = 5.0) -> None:
    """Wait until the view has taken in the end of the run."""
    await wait_until(pilot, lambda: status(app).startswith("finished"), timeout)
    await pilot.pause()


def asked(app: DebugApp) -> str | None:
    """What the conversation pane is asking: an input's name or a decision's text."""
    request = app.view.conversation.request
    return None if request is None else getattr(request, "name", None) or getattr(request, "describe", None)


async def answer(pilot: Pilot[None], app: DebugApp, question: str, text: str) -> None:
    """Wait for ``question``, then type ``text`` into the reply field."""
    await wait_until(pilot, lambda: asked(app) == question)
    app.view.conversation.query_one("#reply", Input).focus()
    await pilot.press(*text, "enter")


async def edit(pilot: Pilot[None], app: DebugApp, key: tuple[str, ...], value: str) -> None:
    """Edit a context value in the Context tab (e, the new value, Enter)."""
    app.view.query_one(TabbedContent).active = "context"
    inspector = app.view.context_inspector
    await select(pilot, inspector, key)
    await pilot.press("e")
    inspector.query_one("#context-edit", Input).value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_a_breakpoint_pauses_and_f10_steps() -> None:
    app = DebugApp(SUPPORT_DESK, "Cancel subscription")
    async with app.run_test(size=(100, 40)) as pilot:
        app.selected = "state"
        await pilot.press("f9")
        assert app.view.breakpoints == {"Cancel subscription": {"state"}}
        await pilot.press("f5")
        await wait_until(pilot, lambda: app.reached and app.reached[-1] == ("Cancel subscription", "state"))
        assert state(app) == "paused"
        assert status(app).startswith("paused before state (breakpoint)")
        assert [event.type for event in app.view.run_log.events][-1] == "paused"
        await pilot.press("f10")
        await wait_until(pilot, lambda: state(app) == "asking")
        assert app.view.query_one(TabbedContent).active == "conversation"
        await pilot.press(*"no", "enter")
        await wait_until(pilot, lambda: app.reached[-1] == ("Cancel subscription", "reason"))
        assert state(app) == "paused"


async def test_editing_the_context_changes_the_branch() -> None:
    app = DebugApp(SUPPORT_DESK, "Order status")
    async with app.run_test(size=(100, 40)) as pilot:
        app.selected = "big-order"
        await pilot.press("f9", "f5")
        await wait_until(pilot, lambda: state(app) == "paused")
        await edit(pilot, app, ("Temporary attributes", "Get orders", "status"), "cancelled")
        edited = [event for event in app.view.run_log.events if event.data.get("edited")]
        assert edited and edited[-1].data["attributes"] == {"Get orders > status": "cancelled"}
        await pilot.press("f5")
        await finished(pilot, app)
        result = app.view.session.result
        assert result is not None and result.outcome == "handoff"
        assert app.paths[-1] == [("Order status", step) for step in ("lookup", "big-order", "cancelled-handoff")]
        assert status(app).startswith("finished: handoff")


async def test_the_customer_answers_a_collect_step_in_the_conversation() -> None:
    app = DebugApp(SUPPORT_DESK, "Cancel subscription")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await answer(pilot, app, "The customer would stay for a discount", "maybe")
        await wait_until(pilot, lambda: "answer yes or no" in str(app.view.conversation.transcript.children[-1].render()))
        assert state(app) == "asking"
        await answer(pilot, app, "The customer would stay for a discount", "no")
        await answer(pilot, app, "Conversation > cancellation_reason", "Too expensive")
        await finished(pilot, app)
        result = app.view.session.result
        assert result is not None and result.outcome == "resolved"
        assert result.context.attributes["Conversation"]["cancellation_reason"] == "Too expensive"
        chat = [str(line.render()) for line in app.view.conversation.transcript.children]
        assert "Customer\nToo expensive" in chat
        assert "Decided: The customer would stay for a discount → no" in chat


async def test_stop_ends_a_paused_or_waiting_run() -> None:
    app = DebugApp(SUPPORT_DESK, "Cancel subscription")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.reached and app.reached[-1] == ("Cancel subscription", "lookup"))
        await pilot.press("shift+f5")
        await finished(pilot, app)
        assert app.view.session.result.outcome == "stopped"
        assert app.reached[-1] == (None, None)
        await pilot.press("f5")
        await wait_until(pilot, lambda: state(app) == "asking")
        await pilot.press("shift+f5")
        await finished(pilot, app)
        assert app.view.session.result.outcome == "stopped"
        assert not app.view.conversation.has_class("-asking")


async def test_a_connector_error_shows_in_the_log_without_a_crash() -> None:
    app = DebugApp(SUPPORT_DESK, "Cancel subscription")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: state(app) == "paused")
        await edit(pilot, app, ("User", "email"), "timeout@example.com")
        await pilot.press("f5")
        await finished(pilot, app, timeout=10)
        assert app.view.session.result.outcome == "failed"
        assert status(app).startswith("finished: failed: Get subscription: no complete response")
        app.view.query_one(TabbedContent).active = "run-log"
        app.view.query_one("#log-filter", Input).focus()
        await pilot.press(*"error")
        await pilot.pause()
        log = app.view.run_log
        assert log.row_count == 1 and log.event_at(0).data["reason"] == "timeout"
        log.focus()
        await pilot.press("down")
        await pilot.pause()
        shown = app.view.query_one(EventDetail).event
        assert shown is not None and shown.type == "error" and shown.data["connector"] == "Get subscription"


async def test_a_breakpoint_belongs_to_its_procedure() -> None:
    app = DebugApp(SUPPORT_DESK, "Refund request")
    async with app.run_test(size=(100, 40)) as pilot:
        app.view.toggle_breakpoint("Order status", "lookup")
        app.view.toggle_breakpoint("Refund eligibility", "refund")
        await pilot.press("f5")
        await answer(pilot, app, "Verify identity > postcode", "22201")
        await wait_until(pilot, lambda: app.reached and app.reached[-1][0] is not None)
        assert app.reached[-1] == ("Refund eligibility", "refund")
        await pilot.press("f5")
        await finished(pilot, app)
        assert app.view.session.result.outcome == "resolved"
        assert ("Refund request", "lookup") in app.paths[-1]

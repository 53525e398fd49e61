"""The harness's record of notices keeps what the app's own list drops (a notice timed out, or cleared)."""

from __future__ import annotations

from textual.app import App

from tests.quick_pilot import quick_test
from tests.tui.conftest import record_notices, told


async def test_a_notice_gone_from_the_screen_is_still_told() -> None:
    app: App[None] = App()
    record_notices(app)
    async with quick_test(app) as pilot:
        app.notify("order-status.json was deleted on disk.", timeout=5)
        app.notify("second", title="Another")
        app.clear_notifications()  # what a timeout does, sooner than a busy machine lets a test look
        await pilot.pause()
        assert told(app) == "order-status.json was deleted on disk.\nsecond"

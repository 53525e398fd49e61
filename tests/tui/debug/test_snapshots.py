"""Snapshots of the debug view paused in a real run (timings come from a fake clock, so they do not vary)."""

from __future__ import annotations

import re

import pytest
from rich.style import Style
from textual.color import Color
from textual.pilot import Pilot

from tests.conftest import SUPPORT_DESK
from tests.tui.conftest import THEMES, Snapshot, other_theme, screen_text, segment_style, theme_variables
from tests.tui.debug.harness import DebugApp, FakeClock
from tests.waiting import wait_until
from workbench.tui.colours import Palette, palette


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbench.engine.recorder.time", FakeClock())
    monkeypatch.setattr("workbench.connectors.mock.time", FakeClock())


@pytest.mark.parametrize("theme", THEMES)
def test_paused_at_a_breakpoint_with_a_response_selected(snapshot: Snapshot, fake_clock: None, theme: str) -> None:
    app = DebugApp(SUPPORT_DESK, "Order status")
    app.theme = theme
    shown: dict[str, Style] = {}

    async def pause_and_select(pilot: Pilot[None]) -> None:
        app.selected = "big-order"
        await pilot.press("f9", "f5")
        await wait_until(lambda: app.reached and app.reached[-1][1] == "big-order", pilot)
        app.view.run_log.focus()
        await pilot.press("home", "down", "down", "down")
        await wait_until(lambda: "connector_responded" in screen_text(app), pilot, what="the response's detail")
        log = app.view.run_log
        shown.update(step=segment_style(log, "step lookup"), paused=segment_style(log, "paused before big-order"))

    matches, screen = snapshot(app, (100, 40), pause_and_select)
    assert "paused before big-order (breakpoint)" in screen
    assert re.search(r"connector_responded +#4 at 0\.004s", screen) and '"order_id": "ORD-1001"' in screen
    # The log in the theme's colours, not the other theme's: steps in its primary, the pause reversed in its accent.
    colours, others = palette(app), Palette(theme_variables(other_theme(theme)))
    step, paused = (Color.from_rich_color(shown[row].color) for row in ("step", "paused"))
    assert step == Color.parse(theme_variables(theme)["text-primary"]) != others.colour("primary")
    assert shown["paused"].reverse and paused == colours.colour("accent") != others.colour("accent")
    assert matches

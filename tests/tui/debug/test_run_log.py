"""The run log: ingesting, filtering by type, selecting, and rendering only what is visible."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.events import json_event
from tests.quick_pilot import quick_test
from workbench.engine import Event
from workbench.tui.debug import run_log as run_log_module
from workbench.tui.debug.run_log import RunLog, event_text, parse_filter


def events(count: int) -> list[Event]:
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("step_started", {"procedure": "P", "step": "s", "step_type": "instruction"}),
        ("message", {"procedure": "P", "step": "s", "text": "hello", "reads": {}}),
        ("error", {"procedure": "P", "step": "s", "reason": "timeout", "message": "too slow"}),
    ]
    return [json_event(seq, seq / 1000, *kinds[seq % 3]) for seq in range(1, count + 1)]


class LogApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[Event] = []

    def compose(self) -> ComposeResult:
        yield RunLog()

    def on_run_log_event_selected(self, message: RunLog.EventSelected) -> None:
        self.selected.append(message.event)


def test_parse_filter_splits_included_and_excluded_words() -> None:
    assert parse_filter("Connector, error -attributes -") == (("connector", "error"), ("attributes",))


def test_event_text_shows_time_depth_and_description() -> None:
    event = json_event(3, 1.5, "message", {"procedure": "P", "step": "s", "text": "Your order shipped", "reads": {}})
    assert event_text(event, depth=2).plain == "   1.500s     says: Your order shipped"


async def test_filter_keeps_matching_types_and_the_selection() -> None:
    app = LogApp()
    async with quick_test(app) as pilot:
        log = app.query_one(RunLog)
        log.add_events(events(30))
        log.focus()
        await pilot.press("home", "down")
        assert log.selected is not None and log.selected.seq == 2 and log.selected.type == "error"
        log.set_filter("error")
        assert log.row_count == 10
        assert {log.event_at(row).type for row in range(log.row_count)} == {"error"}
        assert log.selected is not None and log.selected.seq == 2
        log.set_filter("-error -message")
        assert {log.event_at(row).type for row in range(log.row_count)} == {"step_started"}
        assert log.selected is None
        log.add_events(events(33)[30:])
        assert log.row_count == 11
        log.set_filter("")
        assert log.row_count == 33


async def test_cursor_posts_the_selected_event() -> None:
    app = LogApp()
    async with quick_test(app) as pilot:
        log = app.query_one(RunLog)
        log.add_events(events(5))
        log.focus()
        await pilot.press("up")
        await pilot.press("up")
        await pilot.pause()
        assert [event.seq for event in app.selected] == [5, 4]
        await pilot.press("home")
        await pilot.pause()
        assert app.selected[-1].seq == 1


async def test_only_visible_rows_are_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[int] = []

    def counting(event: Event, depth: int = 0, **style):
        rendered.append(event.seq)
        return event_text(event, depth, **style)

    monkeypatch.setattr(run_log_module, "event_text", counting)
    app = LogApp()
    async with quick_test(app, size=(80, 24)) as pilot:
        log = app.query_one(RunLog)
        arriving = events(20_000)  # made once: making them 20 times over was most of this test's time
        for start in range(0, 20_000, 1_000):
            log.add_events(arriving[start : start + 1_000])
        await pilot.pause()
        assert log.row_count == 20_000
        assert log.is_vertical_scroll_end
        assert 0 < len(rendered) <= 3 * 24
        assert min(rendered) > 20_000 - 3 * 24


async def test_clear_forgets_everything() -> None:
    app = LogApp()
    async with quick_test(app) as pilot:
        log = app.query_one(RunLog)
        log.add_events(events(10))
        log.cursor = 2
        log.clear()
        await pilot.pause()
        assert log.row_count == 0 and log.selected is None

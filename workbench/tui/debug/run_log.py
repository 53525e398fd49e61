"""The run log: one line per engine event, colour-coded by type, with its time; filterable by type; a cursor
picks the event whose detail is shown.

Only the rows on screen are rendered (Textual's Line API): ingesting an event appends a reference to a list,
so a log of tens of thousands of events stays smooth.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import textual.events
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.engine import Event
from workbench.engine.describe import describe
from workbench.tui.colours import Palette, on_theme_change, palette
from workbench.visible import literal

EVENT_STYLES: dict[str, str] = {
    "run_started": "bold",
    "step_started": "bold primary",
    "connector_called": "secondary",
    "connector_responded": "secondary",
    "token_requested": "muted",
    "token_received": "muted",
    "connector_redirected": "secondary",
    "attributes_available": "muted",
    "condition_evaluated": "accent",
    "message": "success",
    "input_requested": "italic success",
    "input_received": "italic success",
    "subprocedure_entered": "italic primary",
    "subprocedure_exited": "italic primary",
    "agent_exchange": "italic secondary",
    "warning": "bold warning",
    "error": "bold error",
    "paused": "bold reverse accent",
    "run_finished": "bold reverse",
}
"""The style of each event type in the log (and its detail's heading), as roles of :mod:`workbench.tui.colours`."""


def event_style(event_type: str, colours: Palette) -> Style:
    """The style of an event type under a theme's palette."""
    return colours.style(EVENT_STYLES.get(event_type, ""))


def event_text(event: Event, depth: int = 0, *, colours: Palette | None = None) -> Text:
    """An event as the log shows it: its time, indentation by sub-procedure depth, and what happened.

    Coloured by ``colours`` (the theme's palette); plain without it."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append_text(literal(f"{event.t:8.3f}s ", colours.style("muted") if colours else ""))
    text.append_text(literal("  " * depth))
    text.append_text(literal(describe(event), event_style(event.type, colours) if colours else ""))
    return text


def parse_filter(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Filter text as (included, excluded) type fragments: ``connector error -attributes``."""
    terms = text.replace(",", " ").lower().split()
    included = tuple(term for term in terms if not term.startswith("-"))
    excluded = tuple(term[1:] for term in terms if term.startswith("-") and len(term) > 1)
    return included, excluded


class RunLog(ScrollView, can_focus=True):
    """The events of a run, newest last; follows the end while it is scrolled there."""

    COMPONENT_CLASSES = {"run-log--cursor"}
    DEFAULT_CSS = """
    RunLog {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        & > .run-log--cursor { background: $accent 40%; }
        &:focus > .run-log--cursor { background: $accent; color: $text; }
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous", show=False, id="run_log.previous"),
        Binding("down", "cursor(1)", "Next", show=False, id="run_log.next"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="run_log.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="run_log.page_down"),
        Binding("home", "first", "First", show=False, id="run_log.first"),
        Binding("end", "last", "Last", show=False, id="run_log.last"),
    ]

    cursor: reactive[int | None] = reactive(None, init=False)
    """The selected row (an index into the rows shown), or ``None``."""

    class EventSelected(Message):
        """The cursor moved onto an event."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._events: list[Event] = []
        self._depths = array("B")
        self._depth = 0
        self._rows: array[int] | None = None
        self._filter: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(1024)

    # -- content --------------------------------------------------------------------------------------------------

    @property
    def events(self) -> Sequence[Event]:
        """Every event received, filtered out or not."""
        return self._events

    @property
    def row_count(self) -> int:
        """How many events pass the filter."""
        return len(self._events) if self._rows is None else len(self._rows)

    def event_at(self, row: int) -> Event:
        """The event shown on ``row``."""
        return self._events[row if self._rows is None else self._rows[row]]

    @property
    def selected(self) -> Event | None:
        """The event under the cursor."""
        return None if self.cursor is None else self.event_at(self.cursor)

    def add_events(self, new: Sequence[Event]) -> None:
        """Append events (cheap: nothing is rendered until it scrolls into view)."""
        if not new:
            return
        following = self.is_vertical_scroll_end
        start = len(self._events)
        self._events.extend(new)
        for event in new:
            if event.type == "subprocedure_exited":
                self._depth = max(0, self._depth - 1)
            self._depths.append(min(self._depth, 255))
            if event.type == "subprocedure_entered":
                self._depth += 1
        if self._rows is not None:
            self._rows.extend(index for index in range(start, len(self._events)) if self._passes(self._events[index]))
        self._resize()
        if following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def clear(self) -> None:
        """Forget every event (a new run starts)."""
        self._events.clear()
        self._depths = array("B")
        self._depth = 0
        if self._rows is not None:
            self._rows = array("I")
        self._cache.clear()
        self.cursor = None
        self._resize()
        self.scroll_home(animate=False, immediate=True)

    def set_filter(self, text: str) -> None:
        """Show only events whose type contains one of the words (a ``-word`` hides types containing it)."""
        selected = self.selected
        self._filter = parse_filter(text)
        if self._filter == ((), ()):
            self._rows = None
        else:
            self._rows = array("I", (index for index, event in enumerate(self._events) if self._passes(event)))
        self._cache.clear()
        self.cursor = self._row_of(selected)
        self._resize()
        if self.cursor is None:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        else:
            self._reveal(self.cursor)

    def _passes(self, event: Event) -> bool:
        included, excluded = self._filter
        if included and not any(term in event.type for term in included):
            return False
        return not any(term in event.type for term in excluded)

    def _row_of(self, event: Event | None) -> int | None:
        if event is None or event.seq > len(self._events) or self._events[event.seq - 1] is not event:
            return None
        index = event.seq - 1
        if self._rows is None:
            return index
        rows = self._rows
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            if rows[middle] < index:
                low = middle + 1
            else:
                high = middle
        return low if low < len(rows) and rows[low] == index else None

    def _resize(self) -> None:
        self.virtual_size = Size(0, self.row_count)
        self.refresh()

    # -- rendering ------------------------------------------------------------------------------------------------

    def on_mount(self) -> None:
        on_theme_change(self, self._restyle)

    def _restyle(self) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_offset.y) + y
        base = self.rich_style
        if row >= self.row_count or width <= 0:
            return Strip.blank(width, base)
        index = row if self._rows is None else self._rows[row]
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._render_row(index, width, base)
        if row == self.cursor:
            cursor = self.get_component_rich_style("run-log--cursor")
            strip = Strip(Segment.apply_style(strip, post_style=cursor), strip.cell_length)
        return strip

    def _render_row(self, index: int, width: int, base: Style) -> Strip:
        text = event_text(self._events[index], self._depths[index], colours=palette(self.app))
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [
            Segment(part.text, base + part.style if part.style else base) for part in text.render(self.app.console)
        ]
        return Strip(segments, width).crop_extend(0, width, base)

    # -- keyboard and mouse ---------------------------------------------------------------------------------------

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        self.refresh()
        if new is not None and new < self.row_count:
            self.post_message(self.EventSelected(self.event_at(new)))

    def _move_to(self, row: int) -> None:
        if not self.row_count:
            return
        row = max(0, min(self.row_count - 1, row))
        self.cursor = row
        self._reveal(row)

    def _reveal(self, row: int) -> None:
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif height and row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by ``delta`` rows (from the last row when nothing is selected)."""
        start = self.row_count if self.cursor is None and delta < 0 else (-1 if self.cursor is None else self.cursor)
        self._move_to(start + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor by one screen."""
        height = max(1, self.scrollable_content_region.height - 1)
        self._move_to((self.cursor if self.cursor is not None else round(self.scroll_offset.y)) + direction * height)

    def action_first(self) -> None:
        """Select the first event."""
        self._move_to(0)

    def action_last(self) -> None:
        """Select the last event."""
        self._move_to(self.row_count - 1)

    def on_click(self, event: textual.events.Click) -> None:  # ``events`` here is the property below
        row = round(self.scroll_offset.y) + event.y
        if 0 <= row < self.row_count:
            self.cursor = row

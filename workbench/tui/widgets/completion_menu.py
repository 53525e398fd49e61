"""The completion pop-up: a ranked, filtered list that draws only the rows it shows.

The menu never takes the focus: the text area it belongs to keeps typing and forwards the navigation keys.
Available candidates come first; those not available at the current step follow under a separator,
marked, with the reason shown for the highlighted one.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.widget import Widget

from workbench.editing.completion import ARRAY_HINT, Candidate, CandidateIndex
from workbench.tui.keys import key_for
from workbench.visible import visible

VISIBLE_ROWS = 10
MENU_WIDTH = 72
MENU_HEIGHT = VISIBLE_ROWS + 4
_SEPARATOR = -1


class CompletionMenu(Widget, can_focus=False):
    """A pop-up list of completion candidates, filtered by :meth:`filter`."""

    DEFAULT_CSS = """
    CompletionMenu {
        position: absolute;
        overlay: screen;
        display: none;
        height: auto;
        background: $surface;
        border: round $accent;
        padding: 0 1;
    }
    """

    def __init__(self, on_choose: Callable[[Candidate], object]) -> None:
        """``on_choose`` is called with a candidate clicked with the mouse."""
        super().__init__()
        self._on_choose = on_choose
        self.title = ""
        self.index = CandidateIndex([])
        self.query_text = ""
        self._matches: list[int] = []
        self._available = 0
        self._cursor = 0
        self._top = 0
        self._lines = 0

    @property
    def is_open(self) -> bool:
        """Whether the menu is shown."""
        return self.display

    def open(self, title: str, index: CandidateIndex, query: str = "") -> None:
        """Show ``index`` filtered by ``query``."""
        self.title = title
        self.index = index
        self.query_text = ""
        self._matches = []
        self.display = True
        self.filter(query, force=True)

    def close(self) -> None:
        """Hide the menu."""
        self.display = False

    def filter(self, query: str, *, force: bool = False) -> None:
        """Re-rank the candidates for ``query`` and redraw."""
        if query == self.query_text and not force:
            return
        self.query_text = query
        self._matches = self.index.search(query)
        candidates = self.index.candidates
        self._available = sum(1 for index in self._matches if candidates[index].available)
        self._cursor = 0 if self._matches else -1
        self._top = 0
        lines = self._line_count()
        self.refresh(layout=lines != self._lines)  # the height changes only with the number of lines
        self._lines = lines

    def _line_count(self) -> int:
        """Lines drawn: the header, the visible rows (or the no-match line), the footer."""
        return 2 + (min(self._rows(), VISIBLE_ROWS) if self._matches else 1)

    def _rows(self) -> int:
        unavailable = len(self._matches) - self._available
        return len(self._matches) + (1 if unavailable and self._available else 0)

    def _row_match(self, row: int) -> int:
        """The match position drawn at a row, or ``_SEPARATOR``."""
        if row < self._available or self._available == len(self._matches) or self._available == 0:
            return row
        if row == self._available:
            return _SEPARATOR
        return row - 1

    def _match_row(self, position: int) -> int:
        if 0 < self._available <= position:
            return position + 1
        return position

    def selected(self) -> Candidate | None:
        """The highlighted candidate."""
        if not 0 <= self._cursor < len(self._matches):
            return None
        return self.index.candidates[self._matches[self._cursor]]

    def move(self, delta: int) -> None:
        """Move the highlight by ``delta`` rows (clamped), scrolling as needed."""
        if not self._matches:
            return
        self._cursor = max(0, min(len(self._matches) - 1, self._cursor + delta))
        row = self._match_row(self._cursor)
        if row < self._top:
            self._top = row
        elif row >= self._top + VISIBLE_ROWS:
            self._top = row - VISIBLE_ROWS + 1
        if self._cursor == 0:
            self._top = 0
        self.refresh()

    def render(self) -> Content:
        width = max(20, self.content_region.width or 70)
        count = len(self._matches)
        query = f" · “{self.query_text}”" if self.query_text else ""
        header = Content.from_markup(
            "[b]$title[/b][dim]$query · $count match$plural[/dim]",
            title=visible(self.title),
            query=visible(query),
            count=visible(f"{count:,}"),
            plural="" if count == 1 else "es",
        )
        lines = [header]
        rows = self._rows()
        for row in range(self._top, min(rows, self._top + VISIBLE_ROWS)):
            position = self._row_match(row)
            if position == _SEPARATOR:
                lines.append(Content.styled("── not available at this step " + "─" * width, "dim")[:width])
                continue
            lines.append(self._render_row(position, width))
        if not count:
            lines.append(Content.styled("no match; keep typing or press Escape", "dim italic"))
        lines.append(self._footer(rows))
        return Content("\n").join(lines)

    def _render_row(self, position: int, width: int) -> Content:
        index = self._matches[position]
        candidate = self.index.candidates[index]
        detail_width, sample_width = 9, 18 if width >= 60 else 0
        label_width = max(8, width - detail_width - sample_width - 4)
        label, mapping = fit_middle(candidate.label, label_width)
        text = Content(visible(label))
        for offset in self.index.match_positions(index, self.query_text):
            shown = mapping(offset)
            if shown is not None:
                text = text.stylize("bold underline", shown, shown + 1)
        marker = "  " if candidate.available else "⊘ "
        row = Content.assemble(
            marker,
            text.pad_right(label_width - len(label)),
            " ",
            Content.styled(visible(candidate.detail[:detail_width].ljust(detail_width)), "italic"),
            " ",
            Content.styled(visible(candidate.sample[:sample_width]), "dim") if sample_width else "",
        )
        if not candidate.available:
            row = row.stylize("dim")
        if position == self._cursor:
            row = row.stylize("reverse")
        return row

    def _footer(self, rows: int) -> Content:
        chosen = self.selected()
        if chosen is not None and not chosen.available:
            return Content.styled(visible(f"⊘ not available here: {chosen.reason}"), "italic $warning")
        if chosen is not None and chosen.transform_of:
            return Content.styled(
                visible(f"{ARRAY_HINT} · {key_for(self.app, 'completion.open_transform')} opens the transform"),
                "italic $warning",
            )
        shown = [self._row_match(row) for row in range(self._top, min(rows, self._top + VISIBLE_ROWS))]
        shown = [position for position in shown if position != _SEPARATOR]
        more = ""
        if rows > VISIBLE_ROWS and shown:  # counted in matches, like the header (the separator is no match)
            more = f"{shown[0] + 1}-{shown[-1] + 1} of {len(self._matches)} · "
        return Content.styled(visible(f"{more}↑↓ move · Enter/Tab insert · Esc close"), "dim")

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self._top + offset.y - 1
        position = self._row_match(row) if 0 <= row < self._rows() else _SEPARATOR
        if position != _SEPARATOR and 0 <= position < len(self._matches):
            self._cursor = position
            chosen = self.selected()
            if chosen is not None:
                self._on_choose(chosen)


def fit_middle(label: str, width: int) -> tuple[str, Callable[[int], int | None]]:
    """``label`` cut to ``width`` in its middle (the start names the source, the end the key), and a map
    from offsets in the label to offsets in the cut text (``None`` for the cut part)."""
    if len(label) <= width:
        return label, lambda offset: offset
    head = max(1, width // 3)
    tail = width - head - 1
    cut_from, cut_to = head, len(label) - tail

    def mapping(offset: int) -> int | None:
        if offset < cut_from:
            return offset
        if offset >= cut_to:
            return offset - cut_to + head + 1
        return None

    return label[:head] + "…" + label[cut_to:], mapping

"""The problems list: lint findings (and files that did not load), live; Enter jumps to the place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.padding import Padding
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from workbench.tui.colours import on_theme_change, palette
from workbench.tui.keys import KeyHints
from workbench.tui.messages import FixFinding, JumpToFinding
from workbench.visible import literal

if TYPE_CHECKING:
    from workbench.lint import Finding


_MIN_MESSAGE = 30
"""The narrowest the message column gets (the columns after it then scroll sideways)."""


class ProblemsPanel(DataTable[Text | str]):
    """Every lint finding of the workspace; selecting one shows its place."""

    HELP = KeyHints(
        "Lint findings, updated as you edit (long messages wrap). Enter jumps to the place; {app.next_problem} / "
        "{app.previous_problem} go through them; {problems.fix} applies the fix a finding offers (declaring an "
        "attribute)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f", "fix", "Fix", id="problems.fix")]

    DEFAULT_CSS = """
    ProblemsPanel { height: 8; border-top: hkey $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.findings: list[Finding] = []
        self._stepped = False
        self._widths: list[int] = []
        """The columns' widths, as last made."""
        self._rows: list[tuple[Text, ...]] = []
        """The cells of each row, as last drawn."""

    def on_mount(self) -> None:
        self.border_title = "Problems"
        self._fill()
        on_theme_change(self, self._fill)

    def on_resize(self) -> None:
        if self.findings:
            self._fill()

    def show(self, findings: Sequence[Finding]) -> None:
        """Replace the list (the cursor stays on the same row number)."""
        errors = sum(1 for finding in findings if finding.severity == "error")
        warnings = len(findings) - errors
        self.border_title = literal(
            f"Problems: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            if findings
            else "Problems: none"
        )
        if list(findings) == self.findings:
            return
        self.findings = list(findings)
        self._fill()

    def _fill(self) -> None:
        """Rebuild the rows; the message comes first, takes the width left and wraps, so it reads whole (what
        does not fit beside it scrolls sideways). When only some cells changed, and no row or column changes size
        (a finding naming an item being renamed, on each key typed), those cells alone are redrawn."""
        row = self.cursor_row
        colours = palette(self.app)
        rows: list[tuple[Text, ...]] = [
            (
                colours.text("✗", "bold error") if finding.severity == "error" else colours.text("!", "bold warning"),
                literal(finding.message),
                literal(self._relative(finding.path)),
                literal(finding.step or ""),
                literal(f"{finding.line}:{finding.column}" if finding.line is not None else ""),
                literal(finding.rule),
            )
            for finding in self.findings
        ]
        labels = ("", "Message", "File", "Step", "At", "Rule")
        widths = [max([len(label), *(len(cells[index]) for cells in rows)]) for index, label in enumerate(labels)]
        del widths[1]  # the message takes the width left
        padding = 2 * self.cell_padding
        left = self.scrollable_content_region.width - sum(widths) - padding * (len(widths) + 1)
        widths.insert(1, max(_MIN_MESSAGE, left))
        if widths == self._widths and self._redraw_cells(rows):
            return
        self._widths, self._rows = widths, rows
        self.clear(columns=True)
        for label, width in zip(labels, widths, strict=True):
            self.add_column(literal(label), width=width)
        for cells in rows:
            self.add_row(*cells, height=None)
        if self.findings:
            self.move_cursor(row=min(row, len(self.findings) - 1))

    def _redraw_cells(self, rows: list[tuple[Text, ...]]) -> bool:
        """Put ``rows`` in place of the rows shown, cell by cell, if each row keeps its number of lines (``False``:
        nothing was changed, the table must be made afresh)."""
        if len(rows) != len(self._rows) or len(rows) != self.row_count:
            return False
        changed = [
            (index, cells) for index, (cells, shown) in enumerate(zip(rows, self._rows, strict=True)) if cells != shown
        ]
        columns = self.ordered_columns
        for index, cells in changed:
            height = self.ordered_rows[index].height
            if height != max(
                self._lines(cell, column.get_render_width(self)) for cell, column in zip(cells, columns, strict=True)
            ):
                return False
        for index, cells in changed:
            for column, (cell, shown) in enumerate(zip(cells, self._rows[index], strict=True)):
                if cell != shown:
                    self.update_cell_at(Coordinate(index, column), cell)
        self._rows = rows
        return True

    def _lines(self, cell: Text, width: int) -> int:
        """How many lines ``cell`` takes in a column ``width`` wide (padding included), as the table lays out a row
        of automatic height (a ``Text`` cell is drawn as it is)."""
        console = self.app.console
        options = self.app.console_options.update_width(width)
        return len(console.render_lines(Padding(cell, (0, self.cell_padding)), options))

    @staticmethod
    def _relative(path: Path) -> str:
        return (
            f"{path.parent.name}/{path.name}"
            if path.parent.name in ("connectors", "procedures", "scenarios")
            else path.name
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.findings):
            self.post_message(JumpToFinding(self.findings[event.cursor_row]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``f`` shows (and works) only on a finding that offers a fix."""
        if action == "fix":
            return self._fixable() is not None
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.has_focus:  # the footer shows ``f`` only then; refreshing it lays out the whole screen again
            self.refresh_bindings()

    def _fixable(self) -> Finding | None:
        finding = self.findings[self.cursor_row] if 0 <= self.cursor_row < len(self.findings) else None
        return finding if finding is not None and finding.declare is not None else None

    def action_fix(self) -> None:
        """Apply the fix of the finding under the cursor."""
        finding = self._fixable()
        if finding is not None:
            self.post_message(FixFinding(finding))

    def step_to(self, delta: int) -> Finding | None:
        """Move to the next (or previous) finding, wrapping around; returns it."""
        if not self.findings:
            return None
        if self._stepped:
            row = (self.cursor_row + delta) % len(self.findings)
        else:  # the first F8 goes to the first problem (Shift+F8: the last)
            row = 0 if delta > 0 else len(self.findings) - 1
            self._stepped = True
        self.move_cursor(row=row)
        return self.findings[row]

"""The run panel's "Comparison" tab: two simulation results files compared as ``workbench simulate --compare``
shows them (:mod:`workbench.agent.comparison`): per scenario and criterion the pass rates before and after,
the changes beyond noise, the paths that appeared or disappeared. Names come from files: drawn literally."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.agent.comparison import Change, change_mark, shown_rate
from workbench.tui.colours import Palette, on_theme_change, palette
from workbench.tui.screens.compare_results import ComparedFiles
from workbench.visible import literal

_STYLES = {"better": "bold success", "worse": "bold error"}


def _row_style(row: Change) -> str:
    if row.beyond_noise:
        return _STYLES.get(row.direction, "bold")
    return "muted" if row.direction in ("new", "gone") else ""


def render_comparison(compared: ComparedFiles, colours: Palette) -> RenderableType:
    """The comparison as a table of rates, the path changes and the count of changes beyond noise."""
    comparison = compared.comparison
    heading = Text.assemble(
        literal("before ", style="bold"), literal(str(compared.before)), literal("\nafter  ", style="bold"),
        literal(str(compared.after)),
    )  # fmt: skip
    table = Table(show_edge=False, expand=True, pad_edge=False)
    table.add_column("scenario / criterion", overflow="fold")
    table.add_column("before", overflow="fold")
    table.add_column("after", overflow="fold")
    table.add_column("change", overflow="fold")
    for row in comparison.rows:
        name = row.scenario if row.criterion is None else f"  {row.criterion}"
        style = colours.style(_row_style(row)) if _row_style(row) else ""
        table.add_row(
            literal(name, style="bold" if row.criterion is None else ""),
            literal(shown_rate(row.before)),
            literal(shown_rate(row.after)),
            literal(change_mark(row), style=style),
        )
    parts: list[RenderableType] = [heading, table]
    moved = (("+", "appeared", comparison.paths_appeared), ("-", "disappeared", comparison.paths_disappeared))
    for sign, which, found in moved:
        parts += [literal(f"{sign} path {which} in {name}: {path}") for name, paths in found.items() for path in paths]
    changes = comparison.beyond_noise
    summary = f"{len(changes)} change{'s' * (len(changes) != 1)} beyond noise (95% intervals do not overlap)"
    parts.append(colours.text(summary, "bold error" if comparison.regressed else "bold"))
    return Group(*parts)


class ComparisonView(VerticalScroll):
    """Shows one comparison (:meth:`show`)."""

    DEFAULT_CSS = """
    ComparisonView { height: 1fr; padding: 0 1; }
    ComparisonView > Static { width: 1fr; }
    """

    def __init__(self, compared: ComparedFiles, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.compared = compared

    def compose(self) -> ComposeResult:
        yield Static(id="comparison-body")

    def on_mount(self) -> None:
        self._draw()
        on_theme_change(self, self._draw)

    def show(self, compared: ComparedFiles) -> None:
        """Show another comparison."""
        self.compared = compared
        self._draw()
        self.scroll_home(animate=False)

    def _draw(self) -> None:
        self.query_one("#comparison-body", Static).update(render_comparison(self.compared, palette(self.app)))

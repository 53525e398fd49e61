"""Fitting the panes to the terminal: the tree and the run panel beside the editor, the problems under it.

The sizes the author chose are wishes; :func:`fit` gives each pane what the terminal can spare while the editor
keeps room to work in, and hides a side pane when even its narrowest does not fit (it comes back, at the size
chosen, when the terminal grows again).
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_EDITOR_WIDTH = 50
"""What the editor keeps beside the side panes."""
MIN_EDITOR_FLOOR = 40
"""What it keeps at the least, when the author asked for a side pane on a terminal too narrow for both."""
MIN_EDITOR_HEIGHT = 8
MIN_WIDTH = {"tree": 16, "debug": 24}
MIN_PROBLEMS = 3
CHROME_HEIGHT = 2
"""The header and the footer."""


def fit(
    width: int, height: int, shown: Mapping[str, bool], sizes: Mapping[str, int], prefer: str = "debug"
) -> dict[str, int | None]:
    """The size of each pane (``tree`` and ``debug`` widths, ``problems`` height), ``None`` for hidden.

    ``shown`` says which panes the author wants, ``sizes`` how big; ``prefer`` names the side pane that keeps
    its room first and stays when only one fits. Each shown side pane takes a splitter column.
    """
    sides = sorted((name for name in ("tree", "debug") if shown.get(name)), key=lambda side: side != prefer)
    while len(sides) > 1 and sum(MIN_WIDTH[name] for name in sides) > width - MIN_EDITOR_WIDTH - len(sides):
        sides.pop()
    room = width - MIN_EDITOR_WIDTH - len(sides)
    if len(sides) == 1 and room < MIN_WIDTH[sides[0]]:
        room = width - MIN_EDITOR_FLOOR - 1
        if room < MIN_WIDTH[sides[0]]:
            sides = []
    result: dict[str, int | None] = {"tree": None, "debug": None}
    given = 0
    for index, name in enumerate(sides):
        reserved = sum(MIN_WIDTH[later] for later in sides[index + 1 :])
        size = min(max(MIN_WIDTH[name], sizes[name]), room - given - reserved)
        result[name] = size
        given += size
    problems_room = height - CHROME_HEIGHT - MIN_EDITOR_HEIGHT
    result["problems"] = (
        max(MIN_PROBLEMS, min(sizes["problems"], problems_room))
        if shown.get("problems") and problems_room >= MIN_PROBLEMS
        else None
    )
    return result

"""Fitting the panes to the terminal (no Textual needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.tui.layout import MIN_EDITOR_FLOOR, MIN_EDITOR_HEIGHT, MIN_EDITOR_WIDTH, MIN_WIDTH, fit

SIZES = {"tree": 30, "debug": 100, "problems": 8}
ALL = {"tree": True, "debug": True, "problems": True}


def test_a_wide_run_panel_gives_way_when_the_terminal_shrinks() -> None:
    wide = fit(200, 48, ALL, SIZES)
    assert wide == {"tree": 30, "debug": 100, "problems": 8}
    assert fit(100, 30, ALL, SIZES) == {"tree": 16, "debug": 100 - MIN_EDITOR_WIDTH - 2 - 16, "problems": 8}


def test_at_80x24_the_side_pane_not_preferred_hides() -> None:
    assert fit(80, 24, ALL, SIZES, prefer="debug") == {"tree": None, "debug": 80 - MIN_EDITOR_WIDTH - 1, "problems": 8}
    assert fit(70, 24, ALL, SIZES, prefer="debug") == {"tree": None, "debug": 70 - MIN_EDITOR_FLOOR - 1, "problems": 8}
    assert fit(80, 24, ALL, SIZES, prefer="tree") == {"tree": 80 - MIN_EDITOR_WIDTH - 1, "debug": None, "problems": 8}


def test_hidden_panes_stay_hidden_and_problems_shrink_on_short_terminals() -> None:
    assert fit(200, 48, {"tree": False, "debug": False, "problems": False}, SIZES) == {
        "tree": None,
        "debug": None,
        "problems": None,
    }
    assert fit(100, 16, ALL, SIZES)["problems"] == 16 - 2 - MIN_EDITOR_HEIGHT
    assert fit(100, 12, ALL, SIZES)["problems"] is None


@given(
    width=st.integers(20, 400),
    height=st.integers(5, 120),
    tree=st.integers(1, 300),
    debug=st.integers(1, 300),
    problems=st.integers(1, 100),
    shown=st.fixed_dictionaries({name: st.booleans() for name in ALL}),
    prefer=st.sampled_from(["tree", "debug"]),
)
def test_the_editor_always_keeps_its_room(
    width: int, height: int, tree: int, debug: int, problems: int, shown: dict[str, bool], prefer: str
) -> None:
    sizes = {"tree": tree, "debug": debug, "problems": problems}
    layout = fit(width, height, shown, sizes, prefer)
    sides = {name: size for name in ("tree", "debug") if (size := layout[name]) is not None}
    for name, size in sides.items():
        assert shown[name] and MIN_WIDTH[name] <= size <= max(MIN_WIDTH[name], sizes[name])
    if sides:
        editor = width - sum(sides.values()) - len(sides)
        assert editor >= (MIN_EDITOR_WIDTH if len(sides) > 1 else MIN_EDITOR_FLOOR)
    if layout["problems"] is not None:
        assert height - 2 - layout["problems"] >= MIN_EDITOR_HEIGHT
    if width >= MIN_EDITOR_WIDTH + sum(MIN_WIDTH.values()) + 2:  # room enough: nothing wanted is hidden
        assert all(layout[name] is not None for name in ("tree", "debug") if shown[name])

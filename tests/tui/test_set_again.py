"""A widget set again with what it shows is left alone: Textual lays the whole screen out after each re-set."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static
from textual.widgets._select import SelectOverlay

from tests.quick_pilot import quick_test
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Select
from workbench.visible import literal


class Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([(literal(name), name) for name in ("Alpha", "Beta")], id="choice")
        yield Static("", id="line")


def offered(select: Select) -> list[object]:
    overlay = select.query_one(SelectOverlay)
    return [overlay.get_option_at_index(index) for index in range(overlay.option_count)]


async def test_options_offered_again_are_not_set_again_and_the_value_stays() -> None:
    """The run bar offers the workspace's procedures again each time one comes to the front: the same options
    (new objects, equal) keep the overlay's options and the value chosen; Textual rebuilt the list and reset the
    value (then set back by the bar), each a layout of the screen. Other options, or the same words styled
    otherwise, are set."""
    app = Bar()
    async with quick_test(app) as pilot:
        select = app.query_one("#choice", Select)
        select.value = "Beta"
        await pilot.pause()
        before = offered(select)

        select.set_options([(literal(name), name) for name in ("Alpha", "Beta")])
        await pilot.pause()
        assert all(now is then for now, then in zip(offered(select), before, strict=True))
        assert select.value == "Beta"

        select.set_options([(literal(name, "bold"), name) for name in ("Alpha", "Beta")])
        await pilot.pause()
        assert not any(now is then for now, then in zip(offered(select), before, strict=True)), "a new style not drawn"

        select.set_options([(literal(name), name) for name in ("Alpha", "Gamma")])
        await pilot.pause()
        assert [str(option.prompt) for option in offered(select)][1:] == ["Alpha", "Gamma"]


async def test_show_text_updates_a_static_only_to_new_content() -> None:
    """``show_text`` leaves a ``Static`` showing the same text (and style) alone: no layout is asked for."""
    app = Bar()
    async with quick_test(app) as pilot:
        line = app.query_one("#line", Static)
        show_text(line, literal("ready"))
        await pilot.pause()
        asked: list[bool] = []
        refresh = line.refresh

        def counting(*regions: object, layout: bool = False, **kwargs: object) -> object:
            asked.append(layout)
            return refresh(*regions, layout=layout, **kwargs)  # type: ignore[arg-type]

        line.refresh = counting  # type: ignore[method-assign]
        show_text(line, literal("ready"))
        assert asked == []
        show_text(line, literal("ready", "bold"))
        assert asked == [True]

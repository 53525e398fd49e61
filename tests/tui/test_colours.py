"""Colours by role follow the Textual theme: readable in every built-in theme, and redrawn when the theme changes."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from tests.events import json_event
from tests.quick_pilot import quick_test
from tests.tui.conftest import segment_style, theme_variables
from tests.waiting import wait_until
from workbench.tui.colours import MIN_CONTRAST, MUTED_CONTRAST, ROLES, Palette, contrast, palette
from workbench.tui.debug.event_detail import EventDetail
from workbench.tui.debug.run_log import RunLog
from workbench.tui.widgets.template_field import TemplateField

COLOURED = [name for name, theme in BUILTIN_THEMES.items() if not name.startswith("ansi")]


@pytest.mark.parametrize("theme", COLOURED)
def test_every_role_is_readable_on_the_surface_and_keeps_the_themes_colour_when_it_already_is(theme: str) -> None:
    given = theme_variables(theme)
    colours = Palette(given)
    surface = Color.parse(given["surface"])
    assert colours.background == surface
    for role, variable in ROLES.items():
        shown = colours.colour(role)
        assert shown is not None
        least = MUTED_CONTRAST if role == "muted" else MIN_CONTRAST
        assert contrast(shown, surface) >= least, (role, shown.hex)
        if role != "muted" and contrast(Color.parse(given[variable]), surface) >= least:
            assert shown == Color.parse(given[variable]), role  # readable already: the theme's own colour


def test_muted_is_the_themes_faded_text_and_spec_words_combine() -> None:
    colours = Palette(theme_variables("textual-dark"))
    muted = colours.colour("muted")
    assert muted is not None and muted != Color.parse(theme_variables("textual-dark")["foreground"])
    style = colours.style("bold reverse error")
    assert style.bold and style.reverse and style.color == colours.style("error").color
    with pytest.raises(KeyError):
        colours.style("bold crimson")


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light"])
def test_ansi_themes_use_the_terminals_colours_and_dim_muted_text(theme: str) -> None:
    colours = Palette(theme_variables(theme))
    error = colours.colour("error")
    assert error is not None and error.ansi is not None
    assert colours.style("muted").dim and colours.style("muted").color is None


class ThemedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RunLog()
        yield TemplateField("{{secret.TOKEN}} {{email}}")
        yield EventDetail()


ERROR = json_event(2, 0.25, "error", {"procedure": "P", "step": "s", "reason": "timeout", "message": "too slow"})
EVENTS = [json_event(1, 0.125, "step_started", {"procedure": "P", "step": "s", "step_type": "instruction"}), ERROR]


def colour_of(style: object) -> Color:
    return Color.from_rich_color(getattr(style, "color", None))


async def test_switching_theme_at_runtime_recolours_the_log_the_editor_and_the_detail() -> None:
    app = ThemedApp()
    async with quick_test(app, size=(80, 12)) as pilot:
        app.theme = "textual-dark"
        log = app.query_one(RunLog)
        log.add_events(EVENTS)
        detail = app.query_one(EventDetail)
        detail.show(ERROR)
        field = app.query_one(TemplateField)
        await pilot.pause()
        dark = palette(app)
        shown = {
            "error": colour_of(segment_style(log, "timeout")),
            "primary": colour_of(segment_style(log, "instruction")),
            "secret": colour_of(segment_style(field, "secret.TOKEN}}")),
        }
        assert shown == {role: dark.colour(role) for role in shown}
        assert shown["error"] == Color.parse(theme_variables("textual-dark")["text-error"])

        app.theme = "textual-light"
        await wait_until(lambda: colour_of(segment_style(log, "timeout")) != shown["error"], pilot, what="a redraw")
        light = palette(app)
        assert light is not dark
        for role, before in shown.items():
            assert light.colour(role) != before, role
        assert colour_of(segment_style(log, "timeout")) == light.colour("error")
        assert colour_of(segment_style(log, "instruction")) == light.colour("primary")
        await wait_until(
            lambda: colour_of(segment_style(field, "secret.TOKEN}}")) == light.colour("secret"), pilot, what="field"
        )
        heading = detail.query_one("#event-body", Static).content.renderables[0]
        assert isinstance(heading, Text) and heading.spans[0].style == light.style("bold error")

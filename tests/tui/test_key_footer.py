"""The footer is rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tests.quick_pilot import quick_test
from workbench.tui.widgets.key_footer import KeyFooter


class Notes(Input):
    """A field with a key of its own."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+t", "tidy", "Tidy")]


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield Notes(id="notes")
        yield KeyFooter()


def shown(app: App[None]) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in app.query(FooterKey)]


async def test_a_focus_move_keeping_the_keys_keeps_the_footer_and_new_keys_are_shown() -> None:
    app = FooterApp()
    async with quick_test(app) as pilot:
        await pilot.pause()
        assert app.focused is app.query_one("#first")
        keys = list(app.query(FooterKey))
        assert ("ctrl+s", "Save") in shown(app) and ("ctrl+t", "Tidy") not in shown(app)

        await pilot.press("tab")  # the second field: the same keys
        assert app.focused is app.query_one("#second")
        assert list(app.query(FooterKey)) == keys, "the footer was rebuilt for the same keys"

        await pilot.press("tab")  # the notes: a key of their own
        assert app.focused is app.query_one("#notes")
        assert ("ctrl+t", "Tidy") in shown(app) and ("ctrl+s", "Save") in shown(app)

        await pilot.press("shift+tab")  # back: the notes' key goes
        assert ("ctrl+t", "Tidy") not in shown(app)

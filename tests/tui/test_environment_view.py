"""The connector's Environment tab opens on the environment in use (the default, else the only one, else none):
with several and no default it opens on none, its values read-only until one is picked to edit."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Select, Static

from tests.quick_pilot import quick_test
from workbench.model import Connector, WorkspaceSettings
from workbench.tui.widgets.environment_view import EnvironmentView
from workbench.tui.widgets.fields import Input

CONNECTOR = Connector.model_validate(
    {"name": "Get item", "request": {"method": "GET", "url": "{{env.base_url}}/items"}, "response": {}}
)
TWO = {"staging": {"base_url": "https://staging.example.com"}, "local": {"base_url": "http://127.0.0.1:8787"}}


class ViewApp(App[None]):
    def __init__(self, settings: WorkspaceSettings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield EnvironmentView(CONNECTOR, lambda: self.settings, id="environment")


def _state(app: ViewApp) -> tuple[str | None, str, bool, str]:
    view = app.query_one(EnvironmentView)
    field = view.query_one("#env-base_url", Input)
    preview = str(view.query_one("#env-preview", Static).render())
    return view.environment, field.value, field.disabled, preview.splitlines()[1]


async def test_with_several_environments_and_no_default_the_view_opens_on_none() -> None:
    app = ViewApp(WorkspaceSettings(environments=TWO))
    async with quick_test(app) as pilot:
        assert _state(app) == (None, "", True, "GET {{env.base_url}}/items")
        assert app.query_one("#env-select", Select).value is Select.NULL
        app.query_one("#env-select", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # the blank prompt, then staging, then local
        await pilot.pause()
        assert _state(app) == ("local", "http://127.0.0.1:8787", False, "GET http://127.0.0.1:8787/items")


async def test_the_view_opens_on_the_default_or_the_only_environment() -> None:
    for settings, expected in (
        (WorkspaceSettings(environments=TWO, default_environment="local"), "local"),
        (WorkspaceSettings(environments={"staging": TWO["staging"]}), "staging"),
    ):
        app = ViewApp(settings)
        async with quick_test(app):
            environment, value, disabled, _ = _state(app)
            assert (environment, value, disabled) == (expected, TWO[expected]["base_url"], False)

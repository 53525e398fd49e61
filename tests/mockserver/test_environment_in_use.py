"""The mock server serves under the environment in use (:meth:`WorkspaceSettings.environment_name`): the default,
else the only one, else none — the same one a run uses, never "the first" of several."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mockserver.helpers import item, write_workspace
from workbench.mockserver.server import serve_workspace
from workbench.mockserver.thread import DEFAULT_HOST, DEFAULT_PORT, default_address
from workbench.model import WorkspaceSettings
from workbench.store import load_workspace

GET_ITEM = item("Get item", "GET", "{{env.base_url}}/items/{{id}}", {"example": {"body": {}}}, inputs=[{"name": "id"}])
TWO = {"staging": {"base_url": "http://127.0.0.1:9001/api"}, "local": {"base_url": "http://127.0.0.1:9002"}}


@pytest.mark.parametrize(
    ("settings", "served", "path"),
    [
        ({"environments": TWO}, None, "/items/{id}"),
        ({"environments": TWO, "default_environment": "local"}, "local", "/items/{id}"),
        ({"environments": {"staging": TWO["staging"]}}, "staging", "/api/items/{id}"),
    ],
)
def test_routes_are_placed_under_the_environment_in_use(
    tmp_path: Path, settings: dict[str, object], served: str | None, path: str
) -> None:
    workspace = load_workspace(write_workspace(tmp_path / "desk", GET_ITEM, settings=settings))
    result = serve_workspace(workspace)
    assert result.environment == served == workspace.settings.model.environment_name()
    assert [route.path for route in result.table.routes] == [path]


@pytest.mark.parametrize(
    ("default", "address"),
    [(None, (DEFAULT_HOST, DEFAULT_PORT)), ("staging", ("127.0.0.1", 9001)), ("local", ("127.0.0.1", 9002))],
)
def test_the_address_comes_from_the_environment_in_use(default: str | None, address: tuple[str, int]) -> None:
    settings = WorkspaceSettings(environments=TWO, default_environment=default)
    assert default_address(settings) == address

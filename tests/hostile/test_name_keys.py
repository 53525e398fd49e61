"""Class 4: names that are the same name for the loader (case, Unicode form) never get in through import,
rename or the app's new-item dialog; every place that asks "is this name taken?" uses the loader's key."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Static

from tests.conftest import SUPPORT_DESK
from tests.quick_pilot import quick_test
from workbench.cli import main
from workbench.importing import import_postman
from workbench.store import load_workspace
from workbench.tui.screens.pickers import NewItemScreen

PACKAGE = Path(__file__).resolve().parents[2] / "workbench"


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.json"))}


def _request(name: str) -> dict[str, Any]:
    return {"name": name, "request": {"method": "GET", "url": "https://api.example.com/streets"}}


def test_names_of_one_postman_file_that_fold_together_get_a_number() -> None:
    collection = {
        "info": {"name": "Map", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [_request("Straße"), _request("STRASSE"), _request("Ｓｔｒａｓｓｅ")],
    }
    imported = import_postman(collection, "map.json")
    assert [connector.name for connector in imported.connectors] == ["Straße", "STRASSE 2", "Ｓｔｒａｓｓｅ 3"]
    assert sum("appears twice" in note for note in imported.notes) == 2


def test_an_imported_name_that_folds_onto_an_existing_one_is_a_clash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    curl = "curl https://api.example.com/orders"
    # A clash is skipped and named (the rest of an import would go on), nothing is written.
    assert main(["import", "curl", str(root), curl, "--name", "GET ORDERS"]) == 0
    assert "skip    'GET ORDERS': a connector of that name exists" in capsys.readouterr().out
    assert _files(root) == before
    # With --replace the import takes the place (and the file) of the connector it folds onto.
    assert main(["import", "curl", str(root), curl, "--name", "GET ORDERS", "--replace"]) == 0
    workspace = load_workspace(root)
    assert not workspace.problems
    assert json.loads((root / "connectors" / "get-orders.json").read_text())["name"] == "GET ORDERS"


@pytest.mark.parametrize("new", ["Ｇｅｔ ｏｒｄｅｒｓ", "GET ORDERS", "get orders"])
def test_a_rename_onto_a_name_that_folds_onto_another_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], new: str
) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    before = _files(root)
    assert main(["rename", str(root), "connector", "Issue refund", new]) == 2
    assert "another connector is called 'Get orders'" in capsys.readouterr().err
    assert _files(root) == before


def test_a_rename_that_changes_only_the_case_of_the_same_item_is_allowed(tmp_path: Path) -> None:
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    assert main(["rename", str(root), "connector", "Get orders", "GET ORDERS"]) == 0
    workspace = load_workspace(root)
    assert "GET ORDERS" in workspace.connectors and not workspace.problems


class _Dialog(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(NewItemScreen("connector", {"connector": {"Get orders"}}), self.answers.append)


@pytest.mark.parametrize("name", ["GET ORDERS", "Ｇｅｔ ｏｒｄｅｒｓ"])
async def test_the_new_item_dialog_refuses_a_name_that_folds_onto_a_taken_one(name: str) -> None:
    app = _Dialog()
    async with quick_test(app) as pilot:
        await pilot.pause()
        app.screen.query_one("#new-name", Input).value = name
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#new-error", Static).render())
    assert app.answers == []
    assert "'Get orders' already exists" in error


def _name_comparisons(tree: ast.AST) -> list[int]:
    """Lines that fold an item's name themselves: ``.lower()`` or ``.casefold()`` of a ``.name`` (not a file's) or of
    a variable ``new`` or ``old``. Folding other text (search filters, header names) is not an item name check."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        if node.func.attr not in ("lower", "casefold"):
            continue
        if isinstance(receiver, ast.Name) and receiver.id in ("new", "old"):
            found.append(node.lineno)
        elif isinstance(receiver, ast.Attribute) and receiver.attr == "name":
            owner = receiver.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if not owner_name.endswith("path"):  # a file name (``path.name``) is not an item's name
                found.append(node.lineno)
    return found


def _key_lines(tree: ast.AST) -> range:
    """The lines of ``name_key`` itself (in folders.py)."""
    key = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "name_key")
    return range(key.lineno, (key.end_lineno or key.lineno) + 1)


def test_only_the_loaders_name_key_folds_names() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        exempt = _key_lines(tree) if path == PACKAGE / "folders.py" else range(0)
        offenders += [
            f"{path.relative_to(PACKAGE.parent)}:{line}" for line in _name_comparisons(tree) if line not in exempt
        ]
    assert offenders == [], "fold names with workbench.store.name_key, the loader's key: " + ", ".join(offenders)

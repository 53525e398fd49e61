"""Loading a workspace folder tolerantly, and saving atomically without losing a byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.model import Connector
from workbench.store import (
    Document,
    SchemaKind,
    WorkspaceNotFound,
    is_workspace,
    json_schema,
    load_document,
    load_workspace,
    new_document,
    save_document,
    serialize,
)


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def _connector(name: str, **extra: object) -> dict[str, object]:
    return {"name": name, "request": {"url": "http://127.0.0.1:8787/x"}, **extra}


def test_saving_untouched_documents_keeps_every_byte(desk_copy: Path) -> None:
    before = _snapshot(desk_copy)
    workspace = load_workspace(desk_copy)
    for kind in ("connector", "procedure", "scenario"):
        for document in workspace.documents(kind).values():
            save_document(document)
    assert _snapshot(desk_copy) == before


def test_loading_changes_nothing_on_disk(desk_copy: Path) -> None:
    (desk_copy / "procedures" / "broken.json").write_text('{"name": ')
    before = _snapshot(desk_copy)
    workspace = load_workspace(desk_copy)
    assert len(workspace.problems) == 1
    assert _snapshot(desk_copy) == before


def test_unknown_keys_survive_a_change(tmp_path: Path) -> None:
    data = _connector("Get orders", owner="team-a", request={"url": "http://127.0.0.1:8787/x", "retries": 3})
    path = _write(tmp_path / "connectors" / "get-orders.json", data)
    document = load_document(path, "connector")
    saved = save_document(document, document.model.model_copy(update={"description": "Orders."}))
    written = json.loads(path.read_text())
    assert written["owner"] == "team-a" and written["request"]["retries"] == 3
    assert list(written) == ["name", "description", "request", "owner"]
    assert path.read_bytes() == serialize(saved.model)


def test_changed_model_is_written_in_the_canonical_format(desk_copy: Path) -> None:
    document = load_workspace(desk_copy).procedures["Order status"]
    changed = document.model.model_copy(update={"description": "Where is my order?"})
    saved = save_document(document, changed)
    assert document.path.read_bytes() == serialize(changed) == saved.raw
    assert load_document(document.path, "procedure").model == changed
    assert not saved.is_modified()


def test_save_is_atomic_and_leaves_no_temporary_files(desk_copy: Path) -> None:
    document = load_workspace(desk_copy).connectors["Get orders"]
    save_document(document, document.model.model_copy(update={"description": "Changed."}))
    assert sorted(path.name for path in document.path.parent.iterdir() if path.name.startswith(".")) == []


def test_duplicate_names_are_reported_naming_both_files(tmp_path: Path) -> None:
    first = _write(tmp_path / "connectors" / "a.json", _connector("Get orders"))
    second = _write(tmp_path / "connectors" / "b.json", _connector("Get orders"))
    workspace = load_workspace(tmp_path)
    assert workspace.connectors["Get orders"].path == first
    [problem] = workspace.problems
    assert problem.path == second and str(first) in problem.message


def test_broken_file_is_located_at_the_offending_key_while_others_load(desk_copy: Path) -> None:
    intact = load_workspace(desk_copy)
    path = desk_copy / "connectors" / "get-orders.json"
    text = path.read_text()
    path.write_text(text.replace('"timeout_s": 10.0', '"timeout_s": "slow"'))
    workspace = load_workspace(desk_copy)
    [problem] = workspace.problems
    line = next(number for number, content in enumerate(text.splitlines(), 1) if '"timeout_s"' in content)
    assert (problem.path, problem.line, problem.column) == (path, line, 5)
    assert "timeout_s" in problem.message
    assert "Get orders" not in workspace.connectors
    assert len(workspace.connectors) == len(intact.connectors) - 1
    assert len(workspace.procedures) == len(intact.procedures)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected a JSON object, found list"),
        ('{"request": {"url": "x"}}', "name: required key is missing"),
        ('{"name": "Bad (name)", "request": {"url": "x"}}', "name: String should match pattern"),
    ],
)
def test_invalid_documents_are_problems(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "x.json").write_text(content)
    [problem] = load_workspace(tmp_path).problems
    assert message in problem.message


def test_broken_settings_fall_back_to_defaults(tmp_path: Path) -> None:
    (tmp_path / "workbench.json").write_text('{"limits": {"large_response_bytes": 0}}')
    workspace = load_workspace(tmp_path)
    [problem] = workspace.problems
    assert (problem.line, problem.column) == (1, 13)
    assert workspace.settings.model.limits.large_response_bytes == 20_000


def test_rename_moves_the_file_to_the_new_slug(desk_copy: Path) -> None:
    document = load_workspace(desk_copy).connectors["Get orders"]
    renamed = save_document(document, document.model.model_copy(update={"name": "Get latest order"}), rename=True)
    assert renamed.path == desk_copy / "connectors" / "get-latest-order.json"
    assert not document.path.exists()
    assert load_document(renamed.path, "connector").name == "Get latest order"


def test_rename_keeps_the_path_when_the_slug_is_taken(desk_copy: Path) -> None:
    document = load_workspace(desk_copy).connectors["Get orders"]
    saved = save_document(document, document.model.model_copy(update={"name": "Issue refund"}), rename=True)
    assert saved.path == document.path


def test_new_document_gets_a_free_slug(desk_copy: Path) -> None:
    workspace = load_workspace(desk_copy)
    model = Connector.model_validate(_connector("Get orders"))
    document = new_document(workspace, "connector", model)
    assert document.path == desk_copy / "connectors" / "get-orders-2.json"
    assert not document.path.exists()
    workspace.put(save_document(document))
    assert workspace.connectors["Get orders"].path == document.path


def test_a_name_of_thousands_of_characters_still_gets_a_file(desk_copy: Path) -> None:
    """Found by the monkey: a 6 KB name pasted into "New item" made a slug longer than a file name may be, and
    creating the item failed with "File name too long" (renaming to it could never be saved)."""
    workspace = load_workspace(desk_copy)
    name = "Look up [bold]orders[/] " * 250
    document = save_document(new_document(workspace, "connector", Connector.model_validate(_connector(name))))
    assert document.path.exists() and len(document.path.name) <= 210
    renamed = save_document(document, document.model.model_copy(update={"name": name + " again"}), rename=True)
    assert load_document(renamed.path, "connector").name == name + " again"
    short = save_document(renamed, renamed.model.model_copy(update={"name": "Get latest order"}), rename=True)
    assert short.path.name == "get-latest-order.json"  # a name that fits is its slug, as before


def test_missing_folder_and_workspace_detection(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound):
        load_workspace(tmp_path / "absent")
    assert not is_workspace(tmp_path)
    (tmp_path / "procedures").mkdir()
    assert is_workspace(tmp_path)


@pytest.mark.parametrize("kind", ["workspace", "connector", "procedure", "scenario"])
def test_json_schema_of_every_kind(kind: SchemaKind) -> None:
    schema = json_schema(kind)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "properties" in schema


def test_document_name_of_settings(desk_copy: Path) -> None:
    settings = load_workspace(desk_copy).settings
    assert isinstance(settings, Document) and settings.name == "Support desk"

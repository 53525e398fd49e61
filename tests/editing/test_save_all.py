"""Saving every unsaved item without the app: refusals named with where, each save atomic (a renamed item's new
file and its old one's removal are one write set), and what quitting asks about."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workbench.editing.drafts import Draft
from workbench.editing.edit_session import EditSession, Entry
from workbench.editing.save_all import quit_check, save_all
from workbench.editing.writes import JOURNAL_PREFIX, SET_TEMP_SUFFIX
from workbench.model import Procedure


def _entry(session: EditSession, kind: str, name: str) -> Entry:
    entry = session.find(kind, name)
    assert entry is not None
    return entry


def _leftovers(root: Path) -> list[str]:
    names = (path.name for path in root.rglob("*"))
    return [name for name in names if name.startswith(JOURNAL_PREFIX) or name.endswith((".tmp", SET_TEMP_SUFFIX))]


def test_an_invalid_json_draft_is_refused_and_named_the_rest_is_saved(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    connector = _entry(session, "connector", "Get orders")
    connector.drafts.texts = {"headers": Draft(text='{"X-Trace": }', line=2, column=13, message="not valid JSON")}
    connector.touch()
    procedure = _entry(session, "procedure", "Order status")
    procedure.model.description = "Saved"
    procedure.touch()
    before = connector.path.read_bytes()
    report = save_all(session)
    assert report.saved == [procedure] and not procedure.dirty
    (refusal,) = report.refused
    assert refusal.entry is connector and refusal.reasons == ["headers: not valid JSON at 2:13 — not saved"]
    assert not refusal.unsettled and connector.dirty and connector.path.read_bytes() == before
    assert orjson.loads(procedure.path.read_bytes())["description"] == "Saved"
    assert not _leftovers(desk_copy)


def test_text_an_editor_holds_unsettled_is_refused_first(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    procedure = _entry(session, "procedure", "Order status")
    procedure.model.description = "Not yet"
    procedure.touch()
    before = procedure.path.read_bytes()
    report = save_all(session, lambda entry: ["rule body: not valid JSON at 1:2"] if entry is procedure else [])
    assert [(r.entry, r.reasons, r.unsettled) for r in report.refused] == [
        (procedure, ["rule body: not valid JSON at 1:2"], True)
    ]
    assert procedure.path.read_bytes() == before and procedure.dirty


def test_nothing_unsaved_is_nothing_to_save(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    assert save_all(session).nothing_to_save


def test_a_file_it_did_not_load_is_never_overwritten(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.create("procedure", Procedure(name="Taken"))
    entry.path.write_text("{}")
    (refusal,) = save_all(session).refused
    assert str(entry.path) in refusal.reasons[0] and entry.path.read_text() == "{}"


def test_a_renamed_item_moves_as_one_write_set(desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its new file and the old one's removal land together or not at all (never two files of one item)."""
    session = EditSession.load(desk_copy)
    entry = _entry(session, "procedure", "Order status")
    old = entry.path
    before = old.read_bytes()
    entry.model.name = "Where is my order"
    entry.touch()
    unlink = Path.unlink

    def failing_unlink(path: Path, missing_ok: bool = False) -> None:
        if path == old:
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", failing_unlink)
    (refusal,) = save_all(session).refused
    assert "Permission denied" in refusal.reasons[0]
    assert old.read_bytes() == before and not (desk_copy / "procedures" / "where-is-my-order.json").exists()
    assert entry.dirty and entry.path == old
    monkeypatch.undo()
    assert save_all(session).saved == [entry]
    assert entry.path == desk_copy / "procedures" / "where-is-my-order.json" and not old.exists()
    assert not _leftovers(desk_copy)


def test_quitting_asks_only_about_what_differs_from_its_file(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    assert not quit_check(session).ask
    undone = _entry(session, "procedure", "Order status")
    undone.touch()  # edited and undone by hand, no lint since
    assert not quit_check(session).ask and not undone.dirty
    changed = _entry(session, "procedure", "Refund request")
    changed.model.description = "Changed"
    changed.touch()
    drafted = _entry(session, "connector", "Get orders")
    drafted.drafts.texts = {"headers": Draft(text="{", line=1, column=2, message="not valid JSON")}
    drafted.touch()
    check = quit_check(session)
    assert check.ask and set(check.unsaved) == {changed, drafted}

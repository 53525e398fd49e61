"""Reconciling an edit session with files changed on disk, without the app: a saved item follows its file
quietly, an edited one is asked about or kept, new files load, a restored draft is never dropped unasked."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workbench.editing.disk_sync import DiskSync, Reconciled, Reload
from workbench.editing.drafts import Draft
from workbench.editing.edit_session import DiskChanges, EditSession, Entry
from workbench.editing.recovery import Journal, restore, unsaved_items
from workbench.editing.save_all import save_all


def _sync(desk: Path) -> tuple[DiskSync, Entry]:
    session = EditSession.load(desk)
    entry = session.find("procedure", "Order status")
    assert entry is not None
    return DiskSync(session), entry


def _rewrite(path: Path, description: str) -> None:
    data = orjson.loads(path.read_bytes())
    data["description"] = description
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))


def _edit(entry: Entry, description: str) -> None:
    entry.model.description = description
    entry.touch()


def test_a_saved_item_changed_on_disk_is_reloaded_quietly(desk_copy: Path) -> None:
    sync, entry = _sync(desk_copy)
    _rewrite(entry.path, "Changed in another editor.")
    done = sync.take_in(sync.session.scan_disk())
    assert done.reloaded == [Reload(entry)] and not done.ask
    assert entry.model.description == "Changed in another editor." and not entry.dirty
    assert not sync.session.scan_disk(), "the file as it is now is known"


def test_an_edited_item_changed_on_disk_is_asked_about_once(desk_copy: Path) -> None:
    sync, entry = _sync(desk_copy)
    _edit(entry, "Mine")
    _rewrite(entry.path, "Theirs")
    done = sync.take_in(sync.session.scan_disk())
    assert done.ask == [entry] and not done.reloaded and entry.model.description == "Mine"
    assert not sync.take_in(sync.session.scan_disk()).ask, "not asked again while the question is open"
    assert sync.answer(entry, reload=False) is None
    assert entry.model.description == "Mine" and entry.dirty
    assert not sync.session.scan_disk(), "kept: the file as it is now counts as seen"
    _rewrite(entry.path, "Theirs again")
    assert sync.take_in(sync.session.scan_disk()).ask == [entry], "a later change asks again"
    assert sync.answer(entry, reload=True) == Reload(entry)
    assert entry.model.description == "Theirs again" and not entry.dirty and not sync.asking


def test_a_file_changed_into_something_that_does_not_load_keeps_the_item(desk_copy: Path) -> None:
    sync, entry = _sync(desk_copy)
    entry.path.write_text('{"name": ')
    (reloaded,) = sync.take_in(sync.session.scan_disk()).reloaded
    assert reloaded.entry is entry and reloaded.problem is not None and reloaded.problem.path == entry.path
    assert entry.model.description.startswith("The customer asks")
    assert not sync.session.scan_disk(), "told once"


def test_a_deleted_file_forgets_a_saved_item_and_keeps_an_edited_one(desk_copy: Path) -> None:
    sync, entry = _sync(desk_copy)
    edited = sync.session.find("procedure", "Refund request")
    assert edited is not None
    _edit(edited, "Mine")
    entry.path.unlink()
    edited.path.unlink()
    done = sync.take_in(sync.session.scan_disk())
    assert done.deleted == [entry] and done.kept == [edited]
    assert sync.session.find("procedure", "Order status") is None and sync.session.find("procedure", "Refund request")
    assert not sync.session.scan_disk(), "told once"
    report = save_all(sync.session)
    assert report.saved == [edited] and orjson.loads(edited.path.read_bytes())["description"] == "Mine"


def test_the_settings_file_deleted_is_told_once(desk_copy: Path) -> None:
    # the settings cannot be forgotten like an item: they were reported deleted at every scan (every 2 s the
    # app closed their editor again and said so; the monkey's seed 40001 met the editor closed while it mounted)
    sync, _ = _sync(desk_copy)
    settings = sync.session.settings
    settings.path.unlink()
    assert sync.take_in(sync.session.scan_disk()).deleted == [settings]
    assert not sync.session.scan_disk(), "told once"
    settings.path.write_bytes(settings.document.raw or b"")
    assert not sync.take_in(sync.session.scan_disk()).deleted, "the file back is no deletion"


def test_new_files_load_and_a_broken_one_loads_once_fixed(desk_copy: Path) -> None:
    sync, _ = _sync(desk_copy)
    new = desk_copy / "procedures" / "new.json"
    new.write_text('{"name": "New one", "steps": []}')
    broken = desk_copy / "procedures" / "broken.json"
    broken.write_text('{"name": ')
    done = sync.take_in(sync.session.scan_disk())
    assert [entry.name for entry in done.loaded] == ["New one"] and [p.path for p in done.failed] == [broken]
    assert sync.session.find("procedure", "New one") is not None and broken in sync.session.problems
    broken.write_text('{"name": "Fixed", "steps": []}')
    assert [entry.name for entry in sync.take_in(sync.session.scan_disk()).loaded] == ["Fixed"]


def test_a_restored_draft_on_a_file_changed_since_is_asked_about_never_dropped(desk_copy: Path) -> None:
    crashed = EditSession.load(desk_copy)
    connector = crashed.find("connector", "Get orders")
    assert connector is not None
    connector.drafts.texts = {"headers": Draft(text='{"X-Trace": }', line=1, column=13, message="not valid JSON")}
    connector.touch()
    journal = Journal(desk_copy)
    journal.open()
    journal.write(unsaved_items(crashed))
    journal.abandon()
    session = EditSession.load(desk_copy)
    reopened = Journal(desk_copy)
    reopened.open()
    (restored,), problems = restore(session, reopened.left_behind())
    assert not problems and restored.entry.dirty
    sync = DiskSync(session)
    path = restored.entry.path
    path.write_bytes(path.read_bytes().replace(b'"GET"', b'"POST"'))
    done = sync.take_in(session.scan_disk())
    assert done.ask == [restored.entry] and not done.reloaded
    sync.answer(restored.entry, reload=False)
    assert restored.entry.drafts.text("headers") == '{"X-Trace": }'
    report = save_all(session)
    assert [refusal.entry for refusal in report.refused] == [restored.entry]
    assert report.refused[0].reasons == ["headers: not valid JSON at 1:13 — not saved"]
    assert b'"POST"' in path.read_bytes(), "the file as changed on disk is left alone"
    reopened.close()


def test_a_scan_while_another_is_under_way_finds_nothing_to_do(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync, entry = _sync(desk_copy)
    _rewrite(entry.path, "Changed")
    overlapping: list[DiskChanges | None] = []
    scan_disk = EditSession.scan_disk

    def slow_scan(session: EditSession) -> DiskChanges:
        overlapping.append(sync.scan())  # the next tick of the watch, while this scan still reads the disk
        return scan_disk(session)

    monkeypatch.setattr(EditSession, "scan_disk", slow_scan)
    changes = sync.scan()
    assert overlapping == [None] and changes is not None and changes.changed == [entry]
    monkeypatch.undo()
    assert sync.scan() is not None, "the scan done, the next one runs"


def test_files_the_app_wrote_are_taken_in_as_files_changed_on_disk(desk_copy: Path) -> None:
    """An import or an Intercom pull writes files, then takes in just those: a saved item is reloaded, an edited one
    is asked about (its edits never dropped unasked), a new file loads; other changes wait for the disk watch."""
    sync, saved = _sync(desk_copy)
    edited = sync.session.find("procedure", "Refund request")
    other = sync.session.find("connector", "Get orders")
    assert edited is not None and other is not None
    _edit(edited, "Mine")
    _rewrite(saved.path, "Written by the app")
    _rewrite(edited.path, "Also written by the app")
    _rewrite(other.path, "Changed by another editor")
    new = desk_copy / "procedures" / "pulled.json"
    new.write_text('{"name": "Pulled", "steps": []}')
    done = sync.take_in_written([saved.path, edited.path, new])
    assert done.reloaded == [Reload(saved)] and saved.model.description == "Written by the app" and not saved.dirty
    assert done.ask == [edited] and edited.model.description == "Mine" and edited.dirty
    assert [entry.name for entry in done.loaded] == ["Pulled"] and sync.session.find("procedure", "Pulled")
    assert sync.take_in_written([saved.path, new]) == Reconciled(), "taken in once"
    assert set(sync.session.scan_disk().changed) == {edited, other}, "the rest is the disk watch's to find"


def test_a_file_taken_in_at_once_is_not_loaded_twice_by_a_scan_made_before(desk_copy: Path) -> None:
    """The disk watch scans off the UI thread while an import writes and takes its files in: the scan's news of
    the new file comes after it was loaded, and is old news (not a second item with the same name, a failure)."""
    sync, _ = _sync(desk_copy)
    new = desk_copy / "procedures" / "imported.json"
    new.write_text('{"name": "Imported", "steps": []}')
    scanned = sync.scan()
    assert scanned is not None and scanned.added == [new]
    assert [entry.name for entry in sync.take_in_written([new]).loaded] == ["Imported"]
    late = sync.take_in(scanned)
    assert late == Reconciled() and new not in sync.session.problems
    assert [entry.path for entry in sync.session.entries].count(new) == 1

"""The recovery journal: unsaved edits kept outside the workspace, found after a crash, restored without
overwriting a file that changed since."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workbench.editing.drafts import Draft, set_draft
from workbench.editing.edit_session import EditSession
from workbench.editing.recovery import Journal, fingerprint, restore, unsaved_items, workspace_key
from workbench.model import Procedure
from workbench.state_files import state_dir
from workbench.store import to_data


def _edited(desk: Path) -> EditSession:
    """A session of the desk with unsaved edits in a procedure, a connector and a new scenario."""
    session = EditSession.load(desk)
    procedure = session.find("procedure", "Order status")
    assert procedure is not None
    procedure.model.description = "Edited, not saved"
    procedure.touch()
    connector = session.find("connector", "Get orders")
    assert connector is not None
    connector.model.description = "Also edited"
    connector.touch()
    session.create("procedure", Procedure(name="Brand new"))
    return session


def _crashed(desk: Path, session: EditSession) -> None:
    """Journal the session's unsaved edits, then end as a crash does (files left, locks let go)."""
    journal = Journal(desk)
    journal.open()
    journal.write(unsaved_items(session))
    journal.abandon()


def test_the_journal_lives_in_the_state_folder_never_in_the_workspace(desk_copy: Path) -> None:
    before = sorted(desk_copy.rglob("*"))
    journal = Journal(desk_copy)
    journal.open()
    journal.write(unsaved_items(_edited(desk_copy)))
    assert journal.path.parent == state_dir() / "recovery" and journal.path.is_file()
    assert journal.path.name.startswith(workspace_key(desk_copy) + ".")
    assert workspace_key(desk_copy).startswith("support-desk-")
    assert sorted(desk_copy.rglob("*")) == before
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600  # the user's eyes only
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700
    journal.close()


def test_only_items_that_differ_from_their_file_are_journaled(desk_copy: Path) -> None:
    session = _edited(desk_copy)
    touched = session.find("procedure", "Refund request")
    assert touched is not None
    touched.touch()  # marked edited, yet the same as the file
    items = unsaved_items(session)
    assert sorted(item.label() for item in items) == [
        "connector 'Get orders' (connectors/get-orders.json)",
        "procedure 'Brand new' (procedures/brand-new.json)",
        "procedure 'Order status' (procedures/order-status.json)",
    ]
    edited = next(item for item in items if item.name == "Order status")
    assert edited.base == fingerprint((desk_copy / "procedures" / "order-status.json").read_bytes())
    assert edited.data == to_data(session.find("procedure", "Order status").model)  # what a save would write
    assert next(item for item in items if item.name == "Brand new").base is None


def test_a_crashed_session_is_found_and_restored_as_unsaved(desk_copy: Path) -> None:
    before = {path: path.read_bytes() for path in desk_copy.rglob("*.json")}
    _crashed(desk_copy, _edited(desk_copy))
    session = EditSession.load(desk_copy)
    journal = Journal(desk_copy)
    journal.open()
    lefts = journal.left_behind()
    assert [len(left.items) for left in lefts] == [3] and lefts[0].problem is None
    restored, problems = restore(session, lefts)
    assert not problems
    assert sorted(item.entry.name for item in restored) == ["Brand new", "Get orders", "Order status"]
    assert not any(item.changed_on_disk for item in restored)
    assert all(item.entry.dirty for item in restored)
    assert session.find("procedure", "Order status").model.description == "Edited, not saved"
    assert session.find("connector", "Get orders").model.description == "Also edited"
    assert {path: path.read_bytes() for path in desk_copy.rglob("*.json")} == before  # nothing written
    journal.forget(lefts)
    assert not lefts[0].path.exists() and not Journal(desk_copy).left_behind()
    journal.close()


def test_a_file_changed_since_is_never_overwritten_the_edits_are_unsaved_on_top(desk_copy: Path) -> None:
    _crashed(desk_copy, _edited(desk_copy))
    changed = desk_copy / "procedures" / "order-status.json"
    new_bytes = changed.read_bytes().replace(b"where their order", b"where the order")
    changed.write_bytes(new_bytes)
    (desk_copy / "connectors" / "get-orders.json").unlink()
    session = EditSession.load(desk_copy)
    journal = Journal(desk_copy)
    journal.open()
    restored = {item.entry.name: item for item in restore(session, journal.left_behind())[0]}
    assert restored["Order status"].changed_on_disk and restored["Get orders"].changed_on_disk
    assert not restored["Brand new"].changed_on_disk
    order_status = restored["Order status"].entry
    assert order_status.document.raw == new_bytes and order_status.dirty  # on top of the new file
    assert order_status.model.description == "Edited, not saved"
    assert changed.read_bytes() == new_bytes
    assert restored["Get orders"].entry.document.raw is None  # deleted since: comes back as a new item
    journal.close()


def test_a_running_session_s_journal_is_not_offered(desk_copy: Path) -> None:
    running = Journal(desk_copy)
    running.open()
    running.write(unsaved_items(_edited(desk_copy)))
    other = Journal(desk_copy)
    other.open()
    assert other.left_behind() == []
    running.close()
    assert not running.path.exists()
    assert other.left_behind() == []  # closed cleanly: nothing left behind
    other.close()


def test_a_journal_is_offered_to_one_session_only(desk_copy: Path) -> None:
    _crashed(desk_copy, _edited(desk_copy))
    first, second = Journal(desk_copy), Journal(desk_copy)
    first.open()
    second.open()
    assert len(first.left_behind()) == 1 and second.left_behind() == []
    first.abandon()  # undecided: still there for the next session
    assert len(second.left_behind()) == 1
    second.close()


def test_another_workspace_s_journal_is_not_offered(desk_copy: Path, tmp_path: Path) -> None:
    _crashed(desk_copy, _edited(desk_copy))
    elsewhere = tmp_path / "other" / "support-desk"
    elsewhere.mkdir(parents=True)
    journal = Journal(elsewhere)
    journal.open()
    assert journal.left_behind() == []
    journal.close()


def test_nothing_unsaved_leaves_no_journal(desk_copy: Path) -> None:
    journal = Journal(desk_copy)
    journal.open()
    journal.write(unsaved_items(_edited(desk_copy)))
    journal.write([])
    assert not journal.path.exists()
    journal.close()


def test_a_damaged_journal_is_named_and_kept(desk_copy: Path) -> None:
    _crashed(desk_copy, _edited(desk_copy))
    journal = Journal(desk_copy)
    journal.open()
    damaged = next(journal.folder.glob(f"{journal.key}.*.json"))
    damaged.write_text('{"format": 1, "items": [{"kind": "procedure", "path": "../../etc/passwd"}]}')
    (left,) = journal.left_behind()
    assert left.items == [] and left.problem is not None and str(damaged) in left.problem
    journal.abandon()
    assert damaged.exists()


def test_an_item_that_no_longer_validates_is_reported_not_restored(desk_copy: Path) -> None:
    _crashed(desk_copy, _edited(desk_copy))
    journal = Journal(desk_copy)
    journal.open()
    (left,) = journal.left_behind()
    bad = next(item for item in left.items if item.name == "Order status")
    bad.data["steps"] = "not a list"
    session = EditSession.load(desk_copy)
    restored, problems = restore(session, [left])
    assert sorted(item.entry.name for item in restored) == ["Brand new", "Get orders"]
    assert len(problems) == 1 and problems[0].startswith("procedure 'Order status'")
    journal.close()


def test_the_state_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert state_dir() == tmp_path / "state" / "workbench"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")
    assert state_dir() == Path(os.environ["HOME"]) / ".local" / "state" / "workbench"


def test_a_closed_journal_is_never_written_again(desk_copy: Path) -> None:
    """A journaling worker that finishes after the app quit cleanly must not leave edits to be offered."""
    journal = Journal(desk_copy)
    journal.open()
    items = unsaved_items(_edited(desk_copy))
    journal.close()
    journal.write(items)
    assert not journal.path.exists()
    assert Journal(desk_copy).left_behind() == []


def test_the_journal_holds_no_secret_value(desk_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal holds what saving would write: ``{{secret.NAME}}`` placeholders, never their values."""
    monkeypatch.setenv("SHOP_TOKEN", "tok-live-9c1e77")
    (desk_copy / ".env").write_text("BILLING_API_KEY=bill-key-41d2\n")
    session = _edited(desk_copy)
    session.settings.model.name = "Edited desk"
    session.settings.touch()
    journal = Journal(desk_copy)
    journal.open()
    journal.write(unsaved_items(session))
    raw = journal.path.read_bytes()
    assert b"{{secret.SHOP_TOKEN}}" in raw and b"{{secret.BILLING_API_KEY}}" in raw
    assert b"tok-live-9c1e77" not in raw and b"bill-key-41d2" not in raw
    journal.close()


def test_a_draft_of_invalid_json_is_journaled_and_restored(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    connector = session.find("connector", "Get orders")
    assert connector is not None
    draft = Draft(text='{"X-Trace": ', line=1, column=13, message="not valid JSON")
    change = set_draft(connector.drafts, "headers", draft)
    assert change is not None
    change.apply()
    connector.touch()
    [item] = unsaved_items(session)  # only a draft: the model is as on disk
    assert item.drafts == {"headers": draft.model_dump()}
    _crashed(desk_copy, session)
    again = EditSession.load(desk_copy)
    journal = Journal(desk_copy)
    journal.open()
    [restored], problems = restore(again, journal.left_behind())
    assert problems == [] and restored.entry.name == "Get orders" and restored.entry.dirty
    assert restored.entry.drafts.text("headers") == '{"X-Trace": '
    journal.close()

"""Drafts are part of the item as edited, headless: unsaved, named by save, undone like any edit, merged with the
typing around them (issue 22, bugs 3 and 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.editing import operations as ops
from workbench.editing.drafts import Draft, Drafts, set_draft
from workbench.editing.edit_session import EditSession, SaveRefused
from workbench.editing.operations import Change

HALF = Draft(text='{\n  "Accept": "application/json",\n  "X-Trace": \n}', line=3, column=14, message="not valid JSON")


def _drafted(drafts: Drafts, field: str, draft: Draft | None) -> Change:
    """The change setting (or clearing) ``field``'s draft (the test fails here when it changes nothing)."""
    change = set_draft(drafts, field, draft)
    assert change is not None, "no change"
    return change


def test_a_draft_makes_the_item_unsaved_and_save_names_it(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.find("connector", "Get orders")
    assert entry is not None and not entry.refresh_dirty()
    before = entry.path.read_bytes()
    change = set_draft(entry.drafts, "headers", HALF)
    assert change is not None
    entry.history.do(change)
    assert entry.refresh_dirty() and session.dirty_entries() == [entry]
    with pytest.raises(SaveRefused, match=r"^headers: not valid JSON at 3:14 — not saved$"):
        session.save(entry)
    assert entry.path.read_bytes() == before
    entry.history.undo()
    assert not entry.drafts.texts and not entry.refresh_dirty()
    entry.history.redo()
    assert entry.drafts.text("headers") == HALF.text


def test_a_draft_is_forgotten_when_the_file_is_reloaded(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.find("connector", "Get orders")
    assert entry is not None
    entry.history.do(_drafted(entry.drafts, "headers", HALF))
    assert session.reload(entry) is None
    assert not entry.drafts.texts and not entry.refresh_dirty()


def test_typing_through_a_draft_to_a_value_undoes_as_one_operation(desk_copy: Path) -> None:
    """Value, draft, value again: one key, one undo back to the start (fields the run touched later included)."""
    session = EditSession.load(desk_copy)
    entry = session.find("connector", "Get orders")
    assert entry is not None
    model, history, key = entry.model, entry.history, ("json", "headers")
    original = dict(model.request.headers)
    history.do(ops.set_field(model, "request.headers", {"Accept": "text/plain"}), key)
    history.do(_drafted(entry.drafts, "headers", HALF), key)
    history.do(ops.set_field(model, "request.headers", {"Accept": "text/plain", "X-Trace": "1"}), key)
    history.do(_drafted(entry.drafts, "headers", None), key)
    assert len(history.undo_stack) == 1
    history.undo()
    assert model.request.headers == original and not entry.drafts.texts
    history.redo()
    assert model.request.headers == {"Accept": "text/plain", "X-Trace": "1"} and not entry.drafts.texts


def test_an_unchanged_draft_is_no_change(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.find("connector", "Get orders")
    assert entry is not None
    assert set_draft(entry.drafts, "headers", None) is None
    entry.history.do(_drafted(entry.drafts, "headers", HALF))
    assert set_draft(entry.drafts, "headers", HALF) is None

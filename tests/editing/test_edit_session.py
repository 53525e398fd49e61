"""The edit session: dirtiness, atomic byte-stable saves, noticing files changed on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.editing.edit_session import EditSession, SaveRefused
from workbench.model import Procedure


def test_dirty_follows_the_model(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.find("procedure", "Order status")
    assert entry is not None and not entry.dirty and not session.dirty_entries()
    entry.model.description = "Changed"
    entry.touch()
    assert entry.differs_from_disk() and session.dirty_entries() == [entry]
    entry.model.description = "The customer asks where their order is."
    assert not entry.refresh_dirty()


def test_save_renames_with_the_name_and_leaves_others_alone(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    raw = {path: path.read_bytes() for path in desk_copy.rglob("*.json")}
    entry = session.find("procedure", "Order status")
    assert entry is not None
    entry.model.name = "Where is my order"
    session.save(entry)
    assert entry.path == desk_copy / "procedures" / "where-is-my-order.json"
    assert not (desk_copy / "procedures" / "order-status.json").exists()
    unchanged = [path for path, data in raw.items() if path.exists() and path.read_bytes() == data]
    assert len(unchanged) == len(raw) - 1
    session.save(entry)  # saving an unchanged model leaves the bytes alone
    assert entry.path.read_bytes() == entry.document.raw


def test_a_new_item_never_overwrites_a_file(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    entry = session.create("procedure", Procedure(name="Order status 2"))
    assert entry.dirty and entry.path.name == "order-status-2.json"
    entry.path.write_text("{}")
    with pytest.raises(SaveRefused):
        session.save(entry)


def test_scan_finds_changed_added_removed_and_fixed_files(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    assert not session.scan_disk()
    changed = desk_copy / "procedures" / "order-status.json"
    changed.write_bytes(changed.read_bytes().replace(b"where their order", b"where the order"))
    (desk_copy / "connectors" / "get-orders.json").unlink()
    broken = desk_copy / "procedures" / "broken.json"
    broken.write_text('{"name": ')
    changes = session.scan_disk()
    assert [entry.name for entry in changes.changed] == ["Order status"]
    assert [entry.name for entry in changes.removed] == ["Get orders"]
    assert changes.added == [broken]
    problem = session.load_new(broken)
    assert not hasattr(problem, "model") and session.problems[broken].line == 1
    assert session.reload(changes.changed[0]) is None
    assert session.find("procedure", "Order status").model.description.startswith("The customer asks where the")
    broken.write_text('{"name": "Fixed", "steps": []}')
    assert session.scan_disk().broken == [broken]
    assert session.load_new(broken).name == "Fixed" and broken not in session.problems


def test_transformed_payloads_run_the_transform(desk_copy: Path) -> None:
    session = EditSession.load(desk_copy)
    payloads = session.transformed_payloads()
    assert "order_count" in payloads["Get order history"]
    assert session.transformed_payloads()["Get order history"] is payloads["Get order history"]  # cached
    session.payloads = payloads
    session.changed()
    assert "Get order history > order_count" in session.catalog().known_paths()

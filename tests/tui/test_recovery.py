"""Crash recovery in the app: the offer to restore what a crashed session left, a crash itself, a ``kill -9``."""

from __future__ import annotations

import multiprocessing
import signal
from functools import partial
from pathlib import Path

import orjson
import pytest
from textual.app import App
from textual.widgets import Static

from tests.conftest import run_workbench
from tests.tui import crash_child
from tests.tui.conftest import open_item, running, settle, told, workbench_of
from tests.tui.crash_child import JOURNAL_DELAY_S, READY
from tests.tui.editor_host import typed
from tests.waiting import wait_until
from workbench.editing.edit_session import EditSession
from workbench.editing.recovery import FOLDER, Journal, restore, unsaved_items, workspace_key
from workbench.editing.save_all import save_all
from workbench.model import Procedure
from workbench.state_files import log_path, state_dir
from workbench.tui import app as app_module
from workbench.tui.app import WorkbenchApp
from workbench.tui.recovery_glue import Recovery
from workbench.tui.screens.pickers import ChoiceScreen


@pytest.fixture(autouse=True)
def journal_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app journals unsaved edits within 50 ms instead of a second: a test waiting for the journal waits less."""
    monkeypatch.setattr(app_module, "Recovery", partial(Recovery, delay=JOURNAL_DELAY_S))


def _crash_with_edits(desk: Path) -> Path:
    """Leave a journal as a crashed session would: edits to a procedure and a connector, and a new procedure."""
    session = EditSession.load(desk)
    procedure = session.find("procedure", "Order status")
    connector = session.find("connector", "Get orders")
    assert procedure is not None and connector is not None
    procedure.model.description = "Restored description"
    connector.model.description = "Restored connector"
    for entry in (procedure, connector):
        entry.touch()
    session.create("procedure", Procedure(name="Written before the crash"))
    journal = Journal(desk)
    journal.open()
    journal.write(unsaved_items(session))
    journal.abandon()
    return journal.path


def _journals(desk: Path) -> list[Path]:
    return sorted((state_dir() / FOLDER).glob(f"{workspace_key(desk)}.*.json"))


async def _offer(pilot) -> str:
    """Wait for the restore offer; its text."""
    await wait_until(lambda: isinstance(pilot.app.screen, ChoiceScreen), pilot, what="the offer to restore")
    return "\n".join(str(widget.render()) for widget in pilot.app.screen.query(Static))


async def test_the_edits_of_a_crashed_session_are_offered_and_restored(desk_copy: Path) -> None:
    left = _crash_with_edits(desk_copy)
    before = {path: path.read_bytes() for path in desk_copy.rglob("*.json")}
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        offer = await _offer(pilot)
        assert "procedure 'Order status' (procedures/order-status.json)" in offer
        assert "connector 'Get orders' (connectors/get-orders.json)" in offer
        assert "procedure 'Written before the crash'" in offer and "changed on disk" not in offer
        await pilot.press("enter")  # Restore them (the default)
        await settle(pilot)
        assert app.session is not None
        restored = {entry.name: entry for entry in app.session.dirty_entries()}
        assert sorted(restored) == ["Get orders", "Order status", "Written before the crash"]
        assert restored["Order status"].model.description == "Restored description"
        assert restored["Get orders"].model.description == "Restored connector"
        assert "●" in str(app.tree.get_node_at_line(3).label)  # Get orders, marked unsaved in the tree
        assert {path: path.read_bytes() for path in desk_copy.rglob("*.json")} == before  # nothing written yet
        # The old journal goes once this session's holds the restored edits (a kill -9 meanwhile loses nothing).
        await wait_until(lambda: not left.exists(), pilot, what="the old journal to go")
        (journal,) = _journals(desk_copy)
        assert journal == app.recovery.journal.path and b"Restored description" in journal.read_bytes()
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = orjson.loads((desk_copy / "procedures" / "order-status.json").read_bytes())
    assert saved["description"] == "Restored description"
    assert (desk_copy / "procedures" / "written-before-the-crash.json").is_file()
    assert _journals(desk_copy) == []  # a clean exit leaves no journal


async def test_the_edits_of_a_crashed_session_can_be_discarded(desk_copy: Path) -> None:
    left = _crash_with_edits(desk_copy)
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        await _offer(pilot)
        await pilot.press("right", "enter")  # Discard them
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceScreen)
        assert app.session is not None and app.session.dirty_entries() == []
        assert not left.exists()
    assert _journals(desk_copy) == []  # nothing for the next session to offer again


async def test_a_file_changed_since_is_not_overwritten(desk_copy: Path) -> None:
    _crash_with_edits(desk_copy)
    changed = desk_copy / "procedures" / "order-status.json"
    new_bytes = changed.read_bytes().replace(b"where their order", b"where the order")
    changed.write_bytes(new_bytes)
    async with running(desk_copy) as pilot:
        app = workbench_of(pilot)
        offer = await _offer(pilot)
        assert "procedure 'Order status' (procedures/order-status.json) — changed on disk since" in offer
        await pilot.press("enter")
        await settle(pilot)
        assert app.session is not None
        entry = app.session.find("procedure", "Order status")
        assert entry is not None and entry.dirty and entry.model.description == "Restored description"
        assert entry.document.raw == new_bytes  # the edits sit on top of the file as it is now
        assert "Changed on disk since your edits: Order status" in told(app)
    assert changed.read_bytes() == new_bytes


async def test_a_crash_keeps_the_unsaved_edits_and_logs_the_traceback(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "tok-3f9a7c5e1b"
    monkeypatch.setenv("SHOP_TOKEN", secret)

    def explode() -> None:
        raise RuntimeError(f"GET https://shop.example/orders?token={secret} failed")

    with pytest.raises(RuntimeError, match="failed"):
        async with running(desk_copy) as pilot:
            app = workbench_of(pilot)
            assert app.session is not None
            entry = app.session.find("procedure", "Order status")
            assert entry is not None
            await open_item(pilot, "procedure", "Order status")
            await typed(pilot, "enter", *"Unsaved words ")
            await wait_until(lambda: entry.dirty, pilot, what="the edit")
            app.call_later(explode)
            await wait_until(lambda: app.recovery.crash_report is not None, pilot, what="the crash")
    report = app.recovery.crash_report
    assert report is not None and str(log_path()) in report and "reopen" in report
    (journal,) = _journals(desk_copy)
    assert str(journal) in report
    (item,) = orjson.loads(journal.read_bytes())["items"]
    assert item["path"] == "procedures/order-status.json" and "Unsaved words " in item["data"]["steps"][0]["text"]
    log = log_path().read_text(encoding="utf-8")
    assert "RuntimeError: GET https://shop.example/orders?token=*** failed" in log and "in explode" in log
    assert secret not in log


@pytest.mark.app  # the app runs in a child process, where the collection hook does not look
def test_after_kill_9_reopening_restores_all_three_items(desk_copy: Path) -> None:
    """The real app in a forked child process, unsaved edits in three procedures, ``kill -9``; the next session finds the
    journal it left (its lock went with the process) and restores all three, which then save.

    The next session is the journal and the restore the app runs when it opens (headless here): how the app offers
    and restores a journal is test_the_edits_of_a_crashed_session_are_offered_and_restored's."""
    texts = ["One. ", "Two. ", "Six. "]  # a few keys each: the kill is the point, not the typing
    fork = multiprocessing.get_context("fork")
    heard, tell = fork.Pipe(duplex=False)
    child = fork.Process(target=crash_child.run, args=(desk_copy, texts, tell), name="crash-child")
    child.start()  # forked: this test's XDG_STATE_HOME and the imported app come along
    tell.close()
    try:
        said = heard.recv() if heard.poll(240) else None
        assert said == READY, f"the child did not journal its edits: {said!r} {child.exitcode}"
    finally:
        child.kill()  # SIGKILL
        child.join(60)
    assert child.exitcode == -signal.SIGKILL
    assert len(_journals(desk_copy)) == 1
    names = ["Cancel subscription", "Loyalty perks", "Order status"]  # the first procedures of the tree
    journal = Journal(desk_copy)  # the next session's, as the app opens it
    journal.open()
    lefts = journal.left_behind()
    session = EditSession.load(desk_copy)
    restored, problems = restore(session, lefts)
    assert problems == [] and sorted(item.entry.name for item in restored) == names
    for name, text in zip(names, texts, strict=True):
        entry = session.find("procedure", name)
        assert entry is not None and entry.dirty
        assert entry.model.steps[0].text.startswith(text)
    assert not save_all(session).refused
    journal.forget(lefts)
    journal.close()
    for name, text in zip(names, texts, strict=True):
        slug = name.lower().replace(" ", "-")
        saved = orjson.loads((desk_copy / "procedures" / f"{slug}.json").read_bytes())
        assert saved["steps"][0]["text"].startswith(text)
    assert _journals(desk_copy) == []


def test_the_command_says_where_the_traceback_and_the_edits_are(
    desk_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = WorkbenchApp._loaded

    def loaded_then_crash(app: WorkbenchApp, session: EditSession) -> None:
        loaded(app, session)
        entry = session.find("procedure", "Order status")
        assert entry is not None
        entry.model.description = "Not saved before the crash"
        entry.touch()
        app.call_later(_explode)

    monkeypatch.setattr(WorkbenchApp, "_loaded", loaded_then_crash)
    monkeypatch.setattr(WorkbenchApp, "run", lambda app: App.run(app, headless=True, size=(120, 36)))
    result = run_workbench(desk_copy)
    assert result.returncode == 1
    (journal,) = _journals(desk_copy)
    told = result.stderr.replace("\n", " ")
    assert f"The traceback is in {log_path()}." in told
    assert f"Your unsaved edits (1 item(s)) are kept in {journal}; reopen {desk_copy} to restore them." in told


def _explode() -> None:
    raise RuntimeError("a bug")

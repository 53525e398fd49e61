"""Issue 28's done-when, headless: a procedure computing a partial refund with ``decimal`` in a code step, reading
two of its outputs (one nested) and branching on one, lints clean, runs, steps in the debugger, is pinned by a
recorded scenario that replays green, survives renames; ``import os`` or a read not yet available is a lint error
with its line; ``export intercom`` names the code step it leaves behind."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.conftest import run_workbench
from tests.engine.build import Watcher
from tests.scenarios.desk import run_file
from tests.scenarios.refund_desk import REFUND, write_refund_procedure
from workbench.engine import Run, RunOptions, ScriptedAgent, run_procedure
from workbench.events import CodeRan
from workbench.scenarios import save_recording
from workbench.store import load_workspace


def _lint(desk: Path) -> list[dict[str, Any]]:
    result = run_workbench("lint", desk, "--format", "json")
    return json.loads(result.stdout)["findings"]


async def test_the_refund_procedure_lints_clean_runs_and_is_pinned_by_its_recording(desk_copy: Path) -> None:
    write_refund_procedure(desk_copy)
    assert run_workbench("lint", desk_copy).returncode == 0

    options = RunOptions()
    result = await run_procedure(load_workspace(desk_copy), "Partial refund", ScriptedAgent(), options)
    assert (result.outcome, result.path[-1]) == ("handoff", "approve"), result.error
    assert "Offer 55.23 back; the restocking fee is 9.75." in result.messages
    [ran] = [event.payload for event in result.events if isinstance(event.payload, CodeRan)]
    assert ran.inputs == {"Get orders": result.context.resolve("Get orders").value}
    assert ran.outputs == {"amount": "55.23", "partial": True, "breakdown": {"fee": "9.75", "currency": "USD"}}

    path, saved, notes = save_recording("partial-refund", load_workspace(desk_copy), "Partial refund", options, result)
    assert notes == []
    assert saved.expect.attributes == {
        "Refund > amount": "55.23",
        "Refund > partial": True,
        "Refund > breakdown > fee": "9.75",
        "Refund > breakdown > currency": "USD",
    }
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()

    write_refund_procedure(desk_copy, REFUND.replace('"0.15"', '"0.20"'))  # the fee changes: the recording says so
    report = await run_file(desk_copy, path)
    assert report.status == "failed"
    assert "attributes > Refund > amount" in report.explanation()

    write_refund_procedure(desk_copy)
    assert run_workbench("rename", desk_copy, "code", "Refund", "Refund offer").returncode == 0
    assert run_workbench("rename", desk_copy, "connector", "Get orders", "Fetch orders").returncode == 0
    renamed = json.loads((desk_copy / "procedures" / "partial-refund.json").read_text())
    assert renamed["steps"][1]["name"] == "Refund offer"
    assert 'inputs["temporary"]["Fetch orders"]' in renamed["steps"][1]["code"]
    assert "@read(Refund offer > breakdown > fee)" in renamed["steps"][2]["text"]
    assert _lint(desk_copy) == []
    report = await run_file(desk_copy, path)
    assert report.status == "passed", report.explanation()

    exported = run_workbench("export", "intercom", desk_copy, "-o", desk_copy / "out.json")
    assert "code step 'compute' (Refund offer) is procedure content" in exported.stderr


async def test_stepping_into_the_code_step_pauses_before_it_then_shows_its_outputs(desk_copy: Path) -> None:
    write_refund_procedure(desk_copy)
    watcher = Watcher()
    run = Run(load_workspace(desk_copy), "Partial refund", ScriptedAgent(), RunOptions(), watcher)
    run.toggle_breakpoint("compute")
    task = asyncio.create_task(run.run())
    paused = await watcher.next("paused")
    assert paused.step == "compute"
    assert not run.context.resolve("Refund").found
    run.step()
    ran = await watcher.next("code_ran")
    await watcher.next("paused")
    assert ran.step == "compute"
    assert run.context.resolve("Refund > breakdown > fee").value == "9.75"
    run.resume()
    assert (await task).outcome == "handoff"


def test_importing_os_or_reading_what_is_not_yet_there_is_a_lint_error_with_its_line(desk_copy: Path) -> None:
    write_refund_procedure(desk_copy, REFUND.replace("from decimal", "import os\nfrom decimal"))
    [finding] = _lint(desk_copy)
    assert (finding["rule"], finding["step"], finding["field"], finding["line"]) == ("code-error", "compute", "code", 1)
    assert "module 'os' is not available" in finding["message"]

    late = REFUND.replace('order["total"]["currency"]', 'inputs["temporary"]["Issue refund"]["refund_id"]')
    write_refund_procedure(desk_copy, late)
    [finding] = _lint(desk_copy)
    assert (finding["rule"], finding["step"], finding["field"], finding["line"]) == (
        "attribute-before-call",
        "compute",
        "code",
        8,
    )
    assert "Issue refund is not called before this step" in finding["message"]

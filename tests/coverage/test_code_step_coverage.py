"""Coverage counts a code step as a step, and its error path as an arm taken when its code fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.coverage.routes import line_of, load, run_scenarios, write_files
from workbench.coverage import measure
from workbench.coverage.reach import CannotReach, reach


def test_a_code_step_and_its_error_path_are_counted(tmp_path: Path) -> None:
    procedure = {
        "name": "Compute",
        "steps": [
            {"id": "ask", "type": "collect", "attribute": "Conversation > n", "value_type": "integer"},
            {
                "id": "divide",
                "type": "code",
                "name": "Ratio",
                "code": 'return {"r": 10 / inputs["conversation"]["n"]}',
                "on_error": [{"id": "oops", "type": "end", "outcome": "escalated"}],
            },
            {"id": "say", "type": "instruction", "text": "@read(Ratio > r)"},
        ],
    }
    scenarios = {
        f"scenarios/s{n}.json": {"name": f"S{n}", "procedure": "Compute", "answers": {"ask": n}} for n in (0, 2)
    }
    root = write_files(tmp_path / "ws", {"procedures/compute.json": procedure, **scenarios})
    workspace = load(root)
    report = measure(workspace, run_scenarios(workspace))
    [compute] = report.procedures
    assert str(compute.ratio("step")) == "4/4 100.0%"
    arms = {measured.item.key: measured.hits for measured in compute.items if measured.item.kind == "arm"}
    assert arms == {("divide", "on_error"): 1}
    [arm] = [measured.item for measured in compute.items if measured.item.kind == "arm"]
    assert (arm.line, arm.column) == line_of(root / "procedures" / "compute.json", '"on_error"')
    with pytest.raises(CannotReach, match="runs when its code fails"):
        reach(workspace, arm)

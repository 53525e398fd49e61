"""Coverage counted from scenario runs: steps, arms, call outcomes and answer classes, located in the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.coverage.routes import LATE, line_of, load, routes_workspace, run_scenarios, write_files
from workbench.coverage import Hits, measure
from workbench.engine import RunOptions, ScriptedAgent
from workbench.engine.runner import Run


def test_the_built_workspace_gives_exactly_its_numbers_and_locates_what_is_missing(tmp_path: Path) -> None:
    root = routes_workspace(tmp_path / "routes")
    workspace = load(root)
    report = measure(workspace, run_scenarios(workspace))
    [route] = report.procedures
    assert (report.runs, str(route.ratio("step")), str(route.ratio("arm"))) == (2, "4/6 66.7%", "2/4 50.0%")
    assert report.ratio("arm").percent == 50.0
    path = root / "procedures" / "route.json"
    missing = [(item.item.line, item.item.column, item.missing) for item in route.missing]
    call_site = line_of(path, '"text": "@call(Get order)"')
    assert missing == [
        # the call site: success met, none of the failures the engine can give a plain connector
        *(
            (*call_site, f"`Get order` at `lookup`: a `{reason}` error never met")
            for reason in ("timeout", "network", "third_party_status", "response_mapping", "response_too_large")
        ),
        (*line_of(path, '"on_error"'), "on_error path of `lookup` never taken"),
        (*line_of(path, '"id": "failed"'), "step `failed` (end) never reached"),
        (*line_of(path, '"when"', 2), f"branch 1 of `route` (code: `{LATE}`) never taken"),
        (*line_of(path, '"id": "late"'), "step `late` (instruction) never reached"),
    ]
    assert str(route.ratio("outcome")) == "1/6 16.7%"


def test_failures_rules_and_answers_are_counted_where_defined(tmp_path: Path) -> None:
    caller = {
        "name": "Caller",
        "steps": [
            {"id": "ask", "type": "collect", "attribute": "Conversation > n", "value_type": "integer"},
            {"id": "sub", "type": "subprocedure", "procedure": "Callee"},
        ],
    }
    callee = {
        "name": "Callee",
        "steps": [
            {
                "id": "call",
                "type": "instruction",
                "text": "@call(Rules)",
                "on_error": [{"id": "oops", "type": "end", "outcome": "escalated"}],
            },
            {
                "id": "mood",
                "type": "condition",
                "branches": [{"when": {"describe": "the customer is upset"}, "steps": []}],
            },
        ],
    }
    rules = {
        "name": "Rules",
        "request": {"url": "https://x.example/{{n}}"},
        "inputs": [{"name": "n", "type": "integer", "source": "Conversation > n"}],
        "response": {
            "mode": "dynamic",
            "example": {"body": {}},
            "rules": [
                {"name": "one", "when": [{"input": "n", "value": 1}], "response": {"body": {"ok": True}}},
                {"when": [{"input": "n", "value": 2}], "response": {"status": 503}},
                {"when": [{"input": "n", "value": 3}], "response": {"fault": "timeout"}},
            ],
        },
    }
    scenarios = {
        f"s{n}": {"name": f"S{n}", "procedure": "Caller", "answers": {"ask": answer}, "decisions": {"mood": mood}}
        for n, answer, mood in ((1, ["lots", 1], True), (2, 2, False))
    }
    root = write_files(
        tmp_path / "ws",
        {
            "connectors/rules.json": rules,
            "procedures/caller.json": caller,
            "procedures/callee.json": callee,
            **{f"scenarios/{stem}.json": data for stem, data in scenarios.items()},
        },
    )
    workspace = load(root)
    report = measure(workspace, run_scenarios(workspace))
    by_name = {procedure.name: procedure for procedure in report.procedures}
    callee_report, caller_report = by_name["Callee"], by_name["Caller"]
    assert str(caller_report.ratio("step")) == "2/2 100.0%"  # the callee's steps count in the callee
    assert str(callee_report.ratio("step")) == "3/3 100.0%"
    hits = {measured.item.key: measured.hits for measured in callee_report.items if measured.item.kind != "step"}
    assert hits == {
        ("call", "on_error"): 1,
        ("call", "Rules", "success"): 1,
        ("call", "Rules", "timeout"): 0,
        ("call", "Rules", "network"): 0,
        ("call", "Rules", "third_party_status"): 1,
        ("call", "Rules", "response_mapping"): 0,
        ("call", "Rules", "response_too_large"): 0,
        ("call", "Rules", "rule 0"): 1,
        ("call", "Rules", "rule 1"): 1,
        ("call", "Rules", "rule 2"): 0,
        ("mood", "0"): 1,
        ("mood", "else"): 0,
    }
    missing = {measured.missing for measured in callee_report.missing}
    assert "`Rules` at `call`: dynamic rule 2 answering never met" in missing
    assert "`Rules` at `call`: a `timeout` error never met" in missing
    [answers] = caller_report.answers
    assert (answers.site.step, answers.classes) == ("ask", ["1", "2", "refused"])
    assert (answers.site.line, answers.site.column) == line_of(root / "procedures" / "caller.json", '"id": "ask"')
    [decisions] = callee_report.answers
    assert (decisions.site.kind, decisions.classes) == ("describe", ["branch 0: yes"])


def test_counts_merge_and_survive_json(tmp_path: Path) -> None:
    workspace = load(routes_workspace(tmp_path / "routes"))
    hits = run_scenarios(workspace)
    again = Hits.from_json(hits.to_json())
    again.merge(Hits.from_json(hits.to_json()))
    assert again.runs == 4 and all(again.counts[key] == 2 * count for key, count in hits.counts.items())
    bads: list[Any] = [
        [],
        {"runs": 1, "counts": [["step", "P", -1]]},
        {"runs": True, "counts": []},
        {"counts": [[1, 2]]},
    ]
    for bad in bads:
        with pytest.raises(ValueError):
            Hits.from_json(bad)


async def test_a_debugger_run_is_not_a_scenario(tmp_path: Path) -> None:
    """Only the runs a caller hands over count: the app's debugger never does (the report says 0 runs)."""
    workspace = load(routes_workspace(tmp_path / "routes", scenarios={}))
    result = await Run(workspace, "Route", ScriptedAgent(), RunOptions()).run()
    assert result.path == ["lookup", "route", "shipped", "done"]
    report = measure(workspace, Hits())
    assert report.runs == 0 and str(report.procedures[0].ratio("step")) == "0/6 0.0%"

"""JUnit XML: counts, failures with their explanation, errors for bad scenarios, only characters XML can hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.scenarios.desk import sample, write
from workbench.scenarios import ScenarioRunner, collect_cases, write_junit
from workbench.store import load_workspace


async def test_junit_reports_every_scenario(desk_copy: Path, tmp_path: Path) -> None:
    data = sample("cancel-with-a-reason")
    data["expect"]["outcome"] = "handoff"
    data["name"] = "Cancel with a reason \x07"
    write(desk_copy, "cancel-with-a-reason", data)
    (desk_copy / "scenarios" / "broken.json").write_text("{")
    workspace = load_workspace(desk_copy)
    reports = await ScenarioRunner(workspace).run_all(collect_cases(workspace))
    target = tmp_path / "out" / "junit.xml"
    write_junit(reports, target, suite="Support desk", duration_s=1.5)

    root = ET.parse(target).getroot()
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "Support desk"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (str(len(reports)), "1", "1")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert len(cases) == len(reports)
    failed = cases["Cancel with a reason \ufffd"]
    assert failed.get("classname") == "Cancel subscription"
    failure = failed.find("failure")
    assert (
        failure is not None
        and failure.get("message") == "outcome: the run ended resolved: Your subscription is cancelled."
    )
    assert "expected: 'handoff'" in (failure.text or "")
    error = cases["broken"].find("error")
    assert error is not None and "broken.json:1:2: invalid JSON" in (error.get("message") or "")
    assert cases["Big order ships in parts"].find("failure") is None
    assert cases["Big order ships in parts"].get("file", "").endswith("big-order-ships-in-parts.json")

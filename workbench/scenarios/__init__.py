"""Scenario tests: pinned runs of a procedure, checked against expectations.

Public API::

    from workbench.scenarios import ScenarioRunner, collect_cases

    cases = collect_cases(workspace, pattern=None)      # every scenarios/*.json, loaded or not
    runner = ScenarioRunner(workspace)
    reports = await runner.run_all(cases, jobs=8, on_report=callback)   # or: await runner.run(case)
    report.status          # "passed" | "failed" (unmet expectations) | "error" (the scenario is bad input)
    report.explanation()   # expected against actual, where the paths diverged, the last events before it

    write_junit(reports, path, suite="Support desk", duration_s=1.2)    # JUnit XML for CI
    record(result, procedure=, options=, name=) -> (Scenario, notes)   # a run as a scenario (``--save-scenario``)

``workbench test`` (workbench/cli/test.py) and the pytest plugin (workbench/pytest_plugin.py, entry
point ``pytest11``) are the two front ends. Expectation semantics are documented on
:class:`workbench.model.Expectations`.
"""

from workbench.scenarios.expectations import Mismatch, compare, divergence
from workbench.scenarios.junit import write_junit
from workbench.scenarios.recording import record, save_recording
from workbench.scenarios.runner import DEFAULT_JOBS, ScenarioCase, ScenarioReport, ScenarioRunner, collect_cases
from workbench.scenarios.validate import check_scenario, reach

__all__ = [
    "DEFAULT_JOBS",
    "Mismatch",
    "ScenarioCase",
    "ScenarioReport",
    "ScenarioRunner",
    "check_scenario",
    "collect_cases",
    "compare",
    "divergence",
    "reach",
    "record",
    "save_recording",
    "write_junit",
]

"""pytest plugin (entry point ``pytest11``): scenario files as test items.

``pytest my-desk`` (or a path to one scenario file) collects every ``scenarios/*.json`` of a workbench
workspace as one test item, ``my-desk/scenarios/x.json::Scenario name``, run and judged exactly as
``workbench test`` does, with the same explanation on failure. Items are plain pytest items, so ``-k``,
``-m scenario``, JUnit (``--junitxml``) and pytest-xdist (``-n auto``) work unchanged. Only JSON files in
the ``scenarios`` folder of a workspace (a folder that also has ``workbench.json``, ``connectors/`` or
``procedures/``) are collected, and only when pytest is pointed at them; disable the plugin with
``-p no:workbench``. Heavy imports wait until a scenario is collected.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from workbench.visible import visible

if TYPE_CHECKING:
    from workbench.scenarios import ScenarioCase, ScenarioReport, ScenarioRunner

_WORKSPACES = pytest.StashKey[dict[Path, tuple["ScenarioRunner", dict[Path, "ScenarioCase"]]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario: a workbench scenario file (scenarios/*.json of a workspace)")
    config.stash[_WORKSPACES] = {}


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_WORKSPACES, None):
        from workbench import sandbox

        sandbox.shutdown()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".json" or file_path.parent.name != "scenarios":
        return None
    root = file_path.parent.parent
    # A scenarios folder alone (say tests/scenarios/ with fixture data) does not make a workspace.
    if not ((root / "workbench.json").is_file() or (root / "connectors").is_dir() or (root / "procedures").is_dir()):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    """A scenario file: it holds one scenario."""

    def collect(self) -> list[pytest.Item]:
        from workbench.scenarios import ScenarioCase
        from workbench.store import LoadProblem

        runner, cases = _workspace(self.config, self.path.parent.parent)
        case = cases.get(self.path.resolve()) or ScenarioCase(
            self.path, self.path.stem, problem=LoadProblem(self.path, 1, 1, "the file changed while tests ran")
        )
        # pytest prints the item's name and failure on the terminal: control characters are shown, not obeyed
        return [ScenarioItem.from_parent(self, name=visible(case.name, keep=""), runner=runner, case=case)]


def _workspace(config: pytest.Config, root: Path) -> tuple[ScenarioRunner, dict[Path, ScenarioCase]]:
    """The runner and the cases of a workspace, loaded once per session."""
    from workbench.scenarios import ScenarioRunner, collect_cases
    from workbench.store import load_workspace

    cache = config.stash[_WORKSPACES]
    key = root.resolve()
    if key not in cache:
        workspace = load_workspace(root)
        cache[key] = ScenarioRunner(workspace), {case.path.resolve(): case for case in collect_cases(workspace)}
    return cache[key]


class ScenarioFailed(Exception):
    """A scenario that failed or could not run; carries its report."""

    def __init__(self, report: ScenarioReport) -> None:
        super().__init__(report.headline)
        self.report = report


class ScenarioItem(pytest.Item):
    """One scenario, run by the engine with its scripted answers and mocks."""

    def __init__(self, *, runner: ScenarioRunner, case: ScenarioCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runner = runner
        self.case = case
        self.add_marker("scenario")

    def runtest(self) -> None:
        report = asyncio.run(self.runner.run(self.case))
        if not report.passed:
            raise ScenarioFailed(report)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            report = excinfo.value.report
            verdict = "failed" if report.status == "failed" else "could not run"
            procedure = f" (procedure {report.case.procedure!r})" if report.case.procedure else ""
            return visible(f"scenario {report.case.name!r}{procedure} {verdict}:\n{report.explanation()}")
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"

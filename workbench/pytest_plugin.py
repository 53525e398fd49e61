"""pytest plugin (entry point ``pytest11``): scenario files as test items.

``pytest my-desk`` (or a path to one scenario file) collects every ``scenarios/*.json`` of a workbench
workspace as one test item, ``my-desk/scenarios/x.json::Scenario name``, run and judged exactly as
``workbench test`` does, with the same explanation on failure. Items are plain pytest items, so ``-k``,
``-m scenario``, JUnit (``--junitxml``) and pytest-xdist (``-n auto``) work unchanged. Only JSON files in
the ``scenarios`` folder of a workspace (a folder that also has ``workbench.json``, ``connectors/`` or
``procedures/``) are collected, and only when pytest is pointed at them; disable the plugin with
``-p no:workbench``. Heavy imports wait until a scenario is collected.

``--workbench-coverage`` reports the procedure coverage of the scenario runs at the end, as ``workbench test
--coverage`` does (``--workbench-coverage-format``, ``--workbench-coverage-output FILE``, ``--workbench-fail-under
N``). Under pytest-xdist each worker sends its counts to the controller in its ``workeroutput``, which merges them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from workbench.visible import visible

if TYPE_CHECKING:
    from workbench.coverage import Hits
    from workbench.scenarios import ScenarioCase, ScenarioReport, ScenarioRunner

_WORKSPACES = pytest.StashKey[dict[Path, tuple["ScenarioRunner", dict[Path, "ScenarioCase"]]]]()
_HITS = pytest.StashKey[dict[Path, "Hits"]]()
"""The coverage counts by workspace root, when ``--workbench-coverage`` is on."""
_SHOWN = pytest.StashKey[list[str]]()
_WORKER_OUTPUT = "workbench_coverage"
_FORMATS = ("text", "json", "markdown", "lcov", "cobertura")  # workbench.coverage.output.FORMATS, without importing it


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workbench", "workbench scenarios")
    group.addoption(
        "--workbench-coverage",
        action="store_true",
        help="report which procedure steps, branch arms and connector outcomes the scenarios reached",
    )
    group.addoption("--workbench-coverage-format", choices=_FORMATS, default="text", help="the report's format")
    group.addoption("--workbench-coverage-output", metavar="FILE", help="write the report to FILE")
    group.addoption(
        "--workbench-fail-under", type=float, metavar="N", help="fail when fewer than N%% of the branch arms are taken"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario: a workbench scenario file (scenarios/*.json of a workspace)")
    config.stash[_WORKSPACES] = {}
    config.stash[_HITS] = {}
    config.stash[_SHOWN] = []
    fail_under = config.getoption("workbench_fail_under", None)
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise pytest.UsageError(f"--workbench-fail-under: expected a percentage from 0 to 100, got {fail_under:g}")


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
        if self.config.getoption("workbench_coverage") and report.result is not None:
            from workbench.coverage import Hits

            hits = self.config.stash[_HITS].setdefault(self.runner.workspace.root.resolve(), Hits())
            hits.add_run(report.result.events)
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


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist, on the controller: merge the counts a worker sent."""
    from workbench.coverage import Hits

    sent = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
    if sent is None:
        return
    merged = node.config.stash[_HITS]
    for root, data in json.loads(sent).items():
        merged.setdefault(Path(root), Hits()).merge(Hits.from_json(data))


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if not config.getoption("workbench_coverage"):
        return
    hits = config.stash[_HITS]
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller reports
        config.workeroutput[_WORKER_OUTPUT] = json.dumps(  # type: ignore[attr-defined]
            {str(root): counts.to_json() for root, counts in hits.items()}
        )
        return
    _report(session, hits)


def _report(session: pytest.Session, hits: dict[Path, Hits]) -> None:
    """Measure each workspace tested, keep what to show, and fail the session under ``--workbench-fail-under``."""
    from workbench.coverage import measure
    from workbench.coverage.output import below, shown
    from workbench.store import load_workspace

    config = session.config
    output = config.getoption("workbench_coverage_output")
    if output and len(hits) > 1:
        raise pytest.UsageError(f"--workbench-coverage-output takes one workspace; {len(hits)} were tested")
    for root, counts in sorted(hits.items()):
        report = measure(load_workspace(root), counts)
        try:
            text = shown(report, config.getoption("workbench_coverage_format"), Path(output) if output else None)
        except OSError as error:
            raise pytest.UsageError(f"--workbench-coverage-output {output}: cannot write it: {error}") from None
        failure = below(report, config.getoption("workbench_fail_under"))
        if failure is not None:
            text += f"{failure} (--workbench-fail-under)\n"
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        config.stash[_SHOWN].append(f"{root}\n{text}")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for shown_text in config.stash.get(_SHOWN, []):
        terminalreporter.section("workbench coverage")
        terminalreporter.write(shown_text)

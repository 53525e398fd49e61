"""The Scenarios tab's coverage: verdicts from the child process carry what their runs reached, and the board
merges the latest run of every scenario."""

from __future__ import annotations

from pathlib import Path

from tests.coverage.routes import load, routes_workspace
from workbench.coverage import measure
from workbench.scenarios.background import BackgroundRunner
from workbench.scenarios.board import ScenarioBoard, Verdict


def test_the_board_merges_the_latest_verdict_of_each_scenario(tmp_path: Path) -> None:
    workspace = load(routes_workspace(tmp_path / "routes"))
    board = ScenarioBoard()
    board.sync(workspace)
    assert board.hits().runs == 0
    runner = BackgroundRunner()
    try:
        for _ in range(2):  # run twice: only the latest verdict of each scenario counts
            generation, cases = board.queue(board.rows.values())
            verdicts: list[Verdict] = []
            runner.run(workspace, cases, verdicts.extend)
            assert all(board.finish(verdict, generation) is not None for verdict in verdicts)
    finally:
        runner.close()
    report = measure(workspace, board.hits())
    [route] = report.procedures
    assert (report.runs, str(route.ratio("step")), str(route.ratio("arm"))) == (2, "4/6 66.7%", "2/4 50.0%")

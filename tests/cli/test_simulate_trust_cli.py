"""``workbench simulate`` in CI: pass rules and flakiness, suites, results files compared, connector modes,
against a loopback chat-completions server whose judge disagrees with itself on one criterion."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.agent.chat_server import ChatServer
from tests.agent.desk import write_desk
from tests.agent.flaky import FLAKY, SCENARIO, STEADY, flaky_judge
from tests.cli.test_simulate_cli import configure, workbench

PASS_FAIL_6 = [True, True, False, True, False, True]
"""The flaky criterion over six runs: 4/6, failing runs 3 and 5."""


def flaky_desk(root: Path, **scenario: object) -> Path:
    write_desk(root)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "where.json").write_bytes(orjson.dumps({**SCENARIO, **scenario}))
    return root


async def test_runs_with_a_rate_rule_mark_the_disagreeing_criterion_flaky(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    async with ChatServer(flaky_judge(PASS_FAIL_6)) as server:
        configure(root, server)
        code, out, err = await workbench(
            "simulate", root, "--scenario", "Where is my order", "--runs", "6", "-j", "1", "--pass-rule", "rate:0.8"
        )
    assert code == 1, out + err
    assert "verdict (rate:0.8): FAIL" in out and "4/6 runs passed" in out
    flaky_line = next(line for line in out.splitlines() if line.endswith(FLAKY))
    assert flaky_line.startswith("  ✗  67% (4/6, 95% CI 30%-90%, pass^3 0.20, pass@3 1.00)")
    assert "FLAKY: failed on runs 3, 5, passed on 1, 2, 4, 6" in flaky_line
    steady_line = next(line for line in out.splitlines() if line.endswith(STEADY))
    assert steady_line.startswith("  ✓ 100% (6/6") and "FLAKY" not in steady_line


async def test_a_flaky_criterion_within_the_rate_passes_and_is_still_marked(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    once_failing = [True, True, True, False, True, True]
    async with ChatServer(flaky_judge(once_failing)) as server:
        configure(root, server)
        code, out, err = await workbench(
            "simulate", root, "--scenario", "Where is my order", "--runs", "6", "-j", "1", "--pass-rule", "rate:0.8"
        )
    assert code == 0, out + err
    assert "verdict (rate:0.8): PASS" in out and "FLAKY: failed on run 4, passed on 1, 2, 3, 5, 6" in out
    async with ChatServer(flaky_judge(once_failing)) as server:
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--scenario", "Where is my order", "--runs", "6", "-j", "1")
        assert code == 1 and "verdict (all): FAIL" in out, out + err


async def test_a_bad_pass_rule_is_bad_usage(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    code, _, err = await workbench("simulate", root, "Help", "--model", "m", "--pass-rule", "rate:2")
    assert code == 2 and "rate:R needs R from 0 to 1" in err
    code, _, err = await workbench("simulate", root, "Help", "--model", "m", "-k", "where")
    assert code == 2 and "-k goes with --all" in err

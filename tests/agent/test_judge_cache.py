"""Judge verdicts cached by criterion and transcript (memory and files), and the seed sent to the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agent.chat_server import ChatServer, tool
from tests.agent.desk import SECRETS, stateless_roles, write_desk
from workbench.agent.judge_cache import JudgeCache, default_folder
from workbench.agent.simulation import Simulator
from workbench.model import Scenario
from workbench.store import load_workspace

SCENARIO = Scenario.model_validate(
    {
        "name": "Where",
        "procedure": "Help",
        "simulation": {"goal": "know where order ORD-7 is"},
        "expect": {"criteria": ["the customer gets the tracking number", "the agent is polite"]},
    }
)


def judged(server: ChatServer) -> int:
    return sum(body.get("tool_choice", {}).get("function", {}).get("name") == "verdict" for body in server.bodies)


async def test_an_unchanged_transcript_is_judged_once_and_gets_the_same_verdict(tmp_path: Path) -> None:
    workspace = load_workspace(write_desk(tmp_path / "desk"))
    folder = tmp_path / "cache"
    roles = stateless_roles()
    roles.scripts["judge"] = [
        tool("verdict", {"passed": True, "reasoning": "first"}),
        tool("verdict", {"passed": False, "reasoning": "second thoughts"}),
    ]
    async with ChatServer(roles) as server:
        simulator = Simulator(workspace, server.settings(), secrets=SECRETS, judge_cache=JudgeCache(folder))
        first = await simulator.run(SCENARIO)
        assert judged(server) == 2
        again = await simulator.run(SCENARIO, 2)
        assert judged(server) == 2  # the same transcript: no judge call
        assert [(verdict.passed, verdict.cached) for verdict in again.verdicts] == [
            (verdict.passed, True) for verdict in first.verdicts
        ]
        fresh = Simulator(workspace, server.settings(), secrets=SECRETS, judge_cache=JudgeCache(folder))
        from_files = await fresh.run(SCENARIO, 3)
        assert judged(server) == 2 and all(verdict.cached for verdict in from_files.verdicts)
        other = SCENARIO.model_copy(update={"expect": SCENARIO.expect.model_copy(update={"criteria": ["new one"]})})
        await fresh.run(other, 4)
        assert judged(server) == 3  # another criterion: judged
        uncached = Simulator(workspace, server.settings(), secrets=SECRETS)
        await uncached.run(SCENARIO, 5)
        assert judged(server) == 5
    assert len(list(folder.glob("*.json"))) == 3


def test_an_unreadable_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = JudgeCache(tmp_path)
    (tmp_path / "abc.json").write_text("{not json")
    assert cache.get("abc") is None
    (tmp_path / "abc.json").write_text('{"passed": "yes"}')
    assert cache.get("abc") is None
    cache.put("abc", True, "ok")
    assert JudgeCache(tmp_path).get("abc") == (True, "ok")


def test_the_cache_lives_in_the_users_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_folder() == tmp_path / "workbench" / "judge"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert default_folder() == Path.home() / ".cache" / "workbench" / "judge"


async def test_the_seed_is_sent_per_run(tmp_path: Path) -> None:
    workspace = load_workspace(write_desk(tmp_path / "desk"))
    async with ChatServer(stateless_roles()) as server:
        seeded = Simulator(workspace, server.settings(seed=40), secrets=SECRETS)
        [runs] = await seeded.run_suite([SCENARIO], runs=2, jobs=1)
        assert [run.seed for run in runs] == [40, 41]
        assert {body["seed"] for body in server.bodies} == {40, 41}
        count = len(server.bodies)
        await Simulator(workspace, server.settings(), secrets=SECRETS).run(SCENARIO)
        assert all("seed" not in body for body in server.bodies[count:])

"""``workbench simulate`` and ``workbench test --live-agent`` against a loopback chat-completions server."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import orjson

from tests.agent.chat_server import ChatServer, text, tool
from tests.agent.desk import SECRET, SECRETS, Roles, says, stateless_roles, write_desk
from tests.conftest import run_workbench
from tests.scenarios.test_pytest_plugin import pytest_in

SCENARIO: dict[str, Any] = {
    "name": "Where is my order",
    "procedure": "Help",
    "simulation": {"persona": "Ada", "goal": "know where order ORD-7 is", "facts": {"order_id": "ORD-7"}},
    "expect": {"criteria": ["the customer gets the tracking number"]},
}
PATH = "lookup → mood → thanks → reason → extra → bye → done"


async def workbench(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``workbench ARGS`` in this process (:func:`run_workbench`, quick) on a worker thread, while this loop keeps
    serving; the sample secrets and ``env`` set for the call."""
    done = await asyncio.to_thread(run_workbench, *args, env={**SECRETS, **(env or {})})
    return done.returncode, done.stdout, done.stderr


async def workbench_process(*args: str | Path) -> tuple[int, str, str]:
    """``python -m workbench ARGS`` in a child process (the smoke test of ``simulate``), the sample secrets set,
    while this loop keeps serving."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", *map(str, args), stdout=-1, stderr=-1, env={**os.environ, **SECRETS}
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def desk_with_scenario(root: Path) -> Path:
    write_desk(root)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "where.json").write_bytes(orjson.dumps(SCENARIO))
    return root


def configure(root: Path, server: ChatServer, **agent: object) -> None:
    settings = orjson.loads((root / "workbench.json").read_bytes())
    settings["agent"] = {"base_url": server.base_url, "model": "test-model", "timeout_s": 10, **agent}
    (root / "workbench.json").write_bytes(orjson.dumps(settings))


async def test_simulate_runs_in_parallel_sums_up_and_saves_a_run_that_replays_offline(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    async with ChatServer(stateless_roles()) as server:
        code, out, err = await workbench_process(  # the smoke test: a child process
            "simulate", root, "--scenario", "scenarios/where.json", "--runs", "3", "-j", "2", "--save-scenario", "where",
            "--model", "test-model", "--base-url", server.base_url, "-v",
        )  # fmt: skip
        assert code == 0, out + err
        assert "3/3 runs passed" in out
        assert "✓ 100% (3/3, 95% CI 44%-100%, pass^3 1.00, pass@3 1.00)  the customer gets the tracking number" in out
        assert "verdict (all): PASS" in out
        assert f"  3×  {PATH}" in out and "outcomes: resolved 3" in out
        assert "✓ the customer gets the tracking number — the tracking number TRK-42 was given" in out
        assert "customer  It is ORD-7." in out and "tokens: " in out and "time: " in out
        assert "saving run 1" in err and "saved scenario 'Where is my order'" in err
        saved = orjson.loads((root / "scenarios" / "where.json").read_bytes())
        assert saved["messages"]["lookup"] == "Model says (lookup)" and saved["decisions"] == {"mood": 1}
        assert (
            saved["simulation"] == SCENARIO["simulation"]
            and saved["expect"]["criteria"] == SCENARIO["expect"]["criteria"]
        )
        asked = len(server.bodies)
        code, out, err = await workbench("test", root)
        assert code == 0, out + err
        assert "1 passed" in out and "judged only with --live-agent" in err
        replay = await asyncio.to_thread(pytest_in, root.parent, "desk", "-v")
        assert replay.returncode == 0 and "where.json::Where is my order PASSED" in replay.stdout, replay.stdout
        code, out, err = await workbench("run", root, "--scenario", "scenarios/where.json", "--json")
        said = [orjson.loads(line)["text"] for line in out.splitlines() if '"type":"message"' in line]
        assert code == 0 and said == ["Model says (lookup)", "Model says (thanks)", "Model says (bye)"], err
        assert len(server.bodies) == asked  # no replay called a model
    assert SECRET.encode() not in server.wire()


async def test_live_agent_judges_the_criteria(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    async with ChatServer(stateless_roles(verdict=False)) as server:
        configure(root, server)
        code, out, _ = await workbench("test", root, "--live-agent")
        assert code == 1
        assert "criteria > the customer gets the tracking number" in out and "no tracking number was given" in out
        assert server.bodies


async def test_a_simulation_with_nothing_recorded_says_how_to_pin_it(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    code, out, _ = await workbench("test", root)
    assert code == 1 and "a simulation with nothing recorded to replay" in out


async def test_simulate_fails_when_a_criterion_is_not_met(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    async with ChatServer(stateless_roles(verdict=False)) as server:
        configure(root, server)
        code, out, _ = await workbench("simulate", root, "Help", "--scenario", "scenarios/where.json")
    assert code == 1
    assert (
        "0/1 runs passed" in out
        and "✗   0% (0/1, 95% CI 0%-79%" in out
        and "✗ the customer gets the tracking number" in out
    )


async def test_simulate_usage_errors(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    code, _, err = await workbench("simulate", root, "Help")
    assert code == 2 and "no model to run the agent with" in err
    code, _, err = await workbench("simulate", root, "Hlep", "--model", "m")
    assert code == 2 and "unknown procedure 'Hlep'" in err
    async with ChatServer(stateless_roles()) as server:
        configure(root, server, api_key="{{secret.OPENAI_KEY}}")
        code, _, err = await workbench("simulate", root, "Help")
        assert code == 2 and "OPENAI_KEY" in err
        code, _, err = await workbench("simulate", root, "Help", "--temperature", "9", env={"OPENAI_KEY": "k"})
        assert code == 2 and "temperature" in err
        code, _, err = await workbench("test", root, "--live-agent")
        assert code == 2 and "OPENAI_KEY" in err
    assert server.bodies == []


async def test_simulate_a_sample_procedure_with_the_default_customer(desk_copy: Path) -> None:
    roles = Roles(message=[says("On it")], customer=[text("Where is my parcel?")])
    async with ChatServer(roles) as server:
        code, out, err = await workbench(
            "simulate", desk_copy, "Order status", "--runs", "2", "--model", "llama3.1", "--base-url", server.base_url,
            "--save-scenario", "simulated-order-status",
        )  # fmt: skip
        assert code == 0, out + err
        assert "2/2 runs passed" in out and "  2×  lookup → big-order → tracking → done" in out
        goal = roles.seen["customer"][0]["messages"][1]["content"]
        assert "Your goal: The customer asks where their order is." in goal
        code, out, err = await workbench("test", desk_copy, "-k", "simulated")
        assert code == 0, out + err
    assert {body["model"] for body in server.bodies} == {"llama3.1"}


async def test_save_run_must_name_a_run_that_ran(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    async with ChatServer(stateless_roles()) as server:
        configure(root, server)
        code, _, err = await workbench("simulate", root, "Help", "--save-scenario", "x", "--save-run", "3")
        assert code == 2 and "--save-run 3: there were only 1 runs" in err
        configure(root, server, base_url=server.base_url.replace("/v1", "/nowhere"))
        code, out, err = await workbench("simulate", root, "Help", "--save-scenario", "x")
        assert code == 2 and "could not run" in out and "run 1 did not run" in err
    assert not (root / "scenarios" / "x.json").exists()


async def test_live_agent_reuses_the_judges_cached_verdict_of_an_unchanged_transcript(tmp_path: Path) -> None:
    """``test --live-agent`` caches verdicts as ``simulate`` does: the second run of an unchanged transcript asks
    the judge nothing and gets the first verdict (the judge would have changed its mind); ``--no-judge-cache``
    asks again."""
    root = desk_with_scenario(tmp_path / "desk")
    roles = stateless_roles()
    roles.scripts["judge"] = [
        tool("verdict", {"passed": True, "reasoning": "the tracking number TRK-42 was given"}),
        tool("verdict", {"passed": False, "reasoning": "second thoughts"}),
    ]
    async with ChatServer(roles) as server:
        configure(root, server)
        code, out, err = await workbench("test", root, "--live-agent")
        assert code == 0 and "1 passed" in out, out + err
        assert judged(server) == 1
        code, out, err = await workbench("test", root, "--live-agent")
        assert code == 0 and "1 passed" in out, out + err
        assert judged(server) == 1  # the same transcript: the verdict came from the cache
        code, out, _ = await workbench("test", root, "--live-agent", "--no-judge-cache")
        assert code == 1 and "second thoughts" in out
        assert judged(server) == 2


def judged(server: ChatServer) -> int:
    """How many requests asked the judge for a verdict."""
    return sum(body.get("tool_choice", {}).get("function", {}).get("name") == "verdict" for body in server.bodies)

"""Debugger control from another task: breakpoints, step, pause, edits while paused, stop."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.connectors.server import LoopbackServer, json_reply, silent
from tests.engine.build import Watcher, connector, procedure, workspace
from tests.waiting import wait_until
from workbench.engine import Run, RunOptions, ScriptedAgent
from workbench.store import Workspace

STEPS: list[dict[str, Any]] = [
    {"id": "look", "type": "instruction", "text": "@call(Get orders)"},
    {
        "id": "check",
        "type": "condition",
        "branches": [
            {
                "when": {"attribute": "Get orders > status", "op": "equals", "value": "cancelled"},
                "steps": [{"id": "handoff", "type": "end", "outcome": "handoff"}],
            },
            {
                "when": {"code": "inputs['temporary']['Get orders']['status'] == 'lost'"},
                "steps": [{"id": "lost", "type": "end", "outcome": "escalated"}],
            },
        ],
        "else": [{"id": "fine", "type": "instruction", "text": "It is @read(Get orders > status)."}],
    },
    {"id": "done", "type": "end"},
]


def desk(**settings: Any) -> Workspace:
    return workspace([connector("Get orders", {"status": "processing"})], [procedure("P", *STEPS)], settings)


def start(ws: Workspace, **options: Any) -> tuple[Run, Watcher, asyncio.Task[Any]]:
    watcher = Watcher()
    run = Run(ws, "P", ScriptedAgent(), RunOptions(**options), on_event=watcher)
    return run, watcher, asyncio.create_task(run.run())


async def test_breakpoint_pauses_before_the_step_until_resumed() -> None:
    run, watcher, task = start(desk(), breakpoints={"check"})
    paused = await watcher.next("paused")
    assert paused.payload.to_json() == {"procedure": "P", "step": "check", "reason": "breakpoint"}
    assert run.state == "paused" and run.current_step == ("P", "check")
    assert [event.payload.step for event in run.events if event.type == "step_started"] == ["look"]
    assert run.toggle_breakpoint("done") is True
    run.resume()
    assert (await watcher.next("paused")).payload.step == "done"
    assert run.toggle_breakpoint("done") is False
    run.resume()
    result = await task
    assert result.outcome == "resolved" and result.path == ["look", "check", "fine", "done"]


async def test_a_breakpoint_qualified_by_procedure_pauses_only_there() -> None:
    caller = procedure(
        "Main",
        {"id": "look", "type": "instruction", "text": "Hello."},
        {"id": "sub", "type": "subprocedure", "procedure": "P"},
    )
    ws = workspace([connector("Get orders", {"status": "processing"})], [caller, procedure("P", *STEPS)])
    watcher = Watcher()
    run = Run(ws, "Main", ScriptedAgent(), RunOptions(breakpoints={("P", "look")}), on_event=watcher)
    task = asyncio.create_task(run.run())
    paused = await watcher.next("paused")
    assert (paused.payload.procedure, paused.payload.step) == ("P", "look")
    assert run.toggle_breakpoint("look", "P") is False and run.breakpoints == set()
    run.resume()
    result = await task
    assert [event.payload.procedure for event in result.events if event.type == "paused"] == ["P"]
    assert result.path[:3] == ["look", "sub", "look"]


async def test_step_runs_one_step_at_a_time_into_branches() -> None:
    run, watcher, task = start(desk(), pause_at_start=True)
    seen = [(await watcher.next("paused")).payload.to_json()]
    for _ in range(3):
        run.step()
        seen.append((await watcher.next("paused")).payload.to_json())
    assert [(item["step"], item["reason"]) for item in seen] == [
        ("look", "start"),
        ("check", "step"),
        ("fine", "step"),
        ("done", "step"),
    ]
    run.resume()
    assert (await task).outcome == "resolved"


async def test_pause_request_stops_before_the_next_step() -> None:
    slow = connector("Get orders", None, response={"example": {"latency_ms": 100, "body": {"status": "processing"}}})
    run, watcher, task = start(workspace([slow], [procedure("P", *STEPS)]))
    await watcher.next("connector_called")
    run.pause()
    paused = await watcher.next("paused")
    assert paused.payload.reason == "pause" and paused.payload.step == "check"
    run.resume()
    assert (await task).ok


async def test_edit_while_paused_changes_the_branch_taken() -> None:
    run, watcher, task = start(desk(), breakpoints={"check"})
    await watcher.next("paused")
    with pytest.raises(ValueError):
        run.set_attribute("Get orders > status > deeper", "x")
    run.set_attribute("Get orders > status", "cancelled")
    edited = await watcher.next("attributes_available")
    assert edited.payload.attributes == {"Get orders > status": "cancelled"} and edited.payload.edited is True
    run.resume()
    result = await task
    assert result.outcome == "handoff" and result.path == ["look", "check", "handoff"]
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.body == {"status": "processing"}  # history keeps what was shown


async def test_code_conditions_see_edits_made_while_paused() -> None:
    run, watcher, task = start(desk(), breakpoints={"check"})
    await watcher.next("paused")
    run.set_attribute("Get orders > status", "lost")
    run.resume()
    assert (await task).path == ["look", "check", "lost"]


async def test_edits_are_refused_while_running() -> None:
    run, watcher, task = start(desk(), pause_at_start=True)
    await watcher.next("paused")
    run.set_attribute("User > email", "ada@example.com")
    run.resume()
    await watcher.next("step_started")
    with pytest.raises(RuntimeError):
        run.set_attribute("User > email", "x")
    result = await task
    assert result.context.attributes["User"]["email"] == "ada@example.com"


async def test_stop_while_paused() -> None:
    run, watcher, task = start(desk(), breakpoints={"check"})
    await watcher.next("paused")
    run.stop()
    result = await task
    assert result.outcome == "stopped" and run.state == "finished"
    assert result.events[-1].payload.outcome == "stopped"


async def test_stop_mid_http_call_is_prompt_and_closes_the_client() -> None:
    async with LoopbackServer({"/orders": silent()}) as server:
        live = connector(
            "Get orders", None, request={"url": server.url("/orders"), "timeout_s": 30}, response={"mode": "live"}
        )
        ws = workspace([live], [procedure("P", *STEPS)])
        run, watcher, task = start(ws)
        await watcher.next("connector_called")
        await wait_until(lambda: server.received, what="the request to reach the server")
        started = time.perf_counter()
        run.stop()
        result = await task
        assert time.perf_counter() - started < 5.0  # generous on a busy machine, and far below the 30 s timeout
    assert result.outcome == "stopped" and result.path == ["look"]
    assert run._caller is not None and run._caller.live._client is None


async def test_stop_mid_sandbox_evaluation_is_prompt() -> None:
    slow = [{"id": "c", "type": "condition", "branches": [{"when": {"code": "sum(range(10 ** 9)) > 0"}, "steps": []}]}]
    ws = workspace([], [procedure("P", *slow)], {"limits": {"sandbox_timeout_s": 30}})
    run, watcher, task = start(ws)
    await watcher.next("step_started")
    await asyncio.sleep(0.2)  # most likely inside the evaluation by now; stopping before it must be prompt too
    started = time.perf_counter()
    run.stop()
    result = await task
    assert time.perf_counter() - started < 5.0 and result.outcome == "stopped"  # far below the 30 s timeout


async def test_cancelling_the_task_still_finishes_the_run_and_propagates() -> None:
    run, watcher, task = start(desk(), breakpoints={"check"})
    await watcher.next("paused")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert run.state == "finished" and run.events[-1].payload.outcome == "stopped"


async def test_stop_from_an_event_callback_ends_before_the_next_step() -> None:
    ws = desk()
    holder: dict[str, Run] = {}

    def on_event(event: Any) -> None:
        if event.type == "message":
            holder["run"].stop()

    holder["run"] = Run(ws, "P", ScriptedAgent(), on_event=on_event)
    result = await holder["run"].run()
    assert result.outcome == "stopped" and result.path == ["look"]


async def test_a_failing_listener_propagates_after_the_client_is_closed() -> None:
    def on_event(event: Any) -> None:
        if event.type == "connector_responded":
            assert run._caller is not None and run._caller.live._client is not None
            raise ValueError("listener bug")

    async with LoopbackServer({"/orders": json_reply({"status": "processing"})}) as server:
        live = connector("Get orders", None, request={"url": server.url("/orders")}, response={"mode": "live"})
        run = Run(workspace([live], [procedure("P", *STEPS)]), "P", ScriptedAgent(), on_event=on_event)
        with pytest.raises(ValueError, match="listener bug"):
            await run.run()
    assert run.state == "finished" and run._caller is not None and run._caller.live._client is None

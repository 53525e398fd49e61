"""``workbench run``: log and JSON output, flags, exit codes, live mode, prompting."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import subprocess
from pathlib import Path
from typing import Any

import orjson

from tests.conftest import SUPPORT_DESK, run_workbench, run_workbench_process
from tests.connectors.server import LoopbackServer, dead_port, json_reply

COLLECT = {
    "name": "Ask",
    "steps": [
        {
            "id": "n",
            "type": "collect",
            "attribute": "Conversation > count",
            "prompt": "How many?",
            "value_type": "integer",
        },
        {"id": "say", "type": "instruction", "text": "You said @read(Conversation > count)."},
        {
            "id": "c",
            "type": "condition",
            "branches": [{"when": {"describe": "The customer is happy"}, "steps": [{"id": "yay", "type": "end"}]}],
            "else": [{"id": "meh", "type": "end", "outcome": "handoff"}],
        },
    ],
}


def workbench_run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``workbench run ARGS``, in this process."""
    return run_workbench("run", *args, env=env)


def events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def small_workspace(root: Path, *procedures: dict[str, Any]) -> Path:
    (root / "procedures").mkdir(parents=True)
    for data in procedures:
        (root / "procedures" / f"{data['name'].lower()}.json").write_bytes(orjson.dumps(data))
    return root


def test_json_stream_of_the_sample_procedure() -> None:
    result = run_workbench_process("run", SUPPORT_DESK, "Order status", "--json")  # the smoke test: a child process
    assert (result.returncode, result.stderr) == (0, "")
    stream = events(result.stdout)
    assert stream[0]["type"] == "run_started" and stream[-1]["type"] == "run_finished"
    assert stream[-1]["outcome"] == "resolved" and stream[-1]["path"] == ["lookup", "big-order", "tracking", "done"]
    assert [event["seq"] for event in stream] == list(range(1, len(stream) + 1))
    responded = next(event for event in stream if event["type"] == "connector_responded")
    assert responded["source"] == "example" and responded["bytes"] > 0


def test_readable_log_without_colour_when_not_a_terminal() -> None:
    result = workbench_run(SUPPORT_DESK, "Order status", "--attr", "User > email=ada@example.com")
    assert result.returncode == 0 and "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split()[1:3] == ["run", "'Order"] and lines[-1].endswith("finished: resolved")
    assert any("says: Look up" in line for line in lines)
    assert any(
        "call Get orders [mocked]: GET http://127.0.0.1:8787/customers/ada@example.com/orders/latest" in line
        for line in lines
    )


def test_scenario_flags_answers_and_decisions(tmp_path: Path) -> None:
    root = small_workspace(tmp_path / "ws", COLLECT)
    result = workbench_run(root, "Ask", "--answer", "n=3", "--decide", "c=yes", "--json")
    assert result.returncode == 0
    stream = events(result.stdout)
    assert stream[-1]["outcome"] == "resolved"
    assert [event["text"] for event in stream if event["type"] == "message"] == ["You said 3."]
    scenario = tmp_path / "s.json"
    scenario.write_bytes(
        orjson.dumps({"name": "s", "procedure": "Ask", "answers": {"n": 4}, "decisions": {"c": False}})
    )
    from_file = workbench_run(root, "--scenario", scenario, "--json")
    assert from_file.returncode == 0 and events(from_file.stdout)[-1]["outcome"] == "handoff"


def test_missing_answer_without_a_terminal_fails_clearly(tmp_path: Path) -> None:
    result = workbench_run(small_workspace(tmp_path / "ws", COLLECT), "Ask")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error [input] no answer given for 'Conversation > count'" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(
        "finished: failed — no answer given for 'Conversation > count' (step n)"
    )


def test_prompts_for_missing_answers_on_a_terminal(tmp_path: Path) -> None:
    root = small_workspace(tmp_path / "ws", COLLECT)
    leader, follower = pty.openpty()
    try:
        os.write(leader, b"many\n5\ny\n")
        result = run_workbench_process("run", root, "Ask", "--json", stdin=follower)  # a terminal: a child process
    finally:
        os.close(leader)
        os.close(follower)
    assert result.returncode == 0, result.stderr
    assert "How many? [integer] > " in result.stderr and "expected a whole number" in result.stderr
    assert events(result.stdout)[-1]["outcome"] == "resolved"


def test_bad_usage_exits_2_with_one_line() -> None:
    for args, expected in (
        (("Order statu",), "unknown procedure 'Order statu' (did you mean 'Order status'?)"),
        (("Order status", "--attr", "email=x"), "expected a path under User, Company, Conversation"),
        (("Order status", "--attr", "User > email"), "expected NAME=VALUE"),
        (("Order status", "--env", "locl"), "unknown environment 'locl' (did you mean 'local'?)"),
        (("--scenario", "nope.json"), "no such file or scenario name"),
    ):
        result = workbench_run(SUPPORT_DESK, *args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr


def test_broken_file_the_run_needs_exits_2(desk_copy: Path) -> None:
    (desk_copy / "connectors" / "get-orders.json").write_text('{"name": "Get orders", "request": {}}')
    result = workbench_run(desk_copy, "Order status")
    assert result.returncode == 2
    assert "needs connector Get orders, which did not load" in result.stderr and "get-orders.json:1:" in result.stderr


async def test_live_mode_against_a_loopback_server_and_a_dead_port(desk_copy: Path) -> None:
    order = {
        "status": "shipped",
        "created_at": "2025-01-12",
        "items": [{"quantity": 1}],
        "shipping": {"tracking_number": "T-1", "carrier": "DHL", "estimated_delivery": "2025-01-16"},
    }
    settings = desk_copy / "workbench.json"
    original = json.loads(settings.read_text())
    env = {"SHOP_TOKEN": "cli-secret-123"}
    async with LoopbackServer({"/customers/grace@example.com/orders/latest": json_reply(order)}) as server:
        original["environments"]["local"]["base_url"] = server.url("")
        settings.write_text(json.dumps(original))
        result = await asyncio.to_thread(workbench_run, desk_copy, "Order status", "--mode", "live", "--json", env=env)
    assert result.returncode == 0, result.stdout
    stream = events(result.stdout)
    assert next(event for event in stream if event["type"] == "connector_responded")["source"] == "live"
    assert "Share the tracking number T-1 with DHL" in result.stdout
    assert server.received[0].headers["authorization"] == "Bearer cli-secret-123"
    assert "cli-secret-123" not in result.stdout

    original["environments"]["local"]["base_url"] = f"http://127.0.0.1:{dead_port()}"
    settings.write_text(json.dumps(original))
    dead = await asyncio.to_thread(workbench_run, desk_copy, "Order status", "--mode", "live", env=env)
    assert dead.returncode == 1 and "Traceback" not in dead.stderr
    assert "error [network] Get orders: connection refused" in dead.stdout

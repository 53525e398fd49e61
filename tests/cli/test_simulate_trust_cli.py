"""``workbench simulate`` in CI: pass rules and flakiness, suites, results files compared, connector modes,
against a loopback chat-completions server whose judge disagrees with itself on one criterion."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import orjson

from tests.agent.chat_server import ChatServer, text, tool
from tests.agent.desk import SECRET, Roles, says, stateless_roles, write_desk
from tests.agent.flaky import FLAKY, SCENARIO, STEADY, flaky_judge
from tests.cli.test_simulate_cli import configure, workbench
from tests.connectors.server import LoopbackServer, json_reply
from tests.engine.build import ROOT, connector, procedure
from tests.engine.build import workspace as build_workspace
from workbench.store import Document, save_document

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


async def test_all_runs_every_scenario_with_a_simulation_and_writes_junit(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    other = {**SCENARIO, "name": "Polite only", "expect": {"criteria": [STEADY]}}
    (root / "scenarios" / "polite.json").write_bytes(orjson.dumps(other))
    replay = {"name": "Replay only", "procedure": "Goodbye"}
    (root / "scenarios" / "replay.json").write_bytes(orjson.dumps(replay))
    junit = tmp_path / "out" / "sim.xml"
    junit.parent.mkdir()
    async with ChatServer(flaky_judge([True, False, True, True])) as server:
        configure(root, server)
        code, out, err = await workbench(
            "simulate", root, "--all", "--runs", "2", "-j", "3", "--pass-rule", "majority", "--junit", junit
        )
    assert code == 1, out + err  # "Where is my order": 1 of 2 is not a majority
    assert "Simulating 2 scenarios" in out and "Replay only" not in out
    assert "1/2 scenarios pass majority in " in out
    xml = junit.read_text()
    assert 'tests="2" failures="1"' in xml
    assert '<testcase classname="Help" name="Polite only"' in xml
    assert '<property name="pass_rate" value="1.0000" />' in xml
    assert f'<property name="criterion {FLAKY}: flaky" value="true" />' in xml
    assert '<failure message="does not pass majority: scenario, ' + FLAKY in xml
    async with ChatServer(flaky_judge([True])) as server:
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--all", "-k", "polite", "--junit", junit)
    assert code == 0 and "Simulating 1 scenario with" in out, out + err
    assert 'name="Polite only"' in junit.read_text() and "Where is my order" not in junit.read_text()
    code, _, err = await workbench("simulate", root, "--all", "-k", "nothing", "--model", "m")
    assert code == 2 and "no scenario with a simulation matching -k 'nothing'" in err


async def simulate_to(root: Path, results: Path, verdicts: list[bool], *extra: str | Path) -> tuple[int, str, str]:
    """Six runs (one at a time) against a fresh scripted server, written to ``results``."""
    async with ChatServer(flaky_judge(verdicts)) as server:
        configure(root, server)
        return await workbench(
            "simulate", root, "--scenario", "Where is my order", "--runs", "6", "-j", "1", "--seed", "7",
            "--results", results, *extra,
        )  # fmt: skip


async def test_results_then_compare_report_the_scripted_change_and_nothing_else(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    code, out, err = await simulate_to(root, old, [True])
    assert code == 0, out + err
    code, _, _ = await simulate_to(root, new, [False])
    assert code == 1
    data = orjson.loads(old.read_bytes())
    assert data["revision"] is None and data["models"] == {
        "agent": "test-model",
        "customer": "test-model",
        "judge": "test-model",
    }
    [scenario] = data["scenarios"]
    assert scenario["verdict"] == "pass" and scenario["rate"] == 1.0 and scenario["file"].endswith("where.json")
    first = scenario["runs"][0]
    assert first["path"].startswith("lookup → mood") and first["outcome"] == "resolved" and first["seed"] == 7
    assert scenario["runs"][5]["seed"] == 12 and first["tokens"] > 0 and first["latency_s"] > 0
    assert first["criteria"][1] == {"criterion": FLAKY, "passed": True, "reason": "TRK-42 given", "cached": False}
    assert first["calls"] == [{"connector": "Get order", "source": "mocked"}]
    code, out, err = await workbench("simulate", "--compare", old, new, "--format", "json")
    assert code == 1, out + err  # a rate fell beyond noise
    compared = orjson.loads(out)
    changed = [(row["scenario"], row["criterion"], row["direction"]) for row in compared["beyond_noise"]]
    assert changed == [("Where is my order", None, "worse"), ("Where is my order", FLAKY, "worse")]
    steady = next(row for row in compared["rows"] if row["criterion"] == STEADY)
    assert steady["direction"] == "same" and not steady["beyond_noise"]
    assert compared["paths_appeared"] == {} and compared["paths_disappeared"] == {}
    code, out, _ = await workbench("simulate", "--compare", old, new)
    assert f"      {FLAKY}: 100% (6/6, 61%-100%) → 0% (0/6, 0%-39%)  [WORSE beyond noise]" in out
    assert "2 changes beyond noise" in out and f"{STEADY}: 100% (6/6, 61%-100%) → 100% (6/6, 61%-100%)\n" in out
    code, out, _ = await workbench("simulate", "--compare", old, new, "--format", "markdown")
    assert f"| Where is my order | {FLAKY} | 100% (6/6, 61%-100%) | 0% (0/6, 0%-39%) | **WORSE beyond noise** |" in out
    code, out, _ = await workbench("simulate", "--compare", old, old)
    assert code == 0 and "0 changes beyond noise" in out


async def test_a_run_against_a_baseline_and_the_workspace_revision(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    await simulate_to(root, old, [True])
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        assert subprocess.run([*git, *command], check=False).returncode == 0
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    code, out, err = await simulate_to(root, new, [False], "--baseline", old)
    assert code == 1 and f"compared with {old}" in out and "[WORSE beyond noise]" in out, out + err
    assert orjson.loads(new.read_bytes())["revision"] == head
    code, _, err = await workbench("simulate", "--compare", old, tmp_path / "missing.json")
    assert code == 2 and "--compare" in err and "missing.json" in err
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    code, _, err = await workbench("simulate", "--compare", old, tmp_path / "bad.json")
    assert code == 2 and "not a workbench simulation results file" in err


async def test_results_and_junit_never_hold_a_secret(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk", expect={"criteria": [STEADY]})
    roles = stateless_roles()
    roles.scripts["judge"] = [tool("verdict", {"passed": False, "reasoning": f"the agent leaked {SECRET}"})]
    results, junit = tmp_path / "r.json", tmp_path / "j.xml"
    async with ChatServer(roles) as server:
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--all", "--results", results, "--junit", junit)
    assert code == 1, out + err
    assert "the agent leaked" in results.read_text() and "the agent leaked" in junit.read_text()
    assert SECRET not in results.read_text() and SECRET not in junit.read_text()


def refund_desk(root: Path, base_url: str, **simulation: object) -> Path:
    """``Refund`` calls ``Get order`` (a read) then ``Issue refund`` (an action), both configured live against
    ``base_url``; its scenario runs live."""
    order = connector(
        "Get order", {"status": "shipped"}, response={"mode": "live", "example": {"body": {"status": "x"}}}
    )
    refund = connector("Issue refund", {"ok": True}, kind="action")
    refund["response"]["mode"] = "live"
    steps = [
        {"id": "look", "type": "instruction", "text": "Look up @call(Get order) then @call(Issue refund)."},
        {"id": "done", "type": "end", "outcome": "resolved"},
    ]
    made = build_workspace(
        [order, refund], [procedure("Refund", *steps)], {"environments": {"local": {"base_url": base_url}}}
    )
    documents: list[Document[Any]] = [made.settings, *made.connectors.values(), *made.procedures.values()]
    for document in documents:
        save_document(Document(document.kind, root / document.path.relative_to(ROOT), document.model))
    scenario = {
        "name": "Refund",
        "procedure": "Refund",
        "mode": "live",
        "simulation": {"goal": "get a refund", **simulation},
    }
    (root / "scenarios").mkdir()
    (root / "scenarios" / "refund.json").write_bytes(orjson.dumps(scenario))
    return root


def refund_roles() -> Roles:
    return Roles(message=[says("Done")], customer=[text("I want my money back")])


async def test_an_action_connector_is_mocked_by_default_while_reads_go_live(tmp_path: Path) -> None:
    shop = LoopbackServer({"/get-order": json_reply({"status": "live!"}), "/issue-refund": json_reply({"ok": 1})})
    async with shop, ChatServer(refund_roles()) as server:
        root = refund_desk(tmp_path / "desk", shop.url(""))
        configure(root, server)
        code, out, err = await workbench(
            "simulate", root, "--scenario", "Refund", "-v", "--results", tmp_path / "r.json"
        )
    assert code == 0, out + err
    assert "connectors: mocked: Issue refund (action)" in out
    assert [request.target for request in shop.received] == ["/get-order"]
    assert "call      Get order [live] 200" in out and "call      Issue refund [mocked] 200" in out
    [run] = orjson.loads((tmp_path / "r.json").read_bytes())["scenarios"][0]["runs"]
    assert run["calls"] == [
        {"connector": "Get order", "source": "live"},
        {"connector": "Issue refund", "source": "mocked"},
    ]


async def test_an_action_said_live_goes_live_and_a_blocked_connector_fails_the_run(tmp_path: Path) -> None:
    shop = LoopbackServer({"/get-order": json_reply({"status": "live!"}), "/issue-refund": json_reply({"ok": 1})})
    async with shop, ChatServer(refund_roles()) as server:
        root = refund_desk(tmp_path / "desk", shop.url(""), connectors={"Issue refund": "live", "Get order": "mock"})
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--scenario", "Refund", "-v")
        assert code == 0, out + err
        assert "connectors: mocked: Get order; live: Issue refund" in out
        assert [request.target for request in shop.received] == ["/issue-refund"]
        assert "call      Get order [mocked] 200" in out and "call      Issue refund [live] 200" in out
        scenario = orjson.loads((root / "scenarios" / "refund.json").read_bytes())
        scenario["simulation"]["connectors"] = {"Issue refund": "block"}
        (root / "scenarios" / "refund.json").write_bytes(orjson.dumps(scenario))
        code, out, err = await workbench("simulate", root, "--scenario", "Refund")
    assert code == 1, out + err
    assert "connectors: blocked: Issue refund" in out
    assert "error [blocked] Issue refund is blocked in this simulation (simulation.connectors): not called" in out
    assert [request.target for request in shop.received] == ["/issue-refund", "/get-order"]


async def test_a_second_simulation_of_an_unchanged_transcript_reuses_the_verdicts(tmp_path: Path) -> None:
    root = flaky_desk(tmp_path / "desk", expect={"criteria": [STEADY]})
    async with ChatServer(stateless_roles()) as server:
        configure(root, server)
        code, out, _ = await workbench("simulate", root, "--scenario", "Where is my order")
        assert code == 0 and "(cached verdict)" not in out
        asked = len(server.bodies)
        code, out, _ = await workbench("simulate", root, "--scenario", "Where is my order")
        assert code == 0 and f"✓ {STEADY} — the tracking number TRK-42 was given (cached verdict)" in out
        judge_calls = [body for body in server.bodies[asked:] if "verdict" in str(body.get("tool_choice"))]
        assert judge_calls == []
        code, out, _ = await workbench("simulate", root, "--scenario", "Where is my order", "--no-judge-cache")
        assert code == 0 and "(cached verdict)" not in out


async def test_a_transcript_becomes_a_scenario_that_simulate_runs(tmp_path: Path) -> None:
    root = write_desk(tmp_path / "desk")
    transcript = tmp_path / "chat.txt"
    transcript.write_text(f"Customer: Where is my order?\nAgent: Which one?\nCustomer: ORD-7, token {SECRET}\n")
    code, _, err = await workbench("simulate", root, "Help", "--from-transcript", transcript, "--save-scenario", "chat")
    assert code == 0 and "customer drafted from the text" in err, err
    path = root / "scenarios" / "chat.json"
    saved = orjson.loads(path.read_bytes())
    assert saved["procedure"] == "Help" and saved["simulation"]["goal"] == "Where is my order?"
    assert saved["name"] == "Chat" and len(saved["simulation"]["facts"]) == 1
    assert SECRET not in path.read_text()
    async with ChatServer(stateless_roles()) as server:
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--scenario", "scenarios/chat.json")
    assert code == 0 and "1/1 runs passed" in out, out + err
    code, _, err = await workbench("simulate", root, "Help", "--from-transcript", transcript, "--save-scenario", "chat")
    assert code == 2 and "already exists" in err


async def test_an_intercom_conversation_is_drafted_by_the_configured_model(tmp_path: Path) -> None:
    root = write_desk(tmp_path / "desk")
    conversation = {
        "source": {"author": {"type": "user"}, "body": f"<p>Where is ORD-7? My token is {SECRET}</p>"},
        "conversation_parts": {"conversation_parts": [{"author": {"type": "bot"}, "body": "<p>Checking.</p>"}]},
    }
    (tmp_path / "c.json").write_bytes(orjson.dumps(conversation))
    draft = {"persona": "Ada, terse", "goal": "find ORD-7", "facts": ["order ORD-7"]}
    async with ChatServer(lambda body: tool("draft_customer", draft)) as server:
        configure(root, server)
        code, _, err = await workbench(
            "simulate", root, "Help", "--from-transcript", tmp_path / "c.json", "--save-scenario", "from-intercom"
        )
    assert code == 0 and "customer drafted by test-model" in err, err
    saved = orjson.loads((root / "scenarios" / "from-intercom.json").read_bytes())
    assert saved["simulation"] == {**draft, "max_turns": 3}
    assert "Customer: Where is ORD-7?" in server.bodies[0]["messages"][1]["content"]
    assert SECRET.encode() not in server.wire()


async def test_from_transcript_usage(tmp_path: Path) -> None:
    root = write_desk(tmp_path / "desk")
    (tmp_path / "bad.txt").write_text("hello\n")
    code, _, err = await workbench("simulate", root, "Help", "--from-transcript", tmp_path / "bad.txt")
    assert code == 2 and "needs --save-scenario" in err
    code, _, err = await workbench(
        "simulate", root, "Help", "--from-transcript", tmp_path / "bad.txt", "--save-scenario", "x"
    )
    assert code == 2 and "line 1: expected 'Customer:' or 'Agent:'" in err
    code, _, err = await workbench("simulate", root, "--from-transcript", tmp_path / "bad.txt", "--save-scenario", "x")
    assert code == 2 and "name the PROCEDURE" in err
    assert not (root / "scenarios" / "x.json").exists()

"""The runner over small in-test workspaces with example and dynamic mocks."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.engine.build import connector, procedure, workspace
from tests.events import first_payload
from workbench.engine import RunOptions, RunResult, ScriptedAgent, run_procedure
from workbench.events import Event, RunError
from workbench.model import MockResponse
from workbench.store import Workspace

ORDER = {"order_id": "ORD-1", "status": "processing", "items": [{"q": 1}, {"q": 2}], "total": {"amount": 42}}
EMAIL_INPUT = {"name": "email", "required": True, "source": "User > email"}


def orders(**fields: Any) -> dict[str, Any]:
    fields.setdefault("inputs", [EMAIL_INPUT])
    return connector("Get orders", ORDER, **fields)


async def run(
    ws: Workspace,
    name: str = "P",
    answers: dict[str, Any] | None = None,
    decisions: dict[str, Any] | None = None,
    **options: Any,
) -> RunResult:
    return await run_procedure(ws, name, ScriptedAgent(answers, decisions), RunOptions(**options))


def types(result: RunResult) -> list[str]:
    return [event.type for event in result.events]


async def test_instruction_calls_then_says_the_text_with_values() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {
                    "id": "look",
                    "type": "instruction",
                    "text": "Use @call(Get orders): it is @read(Get orders > status), "
                    "total @read(Get orders > total > amount), @read(Get orders > items).",
                },
            )
        ],
    )
    result = await run(ws, attributes={"User": {"email": "ada@example.com"}})
    assert result.outcome == "completed" and result.ok
    assert result.path == ["look"] and result.calls == ["Get orders"]
    assert result.messages == ['Use Get orders: it is processing, total 42, [{"q":1},{"q":2}].']
    assert types(result) == [
        "run_started",
        "step_started",
        "connector_called",
        "connector_responded",
        "attributes_available",
        "message",
        "run_finished",
    ]
    called, responded, available = result.events[2:5]
    assert called.payload.inputs == {"email": "ada@example.com"} and called.payload.method == "GET"
    assert responded.payload.source == "example" and responded.payload.status == 200 and responded.payload.body == ORDER
    assert available.payload.attributes["Get orders > total > amount"] == 42
    assert "Get orders > items" in available.payload.attributes
    assert [event.seq for event in result.events] == list(range(1, len(result.events) + 1))


async def test_same_call_twice_reuses_the_response_with_a_warning() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                {"id": "b", "type": "instruction", "text": "@call(Get orders) again"},
            )
        ],
    )
    result = await run(ws, attributes={"User": {"email": "ada@example.com"}})
    assert result.calls == ["Get orders", "Get orders"]
    sources = [event.payload.source for event in result.events if event.type == "connector_responded"]
    assert sources == ["example", "cache"]
    warnings = [event.payload.code for event in result.events if event.type == "warning"]
    assert warnings == ["connector_reused"]


async def test_different_inputs_make_a_new_call() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                {"id": "ask", "type": "collect", "attribute": "User > email"},
                {"id": "b", "type": "instruction", "text": "@call(Get orders)"},
            )
        ],
    )
    result = await run(ws, answers={"ask": "bob@example.com"}, attributes={"User": {"email": "ada@example.com"}})
    sources = [event.payload.source for event in result.events if event.type == "connector_responded"]
    assert sources == ["example", "example"]


async def test_unknown_read_renders_visibly_and_warns() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {
                    "id": "a",
                    "type": "instruction",
                    "text": "@read(Get orders > status) @read(User > nope) @read(Get orders > items > q)",
                },
            )
        ],
    )
    result = await run(ws)
    assert result.messages == [
        "[missing: Get orders > status] [missing: User > nope] [missing: Get orders > items > q]"
    ]
    warnings = [event.payload.to_json() for event in result.events if event.type == "warning"]
    assert len(warnings) == 3 and all(item["code"] == "missing_attribute" for item in warnings)


async def test_attribute_conditions_pick_the_first_true_branch() -> None:
    def branch(op: str, value: Any, step: str) -> dict[str, Any]:
        return {
            "when": {"attribute": "Get orders > status", "op": op, "value": value},
            "steps": [{"id": step, "type": "end", "outcome": "handoff"}],
        }

    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                {
                    "id": "c",
                    "type": "condition",
                    "branches": [branch("equals", "cancelled", "x"), branch("contains", "process", "y")],
                    "else": [{"id": "z", "type": "end"}],
                },
            )
        ],
    )
    result = await run(ws, attributes={"User": {"email": "a@b"}})
    assert result.outcome == "handoff" and result.path == ["a", "c", "y"]
    evaluated = next(event for event in result.events if event.type == "condition_evaluated")
    assert evaluated.payload.branch == 1
    assert evaluated.payload.to_json()["tests"] == [
        {"branch": 0, "kind": "attribute", "expression": "Get orders > status equals cancelled", "result": False},
        {"branch": 1, "kind": "attribute", "expression": "Get orders > status contains process", "result": True},
    ]


async def test_code_conditions_see_inputs_and_user_code_errors_fail_the_run() -> None:
    def ws_with(code: str) -> Workspace:
        return workspace(
            [orders()],
            [
                procedure(
                    "P",
                    {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                    {
                        "id": "c",
                        "type": "condition",
                        "branches": [{"when": {"code": code}, "steps": [{"id": "yes", "type": "end"}]}],
                        "else": [{"id": "no", "type": "end", "outcome": "escalated"}],
                    },
                )
            ],
        )

    attributes = {"User": {"email": "a@b"}}
    ok = await run(
        ws_with("len(inputs['temporary']['Get orders']['items']) >= 2 and inputs['user']['email'] == 'a@b'"),
        attributes=attributes,
    )
    assert ok.outcome == "resolved", ok.error
    assert ok.path == ["a", "c", "yes"]
    broken = await run(ws_with("inputs['temporary']['Get orders']['items'][5]['q'] > 1"), attributes=attributes)
    assert broken.outcome == "failed" and broken.error is not None
    assert broken.error.reason == "condition" and broken.error.step == "c"
    assert "branch 0" in broken.error.message


async def test_describe_conditions_are_decided_by_the_agent() -> None:
    ws = workspace(
        [],
        [
            procedure(
                "P",
                {
                    "id": "c",
                    "type": "condition",
                    "branches": [
                        {
                            "when": {"describe": "The customer is angry"},
                            "steps": [{"id": "calm", "type": "end", "outcome": "handoff"}],
                        },
                        {"when": {"describe": "The customer is happy"}, "steps": [{"id": "thank", "type": "end"}]},
                    ],
                    "else": [{"id": "other", "type": "end", "outcome": "escalated"}],
                },
            )
        ],
    )
    assert (await run(ws, decisions={"c": True})).path == ["c", "calm"]
    assert (await run(ws, decisions={"c": 1})).path == ["c", "thank"]
    taken = await run(ws, decisions={"c": "the customer is HAPPY"})
    assert taken.path == ["c", "thank"] and taken.decisions == {"c": 1}
    otherwise = await run(ws, decisions={"c": "else"})
    assert otherwise.path == ["c", "other"] and otherwise.decisions == {"c": "else"}
    missing = await run(ws)
    assert missing.outcome == "failed" and missing.error is not None and missing.error.reason == "input"
    typo = await run(ws, decisions={"c": "the customer is sad"})
    assert typo.outcome == "failed" and "matches no branch" in typo.error.message


async def test_collect_validates_reasks_and_stores_the_value() -> None:
    ws = workspace(
        [],
        [
            procedure(
                "P",
                {
                    "id": "n",
                    "type": "collect",
                    "attribute": "Conversation > count",
                    "prompt": "How many?",
                    "value_type": "integer",
                },
                {
                    "id": "c",
                    "type": "condition",
                    "branches": [
                        {
                            "when": {"code": "inputs['conversation']['count'] > 2"},
                            "steps": [
                                {"id": "say", "type": "instruction", "text": "@read(Conversation > count) items"}
                            ],
                        }
                    ],
                },
            )
        ],
    )
    result = await run(ws, answers={"n": ["lots", "3"]})
    assert result.messages == ["3 items"] and result.answers == {"n": 3}
    requested = [event.payload.to_json() for event in result.events if event.type == "input_requested"]
    assert [item["attempt"] for item in requested] == [1, 2]
    assert requested[1]["error"] == "expected a whole number, got 'lots'"
    failed = await run(ws, answers={"n": ["a", "b", "c"]})
    assert failed.outcome == "failed" and "after 3 attempts" in failed.error.message
    no_answer = await run(ws)
    assert no_answer.outcome == "failed" and no_answer.error.reason == "input"


async def test_inputs_come_from_source_default_or_the_customer() -> None:
    inputs = [EMAIL_INPUT, {"name": "limit", "type": "integer", "default": "5"}, {"name": "cursor"}]
    ws = workspace(
        [orders(inputs=inputs)],
        [
            procedure(
                "P",
                {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                {"id": "b", "type": "instruction", "text": "@read(User > email)"},
            )
        ],
    )
    from_source = await run(ws, attributes={"User": {"email": "a@b"}})
    called = next(event for event in from_source.events if event.type == "connector_called")
    assert called.payload.inputs == {"email": "a@b", "limit": 5}
    asked = await run(ws, answers={"Get orders > email": "c@d"})
    assert asked.messages == ["Get orders", "c@d"] and asked.answers == {"Get orders > email": "c@d"}
    kinds = [event.payload.kind for event in asked.events if event.type == "input_requested"]
    assert kinds == ["connector_input"]
    bad_default = workspace(
        [orders(inputs=[{"name": "limit", "type": "integer", "default": "many"}])],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders)"})],
    )
    failed = await run(bad_default)
    assert failed.outcome == "failed" and "from its default" in failed.error.message


async def test_subprocedures_share_the_context_and_an_end_inside_ends_the_run() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {"id": "a", "type": "instruction", "text": "@call(Get orders)"},
                {"id": "s", "type": "subprocedure", "procedure": "Child"},
                {"id": "after", "type": "instruction", "text": "back: @read(Conversation > note)"},
            ),
            procedure(
                "Child",
                {"id": "c1", "type": "instruction", "text": "child sees @read(Get orders > status)"},
                {"id": "c2", "type": "collect", "attribute": "Conversation > note"},
            ),
            procedure(
                "Ender", {"id": "e1", "type": "subprocedure", "procedure": "Child"}, {"id": "never", "type": "end"}
            ),
        ],
    )
    result = await run(ws, answers={"c2": "hi"}, attributes={"User": {"email": "a@b"}})
    assert result.path == ["a", "s", "c1", "c2", "after"]
    assert result.messages == ["Get orders", "child sees processing", "back: hi"]
    entered = [
        event.payload.to_json()
        for event in result.events
        if event.type in ("subprocedure_entered", "subprocedure_exited")
    ]
    assert entered == [{"procedure": "Child", "step": "s", "depth": 1}] * 2
    ending = workspace(
        [],
        [
            procedure(
                "P",
                {"id": "s", "type": "subprocedure", "procedure": "Child"},
                {"id": "never", "type": "instruction", "text": "no"},
            ),
            procedure("Child", {"id": "bye", "type": "end", "outcome": "escalated", "message": "Bye"}),
        ],
    )
    ended = await run(ending)
    assert ended.outcome == "escalated" and ended.message == "Bye" and ended.path == ["s", "bye"]


async def test_recursion_and_unknown_subprocedures_fail_clearly() -> None:
    ws = workspace(
        [],
        [
            procedure("P", {"id": "s", "type": "subprocedure", "procedure": "Q"}),
            procedure("Q", {"id": "t", "type": "subprocedure", "procedure": "P"}),
            procedure("R", {"id": "u", "type": "subprocedure", "procedure": "Qq"}),
        ],
    )
    looped = await run(ws)
    assert looped.outcome == "failed" and "recursion: P → Q → P" in looped.error.message
    unknown = await run(ws, "R")
    assert "unknown procedure 'Qq' (did you mean 'Q'?)" in unknown.error.message
    missing = await run(ws, "Nope")
    assert missing.outcome == "failed" and missing.error.reason == "procedure"


async def test_connector_failure_runs_on_error_then_continues() -> None:
    failing = orders(response={"mode": "example", "example": {"status": 503, "body": {"error": "down"}}})
    ws = workspace(
        [failing],
        [
            procedure(
                "P",
                {
                    "id": "a",
                    "type": "instruction",
                    "text": "@call(Get orders) then say this",
                    "on_error": [{"id": "sorry", "type": "instruction", "text": "Sorry, orders are unavailable."}],
                },
                {"id": "next", "type": "end", "outcome": "handoff"},
            ),
            procedure(
                "Q", {"id": "a", "type": "instruction", "text": "@call(Get orders)"}, {"id": "never", "type": "end"}
            ),
        ],
    )
    handled = await run(ws, attributes={"User": {"email": "a@b"}})
    assert handled.outcome == "handoff" and handled.path == ["a", "sorry", "next"]
    assert handled.messages == ["Sorry, orders are unavailable."] and handled.error is None
    error = first_payload(handled.events, RunError)
    assert error.reason == "third_party_status" and error.status == 503
    assert error.connector == "Get orders" and "down" in error.message
    unhandled = await run(ws, "Q", attributes={"User": {"email": "a@b"}})
    assert unhandled.outcome == "failed" and unhandled.path == ["a"] and unhandled.error is not None
    assert types(unhandled)[-2:] == ["error", "run_finished"]


async def test_transform_shapes_what_the_procedure_sees() -> None:
    shaped = orders(transform="return {'status': response['status'].upper(), 'count': len(response['items'])}")
    ws = workspace(
        [shaped],
        [
            procedure(
                "P",
                {
                    "id": "a",
                    "type": "instruction",
                    "text": "@call(Get orders) @read(Get orders > status) x @read(Get orders > count)",
                },
            )
        ],
    )
    result = await run(ws, attributes={"User": {"email": "a@b"}})
    assert result.messages == ["Get orders PROCESSING x 2"]
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.body == ORDER
    broken = workspace(
        [orders(transform="return response['nope']")],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders)"})],
    )
    failed = await run(broken, attributes={"User": {"email": "a@b"}})
    assert failed.error is not None and failed.error.reason == "transform"


async def test_dynamic_rules_forced_mode_and_scenario_mocks() -> None:
    dynamic = orders(
        response={
            "mode": "example",
            "example": {"body": {"status": "example"}},
            "rules": [
                {
                    "name": "vip",
                    "when": [{"input": "email", "op": "contains", "value": "vip"}],
                    "response": {"body": {"status": "vip {{email}}"}},
                },
                {
                    "name": "slow",
                    "when": [{"input": "email", "op": "regex", "value": "^slow"}],
                    "response": {"latency_ms": 10, "fault": "timeout"},
                },
            ],
        }
    )
    ws = workspace(
        [dynamic],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders) @read(Get orders > status)"})],
    )
    vip = await run(ws, mode="dynamic", attributes={"User": {"email": "vip@x"}})
    assert vip.messages == ["Get orders vip vip@x"]
    assert next(event for event in vip.events if event.type == "connector_responded").payload.source == "dynamic"
    fallback = await run(ws, mode="dynamic", attributes={"User": {"email": "ada@x"}})
    assert fallback.messages == ["Get orders example"]
    slow = await run(ws, mode="dynamic", attributes={"User": {"email": "slow@x"}})
    assert slow.error is not None and slow.error.reason == "timeout"
    example = await run(ws, attributes={"User": {"email": "vip@x"}})
    assert example.messages == ["Get orders example"]
    mocked = await run(
        ws,
        mode="dynamic",
        mocks={"Get orders": MockResponse(body={"status": "mocked"})},
        attributes={"User": {"email": "vip@x"}},
    )
    assert mocked.messages == ["Get orders mocked"]
    rules = [
        next(event.payload.to_json().get("rule", "none") for event in result.events if event.type == "connector_called")
        for result in (vip, fallback, slow, example, mocked)
    ]
    assert rules == [0, "none", 1, "none", "none"]  # which dynamic rule answered: what coverage counts


async def test_run_level_problems_end_failed_with_an_error() -> None:
    ws = workspace(
        [],
        [procedure("Order status", {"id": "a", "type": "instruction", "text": "hi"})],
        settings={"environments": {"local": {"base_url": "http://127.0.0.1:1"}}},
    )
    unknown = await run(ws, "Order statu")
    assert unknown.outcome == "failed" and "did you mean 'Order status'" in unknown.error.message
    bad_env = await run(ws, "Order status", environment="lokal")
    assert bad_env.outcome == "failed" and "did you mean 'local'" in bad_env.error.message
    fine = await run(ws, "Order status")
    assert fine.events[0].payload.to_json() == {"procedure": "Order status", "mode": None, "environment": "local"}
    assert fine.outcome == "completed" and fine.events[-1].payload.to_json() == {
        "outcome": "completed",
        "message": None,
        "path": ["a"],
    }


async def test_unknown_connector_fails_with_a_suggestion() -> None:
    ws = workspace(
        [orders()],
        [
            procedure(
                "P",
                {
                    "id": "a",
                    "type": "instruction",
                    "text": "@call(Get order)",
                    "on_error": [{"id": "x", "type": "instruction", "text": "no"}],
                },
            )
        ],
    )
    result = await run(ws)
    assert result.outcome == "failed" and "did you mean 'Get orders'" in result.error.message


async def test_large_payloads_are_parsed_and_flattened_off_the_event_loop() -> None:
    body = {
        "items": [{"sku": f"SKU-{index}", "name": "x" * 40} for index in range(40_000)],
        "status": "ok",
        "details": {f"key{index}": index for index in range(20_000)},
    }
    ws = workspace(
        [connector("Big", body)],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Big) @read(Big > status)"})],
    )
    ticks = 0
    seen: dict[str, int] = {}

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)

    def note(event: Event) -> None:
        seen.setdefault(event.type, ticks)

    result = await run_procedure(ws, "P", ScriptedAgent(), on_event=note)
    task.cancel()
    assert result.messages == ["Big ok"]
    assert seen["attributes_available"] > seen["connector_called"]  # the loop kept turning meanwhile
    responded = next(event for event in result.events if event.type == "connector_responded")
    assert responded.payload.bytes > 2_000_000

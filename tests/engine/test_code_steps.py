"""Code steps in a run: outputs become attributes, ``code_ran`` reports reads (masked) and outputs, failures are
``code`` errors with their line that take ``on_error``."""

from __future__ import annotations

from typing import Any

from tests.engine.build import connector, procedure, workspace
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.engine.describe import describe
from workbench.events import CodeRan, Event, MessageSent, RunError
from workbench.model import Procedure
from workbench.store import serialize

REFUND = """\
from decimal import Decimal, ROUND_HALF_UP
total = Decimal(str(inputs["temporary"]["Get order"]["total"]))
refund = (total * Decimal("0.4")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
return {"amount": str(refund), "detail": {"cents": int(refund * 100)}, "full": False}
"""


def _steps(code: str = REFUND, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"id": "fetch", "type": "instruction", "text": "@call(Get order)"},
        {"id": "compute", "type": "code", "name": "Refund", "code": code, **extra},
        {"id": "say", "type": "instruction", "text": "Refund @read(Refund > amount) (@read(Refund > detail > cents))"},
    ]


def _workspace(steps: list[dict[str, Any]], body: Any = None) -> Any:
    return workspace(
        [connector("Get order", body or {"total": 49.99, "token": "sk_live_0123456789abcdef"})],
        [procedure("P", *steps)],
        {"environments": {"dev": {"base_url": "http://127.0.0.1:9"}}},
    )


def _payloads(events: list[Event], kind: type) -> list[Any]:
    return [event.payload for event in events if isinstance(event.payload, kind)]


async def test_outputs_become_attributes_the_later_steps_read() -> None:
    result = await run_procedure(_workspace(_steps()), "P", ScriptedAgent())
    assert result.outcome == "completed", result.error
    assert result.messages[-1] == "Refund 20.00 (2000)"
    assert result.context.resolve("Refund > detail > cents").value == 2000
    [ran] = _payloads(result.events, CodeRan)
    assert ran.name == "Refund" and ran.step == "compute"
    assert ran.inputs == {"Get order > total": 49.99}
    assert ran.outputs == {"amount": "20.00", "detail": {"cents": 2000}, "full": False}
    said = _payloads(result.events, MessageSent)[-1]
    assert said.reads == {"Refund > amount": "20.00", "Refund > detail > cents": 2000}
    assert [event.type for event in result.events].index("code_ran") > [event.type for event in result.events].index(
        "connector_responded"
    )


async def test_a_condition_branches_on_an_output() -> None:
    steps = [
        *_steps()[:2],
        {
            "id": "check",
            "type": "condition",
            "branches": [
                {
                    "when": {"attribute": "Refund > full", "op": "equals", "value": True},
                    "steps": [{"id": "all", "type": "end", "outcome": "resolved", "message": "full"}],
                }
            ],
            "else": [{"id": "part", "type": "end", "outcome": "handoff", "message": "partial"}],
        },
    ]
    result = await run_procedure(_workspace(steps), "P", ScriptedAgent())
    assert (result.outcome, result.path) == ("handoff", ["fetch", "compute", "check", "part"])


async def test_the_inputs_read_are_masked() -> None:
    code = 'return {"n": len(inputs["temporary"]["Get order"]["token"])}'
    ws = _workspace(_steps(code)[:2])
    secret = "sk_live_0123456789abcdef"
    options = RunOptions(secrets={"API_KEY": secret})
    ws.connectors["Get order"].model.request.headers = {"Authorization": "Bearer {{secret.API_KEY}}"}
    result = await run_procedure(ws, "P", ScriptedAgent(), options)
    [ran] = _payloads(result.events, CodeRan)
    assert ran.outputs == {"n": len(secret)}
    assert secret not in str(ran.to_json()) and "***" in str(ran.inputs)


async def test_a_failure_is_a_code_error_with_its_line() -> None:
    code = "x = 1\ny = x / 0\nreturn {}"
    result = await run_procedure(_workspace(_steps(code)), "P", ScriptedAgent())
    assert result.outcome == "failed"
    error = result.error
    assert error is not None
    assert (error.reason, error.step, error.line) == ("code", "compute", 2)
    assert "line 2" in error.message and "ZeroDivisionError" in error.message
    assert error.to_json()["line"] == 2
    assert "error [code]" in describe(result.events[-2])


async def test_a_failure_takes_on_error_when_there_is_one() -> None:
    for code, words in (
        ("raise ValueError('no')", "ValueError: no"),
        ("return [1]", "must return a dict"),
        ("return {'d': decimal.Decimal('1')}", "not JSON-serializable"),
        ("import os\nreturn {}", "module 'os' is not available"),
    ):
        on_error = [{"id": "sorry", "type": "instruction", "text": "Sorry."}]
        steps = [*_steps(code, on_error=on_error)[:2], {"id": "after", "type": "instruction", "text": "Next."}]
        result = await run_procedure(_workspace(steps), "P", ScriptedAgent())
        assert result.outcome == "completed", code
        assert result.path == ["fetch", "compute", "sorry", "after"]
        [error] = _payloads(result.events, RunError)
        assert error.reason == "code" and words in error.message
        assert result.context.resolve("Refund").found is False


async def test_a_code_step_round_trips_byte_for_byte() -> None:
    data = procedure(
        "P",
        {
            "id": "compute",
            "type": "code",
            "name": "Refund",
            "code": REFUND,
            "outputs": [{"path": "amount", "type": "string"}, {"path": "detail > cents", "type": "integer"}],
            "on_error": [{"id": "sorry", "type": "instruction", "text": "Sorry."}],
            "note": "kept",
        },
    )
    first = serialize(Procedure.model_validate(data))
    assert serialize(Procedure.model_validate_json(first)) == first
    assert b'"note": "kept"' in first

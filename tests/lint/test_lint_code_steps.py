"""Lint of code steps: disallowed imports and names, reads not available at the step, outputs never returned,
names that clash, outputs nobody reads — each located."""

from __future__ import annotations

from typing import Any

from workbench.lint import Finding, lint_models
from workbench.model import Connector, Procedure

ORDER = {"order_id": "ORD-1", "total": 49.99, "items": [{"quantity": 1}]}
CONNECTORS = {
    "Get order": Connector.model_validate(
        {"name": "Get order", "request": {"url": "http://127.0.0.1:8787/x"}, "response": {"example": {"body": ORDER}}}
    )
}
REFUND = 'from decimal import Decimal\nt = Decimal(str(inputs["temporary"]["Get order"]["total"]))\nreturn {"amount": str(t / 2), "detail": {"cents": int(t * 50)}}'


def _code(code: str = REFUND, **extra: Any) -> dict[str, Any]:
    return {"id": "compute", "type": "code", "name": "Refund", "code": code, **extra}


def _lint(*steps: dict[str, Any], payloads: dict[str, Any] | None = None) -> list[Finding]:
    procedure = Procedure.model_validate({"name": "P", "steps": list(steps)})
    return lint_models(CONNECTORS, {"P": procedure}, payloads=payloads)


FETCH = {"id": "fetch", "type": "instruction", "text": "@call(Get order)"}
SAY = {"id": "say", "type": "instruction", "text": "Refund @read(Refund > amount), @read(Refund > detail > cents)."}


def _where(finding: Finding) -> tuple[str, str | None, str | None, int | None, int | None]:
    return (finding.rule, finding.step, finding.field, finding.line, finding.column)


def test_a_clean_procedure_with_a_code_step_lints_clean() -> None:
    assert _lint(FETCH, _code(), SAY) == []
    declared = [{"path": "amount", "type": "string"}, {"path": "detail > cents", "type": "integer"}]
    assert _lint(FETCH, _code(outputs=declared), SAY) == []


def test_importing_os_is_a_code_error_on_its_line() -> None:
    [finding] = _lint(FETCH, _code("x = 1\nimport os\nreturn {'amount': 1, 'detail': {'cents': 1}}"), SAY)
    assert _where(finding) == ("code-error", "compute", "code", 2, 1)
    assert "module 'os' is not available in the sandbox (allowed: datetime, decimal, json, math, re)" in (
        finding.message
    )


def test_reading_an_attribute_not_yet_available_is_an_error_at_the_read() -> None:
    findings = _lint(_code(), FETCH, SAY)
    [finding] = [finding for finding in findings if finding.rule == "attribute-before-call"]
    assert _where(finding) == ("attribute-before-call", "compute", "code", 2, 37)
    assert finding.message == "reads 'Get order > total' but Get order is not called before this step"


def test_reading_an_unknown_builtin_attribute_in_code_is_located() -> None:
    code = 'return {"amount": inputs["user"]["shoe_size"], "detail": {"cents": 1}}'
    [finding] = _lint(FETCH, _code(code), SAY)
    assert _where(finding)[:4] == ("unknown-reference", "compute", "code", 1)
    assert "'User > shoe_size'" in finding.message


def test_reading_outputs_before_the_code_step_runs() -> None:
    findings = _lint(FETCH, SAY, _code())
    assert {(finding.rule, finding.step) for finding in findings} == {("attribute-before-call", "say")}
    assert findings[0].message == "reads 'Refund > amount' but code step Refund does not run before this step"
    assert findings[0].suggestion is None


def test_an_output_the_code_never_returns_when_declared_or_known() -> None:
    wrong = {"id": "say", "type": "instruction", "text": "Refund @read(Refund > amont)."}
    declared = _lint(FETCH, _code(outputs=[{"path": "amount", "type": "string"}]), wrong)
    assert [(finding.rule, finding.step, finding.suggestion) for finding in declared] == [
        ("unknown-reference", "say", "Refund > amount")
    ]
    assert "code step Refund never returns 'Refund > amont' (outputs it declares: Refund > amount)" in (
        declared[0].message
    )
    known = _lint(FETCH, _code(), wrong, payloads={"Refund": {"amount": "1", "detail": {"cents": 1}}})
    assert [finding.rule for finding in known] == ["unknown-reference"]
    assert "returned in a run on the samples" in known[0].message
    assert _lint(FETCH, _code(), wrong) == [], "outputs neither declared nor known: nothing to check against"


def test_a_branch_on_an_output() -> None:
    condition = {
        "id": "check",
        "type": "condition",
        "branches": [{"when": {"attribute": "Refund > detail > cents", "op": "greater_than", "value": 0}}],
    }
    assert _lint(FETCH, _code(), condition) == []


def test_outputs_nobody_reads_and_names_that_clash() -> None:
    [unused] = _lint(FETCH, _code())
    assert (unused.rule, unused.severity, unused.step, unused.field) == (
        "unused-code-output",
        "warning",
        "compute",
        "name",
    )
    clash = _lint(FETCH, _code(name="get order"), SAY)
    assert ("code-step-name", "compute") in {(finding.rule, finding.step) for finding in clash}
    twice = _lint(FETCH, _code(), {**_code(), "id": "again"}, SAY)
    [finding] = [finding for finding in twice if finding.rule == "code-step-name"]
    assert finding.step == "again" and "already used by step 'compute'" in finding.message

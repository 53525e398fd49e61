"""A code step's trial run: a field per attribute it reads, pre-filled from the samples, and its outputs with the
values changed."""

from __future__ import annotations

import pytest

from workbench.attributes import AttributeCatalog
from workbench.code_trial import run_trial, trial_values
from workbench.model import CodeStep, Connector, Procedure
from workbench.sandbox import SandboxLimits, SandboxRuntimeError

CONNECTOR = Connector.model_validate(
    {"name": "Get order", "request": {"url": "http://127.0.0.1:1/x"}, "response": {"example": {"body": {"total": 10}}}}
)
STEP = CodeStep(
    id="c",
    name="Refund",
    code='t = inputs["temporary"]["Get order"]["total"]\nreturn {"half": t / 2, "who": inputs["user"]["email"]}',
)
CATALOG = AttributeCatalog({"Get order": CONNECTOR}, {"P": Procedure(name="P", steps=[STEP])})
LIMITS = SandboxLimits()


def test_the_fields_are_the_reads_with_their_samples() -> None:
    assert trial_values(CATALOG, STEP) == {"Get order > total": 10, "User > email": "ada@example.com"}


def test_a_trial_runs_with_the_values_given() -> None:
    assert run_trial(CATALOG, STEP, {"Get order > total": 30}, LIMITS) == {"half": 15.0, "who": "ada@example.com"}
    with pytest.raises(SandboxRuntimeError) as raised:
        run_trial(CATALOG, STEP, {"Get order > total": "x"}, LIMITS)
    assert raised.value.line == 2
    with pytest.raises(ValueError):
        run_trial(CATALOG, STEP, {"Nobody > x": 1}, LIMITS)

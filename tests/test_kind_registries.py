"""Every registry keyed by kind knows every step kind and every branch-test kind, and a kind that one of them does
not know fails loudly when that registry is imported, naming the registry and the kind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.model import EndStep, kinds
from workbench.model.procedure import AnyStep

STEP_REGISTRIES = {
    "workbench.attributes": "attributes._FLOWS",
    "workbench.engine.runner": "engine.runner.PERFORMERS",
    "workbench.tui.widgets.step_form": "tui.widgets.step_form.STEP_FORMS",
    "workbench.tui.widgets.step_outline": "tui.widgets.step_outline.TYPE_STYLES",
    "workbench.tui.screens.pickers": "tui.screens.pickers.STEP_TYPE_HELP",
}
WHEN_REGISTRIES = {
    "workbench.engine.runner": "engine.runner.TESTS",
    "workbench.tui.widgets.step_form": "tui.widgets.step_form.WHEN_FORMS",
}

# Run in a fresh interpreter: every registry module is imported as it is, then a kind is added to the model's
# registry and each module is executed again (importlib.reload), as a module importing after the new kind would be.
_PROBE = """
import importlib, json, sys
from workbench.model import kinds
modules = [importlib.import_module(name) for name in json.loads(sys.argv[1])]
registry = kinds.STEP_KINDS if sys.argv[2] == "step" else kinds.WHEN_KINDS
registry["fake"] = next(iter(registry.values()))
failures = {}
for module in modules:
    try:
        importlib.reload(module)
    except kinds.IncompleteRegistry as error:
        failures[module.__name__] = str(error)
print(json.dumps(failures))
"""


def _failures_with_a_new(kind: str, modules: list[str]) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(modules), kind], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_step_kind_no_registry_knows_fails_each_registry_on_import() -> None:
    failures = _failures_with_a_new("step", list(STEP_REGISTRIES))
    assert failures == {
        module: f"{registry}: no entry for the step kind(s) 'fake'" for module, registry in STEP_REGISTRIES.items()
    }


def test_a_condition_kind_no_registry_knows_fails_each_registry_on_import() -> None:
    failures = _failures_with_a_new("condition", list(WHEN_REGISTRIES))
    assert failures == {
        module: f"{registry}: no entry for the condition kind(s) 'fake'" for module, registry in WHEN_REGISTRIES.items()
    }


def test_a_step_model_without_a_kind_fails_the_model_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStep(EndStep):
        pass

    monkeypatch.setattr(kinds, "AnyStep", AnyStep | FakeStep)
    with pytest.raises(
        kinds.IncompleteRegistry, match=r"model.kinds.STEP_KINDS: no entry for the step model kind\(s\) 'FakeStep'"
    ):
        kinds.check_models()


def test_a_registry_with_an_unknown_kind_is_refused() -> None:
    with pytest.raises(kinds.IncompleteRegistry, match=r"x: an entry for the unknown step kind\(s\) 'gone'"):
        kinds.require_every_kind("x", [*kinds.STEP_KINDS, "gone"])

"""The full-app tier's marks follow the code: a test that starts the app through a helper is marked, one that
does not is not, and a test that starts it unseen fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app_tier import REFUSAL, AppTier, refuse_the_app
from tests.tui.conftest import running
from workbench.tui.app import WorkbenchApp


async def _starts(root: Path) -> None:
    async with running(root):
        pass


async def _through_a_helper() -> None:
    await _starts(Path("."))


def _constructs() -> WorkbenchApp:
    return WorkbenchApp(Path("."))


IMPORTING: dict[str, Any] = {"__name__": "tests.sample"}
exec(  # a module of its own, where the harness is no global: only the import inside the function names it
    "async def imports(root):\n    from tests.tui.conftest import running\n    async with running(root):\n        pass\n",
    IMPORTING,
)
_imports_the_harness = IMPORTING["imports"]


def _quiet() -> int:
    return len(str(Path(".")))


SAMPLES = {
    "helper": _through_a_helper,
    "quiet": _quiet,
    "starts": _starts,
    "constructs": _constructs,
    "imports": _imports_the_harness,
}
"""Named through a dict: the collection hook does not follow a dict, so these tests stay in the quick tier."""


def test_a_test_calling_a_helper_that_starts_the_app_is_in_the_app_tier() -> None:
    tier = AppTier()
    assert tier.starts_the_app(SAMPLES["helper"])
    assert tier.starts_the_app(SAMPLES["starts"])
    assert tier.starts_the_app(SAMPLES["constructs"])
    assert tier.starts_the_app(SAMPLES["imports"])
    assert not tier.starts_the_app(SAMPLES["quiet"])


def test_a_test_not_marked_app_cannot_start_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_the_app(monkeypatch)
    with pytest.raises(pytest.fail.Exception, match="not marked `app`") as failed:
        SAMPLES["constructs"]()  # unseen by the collection hook
    assert str(failed.value) == REFUSAL

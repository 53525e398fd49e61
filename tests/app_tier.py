"""The full-app tier: tests that start the real :class:`~workbench.tui.app.WorkbenchApp` are marked ``app``.

A test is in the tier when its code, or a helper of the suite it calls (followed through the names each function
uses, across modules), names or imports the app class or the harness that starts it
(:func:`tests.tui.conftest.running`).
``pytest -m "not app"`` is then the quick tier and ``pytest -m app`` the slow one. A test that starts the app by a
way this cannot see fails (see :func:`refuse_the_app`), so the marks stay true.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

MARK = "app"
"""The marker's name (registered in pyproject.toml)."""

STARTERS = (("tests.tui.conftest", "running"), ("workbench.tui.app", "WorkbenchApp"))
"""What starts the app: the harness and the app class (a subclass of it counts too). A module not imported yet
is named by no collected test, so it is not imported here (a quick run of core tests stays quick)."""

REFUSAL = (
    "this test starts the full app but is not marked `app`: call the app through tests.tui.conftest.running or "
    "name WorkbenchApp in the test (the collection hook follows names), or mark it `@pytest.mark.app`"
)


def _imports_a_starter(function: Callable[..., Any]) -> bool:
    """Whether the function imports the harness or the app class itself (``from MODULE import NAME`` inside it)."""
    return any(
        module in code.co_names and name in code.co_names
        for code in _code_objects(function.__code__)
        for module, name in STARTERS
    )


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    """``code`` and the code nested in it (inner functions, lambdas, comprehensions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _names(function: Callable[..., Any]) -> Iterator[object]:
    """The global objects a function's code names (``a.b`` resolves ``a``, then its attribute ``b``)."""
    scope = getattr(function, "__globals__", {})
    for code in _code_objects(function.__code__):
        for name in code.co_names:
            if name in scope:
                value = scope[name]
                yield value
                if isinstance(value, types.ModuleType):
                    yield from (getattr(value, attr) for attr in code.co_names if hasattr(value, attr))


class AppTier:
    """Which functions start the app, remembered per function (helpers are shared by many tests)."""

    def __init__(self) -> None:
        self._starters = [getattr(sys.modules[module], name) for module, name in STARTERS if module in sys.modules]
        self._known: dict[object, bool] = {}

    def starts_the_app(self, function: Callable[..., Any]) -> bool:
        """Whether calling ``function`` may start the app (through the suite's own helpers, any depth)."""
        function = inspect.unwrap(function)
        if function in self._known:
            return self._known[function]
        self._known[function] = False  # a helper that (indirectly) calls itself
        found = _imports_a_starter(function) or any(self._starts(value) for value in _names(function))
        self._known[function] = found
        return found

    def _starts(self, value: object) -> bool:
        for starter in self._starters:
            if value is starter or (
                isinstance(value, type) and isinstance(starter, type) and issubclass(value, starter)
            ):
                return True
        value = inspect.unwrap(value) if callable(value) else value
        if isinstance(value, types.FunctionType) and value.__module__.startswith("tests"):
            return self.starts_the_app(value)
        return False


def mark_app_tests(items: list[pytest.Item]) -> None:
    """Mark ``app`` every collected test whose code starts the app."""
    tier = AppTier()
    for item in items:
        function = getattr(item, "obj", None)
        if isinstance(item, pytest.Function) and function is not None and tier.starts_the_app(function):
            item.add_marker(MARK)


def refuse_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make starting the app fail the test (for tests not marked ``app``): a miss of the collection hook shows."""
    from workbench.tui.app import WorkbenchApp

    def refused(*_args: object, **_kwargs: object) -> None:
        pytest.fail(REFUSAL, pytrace=False)

    monkeypatch.setattr(WorkbenchApp, "__init__", refused)

"""Accepting a new behaviour on purpose: a scenario's expectations rewritten to what its latest run showed,
and the difference shown before anything is written.

Only what the scenario checks is rewritten, in the form it checks it (a list of calls stays a list, counts stay
counts of the same connectors); what the run showed beyond that is left unchecked, as before.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.engine import RunResult
from workbench.events import RunError
from workbench.jsonfile import dumps_pretty
from workbench.model import Expectations
from workbench.scenarios.runner import ScenarioReport
from workbench.store import to_data


def accepted_expectations(expect: Expectations, result: RunResult) -> Expectations:
    """``expect`` with every field it checks set to what ``result`` showed.

    Texts of ``messages_contain`` that no message says any more are dropped (a part of a message cannot be
    guessed); an ``outcome`` is added when the run failed and nothing pinned the failure.
    """
    updates: dict[str, object] = {}
    if expect.outcome is not None or (expect.errors is None and not result.ok):
        updates["outcome"] = result.outcome
    if expect.path is not None:
        updates["path"] = list(result.path)
    if isinstance(expect.calls, list):
        updates["calls"] = list(result.calls)
    elif expect.calls is not None:
        counted = Counter(result.calls)
        updates["calls"] = {name: counted[name] for name in expect.calls}
    if expect.messages_contain:
        updates["messages_contain"] = [
            text for text in expect.messages_contain if any(text in message for message in result.messages)
        ]
    if expect.attributes:
        values = {}
        for path in expect.attributes:
            found = result.context.resolve(path)
            values[path] = found.value if found.found else None
        updates["attributes"] = values
    if expect.errors is not None:
        updates["errors"] = [event.payload.reason for event in result.events if isinstance(event.payload, RunError)]
    return expect.model_copy(update=updates)


def expectations_diff(before: Expectations, after: Expectations, *, label: str = "expect") -> list[str]:
    """The change from ``before`` to ``after`` as unified-diff lines of their JSON (empty when equal)."""
    old = _lines(before)
    new = _lines(after)
    return list(difflib.unified_diff(old, new, f"{label} (file)", f"{label} (latest run)", lineterm="", n=2))


def _lines(expect: Expectations) -> list[str]:
    return dumps_pretty(to_data(expect)).decode().splitlines()


@dataclass(frozen=True)
class Acceptance:
    """A failed scenario's file with the expectations its run meets: its new bytes and the diff to show."""

    path: Path
    name: str
    diff: list[str]
    data: bytes


def acceptances(reports: Iterable[ScenarioReport]) -> list[Acceptance]:
    """The failed scenarios whose expectations can be rewritten to what their run showed (in report order).

    Scenarios that could not run (``error``) have no run to accept and are left out, as are failures whose
    rewritten expectations read the same (a message part no message says any more, for one)."""
    found = []
    for report in reports:
        document, result = report.case.document, report.result
        if report.status != "failed" or document is None or result is None:
            continue
        before = document.model.expect
        after = accepted_expectations(before, result)
        diff = expectations_diff(before, after)
        if diff:
            model = document.model.model_copy(update={"expect": after})
            found.append(Acceptance(document.path, report.case.name, diff, dumps_pretty(to_data(model))))
    return found

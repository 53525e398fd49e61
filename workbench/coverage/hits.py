"""What scenario runs reached, counted from their events: steps started, arms taken, call outcomes met, and the
answers and decisions given at collect steps and ``describe`` conditions. Counts merge (one run, one scenario
suite, one pytest-xdist worker's share) and travel as JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from workbench import jsoncodec
from workbench.coverage.universe import ELSE, ON_ERROR, SUCCESS, rule_outcome
from workbench.engine.failure import handleable
from workbench.events import (
    ConditionEvaluated,
    ConnectorCalled,
    ConnectorResponded,
    Event,
    InputReceived,
    RunError,
    StepStarted,
)

Key = tuple[str, ...]
"""``("step", procedure, step)``, ``("arm", procedure, step, arm)``, ``("outcome", procedure, step, connector,
outcome)`` or ``("value", procedure, step, class)``."""
VALUE_LIMIT = 40
"""Answers longer than this are cut in the value class that names them."""


class Hits:
    """How often each step, arm, outcome and answer class was reached, over any number of runs."""

    def __init__(self, counts: Counter[Key] | None = None, runs: int = 0) -> None:
        self.counts: Counter[Key] = counts if counts is not None else Counter()
        self.runs = runs

    def add_run(self, events: Iterable[Event]) -> None:
        """Count one scenario run's events (a debugger run is not a scenario: never pass one)."""
        self.runs += 1
        counts = self.counts
        for event in events:
            payload = event.payload
            match payload:
                case StepStarted(procedure=procedure, step=step):
                    counts["step", procedure, step] += 1
                case ConditionEvaluated(procedure=procedure, step=step, branch=branch):
                    counts["arm", procedure, step, ELSE if branch is None else str(branch)] += 1
                case ConnectorCalled(procedure=procedure, step=step, connector=connector, rule=rule) if (
                    rule is not None
                ):
                    counts["outcome", procedure, step, connector, rule_outcome(rule)] += 1
                case ConnectorResponded(procedure=procedure, step=step, connector=connector):
                    counts["outcome", procedure, step, connector, SUCCESS] += 1
                case RunError(procedure=procedure, step=str(step), connector=str(connector), reason=reason):
                    counts["outcome", procedure, step, connector, reason] += 1
                    if handleable(reason, connector):
                        counts["arm", procedure, step, ON_ERROR] += 1
                case InputReceived(procedure=procedure, step=step):
                    counts["value", procedure, step, value_class(payload)] += 1

    def merge(self, other: Hits) -> None:
        """Add another set of counts to these."""
        self.counts.update(other.counts)
        self.runs += other.runs

    def count(self, *key: str) -> int:
        """How often ``key`` was reached."""
        return self.counts.get(key, 0)

    def classes(self, procedure: str, step: str) -> list[str]:
        """The distinct answer or decision classes given at a step, sorted."""
        return sorted(key[3] for key in self.counts if key[:3] == ("value", procedure, step))

    def to_json(self) -> dict[str, Any]:
        """The counts as JSON: ``{"runs": N, "counts": [[*key, count], ...]}`` in a stable order."""
        return {"runs": self.runs, "counts": [[*key, count] for key, count in sorted(self.counts.items())]}

    @classmethod
    def from_json(cls, data: Any) -> Hits:
        """Counts from :meth:`to_json`'s form; ``ValueError`` when it does not fit."""
        counts: Counter[Key] = Counter()
        runs = data.get("runs") if isinstance(data, dict) else None
        rows = data.get("counts") if isinstance(data, dict) else None
        if not isinstance(runs, int) or isinstance(runs, bool) or runs < 0 or not isinstance(rows, list):
            raise ValueError('coverage counts must be {"runs": N, "counts": [...]}')
        for row in rows:
            if not (isinstance(row, list) and len(row) >= 2 and all(isinstance(part, str) for part in row[:-1])):
                raise ValueError(f"not a coverage count: {row!r}")
            if not isinstance(row[-1], int) or isinstance(row[-1], bool) or row[-1] < 0:
                raise ValueError(f"not a coverage count: {row!r}")
            counts[tuple(row[:-1])] += row[-1]
        return cls(counts, runs)


def value_class(received: InputReceived) -> str:
    """The class of an answer or decision: ``branch N: yes|no`` for a decision, ``refused`` for an answer of the
    wrong type, else the value itself as compact JSON (cut to :data:`VALUE_LIMIT` characters)."""
    if received.branch is not None:
        return f"branch {received.branch}: {'yes' if received.value else 'no'}"
    if received.error is not None:
        return "refused"
    text = jsoncodec.dumps(received.value).decode()
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"

"""Two results files side by side: per scenario and criterion the pass rates before and after, which changes
are beyond noise (their 95 % intervals do not overlap), and the paths that appeared or disappeared; as text,
JSON or Markdown (for a pull-request comment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from workbench.agent.results import LoadedScenario, load_results
from workbench.agent.verdicts import Tally

Format = Literal["text", "json", "markdown"]


@dataclass(frozen=True)
class Change:
    """One scenario's (``criterion`` ``None``) or one criterion's pass rate before and after (``None``: absent)."""

    scenario: str
    criterion: str | None
    before: Tally | None
    after: Tally | None

    @property
    def beyond_noise(self) -> bool:
        """Both sides ran and their intervals do not overlap."""
        if self.before is None or self.after is None or not self.before.total or not self.after.total:
            return False
        (low_a, high_a), (low_b, high_b) = self.before.interval, self.after.interval
        return high_a < low_b or high_b < low_a

    @property
    def direction(self) -> str:
        """``better``, ``worse``, ``same``, ``new`` or ``gone``."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        if self.after.rate == self.before.rate:
            return "same"
        return "better" if self.after.rate > self.before.rate else "worse"

    @property
    def label(self) -> str:
        """``scenario`` or ``scenario > criterion``."""
        return self.scenario if self.criterion is None else f"{self.scenario} > {self.criterion}"

    def to_json(self) -> dict[str, Any]:
        """The change as ``--format json`` gives it."""
        return {
            "scenario": self.scenario,
            "criterion": self.criterion,
            "before": _rate(self.before),
            "after": _rate(self.after),
            "direction": self.direction,
            "beyond_noise": self.beyond_noise,
        }


@dataclass
class Comparison:
    """Every scenario's and criterion's rates in both files, and the paths that appeared or disappeared."""

    rows: list[Change] = field(default_factory=list)
    paths_appeared: dict[str, list[str]] = field(default_factory=dict)
    paths_disappeared: dict[str, list[str]] = field(default_factory=dict)

    @property
    def beyond_noise(self) -> list[Change]:
        """The changes whose intervals do not overlap."""
        return [row for row in self.rows if row.beyond_noise]

    @property
    def regressed(self) -> bool:
        """Whether a rate fell beyond noise."""
        return any(row.direction == "worse" for row in self.beyond_noise)

    def to_json(self) -> dict[str, Any]:
        """The comparison as ``--format json`` gives it."""
        return {
            "rows": [row.to_json() for row in self.rows],
            "beyond_noise": [row.to_json() for row in self.beyond_noise],
            "paths_appeared": self.paths_appeared,
            "paths_disappeared": self.paths_disappeared,
        }


def compare_results(old: dict[str, LoadedScenario], new: dict[str, LoadedScenario]) -> Comparison:
    """The comparison of two results files' scenarios (as :func:`~workbench.agent.results.load_results` reads them)."""
    comparison = Comparison()
    for name in [*old, *(name for name in new if name not in old)]:
        before, after = old.get(name), new.get(name)
        comparison.rows.append(Change(name, None, before.tally if before else None, after.tally if after else None))
        criteria_before = before.criteria if before else {}
        criteria_after = after.criteria if after else {}
        for criterion in [*criteria_before, *(item for item in criteria_after if item not in criteria_before)]:
            comparison.rows.append(
                Change(name, criterion, criteria_before.get(criterion), criteria_after.get(criterion))
            )
        if before and after:
            appeared = sorted(after.paths - before.paths)
            disappeared = sorted(before.paths - after.paths)
            if appeared:
                comparison.paths_appeared[name] = appeared
            if disappeared:
                comparison.paths_disappeared[name] = disappeared
    return comparison


def compare_files(old: Path, new: Path) -> Comparison:
    """The comparison of two results files; raises ``ValueError`` naming the file and what is wrong with it."""
    return compare_results(load_results(old), load_results(new))


def render(comparison: Comparison, form: Format) -> str:
    """The comparison as text, JSON or Markdown."""
    if form == "json":
        return orjson.dumps(comparison.to_json(), option=orjson.OPT_INDENT_2).decode()
    if form == "markdown":
        return _markdown(comparison)
    return _text(comparison)


def _rate(tally: Tally | None) -> dict[str, Any] | None:
    if tally is None:
        return None
    low, high = tally.interval
    return {"passed": tally.passed, "runs": tally.total, "rate": round(tally.rate, 4), "interval": [low, high]}


def shown_rate(tally: Tally | None) -> str:
    """A pass rate as every form shows it: ``83% (5/6, 44%-97%)``, ``—`` when absent."""
    if tally is None:
        return "—"
    low, high = tally.interval
    return f"{tally.rate:.0%} ({tally.passed}/{tally.total}, {low:.0%}-{high:.0%})"


def change_mark(row: Change) -> str:
    """What a row says of its change: ``WORSE beyond noise``, ``new``, ``gone``, or nothing (noise)."""
    if row.beyond_noise:
        return f"{row.direction.upper()} beyond noise"
    return row.direction if row.direction in ("new", "gone") else ""


def _text(comparison: Comparison) -> str:
    lines = []
    for row in comparison.rows:
        indent = "  " if row.criterion is None else "      "
        name = row.scenario if row.criterion is None else row.criterion
        mark = change_mark(row)
        lines.append(
            f"{indent}{name}: {shown_rate(row.before)} → {shown_rate(row.after)}" + (f"  [{mark}]" if mark else "")
        )
    lines += _path_lines(comparison, "appeared", "+")
    lines += _path_lines(comparison, "disappeared", "-")
    changes = comparison.beyond_noise
    lines.append(
        f"{len(changes)} change{'s' * (len(changes) != 1)} beyond noise"
        + (": " + "; ".join(f"{row.label} ({row.direction})" for row in changes) if changes else "")
    )
    return "\n".join(lines)


def _path_lines(comparison: Comparison, which: str, sign: str) -> list[str]:
    found = comparison.paths_appeared if which == "appeared" else comparison.paths_disappeared
    return [f"  {sign} path {which} in {name}: {path}" for name, paths in found.items() for path in paths]


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(comparison: Comparison) -> str:
    lines = ["| Scenario | Criterion | Before | After | Change |", "|---|---|---|---|---|"]
    for row in comparison.rows:
        mark = change_mark(row)
        lines.append(
            f"| {_cell(row.scenario)} | {_cell(row.criterion or '(whole scenario)')} | {shown_rate(row.before)} | "
            f"{shown_rate(row.after)} | {'**' + mark + '**' if row.beyond_noise else mark} |"
        )
    paths = _path_lines(comparison, "appeared", "+") + _path_lines(comparison, "disappeared", "-")
    if paths:
        lines += ["", *(f"- {_cell(line.strip())}" for line in paths)]
    changes = comparison.beyond_noise
    lines += ["", f"**{len(changes)} change{'s' * (len(changes) != 1)} beyond noise** (95% intervals do not overlap)"]
    return "\n".join(lines)

"""Verdicts over repeated runs: pass rules, pass rates with their confidence interval, pass^k, pass@k and
flakiness, for one criterion or one scenario.

Over ``n`` runs with ``c`` passes (the unbiased estimators of Chen et al. 2021 and τ-bench):

- pass@k = 1 - C(n-c, k) / C(n, k): the estimated chance that at least one of k runs passes;
- pass^k = C(c, k) / C(n, k): the estimated chance that all k runs pass;
- the interval is Wilson's score interval at 95 %, sound for small ``n`` and rates of 0 or 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Z_95 = 1.959963984540054
"""The normal quantile of a two-sided 95 % interval."""


def wilson(passed: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of ``passed / total`` (``(0, 1)`` when nothing was judged)."""
    if total <= 0:
        return 0.0, 1.0
    rate = passed / total
    denominator = 1 + z * z / total
    centre = (rate + z * z / (2 * total)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total)) / denominator
    low = 0.0 if passed == 0 else max(0.0, centre - half)
    high = 1.0 if passed == total else min(1.0, centre + half)
    return low, high


def pass_at_k(passed: int, total: int, k: int) -> float:
    """The estimated chance that at least one of ``k`` runs passes: 1 - C(n-c, k) / C(n, k)."""
    k = min(k, total)
    if k <= 0:
        return 0.0
    return 1.0 - math.comb(total - passed, k) / math.comb(total, k)


def pass_hat_k(passed: int, total: int, k: int) -> float:
    """The estimated chance that all ``k`` runs pass (pass^k): C(c, k) / C(n, k)."""
    k = min(k, total)
    if k <= 0:
        return 0.0
    return math.comb(passed, k) / math.comb(total, k)


@dataclass(frozen=True)
class PassRule:
    """When repeated runs pass: ``all`` of them, a ``majority`` (more than half), or a ``rate`` of at least
    ``threshold``."""

    kind: Literal["all", "majority", "rate"] = "all"
    threshold: float = 1.0

    @classmethod
    def parse(cls, text: str) -> PassRule:
        """``all``, ``majority`` or ``rate:R`` (R from 0 to 1, or a percentage such as ``80%``); raises
        ``ValueError`` saying what is wrong."""
        given = text.strip().lower()
        if given in ("all", "majority"):
            return cls(given)  # type: ignore[arg-type]
        name, colon, value = given.partition(":")
        if name != "rate" or not colon:
            raise ValueError(f"expected all, majority or rate:R, got {text!r}")
        try:
            threshold = float(value[:-1]) / 100 if value.endswith("%") else float(value)
        except ValueError:
            threshold = -1.0
        if not 0 <= threshold <= 1 or math.isnan(threshold):
            raise ValueError(f"rate:R needs R from 0 to 1 (or 0% to 100%), got {value!r}")
        return cls("rate", threshold)

    def passes(self, passed: int, total: int) -> bool:
        """Whether ``passed`` of ``total`` runs pass this rule (nothing judged never passes)."""
        if total <= 0:
            return False
        if self.kind == "all":
            return passed == total
        if self.kind == "majority":
            return passed * 2 > total
        return passed / total >= self.threshold - 1e-12

    def __str__(self) -> str:
        return f"rate:{self.threshold:g}" if self.kind == "rate" else self.kind


@dataclass(frozen=True)
class Tally:
    """How one criterion (or one whole scenario) fared over repeated runs: the runs (by index) that passed and
    those that failed."""

    name: str
    passed_runs: tuple[int, ...]
    failed_runs: tuple[int, ...]

    @property
    def passed(self) -> int:
        """Runs that passed."""
        return len(self.passed_runs)

    @property
    def total(self) -> int:
        """Runs judged."""
        return len(self.passed_runs) + len(self.failed_runs)

    @property
    def rate(self) -> float:
        """The pass rate (0 when nothing was judged)."""
        return self.passed / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % Wilson interval of the pass rate."""
        return wilson(self.passed, self.total)

    @property
    def flaky(self) -> bool:
        """Passed on some runs and failed on others."""
        return bool(self.passed_runs) and bool(self.failed_runs)

    def pass_at(self, k: int) -> float:
        """pass@k: at least one of ``k`` runs passes."""
        return pass_at_k(self.passed, self.total, k)

    def pass_hat(self, k: int) -> float:
        """pass^k: all ``k`` runs pass."""
        return pass_hat_k(self.passed, self.total, k)

    def verdict(self, rule: PassRule) -> bool:
        """Whether the runs pass ``rule``."""
        return rule.passes(self.passed, self.total)

    def to_json(self, rule: PassRule, k: int) -> dict[str, object]:
        """The tally as a results file holds it."""
        low, high = self.interval
        return {
            "verdict": "pass" if self.verdict(rule) else "fail",
            "passed": self.passed,
            "runs": self.total,
            "rate": round(self.rate, 4),
            "interval": [round(low, 4), round(high, 4)],
            f"pass^{k}": round(self.pass_hat(k), 4),
            f"pass@{k}": round(self.pass_at(k), 4),
            "flaky": self.flaky,
            "passed_runs": list(self.passed_runs),
            "failed_runs": list(self.failed_runs),
        }

    @classmethod
    def of(cls, name: str, outcomes: list[tuple[int, bool]]) -> Tally:
        """The tally of ``(run index, passed)`` pairs."""
        ordered = sorted(outcomes)
        return cls(
            name,
            tuple(index for index, ok in ordered if ok),
            tuple(index for index, ok in ordered if not ok),
        )

    def describe(self, k: int) -> str:
        """One line: rate, runs, interval, pass^k, pass@k, and the flaky runs."""
        low, high = self.interval
        text = (
            f"{self.rate:>4.0%} ({self.passed}/{self.total}, 95% CI {low:.0%}-{high:.0%}, "
            f"pass^{k} {self.pass_hat(k):.2f}, pass@{k} {self.pass_at(k):.2f})"
        )
        if self.flaky:
            failed = ", ".join(map(str, self.failed_runs))
            text += f" FLAKY: failed on run{'s' * (len(self.failed_runs) != 1)} {failed}"
            text += f", passed on {', '.join(map(str, self.passed_runs))}"
        return text

"""Pass rules, Wilson intervals, pass^k, pass@k and flakiness over repeated runs."""

from __future__ import annotations

import math

import pytest

from workbench.agent.verdicts import PassRule, Tally, pass_at_k, pass_hat_k, wilson


def test_wilson_matches_the_textbook_values() -> None:
    low, high = wilson(5, 6)
    assert (round(low, 4), round(high, 4)) == (0.4365, 0.9699)
    assert wilson(0, 6)[0] == 0.0 and round(wilson(0, 6)[1], 4) == 0.3903
    assert wilson(6, 6)[1] == 1.0 and round(wilson(6, 6)[0], 4) == 0.6097
    assert wilson(0, 0) == (0.0, 1.0)


def test_pass_at_k_and_pass_hat_k_are_the_unbiased_estimators() -> None:
    assert pass_at_k(4, 6, 3) == pytest.approx(1 - math.comb(2, 3) / math.comb(6, 3)) == 1.0
    assert pass_hat_k(4, 6, 3) == pytest.approx(math.comb(4, 3) / math.comb(6, 3)) == pytest.approx(0.2)
    assert pass_at_k(1, 6, 2) == pytest.approx(1 - math.comb(5, 2) / math.comb(6, 2))
    assert pass_hat_k(6, 6, 6) == 1.0 and pass_hat_k(5, 6, 6) == 0.0
    assert pass_at_k(0, 6, 6) == 0.0 and pass_at_k(1, 6, 6) == 1.0
    assert pass_hat_k(2, 2, 5) == 1.0  # k beyond the runs counts the runs made


@pytest.mark.parametrize(
    ("text", "passed", "total", "verdict"),
    [
        ("all", 6, 6, True),
        ("all", 5, 6, False),
        ("majority", 4, 6, True),
        ("majority", 3, 6, False),
        ("rate:0.8", 5, 6, True),
        ("rate:0.8", 4, 6, False),
        ("rate:80%", 4, 5, True),
        ("RATE:1", 3, 3, True),
        ("rate:0", 0, 0, False),
    ],
)
def test_pass_rules(text: str, passed: int, total: int, verdict: bool) -> None:
    assert PassRule.parse(text).passes(passed, total) is verdict


@pytest.mark.parametrize("text", ["", "some", "rate", "rate:", "rate:1.5", "rate:-1", "rate:x", "rate:nan", "all:1"])
def test_bad_pass_rules_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"all, majority or rate:R|R from 0 to 1"):
        PassRule.parse(text)


def test_a_tally_is_flaky_when_runs_disagree_and_names_them() -> None:
    tally = Tally.of("tracking", [(3, False), (1, True), (2, True), (4, True), (5, False), (6, True)])
    assert tally.passed_runs == (1, 2, 4, 6) and tally.failed_runs == (3, 5) and tally.flaky
    assert not tally.verdict(PassRule.parse("rate:0.8")) and tally.verdict(PassRule.parse("majority"))
    assert "FLAKY: failed on runs 3, 5, passed on 1, 2, 4, 6" in tally.describe(3)
    assert not Tally.of("steady", [(1, True), (2, True)]).flaky
    data = tally.to_json(PassRule.parse("rate:0.8"), 3)
    assert data["verdict"] == "fail" and data["flaky"] is True and data["pass^3"] == 0.2 and data["rate"] == 0.6667

"""Property tests are reproducible: every one takes its settings from the suite's profile (tests/conftest.py:
derandomized; ``HYPOTHESIS_PROFILE=explore`` searches freely), none fixes its own randomness or database."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).parent
HOME = TESTS / "conftest.py"
OWN_RANDOMNESS = {"derandomize", "database", "print_blob"}
"""Settings only the profile gives: a test that sets them escapes the profile (reproducible, or exploring)."""


def own_randomness(source: str) -> list[str]:
    """Where ``source`` sets its property tests' randomness itself instead of taking the suite's profile."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in {"seed", "load_profile", "register_profile"}:
            problems.append(f"{node.lineno}: {name}(...)")
        elif name == "settings":
            problems += [f"{node.lineno}: settings({k.arg}=...)" for k in node.keywords if k.arg in OWN_RANDOMNESS]
    return problems


def test_no_property_test_sets_its_own_randomness() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{problem}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != HOME
        for problem in own_randomness(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_rule_finds_a_test_that_sets_its_own_randomness() -> None:
    source = "@seed(1)\n@settings(max_examples=5, derandomize=False)\ndef test(x): ...\nsettings.load_profile('ci')\n"
    assert own_randomness(source) == ["1: seed(...)", "2: settings(derandomize=...)", "4: load_profile(...)"]
    assert own_randomness("@settings(max_examples=5, deadline=None)\ndef test(x): ...\n") == []


def test_the_suite_runs_derandomized_unless_told_to_explore() -> None:
    exploring = os.environ.get("HYPOTHESIS_PROFILE") == "explore"
    assert settings.default.derandomize is not exploring

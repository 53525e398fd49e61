"""Rules over the suite itself: tests read notifications from the record the harness keeps, not from the app's
live list (which drops each one after its timeout: on a busy machine before a polling test has looked)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent
LIVE_LIST = re.compile(r"\._notifications\b")
ALLOWED = {
    "tests/hostile/test_app_markup.py": "checks the Notification objects themselves: what a toast would draw",
    "tests/tui/debug/test_mock_server.py": "left for the main-screen move of the mock server's forwarders",
}


def live_reads(source: str) -> list[int]:
    """The lines of ``source`` that read an app's live notification list."""
    return [number for number, line in enumerate(source.splitlines(), 1) if LIVE_LIST.search(line)]


def test_tests_read_notices_from_the_record_not_the_live_list() -> None:
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__) and str(path.relative_to(TESTS.parent)) not in ALLOWED
        for line in live_reads(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "read notices with tests.tui.conftest.told(app)"


def test_the_rule_finds_a_read_of_the_live_list() -> None:
    assert live_reads("x = 1\nsaid = [n.message for n in app._notifications]\n") == [2]
    assert live_reads("said = told(app)\n") == []

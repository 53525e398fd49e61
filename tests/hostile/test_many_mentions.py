"""Class 14: lint over steps with very many mentions (its speed is measured by bench/lint_mentions.py): every
finding still carries the right line and column, including in texts long enough to use the line index."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.kit import cli, write_workspace

UNKNOWN_READ = re.compile(r"(?<![\w.@])@read\((?:Nothing > here|X)\)")
PIECES = st.sampled_from(["@read(Nothing > here)", "@call(Get orders)", "@call(", "text ", "\n", "x" * 300, "@read(X)"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(PIECES, min_size=1, max_size=400), repeat=st.sampled_from([1, 40]))
def test_findings_are_located_exactly_in_long_texts(
    capsys: pytest.CaptureFixture[str], pieces: list[str], repeat: int
) -> None:
    text = "".join(pieces) * repeat
    connector = {"name": "Get orders", "request": {"url": "http://127.0.0.1:9/o"}, "response": {"example": {"body": 1}}}
    procedure = {"name": "P", "steps": [{"id": "s", "type": "instruction", "text": text}]}
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), connectors=[connector], procedures=[procedure])
        outcome = cli(capsys, "lint", root, "--format", "json", limit_s=120)
    findings = [
        (item["line"], item["column"])
        for item in json.loads(outcome.out)["findings"]
        if item["rule"] == "unknown-reference" and ("Nothing" in item["message"] or "'X'" in item["message"])
    ]
    starts = [match.start() for match in UNKNOWN_READ.finditer(text)]
    expected = [(text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)) for start in starts]
    assert sorted(findings) == sorted(expected)

"""Class 1: regexes users write (dynamic-mock rules) never hang a run, and Ctrl-C always ends one promptly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import interruptible
from tests.hostile.kit import calling, cli, unchanged, write_workspace

ATOMS = st.sampled_from(["a", "\\w", ".", "[a-z]", "(?:a|a)", "(?:a|aa)", "\\S"])
NESTINGS = st.sampled_from(["({0}+)+", "({0}*)*", "({0}|{0})*", "(?:{0}+)+", "({0}+){{2,}}", "(.*{0}.*)*"])


def dynamic(pattern: str, *, rule: str = "trap") -> dict[str, Any]:
    return {
        "name": "Lookup",
        "request": {"url": "http://127.0.0.1:9/x/{{q}}"},
        "inputs": [{"name": "q", "type": "string", "default": "x"}],
        "response": {
            "mode": "dynamic",
            "rules": [
                {"name": rule, "when": [{"input": "q", "op": "regex", "value": pattern}], "response": {"body": 1}},
                {"name": "rest", "response": {"body": {"ok": True}}},
            ],
        },
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(atom=ATOMS, nesting=NESTINGS, tail=st.sampled_from(["$", "!$", "b", "\\d"]), size=st.integers(20, 50_000))
def test_backtracking_patterns_match_in_bounded_time(
    capsys: pytest.CaptureFixture[str], atom: str, nesting: str, tail: str, size: int
) -> None:
    pattern = nesting.format(atom) + tail
    with tempfile.TemporaryDirectory() as folder:
        connector = dynamic(pattern)
        connector["inputs"][0]["default"] = "a" * size + "#"
        root = write_workspace(Path(folder), connectors=[connector], procedures=[calling("Lookup")])
        with unchanged(root):
            outcome = cli(capsys, "run", root, "P", "--mode", "dynamic", "--json", limit_s=20)
    assert outcome.code == 0 and outcome.events()[-1]["outcome"] == "resolved"


@pytest.mark.parametrize(
    "pattern", ["(\\w)\\1", "(?=a)a", "(?<!b)a", "a{5000}", "(", "(?P<x>a)(?P=x)", "x" * 5000, "((a{100}){100}){100}"]
)
def test_a_refused_pattern_is_a_clear_error_naming_the_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pattern: str
) -> None:
    root = write_workspace(
        tmp_path, connectors=[dynamic(pattern, rule="VIP customers")], procedures=[calling("Lookup")]
    )
    outcome = cli(capsys, "run", root, "P", "--mode", "dynamic", "--json")
    error = next(event for event in outcome.events() if event["type"] == "error")
    assert outcome.code == 1 and error["reason"] == "request_configuration"
    assert "dynamic rule 1 ('VIP customers')" in error["message"] and "Lookup" in error["message"]
    assert outcome.err == ""


def test_ctrl_c_ends_a_run_promptly(tmp_path: Path) -> None:
    connector = dynamic("(a+)+$")
    connector["response"]["rules"][1]["response"]["latency_ms"] = 600_000
    root = write_workspace(tmp_path, connectors=[connector], procedures=[calling("Lookup")])
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", "run", str(root), "P", "--mode", "dynamic", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=interruptible,
    )
    try:
        assert child.stdout is not None
        while '"connector_called"' not in (line := child.stdout.readline()):
            assert line, "the run ended before calling the connector"
        interrupted = time.perf_counter()
        child.send_signal(signal.SIGINT)
        code = child.wait(timeout=15)
        stderr = child.stderr.read() if child.stderr else ""
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert time.perf_counter() - interrupted < 15
    assert code == 130 and "Traceback" not in stderr

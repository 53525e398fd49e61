"""Classes 3, 7 and 8: integers of any width round-trip exactly; deep nesting and huge numbers are located
errors or handled, never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.connectors.server import reply
from tests.hostile.kit import calling, cli, live_connector, load_error, serving, unchanged, write_workspace
from workbench.jsoncodec import MAX_DEPTH, MAX_INT_DIGITS
from workbench.store import load_workspace, save_document

WIDE = st.one_of(
    st.integers(min_value=2**63 - 5, max_value=2**200),
    st.integers(min_value=-(2**200), max_value=-(2**63) + 5),
    st.integers(min_value=1, max_value=MAX_INT_DIGITS).map(lambda digits: int("9" * digits)),
    st.integers(),
)
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def example_connector(body: Any) -> dict[str, Any]:
    return {
        "name": "Numbers",
        "request": {"url": "http://127.0.0.1:9/n"},
        "response": {"mode": "example", "example": {"status": 200, "body": body}},
    }


def nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


@FAST
@given(numbers=st.lists(WIDE, min_size=1, max_size=4))
def test_wide_integers_round_trip_through_edit_save_run_and_recording(
    capsys: pytest.CaptureFixture[str], numbers: list[int]
) -> None:
    body = {"values": numbers, "first": numbers[0]}
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), connectors=[example_connector(body)], procedures=[calling("Numbers")])
        workspace = load_workspace(root)
        assert workspace.problems == []
        document = workspace.connectors["Numbers"]
        edited = document.model.model_copy(update={"description": "edited"})
        saved = save_document(document, edited)
        text = saved.path.read_text()
        data = json.loads(text)
        assert data["response"]["example"]["body"] == body and data["description"] == "edited"
        assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"  # the pretty format, unchanged

        outcome = cli(capsys, "run", root, "P", "--json", "--save-scenario", "pinned")
        assert outcome.code == 0
        responded = next(event for event in outcome.events() if event["type"] == "connector_responded")
        assert responded["body"] == body
        recorded = json.loads((root / "scenarios" / "pinned.json").read_text())
        assert json.dumps(recorded).count(str(numbers[0])) >= 1
        assert (
            recorded["expect"]["attributes"]["Numbers > first"] == numbers[0]
            if "attributes" in recorded["expect"]
            else True
        )
        assert cli(capsys, "test", root).code == 0


@FAST
@given(digits=st.integers(min_value=MAX_INT_DIGITS + 1, max_value=50_000), sign=st.sampled_from(["", "-"]))
def test_an_integer_too_long_in_a_file_is_a_located_error(
    capsys: pytest.CaptureFixture[str], digits: int, sign: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), procedures=[calling("Numbers")])
        path = root / "connectors" / "numbers.json"
        path.write_text(
            json.dumps(example_connector({"n": 0})).replace('{"n": 0}', '{"n": ' + sign + "7" * digits + "}")
        )
        with unchanged(root):
            run = cli(capsys, "run", root, "P")
            lint = cli(capsys, "lint", root, "--format", "json")
            test = cli(capsys, "test", root)
    assert run.code == 2 and lint.code == 1 and test.code in (1, 2)
    assert f"{path}:1:" in run.err and "digits" in run.err
    assert load_error(lint, path)["line"] == 1 and "digits" in load_error(lint, path)["message"]


@FAST
@given(depth=st.integers(min_value=1, max_value=3000))
@example(depth=MAX_DEPTH - 3)
@example(depth=MAX_DEPTH - 2)
def test_deep_nesting_in_a_file_loads_or_is_a_located_error(capsys: pytest.CaptureFixture[str], depth: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), procedures=[calling("Numbers")])
        path = root / "connectors" / "numbers.json"
        path.write_text(json.dumps(example_connector("HOLE")).replace('"HOLE"', nested(depth)))
        with unchanged(root):
            run = cli(capsys, "run", root, "P", "--json")
            lint = cli(capsys, "lint", root, "--format", "json")
            text = cli(capsys, "run", root, "P")
    if depth + 3 <= MAX_DEPTH:
        assert run.code == 0 and text.code == 0 and lint.code in (0, 1)
    else:
        assert run.code == 2 and f"{path}:1:" in run.err and "nested deeper" in run.err
        assert lint.code == 1 and "nested deeper" in load_error(lint, path)["message"]


@FAST
@given(
    body=st.one_of(
        st.integers(min_value=1, max_value=5000).map(nested),
        st.integers(min_value=1, max_value=20_000).map(lambda digits: '{"n": -' + "3" * digits + "}"),
        st.sampled_from(['{"n": 1e400}', '{"n": -1e999}', '{"n": NaN}', '{"n": Infinity}', "[1.5e308, 2e308]"]),
    )
)
def test_live_bodies_with_deep_nesting_or_huge_numbers_are_handled(
    capsys: pytest.CaptureFixture[str], body: str
) -> None:
    with tempfile.TemporaryDirectory() as folder, serving(default=reply(body.encode())) as server:
        root = write_workspace(
            Path(folder), connectors=[live_connector("Numbers", server.url("/n"))], procedures=[calling("Numbers")]
        )
        outcome = cli(capsys, "run", root, "P", "--json")
        text = cli(capsys, "run", root, "P")
    assert text.code == outcome.code
    if outcome.code == 1:
        error = next(event for event in outcome.events() if event["type"] == "error")
        assert error["reason"] == "response_mapping" and "at char" in error["message"]
    else:
        parsed = json.loads(body)
        responded = next(event for event in outcome.events() if event["type"] == "connector_responded")
        assert responded["body"] == parsed

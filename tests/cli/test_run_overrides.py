"""``workbench run --mock/--fault``: per-run mock overrides from the shell, and their bad values (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from workbench.cli import UsageError, main
from workbench.cli.overrides import FAULTS, overrides
from workbench.store import load_workspace

DESK = load_workspace(SUPPORT_DESK)


def events(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_body_file_answers_the_connector(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = {"order_id": "ORD-9", "status": "cancelled", "created_at": "2025-01-01", "items": []}
    (tmp_path / "body.json").write_text(json.dumps(body))
    status = main(
        ["run", str(SUPPORT_DESK), "Order status", "--json", "--mock", f"Get orders={tmp_path / 'body.json'}"]
    )
    responded = [event for event in events(capsys) if event["type"] == "connector_responded"]
    assert responded[0]["body"] == body
    assert status == 0


def test_a_status_fails_the_call(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["run", str(SUPPORT_DESK), "Order status", "--json", "--mock", "Get orders=status:503"])
    errors = [event for event in events(capsys) if event["type"] == "error"]
    assert status == 1 and errors[0]["reason"] == "third_party_status" and errors[0]["status"] == 503


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("timeout", "timeout"),
        ("disconnect", "network"),
        ("malformed_json", "response_mapping"),
        ("empty_body", "response_mapping"),
    ],
)
def test_a_fault_fails_the_call_its_way(fault: str, reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["run", str(SUPPORT_DESK), "Order status", "--json", "--fault", f"Get orders={fault}"])
    errors = [event for event in events(capsys) if event["type"] == "error"]
    assert status == 1 and errors[0]["reason"] == reason and errors[0]["connector"] == "Get orders"


def test_later_overrides_win_and_faults_come_after_mocks() -> None:
    got = overrides(DESK, ["Get orders=status:500", "Get orders=status:404"], [])
    assert got["Get orders"].status == 404
    got = overrides(DESK, ["Get orders=status:404"], ["Get orders=timeout"])
    assert got["Get orders"].fault == "timeout"
    assert set(overrides(DESK, [], [f"Get orders={fault}" for fault in FAULTS])) == {"Get orders"}


def test_a_relative_body_file_is_found_in_the_workspace() -> None:
    got = overrides(DESK, ["Get orders=connectors/get-orders.json"], [])
    assert got["Get orders"].body["name"] == "Get orders"


@pytest.mark.parametrize(
    ("mocks", "faults", "message"),
    [
        (["Get order=status:503"], [], "did you mean 'Get orders'"),
        (["Nothing like it=status:503"], [], "known: Cancel subscription"),
        (["Get orders"], [], "expected NAME=VALUE"),
        (["=status:200"], [], "expected NAME=VALUE"),
        (["Get orders="], [], "expected NAME=VALUE"),
        (["Get orders=status:99"], [], "from 200 to 599"),
        (["Get orders=status:abc"], [], "from 200 to 599"),
        (["Get orders=status:600"], [], "from 200 to 599"),
        (["Get orders=status:101"], [], "from 200 to 599"),
        (["Get orders=/no/such/file.json"], [], "no such file"),
        (["Get orders=procedures"], [], "no such file"),
        ([], ["Get orders=explode"], "unknown fault 'explode'"),
        ([], ["Get ordrs=timeout"], "unknown connector"),
    ],
)
def test_bad_values_are_usage_errors(mocks: list[str], faults: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        overrides(DESK, mocks, faults)


def test_a_body_file_that_is_not_json_names_the_place(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"a": 1,\n  oops}')
    with pytest.raises(UsageError, match=r"bad\.json:2:"):
        overrides(DESK, [f"Get orders={tmp_path / 'bad.json'}"], [])


def test_bad_values_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(SUPPORT_DESK), "Order status", "--fault", "Get orders=boom"]) == 2
    assert "unknown fault 'boom'" in capsys.readouterr().err

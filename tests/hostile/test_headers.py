"""Class 5: any value rendered into a header is sent as is (printable ASCII) or refused clearly, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connectors.server import json_reply
from tests.hostile.kit import assert_no_secret, calling, cli, live_connector, serving, write_workspace

VALUES = st.text(min_size=1, max_size=16).filter(lambda value: "\n" not in value and value.strip() == value)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES)
def test_header_values_are_sent_or_refused(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with tempfile.TemporaryDirectory() as folder, serving(default=json_reply({"ok": True})) as server:
        connector = live_connector("Call", server.url("/x"), ["name"], headers={"X-Name": "n={{name}}"})
        root = write_workspace(Path(folder), connectors=[connector], procedures=[calling("Call")])
        outcome = cli(capsys, "run", root, "P", "--json", f"--answer=Call > name={value}")
    if all(char == "\t" or " " <= char <= "~" for char in value):
        assert outcome.code == 0 and server.received[0].headers["x-name"] == f"n={value}"
    else:
        error = next(event for event in outcome.events() if event["type"] == "error")
        assert outcome.code == 1 and error["reason"] == "request_configuration" and "'X-Name'" in error["message"]
        assert server.received == []


@pytest.mark.parametrize("secret", ["tökén-ÄÖÜ-1234567", "s3cr3t\u2028line-987654", "秘密のトークン-abcdefgh"])
def test_a_non_ascii_secret_in_a_header_is_refused_without_showing_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("HOSTILE_TOKEN", secret)
    with serving(default=json_reply({"ok": True})) as server:
        connector = live_connector(
            "Call", server.url("/x"), headers={"Authorization": "Bearer {{secret.HOSTILE_TOKEN}}"}
        )
        root = write_workspace(tmp_path, connectors=[connector], procedures=[calling("Call")])
        outcome = cli(capsys, "run", root, "P", "--json")
        text = cli(capsys, "run", root, "P")
    assert outcome.code == 1 and text.code == 1 and server.received == []
    assert "'Authorization'" in outcome.out and "request_configuration" in outcome.out
    assert_no_secret(secret, outcome.text, text.text)

"""A token endpoint answering in a form nobody declared (GitHub's ``access_token=…&token_type=bearer`` as plain
text) never shows the token: not in ``run``'s output, nor in ``test``'s JUnit file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.connectors.server import reply
from tests.hostile.kit import assert_no_secret, calling, cli, serving, write_workspace

TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a"


def test_an_unreadable_form_token_answer_is_masked_in_errors_and_junit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GH_CLIENT_SECRET", "client-Secret-8841")
    answer = reply(f"access_token={TOKEN}&scope=repo&token_type=bearer".encode(), 200, {"Content-Type": "text/plain"})
    with serving({"/login/oauth/access_token": answer}) as server:
        token = {
            "type": "request",
            "request": {
                "method": "POST",
                "url": server.url("/login/oauth/access_token"),
                "body": {"client_secret": "{{secret.GH_CLIENT_SECRET}}"},
            },
            "token_path": "access_token",
        }
        connector = {
            "name": "Repos",
            "request": {"url": server.url("/user/repos")},
            "auth": "github",
            "response": {"mode": "live"},
        }
        scenario = {"name": "S", "procedure": "P", "mode": "live", "expect": {"outcome": "resolved"}}
        root = write_workspace(
            tmp_path / "ws",
            connectors=[connector],
            procedures=[calling("Repos")],
            scenarios=[scenario],
            settings={"name": "gh", "tokens": {"github": token}},
        )
        junit = tmp_path / "junit.xml"
        outcomes = [cli(capsys, "run", root, "P"), cli(capsys, "test", root, "--junit", junit)]
    assert [outcome.code for outcome in outcomes] == [1, 1]
    assert "access_token=***" in outcomes[0].text
    assert_no_secret(TOKEN, *(outcome.text for outcome in outcomes), junit.read_text())

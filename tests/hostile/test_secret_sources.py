"""Every secret source, every sink: a server echoing back a secret from ``--env-file``, the environment, the
workspace's ``.env``, a token request's body, the fetched token itself and a connector not called yet never
shows it in ``run``'s text or
``--json`` output, a saved scenario, or ``test``'s JUnit file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.connectors.server import json_reply
from tests.hostile.kit import assert_no_secret, cli, serving, snapshot, write_workspace

SOURCES = {
    "FILE_KEY": "from-env-file-7Qx",
    "ENV_KEY": "from-environ-8Wz",
    "DOTENV_KEY": "from-dotenv-9Ty",
    "BODY_KEY": "token-body-4Kp",
    "LATER_KEY": "not-used-yet-2Rv",
}
FETCHED = "fetched-token-5Mn"


def test_no_source_of_a_secret_reaches_any_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ENV_KEY", SOURCES["ENV_KEY"])
    for name in ("FILE_KEY", "DOTENV_KEY", "BODY_KEY", "LATER_KEY"):
        monkeypatch.delenv(name, raising=False)
    echoed = " ".join([*SOURCES.values(), FETCHED])
    routes = {"/auth": json_reply({"access_token": FETCHED}), "/echo": json_reply({"echo": echoed})}
    with serving(routes) as server:
        token = {
            "type": "request",
            "request": {"method": "POST", "url": server.url("/auth"), "body": {"key": "{{secret.BODY_KEY}}"}},
            "token_path": "access_token",
        }
        connector = {
            "name": "Echo",
            "request": {
                "url": server.url("/echo"),
                "headers": {"X-File": "{{secret.FILE_KEY}}", "X-Env": "{{secret.ENV_KEY}}"},
                "query": {"d": "{{secret.DOTENV_KEY}}"},
            },
            "auth": "crm",
            "response": {"mode": "live"},
        }
        later = {"name": "Later", "request": {"url": server.url("/later/{{secret.LATER_KEY}}")}}
        procedure = {
            "name": "P",
            "steps": [
                {"id": "call", "type": "instruction", "text": "@call(Echo) says @read(Echo > echo)"},
                {"id": "done", "type": "end", "outcome": "resolved"},
            ],
        }
        scenario = {"name": "S", "procedure": "P", "mode": "live", "expect": {"outcome": "escalated"}}
        root = write_workspace(
            tmp_path / "ws",
            connectors=[connector, later],
            procedures=[procedure],
            scenarios=[scenario],
            settings={"name": "sources", "tokens": {"crm": token}},
        )
        (root / ".env").write_text(
            f"DOTENV_KEY={SOURCES['DOTENV_KEY']}\nBODY_KEY={SOURCES['BODY_KEY']}\nLATER_KEY={SOURCES['LATER_KEY']}\n"
        )
        env_file = tmp_path / "given.env"
        env_file.write_text(f"FILE_KEY={SOURCES['FILE_KEY']}\n")
        before = snapshot(root)
        junit = tmp_path / "junit.xml"
        outcomes = [
            cli(capsys, "run", root, "P", "--env-file", env_file),
            cli(capsys, "run", root, "P", "--json", "--env-file", env_file, "--save-scenario", "pinned"),
            cli(capsys, "test", root, "--env-file", env_file, "--junit", junit),
        ]
        written = [content.decode() for name, content in snapshot(root).items() if before.get(name) != content]
    sent = server.received[1]
    assert sent.headers["x-file"] == SOURCES["FILE_KEY"] and sent.headers["authorization"] == f"Bearer {FETCHED}"
    assert [outcome.code for outcome in outcomes] == [0, 0, 1] and written
    assert "Echo says" in outcomes[0].text and "<failure" in junit.read_text()
    for secret in [*SOURCES.values(), FETCHED]:
        assert_no_secret(secret, *(outcome.text for outcome in outcomes), *written, junit.read_text())

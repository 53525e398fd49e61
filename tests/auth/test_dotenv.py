"""``.env`` secrets: parsing, located errors, precedence, and runs that read them without touching os.environ."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from tests.conftest import run_workbench
from tests.connectors.server import LoopbackServer, json_reply
from tests.engine.build import procedure, workspace
from tests.events import first_payload
from workbench.connectors.dotenv import EnvFileError, parse_env, read_env_file, run_secrets
from workbench.engine import ScriptedAgent, run_procedure
from workbench.events import RunWarning


def test_values_comments_quotes_and_export() -> None:
    text = (
        '\ufeff# a comment\n\nA=1\nexport B = two words # trailing comment\nC="x\\ny \\"q\\"" # c\n'
        "D='lit\\n # not a comment'\nE=\"first\nsecond\"\nF=a#b\nG=\nA=again\n"
    )
    assert parse_env(text) == {
        "A": "again",
        "B": "two words",
        "C": 'x\ny "q"',
        "D": "lit\\n # not a comment",
        "E": "first\nsecond",
        "F": "a#b",
        "G": "",
    }


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("A=1\nJUSTANAME\n", "2:10", "expected '='"),
        ("A=1\n  1BAD=x\n", "2:3", "expected NAME=value"),
        ("A=1\nB='open\nC=2\n", "2:3", "never closed"),
        ('A="x" junk\n', "1:7", "after the closing quote"),
        ("=x\n", "1:1", "expected NAME=value"),
    ],
)
def test_bad_lines_are_located(text: str, where: str, message: str) -> None:
    with pytest.raises(EnvFileError) as raised:
        parse_env(text, "desk/.env")
    assert str(raised.value).startswith(f"desk/.env:{where}: ") and message in str(raised.value)


def test_unreadable_and_non_utf8_files_are_located(tmp_path: Path) -> None:
    with pytest.raises(EnvFileError, match=r"missing\.env:1:1: cannot read it"):
        read_env_file(tmp_path / "missing.env")
    (tmp_path / "latin.env").write_bytes(b"A=1\nB=caf\xe9\n")
    with pytest.raises(EnvFileError, match=r"latin\.env:2:6: not UTF-8"):
        read_env_file(tmp_path / "latin.env")


def test_precedence_env_file_then_environment_then_workspace_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("ONLY_FILE=from-dotenv\nBOTH=from-dotenv\nALL=from-dotenv\n")
    (tmp_path / "given.env").write_text("ALL=from-given\n")
    monkeypatch.setenv("BOTH", "from-environment")
    monkeypatch.setenv("ALL", "from-environment")
    monkeypatch.delenv("ONLY_FILE", raising=False)
    before = dict(os.environ)
    secrets = run_secrets(tmp_path, tmp_path / "given.env")
    assert (secrets["ONLY_FILE"], secrets["BOTH"], secrets["ALL"]) == ("from-dotenv", "from-environment", "from-given")
    assert dict(os.environ) == before and "ONLY_FILE" not in os.environ
    assert run_secrets(tmp_path / "no-such-folder")["BOTH"] == "from-environment"


def _live_workspace(root: Path, base_url: str):
    ws = workspace(
        [
            {
                "name": "Get orders",
                "request": {"url": "{{env.base_url}}/orders", "headers": {"X-Key": "{{secret.DESK_KEY}}"}},
                "response": {"mode": "live"},
            }
        ],
        [procedure("P", {"id": "a", "type": "instruction", "text": "@call(Get orders)"})],
        {"environments": {"local": {"base_url": base_url}}},
    )
    return dataclasses.replace(ws, root=root)


async def test_a_run_reads_the_workspace_env_and_masks_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESK_KEY", raising=False)
    (tmp_path / ".env").write_text("DESK_KEY=dotenv-secret-771\n")
    async with LoopbackServer({"/orders": json_reply({"echo": "dotenv-secret-771"})}) as server:
        result = await run_procedure(_live_workspace(tmp_path, server.url("")), "P", ScriptedAgent())
    assert result.outcome == "completed", result.message
    assert server.received[0].headers["x-key"] == "dotenv-secret-771"
    assert "dotenv-secret-771" not in str([event.to_json() for event in result.events])
    assert "DESK_KEY" not in os.environ


async def test_a_bad_workspace_env_is_a_located_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESK_KEY", raising=False)
    (tmp_path / ".env").write_text("# keys\nDESK_KEY 'no equals'\n")
    result = await run_procedure(_live_workspace(tmp_path, "http://127.0.0.1:9"), "P", ScriptedAgent())
    warning = first_payload(result.events, RunWarning)
    assert warning.code == "env_file" and ".env:2:10: expected '='" in warning.message
    assert result.error is not None and "secret 'DESK_KEY' is not set" in result.error.message


def test_cli_env_file_feeds_secrets_and_bad_lines_exit_2(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    assert run_workbench("new", desk).returncode == 0
    assert (desk / ".gitignore").read_text().splitlines()[-1] == ".env"
    (tmp_path / "bad.env").write_text("OK=1\nnot a line\n")
    for command in ("run", "test"):
        args = [command, desk, *(["Order status"] if command == "run" else []), "--env-file", tmp_path / "bad.env"]
        result = run_workbench(*args)
        assert result.returncode == 2 and f"{tmp_path / 'bad.env'}:2:5: expected '='" in result.stderr
        assert "Traceback" not in result.stderr
    (tmp_path / "good.env").write_text("OK=1\n")
    scenario = "--scenario=Order is processing"
    assert run_workbench("run", desk, scenario, "--env-file", tmp_path / "good.env").returncode == 0


def test_a_connector_needs_its_own_and_its_tokens_secrets_and_sees_which_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.connectors.auth import secret_names
    from workbench.connectors.dotenv import secret_sources
    from workbench.model import Connector, WorkspaceSettings

    settings = WorkspaceSettings.model_validate(
        {"tokens": {"crm": {"type": "request", "request": {"url": "x", "body": {"k": "{{secret.CRM_KEY}}"}}}}}
    )
    connector = Connector.model_validate(
        {"name": "C", "request": {"url": "x", "headers": {"X": "{{secret.OWN}} {{secret.OWN}}"}}, "auth": "crm"}
    )
    assert secret_names(connector, settings.tokens) == [("OWN", None), ("CRM_KEY", "crm")]
    (tmp_path / ".env").write_text("CRM_KEY=k\n")
    monkeypatch.setenv("OWN", "o")
    monkeypatch.delenv("CRM_KEY", raising=False)
    monkeypatch.delenv("ABSENT", raising=False)
    assert secret_sources(tmp_path, ["OWN", "CRM_KEY", "ABSENT"]) == {
        "OWN": "environment",
        "CRM_KEY": ".env",
        "ABSENT": None,
    }
    (tmp_path / ".env").write_text("broken line\n")
    assert secret_sources(tmp_path, ["CRM_KEY"]) == {"CRM_KEY": None}

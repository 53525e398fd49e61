"""Issue 23, Low (files): a lone surrogate, hostile YAML, odd example keys, special ``--env-file`` paths, CR-only
``.env`` lines, placeholder look-alikes in ``export curl``, the workspace ``.env`` for the agent's key and the
Intercom export's lost ``auth`` — each a located error or the right result, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from tests.hostile.kit import cli, write_workspace
from workbench.agent.simulation import Simulator
from workbench.connectors.dotenv import EnvFileError, parse_env, read_env_file
from workbench.model import AgentSettings
from workbench.store import load_workspace

CONNECTOR = {
    "name": "C",
    "request": {"url": "http://127.0.0.1:9/c"},
    "response": {"mode": "example", "example": {"status": 200, "body": {"ok": 1}}},
}


@pytest.mark.parametrize("command", [["lint"], ["test"], ["fields", "{root}", "C"]], ids=["lint", "test", "fields"])
def test_a_lone_surrogate_is_a_located_load_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    root = write_workspace(tmp_path / "ws", connectors=[{**CONNECTOR, "description": "x"}])
    path = root / "connectors" / "item-0.json"
    path.write_text(path.read_text().replace('"description": "x"', '"description": "x\\udfff"'))
    argv = [command[0], *(part.format(root=root) for part in command[1:])] if len(command) > 1 else [*command, root]
    outcome = cli(capsys, *argv)
    problem = load_workspace(root).problems[0]
    assert problem.path == path and problem.column > 1 and "surrogate" in problem.message
    if command[0] == "lint":
        assert outcome.code == 1 and "surrogate" in outcome.out


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("openapi: 3.0.0\ninfo: &loop [1, *loop]\npaths: {}\n", "contains it"),
        ("openapi: 3.0.0\ninfo: {title: !!binary /w==}\npaths: {}\n", "!!binary"),
    ],
    ids=["recursive list", "binary not UTF-8"],
)
def test_hostile_yaml_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_text: str, message: str
) -> None:
    root = write_workspace(tmp_path / "ws")
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml_text)
    outcome = cli(capsys, "import", "openapi", root, spec)
    assert outcome.code == 2 and f"{spec}:2:" in outcome.err and message in outcome.err


def test_a_lone_surrogate_in_a_json_source_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_workspace(tmp_path / "ws")
    source = tmp_path / "export.json"
    source.write_text('{"data_connectors": [{"name": "A\\udfff", "http_method": "get", "url": "https://a.example"}]}')
    outcome = cli(capsys, "import", "intercom", root, source)
    assert outcome.code == 2 and f"{source}:1:" in outcome.err and "surrogate" in outcome.err


def test_fields_skips_keys_an_attribute_path_cannot_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = {"": 1, "a > b": 2, " padded": 3, "nested": {"": 4, "x": 5}, "ok": 6}
    connector = {**CONNECTOR, "response": {"mode": "example", "example": {"status": 200, "body": body}}}
    root = write_workspace(tmp_path / "ws", connectors=[connector])
    outcome = cli(capsys, "fields", root, "C")
    assert outcome.code == 0, outcome.text
    declared = [
        field["path"] for field in json.loads((root / "connectors" / "item-0.json").read_text())["response"]["fields"]
    ]
    assert declared == ["nested > x", "ok"]
    assert outcome.err.count("cannot name") == 4


def test_env_file_on_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "env.fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException | dict[str, str]] = []

    def read() -> None:
        try:
            outcome.append(read_env_file(fifo))
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # it waits for a writer: give it one, so that the thread ends
        os.close(os.open(fifo, os.O_WRONLY))
        reader.join(10)
    assert outcome and isinstance(outcome[0], EnvFileError), "read_env_file waited on the FIFO"
    assert "FIFO" in str(outcome[0]) and str(fifo) in str(outcome[0])


def test_env_file_on_a_device_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    outcome = cli(capsys, "run", root, "Order status", "--env-file", zero, limit_s=20)
    assert outcome.code == 2 and "is a device, expected a .env file" in outcome.err
    big = tmp_path / "big.env"
    big.write_bytes(b"# padding\n" * 200_000)
    with pytest.raises(EnvFileError, match="larger than"):
        read_env_file(big)


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_env_lines_may_end_in_cr_alone(end: str) -> None:
    text = end.join(["A=1", "# note", 'B="two words"', "export C=3", ""])
    assert parse_env(text) == {"A": "1", "B": "two words", "C": "3"}


def test_export_curl_keeps_placeholder_look_alikes_literal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connector = {
        **CONNECTOR,
        "request": {
            "url": "http://127.0.0.1:9/c",
            "headers": {"X-Note": "__wb_var_HOME__", "Authorization": "Bearer {{secret.API_TOKEN}}"},
        },
    }
    root = write_workspace(tmp_path / "ws", connectors=[connector])
    outcome = cli(capsys, "export", "curl", root, "C")
    assert outcome.code == 0
    assert "'X-Note: __wb_var_HOME__'" in outcome.out and "$HOME" not in outcome.out
    assert '"$API_TOKEN"' in outcome.out and "$API_TOKEN" in outcome.err and "$HOME" not in outcome.err


def test_the_agent_key_comes_from_the_workspace_env_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WB_ROUND3_KEY", raising=False)
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    (root / ".env").write_text("WB_ROUND3_KEY=sk-from-dotenv\n")
    settings = AgentSettings(base_url="http://127.0.0.1:9/v1", model="m", api_key="{{secret.WB_ROUND3_KEY}}")
    assert Simulator(load_workspace(root), settings).api_key == "sk-from-dotenv"
    monkeypatch.setenv("WB_ROUND3_KEY", "sk-from-environment")  # the environment wins, as for connectors
    assert Simulator(load_workspace(root), settings).api_key == "sk-from-environment"


def test_export_intercom_never_drops_auth_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = load_workspace(SUPPORT_DESK)
    name = next(name for name, connector in sorted(workspace.connector_models().items()) if connector.auth)
    auth = workspace.connector_models()[name].auth
    outcome = cli(capsys, "export", "intercom", SUPPORT_DESK, name, "-o", tmp_path / "out.json")
    assert outcome.code == 0
    assert f"no token_ids, and a push refuses it: its token {auth!r} has no intercom_token_id" in outcome.err
    assert json.loads((tmp_path / "out.json").read_text())["data_connectors"][0]["workbench"]["auth"] == auth
    root = Path(shutil.copytree(SUPPORT_DESK, tmp_path / "desk"))
    settings = json.loads((root / "workbench.json").read_text())
    settings["tokens"][auth]["intercom_token_id"] = "77"
    (root / "workbench.json").write_text(json.dumps(settings))
    assert cli(capsys, "export", "intercom", root, name, "-o", tmp_path / "out.json").code == 0
    assert json.loads((tmp_path / "out.json").read_text())["data_connectors"][0]["token_ids"] == ["77"]

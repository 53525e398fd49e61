"""What a simulation sends to the model and prints never holds a secret: token values and their request secrets,
secrets only in the workspace's ``.env``, and the API key echoed by the model endpoint."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.agent.chat_server import ChatServer, scripted
from tests.agent.desk import SECRET, desk, happy_path, write_desk
from tests.agent.test_model_agent import scenario
from tests.connectors.server import reply
from workbench.agent.client import ChatClient
from workbench.agent.errors import MissingKey, ModelUnavailable
from workbench.agent.simulation import Simulator
from workbench.model import WorkspaceSettings
from workbench.store import Document, load_workspace

TEXT_TOKEN = "txt-Token-4471"
BODY_KEY = "body-Key-9034"
API_KEY = "sk-model-Key-5521"
TOKENS = {
    "text": {"type": "text", "value": "{{secret.TEXT_TOKEN}}"},
    "fetched": {
        "type": "request",
        "request": {"method": "POST", "url": "http://127.0.0.1:9/auth", "body": {"key": "{{secret.BODY_KEY}}"}},
        "token_path": "access_token",
    },
}


async def test_mock_data_holding_token_secrets_never_reaches_the_prompt() -> None:
    workspace = desk()
    order = workspace.connectors["Get order"]
    example = order.model.response.example
    assert example is not None
    body = {**example.body, "echo": f"{TEXT_TOKEN} and {BODY_KEY}"}
    response = order.model.response.model_copy(update={"example": example.model_copy(update={"body": body})})
    workspace.connectors["Get order"] = Document(
        "connector", order.path, order.model.model_copy(update={"response": response})
    )
    settings = WorkspaceSettings.model_validate({**workspace.settings.model.model_dump(), "tokens": TOKENS})
    workspace.settings = Document("workspace", workspace.settings.path, settings)
    secrets = {"SHOP_TOKEN": SECRET, "TEXT_TOKEN": TEXT_TOKEN, "BODY_KEY": BODY_KEY}
    async with ChatServer(happy_path()) as server:
        run = await Simulator(workspace, server.settings(), secrets=secrets).run(scenario())
    assert run.result is not None and run.result.outcome == "resolved"
    wire = server.wire()
    assert TEXT_TOKEN.encode() not in wire and BODY_KEY.encode() not in wire


async def test_secrets_and_the_api_key_from_the_workspace_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SHOP_TOKEN", "MODEL_KEY"):
        monkeypatch.delenv(name, raising=False)
    root = write_desk(tmp_path / "desk")
    (root / ".env").write_text(f"SHOP_TOKEN={SECRET}\nMODEL_KEY={API_KEY}\n")
    workspace = load_workspace(root)
    async with ChatServer(happy_path()) as server:
        simulator = Simulator(workspace, server.settings(api_key="{{secret.MODEL_KEY}}"))
        run = await simulator.run(scenario())
    assert run.result is not None and run.result.outcome == "resolved"
    assert server.calls[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert SECRET.encode() not in server.wire()


@pytest.mark.parametrize(("code", "error"), [(401, MissingKey), (500, ModelUnavailable)])
async def test_an_endpoint_echoing_the_api_key_never_shows_it(code: int, error: type[Exception]) -> None:
    echo = orjson.dumps({"error": {"message": f"Incorrect API key provided: {API_KEY}. Find yours at ..."}})
    async with ChatServer(scripted(reply(echo, code, {"Content-Type": "application/json"}))) as server:
        chat = ChatClient(server.settings(max_retries=0), api_key=API_KEY)
        with pytest.raises(error) as caught:
            await chat.complete([{"role": "user", "content": "hi"}], purpose="message")
        await chat.aclose()
    assert API_KEY not in str(caught.value) and "Incorrect API key provided: ***" in str(caught.value)

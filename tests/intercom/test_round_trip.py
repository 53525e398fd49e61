"""``workbench intercom pull|status|push|executions`` and ``export``/``import intercom`` against the fake."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SUPPORT_DESK, run_workbench
from tests.intercom.fake_intercom import TOKEN, Fake, desk_with_token_ids, running
from workbench.cli import main
from workbench.store import load_workspace


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    monkeypatch.setenv("INTERCOM_TOKEN", TOKEN)
    with running() as served:
        yield served


def _run(fake: Fake, *args: str) -> int:
    action, workspace, *rest = args
    return main(["intercom", action, workspace, "--base-url", fake.url, *rest])


def _remote(fake: Fake) -> Fake:
    fake.add(
        name="Get order",
        description="The latest order",
        url="https://shop.example.com/orders/{{order_id}}?expand=items",
        headers=[{"name": "Accept", "value": "application/json"}, {"name": "X-Api-Version", "value": "3"}],
        data_inputs=[{"name": "order_id", "type": "string", "description": "The order", "required": True}],
        response_fields=[{"path": "order.status", "type": "string", "example_value": "paid", "redacted": False}],
        object_mappings=[
            {
                "response_object_path": "order",
                "intercom_object_type": "user",
                "attribute_mappings": [{"response_attribute_path": "status", "intercom_attribute_identifier": "tier"}],
            }
        ],
        token_ids=["42"],
        state="live",
        audiences=["users", "leads"],
    )
    return fake


def _pulled(fake: Fake, tmp_path: Path) -> Path:
    """A new workspace with the remote connector pulled into it."""
    root = tmp_path / "ws"
    assert main(["new", str(root)]) == 0
    _remote(fake)
    assert _run(fake, "pull", str(root)) == 0
    return root


def _edit(root: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change a connector's file as a user would."""
    path = load_workspace(root).connectors[name].path
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def _connector(root: Path, name: str) -> dict[str, Any]:
    document = load_workspace(root).connectors[name]
    return json.loads(document.path.read_text())


def test_pull_then_push_with_no_edits_makes_zero_writes(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = tmp_path / "ws"
    assert main(["new", str(root)]) == 0
    _remote(fake)
    before = (root / "connectors" / "get-order.json").read_bytes()
    assert _run(fake, "pull", str(root), "--dry-run") == 0
    assert "adopt connectors/get-order.json" in capsys.readouterr().out
    assert (root / "connectors" / "get-order.json").read_bytes() == before
    assert _run(fake, "pull", str(root)) == 0
    out = capsys.readouterr().out
    assert "'X-Api-Version' is masked by Intercom" in out and "added as 'intercom-42'" in out
    pulled = _connector(root, "Get order")
    assert pulled["request"]["query"] == {"expand": "items"}
    assert pulled["auth"] == "intercom-42"
    assert pulled["response"]["fields"][0]["path"] == "order > status"
    assert pulled["response"]["mappings"] == [{"from": "order > status", "to": "User > tier"}]
    assert pulled["intercom"]["id"] == "100" and pulled["intercom"]["state"] == "live"
    assert pulled["intercom"]["audiences"] == ["users", "leads"]
    settings = json.loads((root / "workbench.json").read_text())
    assert settings["tokens"]["intercom-42"] == {
        "type": "text",
        "value": "{{secret.INTERCOM_TOKEN_42}}",
        "intercom_token_id": "42",
    }
    assert _run(fake, "status", str(root), "--check") == 0
    assert "Get order: same" in capsys.readouterr().out
    assert _run(fake, "push", str(root)) == 0
    assert fake.writes() == []
    assert "0 write calls" in capsys.readouterr().out


def test_a_local_edit_pushes_exactly_the_changed_fields(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = _pulled(fake, tmp_path)

    def edit(data: dict[str, Any]) -> None:
        data["description"] = "The customer's latest order"
        data["request"]["headers"]["X-Api-Version"] = "4"
        data["intercom"]["audiences"] = ["users"]

    _edit(root, "Get order", edit)
    assert _run(fake, "status", str(root), "--check") == 1
    assert "changed here (here: audiences, description, headers)" in capsys.readouterr().out
    assert _run(fake, "push", str(root), "--dry-run") == 0
    assert fake.writes() == []
    capsys.readouterr()
    assert _run(fake, "push", str(root)) == 0
    out = capsys.readouterr().out
    assert 'description: "The latest order" -> "The customer\'s latest order"' in out
    (write,) = fake.writes()
    assert write[0] == "PATCH" and write[1] == "/data_connectors/100"
    assert write[2] == {
        "audiences": ["users"],
        "description": "The customer's latest order",
        "headers": [{"name": "Accept", "value": "application/json"}, {"name": "X-Api-Version", "value": "4"}],
    }
    assert _run(fake, "push", str(root)) == 0 and len(fake.writes()) == 1
    assert _run(fake, "status", str(root), "--check") == 0


def test_a_masked_header_is_never_pushed_back(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = _pulled(fake, tmp_path)
    _edit(root, "Get order", lambda data: data["request"]["headers"].update(Accept="text/json"))
    capsys.readouterr()
    assert _run(fake, "push", str(root)) == 0
    assert "not sent: the headers ('X-Api-Version' holds Intercom's mask ****" in capsys.readouterr().out
    assert all("****" not in json.dumps(body) for _, _, body in fake.writes())


def test_a_remote_edit_after_the_pull_is_a_conflict(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = _pulled(fake, tmp_path)
    fake.edit("100", url="https://shop.example.com/v2/orders/{{order_id}}")
    assert _run(fake, "status", str(root), "--check") == 1
    assert "Get order: changed in Intercom (in Intercom: url)" in capsys.readouterr().out
    _edit(root, "Get order", lambda data: data.update(description="mine"))
    assert _run(fake, "status", str(root)) == 0
    assert "Get order: conflict (here: description; in Intercom: url)" in capsys.readouterr().out
    assert _run(fake, "push", str(root)) == 1
    assert "refused: changed in Intercom since the pull (url)" in capsys.readouterr().out
    assert fake.writes() == []
    assert _run(fake, "push", str(root), "--force") == 0
    assert fake.writes() == [("PATCH", "/data_connectors/100", {"description": "mine"})]


def test_a_connector_new_here_is_created_as_a_draft_unless_live(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 0
    ((method, path, body),) = fake.writes()
    assert (method, path) == ("POST", "/data_connectors") and "state" not in body
    assert body["url"] == "http://127.0.0.1:8787/customers/{{email}}/orders/latest?expand=items%2Cshipping"
    assert body["token_ids"] == ["7"]
    assert fake.connectors["100"]["state"] == "draft"
    assert _run(fake, "push", str(root), "--connector", "Verify identity", "--live") == 0
    assert [write[0] for write in fake.writes()] == ["POST", "POST", "PATCH"]
    assert fake.connectors["101"]["state"] == "live"
    assert _connector(root, "Verify identity")["intercom"]["state"] == "live"


def test_a_token_without_an_intercom_id_is_refused_by_name(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = tmp_path / "desk"
    shutil.copytree(SUPPORT_DESK, root)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 1
    assert "its token 'shop' has no intercom_token_id in workbench.json" in capsys.readouterr().out
    assert fake.writes() == []


def test_the_sample_desk_pushes_and_pulls_back_into_an_empty_workspace(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root)) == 0
    preview = capsys.readouterr().out
    assert len(fake.connectors) == 6
    assert _run(fake, "status", str(root), "--check") == 0
    empty = tmp_path / "empty"
    assert main(["new", str(empty), "--empty"]) == 0
    shutil.copy(root / "workbench.json", empty / "workbench.json")
    assert _run(fake, "pull", str(empty)) == 0
    pulled = capsys.readouterr().out
    original, back = load_workspace(root), load_workspace(empty)
    assert sorted(back.connectors) == sorted(original.connectors)
    for name, document in original.connectors.items():
        mine = document.model.model_dump(mode="json", by_alias=True)
        theirs = back.connectors[name].model.model_dump(mode="json", by_alias=True)
        differ = {key for key in mine if mine[key] != theirs[key] and key != "intercom"}
        for part in ("request", "response"):
            if part in differ:
                differ.remove(part)
                differ |= {f"{part}.{key}" for key in mine[part] if mine[part][key] != theirs[part][key]}
        labels = {
            "request.url": "{{env.*}} templates",
            "inputs": "inputs' sources",
            "response.example": "its example response",
            "response.fields": "declared response fields",
            "response.mappings": "object mappings",
            "response.mode": "response mode",
            "response.rules": "dynamic rules",
            "transform": "transform",
        }
        (line,) = [line for line in preview.splitlines() if line.startswith(f"{name!r}: stays local")]
        if "request.headers" in differ:  # Intercom masks header values: the pull's preview names each one
            differ.remove("request.headers")
            assert all(
                f"{name!r}: header {header!r} is masked by Intercom" in pulled
                for header, value in document.model.request.headers.items()
                if back.connectors[name].model.request.headers[header] != value
            )
        for key in differ:
            assert labels[key] in line, (name, key)
    assert _run(fake, "status", str(empty), "--check") == 0


def test_export_is_what_a_push_sends_and_import_gives_it_back(fake: Fake, tmp_path: Path) -> None:
    root = desk_with_token_ids(tmp_path)
    out = tmp_path / "intercom.json"
    assert main(["export", "intercom", str(root), "-o", str(out)]) == 0
    exported = {item["name"]: item for item in json.loads(out.read_text())["data_connectors"]}
    assert _run(fake, "push", str(root)) == 0
    sent = {body["name"]: body for method, _, body in fake.writes() if method == "POST"}
    assert sent == {
        name: {key: value for key, value in item.items() if key not in ("workbench", "state")}
        for name, item in exported.items()
    }
    other = tmp_path / "other"
    assert main(["new", str(other), "--empty"]) == 0
    assert main(["import", "intercom", str(other), str(out), "--yes"]) == 0
    original = load_workspace(tmp_path / "desk2" if False else root)
    back = load_workspace(other)
    for name, document in back.connectors.items():
        mine = original.connectors[name].model.model_dump(mode="json", by_alias=True)
        mine.pop("intercom", None)
        assert document.model.model_dump(mode="json", by_alias=True) == mine


def test_executions_summary_mocks_and_scenario(
    fake: Fake, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_TOKEN", "shop-secret-value-77")
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 0
    url = "http://127.0.0.1:8787/customers/{}/orders/latest"
    fake.executions["100"] = [
        {
            "id": "3",
            "success": True,
            "http_status": 200,
            "execution_time_ms": 120,
            "request_url": url.format("ada%40example.com"),
            "response_body": json.dumps({"order_id": "ORD-1", "status": "shipped", "api_key": "sk_live_abcdef123456"}),
            "created_at": "2026-03-01T10:00:03Z",
        },
        {
            "id": "2",
            "success": False,
            "http_status": 404,
            "execution_time_ms": 80,
            "error_type": "3rd_party_error",
            "request_url": url.format("bob@example.com"),
            "response_body": json.dumps({"error": "no order", "echo": "it said shop-secret-value-77 back"}),
            "created_at": "2026-03-01T10:00:02Z",
        },
        {"id": "1", "success": False, "error_type": "faraday_error", "execution_time_ms": 3000},
    ]
    assert _run(fake, "executions", str(root), "Get orders", "--since", "24h", "--to-mocks") == 0
    out = capsys.readouterr().out
    assert "executions: 3" in out and "success rate: 33.3%" in out
    assert "error types: 3rd_party_error 1, faraday_error 1" in out
    assert "latency p50: 120 ms, p95: 3000 ms" in out
    rules = load_workspace(root).connector("Get orders").response.rules
    assert [rule.when[0].value if rule.when else None for rule in rules] == ["ada@example.com", "bob@example.com", None]
    assert rules[0].response.body["api_key"] == "<redacted>"
    assert rules[1].response.status == 404 and rules[2].response.fault == "disconnect"
    written = (root / "connectors" / "get-orders.json").read_text()
    assert "sk_live_abcdef123456" not in written and "shop-secret-value-77" not in written
    assert rules[1].response.body["echo"] == "it said *** back"
    assert (
        _run(
            fake,
            "executions",
            str(root),
            "Get orders",
            "--to-scenario",
            "Observed orders",
            "--procedure",
            "Order status",
        )
        == 0
    )
    scenario = load_workspace(root).scenarios["Observed orders"].model
    assert scenario.procedure == "Order status"
    mock = scenario.mocks["Get orders"]
    assert mock.fault == "disconnect" and [item.status for item in mock.then] == [404, 200]


def test_a_pull_of_a_remote_change_keeps_what_intercom_does_not_hold(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get order history") == 0
    before = _connector(root, "Get order history")
    fake.edit("100", url="http://127.0.0.1:8787/v2/customers/{{email}}/orders?limit=50", description="v2")
    assert _run(fake, "pull", str(root), "--connector", "Get order history") == 0
    after = _connector(root, "Get order history")
    assert after["request"]["url"] == "{{env.base_url}}/v2/customers/{{email}}/orders"
    assert after["description"] == "v2"
    assert after["transform"] == before["transform"] and after["inputs"] == before["inputs"]
    assert after["request"]["headers"] == before["request"]["headers"]  # Intercom showed them as ****
    assert after["response"]["example"] == before["response"]["example"]
    capsys.readouterr()
    assert _run(fake, "push", str(root), "--connector", "Get order history") == 0
    assert [write[0] for write in fake.writes()] == ["POST"]


def test_a_connector_deleted_in_intercom_is_only_here(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 0
    del fake.connectors["100"]
    capsys.readouterr()
    assert _run(fake, "status", str(root), "--check") == 1
    assert (
        "Get orders: only here (its Intercom connector 100 is gone: a push creates it again)" in capsys.readouterr().out
    )


def test_a_refused_token_is_one_line_without_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = desk_with_token_ids(tmp_path)
    (root / ".env").write_text("INTERCOM_TOKEN=not-the-right-token-123\n")
    monkeypatch.delenv("INTERCOM_TOKEN", raising=False)
    with running() as fake:
        result = run_workbench("intercom", "status", root, "--base-url", fake.url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "HTTP 401 (unauthorized: Access Token Invalid)" in result.stderr
    assert "not-the-right-token-123" not in result.stderr + result.stdout


def test_no_token_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.delenv("INTERCOM_TOKEN", raising=False)
    assert main(["intercom", "status", str(desk_with_token_ids(tmp_path)), "--base-url", "http://127.0.0.1:9"]) == 2
    assert "no Intercom access token: set INTERCOM_TOKEN" in capsys.readouterr().err


def test_a_credential_intercom_returns_is_never_written(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = tmp_path / "ws"
    assert main(["new", str(root), "--empty"]) == 0
    fake.add(
        name="Leaky",
        http_method="post",
        url="https://api.example.com/x?api_key=sk_live_abcdef1234567890",
        body='{"password": "hunter2-hunter2", "id": "{{id}}"}',
        headers=[{"name": "Authorization", "value": "Bearer abc"}],
        data_inputs=[{"name": "id", "type": "string"}],
    )
    fake.add(name="Bad (name)", url="https://api.example.com/y")
    assert _run(fake, "pull", str(root)) == 0
    out = capsys.readouterr().out
    assert "Bad (name): not pulled:" in out and "a credential became {{secret." in out
    written = (root / "connectors" / "leaky.json").read_text()
    assert "sk_live_abcdef1234567890" not in written and "hunter2" not in written
    assert _run(fake, "push", str(root)) == 0 and fake.writes() == []


def test_a_field_redacted_in_intercom_comes_back_on_pull(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Verify identity") == 0
    fields = [dict(item) for item in fake.connectors["100"]["response_fields"]]
    fields[0]["redacted"] = True
    fake.edit("100", response_fields=fields)
    assert _run(fake, "pull", str(root), "--connector", "Verify identity") == 0
    pulled = _connector(root, "Verify identity")
    assert pulled["response"]["fields"][0] == {"path": "verified", "type": "boolean", "redacted": True}
    assert pulled["response"]["example"]["latency_ms"] == 90  # what Intercom cannot hold stays


def test_a_connector_renamed_here_keeps_its_remote_one(fake: Fake, tmp_path: Path, capsys: Any) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 0
    _edit(root, "Get orders", lambda data: data.update(name="Latest order"))
    copy = json.loads((SUPPORT_DESK / "connectors" / "get-orders.json").read_text())
    (root / "connectors" / "another.json").write_text(json.dumps(copy))  # a new file named like the remote one
    capsys.readouterr()
    assert _run(fake, "status", str(root)) == 0
    out = capsys.readouterr().out
    assert "Latest order: changed here (here: name)" in out and "Get orders: only here" in out


def test_a_remote_connector_named_like_a_linked_one_here_is_not_pulled_over_it(
    fake: Fake, tmp_path: Path, capsys: Any
) -> None:
    root = desk_with_token_ids(tmp_path)
    assert _run(fake, "push", str(root), "--connector", "Get orders") == 0
    fake.add(name="Get orders", url="https://elsewhere.example.com/orders")
    before = {path.name: path.read_bytes() for path in (root / "connectors").iterdir()}
    capsys.readouterr()
    assert _run(fake, "pull", str(root)) == 0
    assert "Get orders: not pulled: another connector has that name (Intercom connector 101)" in capsys.readouterr().out
    assert {path.name: path.read_bytes() for path in (root / "connectors").iterdir()} == before

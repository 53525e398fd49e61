"""``workbench import …`` and ``workbench export …`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from tests.conftest import SUPPORT_DESK, run_workbench
from tests.mockserver.helpers import item, write_workspace
from workbench.cli import main
from workbench.store import load_workspace

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://api.shop.example.com"}],
    "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    "security": [{"token": []}],
    "paths": {
        "/orders/{id}": {
            "get": {
                "operationId": "getOrder",
                "summary": "Get order by id",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"content": {"application/json": {"example": {"id": 1, "status": "paid"}}}}},
            }
        }
    },
}


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert main(["new", str(root)]) == 0
    return root


def _connector_files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "connectors").glob("*"))}


def test_import_curl_writes_a_lint_clean_connector_without_the_secret(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "curl -H 'Authorization: Bearer sk-live-42' https://api.shop.example.com/orders/77"
    assert main(["import", "curl", str(desk), line, "--input", "order_id=77", "--name", "Order by id", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "create connectors/order-by-id.json" in out and "SHOP_TOKEN" in out and "lint:" not in out
    text = (desk / "connectors" / "order-by-id.json").read_text()
    assert "sk-live-42" not in text and "{{secret.SHOP_TOKEN}}" in text
    assert main(["lint", str(desk)]) == 0


def test_dry_run_writes_nothing(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _connector_files(desk)
    assert main(["import", "curl", str(desk), "curl https://a.example.com/x", "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out and _connector_files(desk) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["curl", "curl 'https://a.example.com"], "unbalanced quotes"),
        (["curl", "curl -F a=@b https://a.example.com"], "curl word 1 (-F)"),
        (["openapi", "{spec}"], "is not an OpenAPI"),
        (["postman", "{spec}"], "not a Postman collection"),
        (["har", "{spec}"], "not a HAR file"),
        (["intercom", "{spec}"], "not an Intercom data connector export"),
        (["openapi", "{missing}"], "cannot be read"),
    ],
)
def test_bad_sources_exit_2_with_a_located_message_and_write_nothing(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    args = [arg.format(spec=other, missing=tmp_path / "nope.yaml") for arg in args]
    before = _connector_files(desk)
    assert main(["import", args[0], str(desk), *args[1:]]) == 2
    assert message in capsys.readouterr().err
    assert _connector_files(desk) == before


def test_a_source_over_the_size_limit_is_refused(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workbench.importing.sources.MAX_SOURCE_BYTES", 1024)
    big = tmp_path / "big.postman.json"
    big.write_text(json.dumps({"info": {}, "item": [{"name": "x" * 2000}]}))
    assert main(["import", "postman", str(desk), str(big)]) == 2
    assert "over the 1,024-byte import limit: split it" in capsys.readouterr().err


def test_openapi_import_then_check_reports_drift_with_exit_1(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    assert main(["import", "openapi", str(desk), str(spec), "--yes"]) == 0
    assert main(["lint", str(desk)]) == 0
    capsys.readouterr()
    assert main(["import", "openapi", str(desk), str(spec), "--check"]) == 0
    assert "1 connector match" in capsys.readouterr().out
    SPEC["paths"]["/orders/{id}"]["get"]["parameters"][0]["schema"] = {"type": "string"}
    spec.write_text(yaml.safe_dump(SPEC))
    assert main(["import", "openapi", str(desk), str(spec), "--check"]) == 1
    assert "input 'id': type is string in the spec, integer here" in capsys.readouterr().out


def test_reimport_skips_and_names_clashes_and_imports_the_rest(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "shop.json"
    spec.write_text(json.dumps(SPEC))
    assert main(["import", "openapi", str(desk), str(spec), "--yes"]) == 0
    first = _connector_files(desk)
    grown = {**SPEC, "paths": {**SPEC["paths"], "/orders": {"get": {"summary": "List orders", "responses": {}}}}}
    spec.write_text(json.dumps(grown))
    capsys.readouterr()
    assert main(["import", "openapi", str(desk), str(spec), "--yes"]) == 0
    captured = capsys.readouterr()
    assert "warning: skipped 'Get order by id'" in captured.err and "--replace overwrites" in captured.err
    assert "Wrote 1 connector." in captured.out and (desk / "connectors" / "list-orders.json").is_file()
    assert {name: data for name, data in _connector_files(desk).items() if name in first} == first
    assert main(["import", "openapi", str(desk), str(spec), "--replace", "--yes"]) == 0


def test_connectors_sending_secrets_need_a_yes(desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "shop.json"
    spec.write_text(json.dumps(SPEC))
    before = _connector_files(desk)
    assert main(["import", "openapi", str(desk), str(spec)]) == 2
    captured = capsys.readouterr()
    assert "secret  SHOP_TOKEN" in captured.out and "pass --yes" in captured.err
    assert _connector_files(desk) == before
    settings = json.loads((desk / "workbench.json").read_text())
    assert list(settings["environments"]) == ["local"]


def test_export_curl_and_intercom_then_import_back(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "curl", str(desk), "Get order", "--input", "email=ada@example.com"]) == 0
    line = capsys.readouterr().out.strip()
    assert (
        line
        == "curl http://127.0.0.1:8787/customers/ada@example.com/orders/latest -H 'Accept: application/json' --max-time 10"
    )
    out = tmp_path / "intercom.json"
    assert main(["export", "intercom", str(desk), "-o", str(out)]) == 0
    exported = orjson.loads(out.read_bytes())["data_connectors"]
    assert [item["name"] for item in exported] == ["Get order"]
    other = tmp_path / "other"
    assert main(["new", str(other)]) == 0
    (other / "connectors" / "get-order.json").unlink()
    assert main(["import", "intercom", str(other), str(out)]) == 0
    back = load_workspace(other).connector("Get order")
    original = load_workspace(desk).connector("Get order")
    assert back.request.url == "{{env.base_url}}/customers/{{email}}/orders/latest"
    assert back.inputs == original.inputs and back.sample_payload() == original.sample_payload()


def test_export_curl_fills_a_required_input_from_its_source_sample_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "curl", str(SUPPORT_DESK), "Get orders"]) == 0
    captured = capsys.readouterr()
    assert "/customers/grace@example.com/orders/latest" in captured.out
    assert "# --input email=grace@example.com from the sample value of User > email" in captured.err
    assert main(["export", "curl", str(SUPPORT_DESK), "Get orders", "--input", "email=ada@example.com"]) == 0
    captured = capsys.readouterr()
    assert "/customers/ada@example.com/orders/latest" in captured.out and "sample value" not in captured.err


def test_export_errors_are_usage_errors(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "curl", str(desk), "Nope"]) == 2
    assert "no connector 'Nope'" in capsys.readouterr().err
    assert main(["export", "curl", str(desk), "Get order"]) == 2
    assert "--input email: is required" in capsys.readouterr().err
    assert main(["export", "curl", str(desk), "Get order", "--input", "email=a", "--env", "prod"]) == 2
    assert "unknown environment 'prod'" in capsys.readouterr().err


def test_no_traceback_in_a_child_process(desk: Path) -> None:
    result = run_workbench("import", "curl", desk, "curl --what https://a.example.com")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "curl word 1 (--what): unknown curl option" in result.stderr


def test_export_curl_names_the_environment_in_use_when_it_lacks_a_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connector = item("Get item", "GET", "{{env.host}}/items", {"example": {}})
    root = write_workspace(tmp_path / "desk", connector, settings={"environments": {"local": {"base_url": ""}}})
    assert main(["export", "curl", str(root), "Get item"]) == 2
    assert "environment 'local' has no value 'host' (needed by {{env.host}})" in capsys.readouterr().err

"""One entry point for every format, from a file or pasted text (what the app's Import dialog calls)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.importing import ConversionError, import_from


def test_pasted_yaml_openapi_and_pasted_json_sources() -> None:
    spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n    get: {summary: Ping}\n"
    assert [item.name for item in import_from("openapi", text=spec).connectors] == ["Ping"]
    har = {
        "log": {
            "entries": [
                {
                    "request": {"method": "GET", "url": "https://a.example.com/me"},
                    "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}},
                }
            ]
        }
    }
    assert [item.name for item in import_from("har", text=json.dumps(har)).connectors] == ["GET /me"]


def test_a_curl_line_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "call.sh"
    path.write_text("curl https://a.example.com/x \\\n  -H 'Accept: application/json'\n")
    (connector,) = import_from("curl", path=path).connectors
    assert connector.request.headers == {"Accept": "application/json"}


@pytest.mark.parametrize(
    ("format_", "text", "message"),
    [
        ("openapi", "", "nothing to import"),
        ("openapi", "openapi: [3.0\n", "pasted text:2:1: invalid YAML"),
        ("postman", "{nope", "pasted text:1:2: is not JSON"),
        ("soap", "x", "not one of"),
    ],
)
def test_bad_pasted_sources(format_: str, text: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_from(format_, text=text)
    assert message in str(caught.value)

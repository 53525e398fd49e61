"""A loopback fake of Intercom's documented data connector endpoints (API 2.16), for tests.

Lists page with ``pages.next.starting_after``; details mask every header value as ``****``; ``POST`` creates a
draft (201) and makes ``response_fields`` from ``mock_response``; ``PATCH`` changes only the fields sent;
errors are ``error.list`` bodies. ``faults`` are answers served before the real ones (429, 5xx, 403…).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import SUPPORT_DESK
from workbench.importing.fields import response_fields

SHUTDOWN_POLL_S = 0.02
"""How often the fake's serving loop checks whether it is asked to stop (``serve_forever``'s default: 0.5 s, waited
out at the end of every test)."""
TOKEN = "dG9rOmZha2UtaW50ZXJjb20tdG9rZW4tMTIz"
_WRITABLE = {
    "name",
    "description",
    "http_method",
    "url",
    "body",
    "headers",
    "data_inputs",
    "token_ids",
    "direct_fin_usage",
    "audiences",
    "customer_authentication",
    "bypass_authentication",
    "validate_missing_attributes",
    "state",
}


@dataclass
class Fake:
    """The fake's data and what it was asked."""

    connectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    executions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    faults: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    clock: int = 0
    url: str = ""

    def writes(self) -> list[tuple[str, str, Any]]:
        """The write calls received: method, path, body."""
        return [(method, path, body) for method, path, _, body in self.requests if method in ("POST", "PATCH", "PUT")]

    def add(self, **fields: Any) -> dict[str, Any]:
        """A connector as if made in Intercom's UI."""
        self.clock += 1
        connector_id = str(100 + len(self.connectors))
        item = {
            "type": "data_connector",
            "id": connector_id,
            "state": "draft",
            "http_method": "get",
            "description": "",
            "body": "",
            "headers": [],
            "data_inputs": [],
            "response_fields": [],
            "object_mappings": [],
            "token_ids": [],
            "direct_fin_usage": False,
            "audiences": ["users"],
            "customer_authentication": False,
            "bypass_authentication": False,
            "validate_missing_attributes": False,
            "execution_type": "server_side",
            "configuration_response_type": "test_response_type",
            "data_transformation_type": None,
            "client_function_name": None,
            "client_function_timeout_ms": None,
            "created_at": self._time(),
            "updated_at": self._time(),
            "execution_results_url": f"/data_connectors/{connector_id}/execution_results",
            **fields,
        }
        self.connectors[connector_id] = item
        return item

    def edit(self, connector_id: str, **fields: Any) -> None:
        """A change made in Intercom's UI."""
        self.clock += 1
        self.connectors[connector_id].update(fields, updated_at=self._time())

    def _time(self) -> str:
        return f"2026-03-01T10:{self.clock // 60:02d}:{self.clock % 60:02d}Z"


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    return status, {}, {"type": "error.list", "request_id": "req-1", "errors": [{"code": code, "message": message}]}


def _detail(item: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in item.items() if key != "mock_response"}
    shown["headers"] = [{"name": header["name"], "value": "****"} for header in item.get("headers", [])]
    return shown


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("type", "id", "name", "description", "state", "http_method", "direct_fin_usage", "created_at", "updated_at")
    return {key: item.get(key) for key in keys}


def _page(items: list[dict[str, Any]], query: dict[str, list[str]], largest: int, default: int) -> dict[str, Any]:
    per_page = max(1, min(int(query.get("per_page", [default])[0]), largest))
    start = int(query.get("starting_after", ["0"])[0])
    page: dict[str, Any] = {"type": "pages", "per_page": per_page}
    if start + per_page < len(items):
        page["next"] = {"starting_after": str(start + per_page)}
    return {"type": "list", "data": items[start : start + per_page], "pages": page}


def _answer(
    fake: Fake, method: str, path: str, query: dict[str, list[str]], body: Any
) -> tuple[int, dict[str, str], Any]:
    parts = path.strip("/").split("/")
    if parts[0] != "data_connectors":
        return _error(404, "not_found", "Resource Not Found")
    if len(parts) == 1 and method == "GET":
        items = sorted(fake.connectors.values(), key=lambda item: item["updated_at"], reverse=True)
        return 200, {}, _page([_summary(item) for item in items], query, 50, 20)
    if len(parts) == 1 and method == "POST":
        if not isinstance(body, dict) or not body.get("name"):
            return _error(422, "parameter_not_found", "Name is required")
        if "state" in body:
            return _error(422, "parameter_invalid", "state is not a create parameter")
        fields = {key: value for key, value in body.items() if key in _WRITABLE}
        item = fake.add(**fields)
        if "mock_response" in body:
            item["mock_response"] = body["mock_response"]
            item["response_fields"] = response_fields(body["mock_response"])
            item["configuration_response_type"] = "mock_response_type"
        return 201, {}, _detail(item)
    found = fake.connectors.get(parts[1])
    if found is None:
        return _error(404, "data_connector_not_found", "Data connector not found")
    if len(parts) == 2 and method == "GET":
        return 200, {}, _detail(found)
    if len(parts) == 2 and method == "PATCH":
        if not isinstance(body, dict):
            return _error(400, "client_error", "body is not an object")
        if "state" in body and body["state"] not in ("draft", "live"):
            return _error(422, "parameter_invalid", "Invalid state. Must be one of: draft, live")
        if not set(body.get("audiences") or []) <= {"leads", "users", "visitors"}:
            return _error(422, "parameter_invalid", "Invalid audiences. Must be a subset of: leads, users, visitors")
        fake.edit(parts[1], **{key: value for key, value in body.items() if key in _WRITABLE})
        if "mock_response" in body:
            found["mock_response"] = body["mock_response"]
            found["response_fields"] = response_fields(body["mock_response"])
        return 200, {}, _detail(found)
    if len(parts) == 3 and parts[2] == "execution_results" and method == "GET":
        results = fake.executions.get(parts[1], [])
        if query.get("success") == ["false"]:
            results = [result for result in results if not result.get("success")]
        return 200, {}, _page(results, query, 30, 10)
    return _error(405, "method_not_allowed", f"{method} is not allowed here")


class _Handler(BaseHTTPRequestHandler):
    fake: Fake

    def log_message(self, *_: Any) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        split = urlsplit(self.path)
        self.fake.requests.append((self.command, split.path, dict(self.headers), body))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            status, headers, answer = _error(401, "unauthorized", "Access Token Invalid")
        elif self.fake.faults:
            status, headers, answer = self.fake.faults.pop(0)
        else:
            status, headers, answer = _answer(self.fake, self.command, split.path, parse_qs(split.query), body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve


@contextmanager
def running(fake: Fake | None = None) -> Iterator[Fake]:
    """Serve ``fake`` on 127.0.0.1 (a free port) while the block runs; ``fake.url`` is its root."""
    fake = fake or Fake()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_S}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def error_body(status: int, code: str, message: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    """A fault answer in Intercom's error shape."""
    return _error(status, code, message)


def desk_with_token_ids(tmp_path: Path) -> Path:
    """A copy of the sample desk whose tokens stand for Intercom tokens 7, 8 and 9."""
    root = tmp_path / "desk"
    shutil.copytree(SUPPORT_DESK, root)
    settings = json.loads((root / "workbench.json").read_text())
    for token_id, token in zip(("7", "8", "9"), settings["tokens"].values(), strict=True):
        token["intercom_token_id"] = token_id
    (root / "workbench.json").write_text(json.dumps(settings, indent=2))
    return root

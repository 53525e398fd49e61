"""Every HTTP client shares one TLS context (workbench.tls): building one loads the CA bundle again."""

from __future__ import annotations

import ast
from pathlib import Path

import certifi
import pytest

import workbench
from workbench.tls import verified

PACKAGE = Path(workbench.__file__).parent
CLIENTS = {"Client", "AsyncClient"}


def test_the_context_is_built_once_per_ca_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same context each time; another ``SSL_CERT_FILE`` gets its own (httpx reads the variable)."""
    shared = verified()
    assert verified() is shared and shared.verify_mode.name == "CERT_REQUIRED"
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert verified() is not shared and verified() is verified()


def test_every_httpx_client_is_given_the_shared_context() -> None:
    """An ``httpx.Client(...)`` / ``httpx.AsyncClient(...)`` built without ``verify=`` loads the CA bundle anew."""
    bare = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CLIENTS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "httpx"
        and not any(keyword.arg == "verify" for keyword in node.keywords)
    ]
    assert bare == [], "build httpx clients with verify=workbench.tls.verified()"

"""Every HTTP client shares one TLS context (workbench.tls): building one loads the CA bundle again."""

from __future__ import annotations

import ast

import certifi
import pytest

from tests.source_rules import broken, nodes
from workbench.tls import verified

CLIENTS = {"Client", "AsyncClient"}


def test_the_context_is_built_once_per_ca_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same context each time; another ``SSL_CERT_FILE`` gets its own (httpx reads the variable)."""
    shared = verified()
    assert verified() is shared and shared.verify_mode.name == "CERT_REQUIRED"
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert verified() is not shared and verified() is verified()


def bare_clients(module: str, source: str) -> list[str]:
    """Where ``source`` builds an ``httpx.Client(...)`` / ``httpx.AsyncClient(...)`` without ``verify=``."""
    if "httpx" not in source:
        return []
    return [
        f"{module}:{node.lineno}: an httpx client without verify=workbench.tls.verified()"
        for node in nodes(source)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CLIENTS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "httpx"
        and not any(keyword.arg == "verify" for keyword in node.keywords)
    ]


def test_every_httpx_client_is_given_the_shared_context() -> None:
    """A client built without ``verify=`` loads the CA bundle anew; the rule finds one."""
    assert bare_clients("m.py", "import httpx\nc = httpx.AsyncClient(timeout=1)\n") == [
        "m.py:2: an httpx client without verify=workbench.tls.verified()"
    ]
    assert broken(bare_clients) == []

"""Every connector request goes through ``LiveTransport`` (redirects one hop at a time, credentials dropped across
origins): a rule that fails on another HTTP client, or on a client that follows redirects by itself."""

from __future__ import annotations

import ast

from tests.source_rules import broken

HTTP_USERS = {"connectors/live.py", "agent/client.py", "intercom/client.py"}
"""The transport of connectors, the model client (it talks to the model endpoint only) and the Intercom API
client (Intercom's REST API only)."""
CLIENTS = {"httpx", "requests", "urllib3", "http.client", "urllib.request"}
AIOHTTP_CLIENT = {"ClientSession", "request"}
"""aiohttp also serves (the mock server): only its client is a way around the transport."""


def bypasses(module: str, source: str) -> list[str]:
    """Where ``source`` (the module ``module``) could send HTTP without the connector transport's rules."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if module not in HTTP_USERS and any(name.split(".")[0] in CLIENTS or name in CLIENTS for name in names):
                found.append(f"{module}:{node.lineno}: imports an HTTP client")
        elif isinstance(node, ast.Attribute | ast.alias) and module not in HTTP_USERS:
            name = node.attr if isinstance(node, ast.Attribute) else node.name
            if name in AIOHTTP_CLIENT and "aiohttp" in source:
                found.append(f"{module}:{getattr(node, 'lineno', 0)}: uses aiohttp's HTTP client")
        elif (
            isinstance(node, ast.keyword)
            and node.arg == "follow_redirects"
            and not (isinstance(node.value, ast.Constant) and node.value.value is False)
        ):
            found.append(f"{module}:{node.value.lineno}: lets the HTTP client follow redirects itself")
    return found


def test_connector_requests_have_one_transport() -> None:
    assert broken(bypasses) == []


def test_the_rule_finds_a_bypass() -> None:
    source = "import httpx\nclient = httpx.AsyncClient(follow_redirects=True)\nsession = aiohttp.ClientSession()\n"
    assert bypasses("tui/preview.py", source) == [
        "tui/preview.py:1: imports an HTTP client",
        "tui/preview.py:2: lets the HTTP client follow redirects itself",
        "tui/preview.py:3: uses aiohttp's HTTP client",
    ]

"""Token endpoints served beside the connectors, so that a workspace whose connectors use request or OAuth
tokens (workbench.json ``tokens``) runs live against ``workbench mock serve`` too.

Each endpoint is an ordinary route: a connector made from the token's request, answering with a token of the
shape the token reads (its ``token_path`` and ``expires_in_path``; OAuth's standard fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.mentions import split_path
from workbench.model import Connector, MockResponse
from workbench.model.auth import OAuthClientCredentialsToken, RequestToken
from workbench.model.connector import Request, ResponseConfig

TOKEN_LIFETIME_S = 3600
"""How long a served token says it lasts."""


def token_connectors(tokens: Mapping[str, Any]) -> list[Connector]:
    """A connector answering each request or OAuth token's endpoint (text tokens need none)."""
    served = []
    for name, token in tokens.items():
        if isinstance(token, RequestToken):
            body: dict[str, Any] = {}
            _put(body, token.token_path, f"mock-{name}-token")
            if token.expires_in_path:
                _put(body, token.expires_in_path, TOKEN_LIFETIME_S)
            request = Request(method=token.request.method, url=token.request.url)
        elif isinstance(token, OAuthClientCredentialsToken):
            body = {"access_token": f"mock-{name}-token", "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S}
            request = Request(method="POST", url=token.token_url)
        else:
            continue
        served.append(
            Connector(
                name=f"token {name}",
                kind="action",
                request=request,
                response=ResponseConfig(example=MockResponse(status=200, body=body)),
            )
        )
    return served


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at an attribute path (``data > token``) of ``body``, making the objects on the way."""
    *parents, last = split_path(path)
    for segment in parents:
        body = body.setdefault(segment, {})
    body[last] = value

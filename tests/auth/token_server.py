"""A loopback token endpoint, OAuth endpoint and API that answers 401 to a stale token, for auth tests."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote_plus

import orjson

from tests.connectors.server import Handler, Received, head, json_reply

CLIENT_ID = "desk-client"
CLIENT_SECRET = "cl:ent/s3cret+&"
API_KEY = "crm-key-Qx81"


@dataclass
class AuthServer:
    """``/auth`` (request token: wants ``{"key": API_KEY}``), ``/oauth/token`` (client credentials) and ``/api/...``
    (accepts only the newest token, each at most ``uses`` times; ``uses=0``: never).

    ``expires_in`` is what the endpoints say about lifetimes (``None``: nothing).
    """

    uses: int | None = None
    expires_in: float | None = 3600
    issued: list[str] = field(default_factory=list)
    used: dict[str, int] = field(default_factory=dict)
    oauth_requests: list[Received] = field(default_factory=list)

    def _issue(self) -> dict[str, object]:
        token = f"tok-{len(self.issued) + 1}-Zr7"
        self.issued.append(token)
        answer: dict[str, object] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            answer["expires_in"] = self.expires_in
        return answer

    def routes(self) -> dict[str, Handler]:
        return {
            "/auth": self.request_token,
            "/oauth/token": self.oauth_token,
            "/api/orders": self.api,
            "/api/profile": self.api,
        }

    async def request_token(self, request: Received, writer: asyncio.StreamWriter) -> None:
        if json.loads(request.body or b"{}").get("key") != API_KEY:
            await json_reply({"error": "bad key"}, 403)(request, writer)
            return
        await json_reply(self._issue())(request, writer)

    async def oauth_token(self, request: Received, writer: asyncio.StreamWriter) -> None:
        self.oauth_requests.append(request)
        if request.headers.get("content-type", "").startswith("application/json"):
            fields = {key: str(value) for key, value in json.loads(request.body).items()}
        else:
            fields = {key: values[0] for key, values in parse_qs(request.body.decode()).items()}
        client_id, client_secret = fields.get("client_id"), fields.get("client_secret")
        basic = request.headers.get("authorization", "")
        if basic.startswith("Basic "):
            user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
            client_id, client_secret = unquote_plus(user), unquote_plus(password)
        if fields.get("grant_type") != "client_credentials":
            await json_reply({"error": "unsupported_grant_type"}, 400)(request, writer)
        elif (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            await json_reply({"error": "invalid_client", "error_description": f"unknown {client_secret}"}, 401)(
                request, writer
            )
        else:
            await json_reply(self._issue())(request, writer)

    async def api(self, request: Received, writer: asyncio.StreamWriter) -> None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        fresh = bool(self.issued) and token == self.issued[-1]
        count = self.used.get(token, 0)
        if not fresh or (self.uses is not None and count >= self.uses):
            body = orjson.dumps({"error": "token expired"})
            writer.write(head(401, {"Content-Type": "application/json"}, length=len(body)) + body)
            return
        self.used[token] = count + 1
        await json_reply({"status": "shipped", "tier": "gold", "echo": token})(request, writer)

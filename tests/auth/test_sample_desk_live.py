"""The sample desk live against a loopback server: its text, request (with a refresh) and OAuth tokens, its
redacted card number and its plan mapping; the scenarios' expectations hold, and no secret or token shows."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import re
from typing import Any

import orjson
import pytest

from tests.auth.shown import shows
from tests.conftest import SUPPORT_DESK
from tests.connectors.server import Handler, LoopbackServer, Received, json_reply
from workbench.engine import RunOptions, ScriptedAgent, run_procedure
from workbench.scenarios import compare
from workbench.store import Workspace, load_workspace

SECRETS = {
    "SHOP_TOKEN": "shop-Tq4x",
    "BILLING_API_KEY": "bill-key-9Wm",
    "PAYMENTS_CLIENT_ID": "desk-payments",
    "PAYMENTS_CLIENT_SECRET": "pay/s3cret:+",
}


class Desk(dict):
    """Routes by path: the token endpoints, then every connector's URL, each checking its own token."""

    def __init__(self, workspace: Workspace, bodies: dict[str, Any]) -> None:
        super().__init__()
        self.issued: list[str] = []
        self.kinds: list[str] = []
        self.patterns: list[tuple[re.Pattern[str], str, str]] = []
        for name, document in workspace.connectors.items():
            url = document.model.request.url.replace("{{env.base_url}}", "")
            pattern = re.compile("^" + re.sub(r"\\\{\\\{[^}]+\\\}\\\}", "[^/]+", re.escape(url)) + "$")
            self.patterns.append((pattern, name, document.model.auth or ""))
        self.bodies = bodies

    def get(self, path: str, default: Any = None) -> Handler:
        return {"/auth/token": self.billing_token, "/oauth/token": self.payments_token}.get(path) or self.api

    def issue(self, prefix: str) -> Any:
        token = f"{prefix}-{len(self.issued) + 1}-Hd2"
        self.issued.append(token)
        return json_reply({"access_token": token, "token_type": "Bearer", "expires_in": 600})

    async def billing_token(self, request: Received, writer: asyncio.StreamWriter) -> None:
        assert json.loads(request.body) == {"api_key": SECRETS["BILLING_API_KEY"]}
        self.kinds.append("request")
        await self.issue("bill")(request, writer)

    async def payments_token(self, request: Received, writer: asyncio.StreamWriter) -> None:
        pair = base64.b64decode(request.headers["authorization"].removeprefix("Basic ")).decode()
        assert pair == "desk-payments:pay%2Fs3cret%3A%2B" and b"grant_type=client_credentials" in request.body
        self.kinds.append("oauth")
        await self.issue("pay")(request, writer)

    async def api(self, request: Received, writer: asyncio.StreamWriter) -> None:
        path = request.target.split("?", 1)[0]
        name, auth = next((name, auth) for pattern, name, auth in self.patterns if pattern.match(path))
        sent = request.headers.get("authorization", "")
        billing = [token for token in self.issued if token.startswith("bill")]
        good = {
            "shop": sent == f"Bearer {SECRETS['SHOP_TOKEN']}",
            "billing": sent.startswith("Bearer bill") and len(billing) > 1 and sent.endswith(billing[-1]),
            "payments": sent.startswith("Bearer pay-"),
        }[auth]
        if not good:  # the first billing token is stale: the run must refresh it
            await json_reply({"error": "invalid token"}, 401)(request, writer)
            return
        await json_reply(self.bodies[name])(request, writer)


@pytest.mark.parametrize("scenario", ["Cancel with a reason", "Damaged parcel is refunded"])
async def test_the_sample_desk_runs_live_with_its_tokens(scenario: str) -> None:
    desk = load_workspace(SUPPORT_DESK)
    case = desk.scenarios[scenario].model
    bodies = {name: document.model.sample_payload() for name, document in desk.connectors.items()}
    bodies.update({name: mock.body for name, mock in case.mocks.items()})
    routes = Desk(desk, bodies)
    async with LoopbackServer(routes) as server:
        settings = desk.settings.model.model_copy(update={"environments": {"local": {"base_url": server.url("")}}})
        live = dataclasses.replace(desk, settings=dataclasses.replace(desk.settings, model=settings))
        options = RunOptions(
            environment="local",
            mode="live",
            attributes={namespace: values for namespace, values in case.attributes.items()},
            secrets=SECRETS,
        )
        result = await run_procedure(live, case.procedure, ScriptedAgent(case.answers, case.decisions), options)
    assert result.ok, result.message
    assert compare(case.expect, result) == []
    text = b"\n".join(orjson.dumps(event.to_json()) for event in result.events).decode()
    for value in [*SECRETS.values(), *routes.issued, "4242"]:
        assert not shows(value, text), value
    if case.procedure == "Cancel subscription":
        assert routes.kinds == ["request", "request"]  # the stale one, then the refresh
        assert result.context.resolve("User > subscription_plan").value == "Pro"
        assert any(event.payload.to_json().get("code") == "token_rejected" for event in result.events)
    else:
        assert routes.kinds == ["oauth"]

"""Hostile token endpoints: huge, non-ASCII, control-character, form-encoded and enormous answers end in a clear
error (or work), never a traceback, and never show the token."""

from __future__ import annotations

from typing import Any

import orjson

from tests.auth.test_tokens import REQUEST_TOKEN, output, run_with
from tests.connectors.server import Handler, LoopbackServer, json_reply, reply
from workbench.connectors import ConnectorError

TOKEN = "gho_Tk5Secret9Zq"


def answering(token_answer: Handler) -> dict[str, Handler]:
    """A token endpoint answering ``token_answer`` and an API that accepts any bearer token."""
    return {"/auth": token_answer, "/api/orders": json_reply({"status": "ok"}), "/api/profile": json_reply({})}


async def test_a_400_digit_expires_in_is_a_long_lifetime_not_an_overflow() -> None:
    body = b'{"access_token": "' + TOKEN.encode() + b'", "expires_in": 1' + b"0" * 400 + b"}"
    async with LoopbackServer(answering(reply(body, 200, {"Content-Type": "application/json"}))) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "completed", result.error
    received = next(event for event in result.events if event.type == "token_received")
    assert received.payload.expires_in == 366 * 24 * 3600


async def test_a_non_ascii_token_is_a_clear_error_naming_the_header() -> None:
    async with LoopbackServer(answering(json_reply({"access_token": "tøken-Ünicode-77"}))) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "failed" and result.error is not None
    assert result.error.reason == "request_configuration" and "non-ASCII" in result.error.message
    assert "Authorization" in result.error.message and "ken-Ünicode" not in output(result)


async def test_a_control_character_token_is_refused_and_never_echoed() -> None:
    async with LoopbackServer(answering(json_reply({"access_token": "tok\x01en-Ctrl-Secret"}))) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "failed" and result.error is not None
    assert "control character" in result.error.message
    assert "Ctrl-Secret" not in output(result)
    assert [request.target for request in server.received] == ["/auth"]


async def test_a_form_encoded_token_answer_is_read_like_github_sends_it() -> None:
    form = f"access_token={TOKEN}&scope=repo&token_type=bearer".encode()
    handler = reply(form, 200, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    async with LoopbackServer(answering(handler)) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "completed", result.error
    assert server.received[1].headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in output(result)


async def test_a_token_answer_that_cannot_be_read_never_shows_the_token() -> None:
    form = f"access_token={TOKEN}&scope=repo&token_type=bearer".encode()
    async with LoopbackServer(answering(reply(form, 200, {"Content-Type": "text/plain"}))) as server:
        result = await run_with(server.url(""), REQUEST_TOKEN)
    assert result.outcome == "failed" and result.error is not None
    assert "access_token=***" in result.error.message and TOKEN not in output(result)


async def test_a_token_answer_with_200000_keys_makes_a_short_error() -> None:
    answer: dict[str, Any] = {f"key{number:06d}": number for number in range(200_000)}
    async with LoopbackServer(answering(reply(orjson.dumps(answer), 200, {"Content-Type": "application/json"}))) as s:
        result = await run_with(s.url(""), {**REQUEST_TOKEN, "request": {**REQUEST_TOKEN["request"], "timeout_s": 30}})
    assert result.outcome == "failed" and result.error is not None
    assert "key000000, key000001" in result.error.message and "and 199,980 more" in result.error.message
    assert len(result.error.message) < 1_000


def test_every_connector_error_is_bounded() -> None:
    error = ConnectorError("network", "x" * 2_000_000)
    assert len(error.message) < 2_100 and error.message.endswith("… (1,998,000 more characters)")

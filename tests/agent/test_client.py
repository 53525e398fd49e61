"""The chat-completions client against a real loopback server: replies, tools, retries, deadlines, errors."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from tests.agent.chat_server import ChatServer, completion, hang, scripted, status, text, tool
from tests.connectors.server import dead_port, reply
from workbench.agent.client import ChatClient, Deadline, Exchange, Tool, resolve_api_key
from workbench.agent.errors import (
    MalformedReply,
    MalformedToolCall,
    MissingKey,
    ModelRefusal,
    ModelTimeout,
    ModelUnavailable,
    ReplyTooLarge,
)
from workbench.connectors import Masker
from workbench.model import AgentSettings

PICK = Tool(
    "pick",
    "Pick a colour.",
    {"type": "object", "properties": {"colour": {"type": "string"}}, "required": ["colour"]},
)
HELLO = [{"role": "user", "content": "hello"}]


class Sleeps:
    """Records the waits between retries instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client(server: ChatServer, **fields: Any) -> tuple[ChatClient, list[Exchange], Sleeps]:
    exchanges: list[Exchange] = []
    sleeps = Sleeps()
    made = ChatClient(server.settings(**fields), api_key="sk-test", on_exchange=exchanges.append, sleep=sleeps)
    return made, exchanges, sleeps


async def test_a_plain_reply_with_its_tokens_and_the_exchange() -> None:
    async with ChatServer(scripted(text("Hi there"))) as server:
        chat, exchanges, _ = client(server, temperature=0.2, max_tokens=50)
        reply_ = await chat.complete(HELLO, purpose="message", where={"step": "s1"})
        await chat.aclose()
    assert reply_.content == "Hi there"
    assert (reply_.prompt_tokens, reply_.completion_tokens) == (11, 7)
    body = server.bodies[0]
    assert body["model"] == "test-model" and body["messages"] == HELLO
    assert body["temperature"] == 0.2 and body["max_tokens"] == 50
    assert server.calls[0].headers["authorization"] == "Bearer sk-test"
    [exchange] = exchanges
    event = exchange.to_event()
    assert event.step == "s1" and event.purpose == "message" and event.model == "test-model"
    assert event.reply is not None and event.reply.content == "Hi there" and event.tokens.total == 18
    assert event.to_json()["tokens"] == {"prompt": 11, "completion": 7}
    assert event.attempts == 1 and event.error is None and event.latency_ms >= 0


async def test_a_forced_tool_call_gives_its_arguments() -> None:
    async with ChatServer(scripted(tool("pick", {"colour": "teal"}))) as server:
        chat, exchanges, _ = client(server)
        arguments = await chat.call_tool(HELLO, PICK, purpose="decision")
        await chat.aclose()
    assert arguments == {"colour": "teal"}
    assert server.bodies[0]["tool_choice"] == {"type": "function", "function": {"name": "pick"}}
    assert server.bodies[0]["tools"][0]["function"]["parameters"] == PICK.parameters
    assert exchanges[0].reply is not None and exchanges[0].reply.tool_calls[0].arguments == {"colour": "teal"}


async def test_a_json_object_in_the_text_counts_as_the_tool_call() -> None:
    async with ChatServer(scripted(text('{"colour": "red"}'))) as server:
        chat, _, _ = client(server)
        assert await chat.call_tool(HELLO, PICK, purpose="decision") == {"colour": "red"}
        await chat.aclose()


@pytest.mark.parametrize(
    "bad",
    [
        tool("pick", "{not json"),
        tool("pick", {"shade": "teal"}),
        tool("paint", {"colour": "teal"}),
        text("I would pick teal."),
        tool("pick", "[1, 2]"),
    ],
    ids=["arguments-not-json", "required-missing", "other-tool", "plain-text", "not-an-object"],
)
async def test_a_malformed_tool_call_is_sent_back_once_then_fails(bad: Any) -> None:
    async with ChatServer(scripted(bad)) as server:
        chat, exchanges, _ = client(server)
        with pytest.raises(MalformedToolCall, match="did not call pick properly"):
            await chat.call_tool(HELLO, PICK, purpose="decision")
        await chat.aclose()
    assert len(server.bodies) == 2 and len(exchanges) == 2
    assert "That did not work" in server.bodies[1]["messages"][-1]["content"]


async def test_a_malformed_tool_call_repaired_on_the_second_try() -> None:
    async with ChatServer(scripted(tool("pick", "{oops"), tool("pick", {"colour": "blue"}))) as server:
        chat, _, _ = client(server)
        assert await chat.call_tool(HELLO, PICK, purpose="decision") == {"colour": "blue"}
        await chat.aclose()
    assert "not JSON" in server.bodies[1]["messages"][-1]["content"]


async def test_429_then_success_waits_as_retry_after_says() -> None:
    async with ChatServer(scripted(status(429, {"Retry-After": "3"}), text("ok"))) as server:
        chat, exchanges, sleeps = client(server)
        assert (await chat.complete(HELLO, purpose="message")).content == "ok"
        await chat.aclose()
    assert sleeps.delays == [3.0]
    assert len(server.calls) == 2 and exchanges[0].attempts == 2


async def test_retry_after_as_an_http_date() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    async with ChatServer(scripted(status(503, {"Retry-After": later}), text("ok"))) as server:
        chat, _, sleeps = client(server)
        await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert 25 <= sleeps.delays[0] <= 31


async def test_5xx_backs_off_exponentially_then_gives_up() -> None:
    async with ChatServer(scripted(status(500))) as server:
        chat, exchanges, sleeps = client(server, max_retries=3)
        with pytest.raises(ModelUnavailable, match="500") as raised:
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert raised.value.status == 500
    assert len(server.calls) == 4 and exchanges[0].attempts == 4 and exchanges[0].error
    first, second, third = sleeps.delays
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0 and 1.0 <= third <= 2.0


async def test_a_retry_after_past_the_run_budget_fails_at_once() -> None:
    async with ChatServer(scripted(status(429, {"Retry-After": "100"}))) as server:
        chat, _, sleeps = client(server, run_timeout_s=10)
        with pytest.raises(ModelTimeout, match="time budget"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert sleeps.delays == [] and len(server.calls) == 1


async def test_other_4xx_is_not_retried_and_401_names_the_key() -> None:
    async with ChatServer(scripted(status(400), status(401))) as server:
        chat, _, _ = client(server)
        with pytest.raises(ModelUnavailable, match=r"400 \(scripted 400\)"):
            await chat.complete(HELLO, purpose="message")
        with pytest.raises(MissingKey, match="refused the API key"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert len(server.calls) == 2


async def test_a_silent_server_hits_the_per_call_timeout() -> None:
    async with ChatServer(scripted(hang())) as server:
        chat, exchanges, _ = client(server, timeout_s=0.1)
        started = time.perf_counter()
        with pytest.raises(ModelTimeout, match="per-call timeout"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert time.perf_counter() - started < 5
    assert exchanges[0].reply is None and "0.1" in (exchanges[0].error or "")


async def test_the_run_deadline_bounds_every_call() -> None:
    async with ChatServer(scripted(hang())) as server:
        settings = server.settings(timeout_s=30)
        chat = ChatClient(settings, deadline=Deadline(0.3))
        with pytest.raises(ModelTimeout, match="remaining time budget"):
            await chat.complete(HELLO, purpose="message")
        with pytest.raises(ModelTimeout, match="ran out"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()
    assert len(server.calls) == 1


async def test_a_reply_over_the_size_cap() -> None:
    async with ChatServer(scripted(text("x" * 5000))) as server:
        chat, _, _ = client(server, max_response_bytes=1024)
        with pytest.raises(ReplyTooLarge, match="1,024-byte cap"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()


async def test_a_refusal_and_a_content_filter() -> None:
    refused = completion({"content": None, "refusal": "I can't help with that."})
    filtered = completion({"content": ""}, finish="content_filter")
    async with ChatServer(scripted(refused, filtered)) as server:
        chat, _, _ = client(server)
        with pytest.raises(ModelRefusal, match="can't help"):
            await chat.complete(HELLO, purpose="message")
        with pytest.raises(ModelRefusal, match="content filter"):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>", "not JSON"), (b'{"choices": []}', "no choices"), (b'{"choices": [{"x": 1}]}', "no message")],
)
async def test_replies_that_are_not_completions(body: bytes, message: str) -> None:
    async with ChatServer(scripted(reply(body))) as server:
        chat, _, _ = client(server)
        with pytest.raises(MalformedReply, match=message):
            await chat.complete(HELLO, purpose="message")
        await chat.aclose()


async def test_an_unreachable_endpoint_and_no_model() -> None:
    settings = AgentSettings(base_url=f"http://127.0.0.1:{dead_port()}/v1", model="m", max_retries=0)
    chat = ChatClient(settings)
    with pytest.raises(ModelUnavailable, match="cannot reach"):
        await chat.complete(HELLO, purpose="message")
    await chat.aclose()
    with pytest.raises(ModelUnavailable, match="no model named"):
        await ChatClient(AgentSettings()).complete(HELLO, purpose="message")


async def test_scrub_runs_on_every_request_before_it_leaves() -> None:
    masker = Masker()
    masker.add(["hunter2-secret"])
    async with ChatServer(scripted(text("ok"))) as server:
        chat = ChatClient(server.settings(), scrub=masker.mask)
        await chat.complete([{"role": "user", "content": "my token is hunter2-secret"}], purpose="message")
        await chat.aclose()
    assert b"hunter2-secret" not in server.wire() and b"***" in server.wire()


def test_the_api_key_comes_from_a_secret_only() -> None:
    assert resolve_api_key(None, {}) is None
    assert resolve_api_key("{{ secret.OPENAI_KEY }}", {"OPENAI_KEY": "sk-1"}) == "sk-1"
    with pytest.raises(MissingKey, match="set the environment variable OPENAI_KEY"):
        resolve_api_key("{{secret.OPENAI_KEY}}", {})
    with pytest.raises(MissingKey, match="would be committed"):
        resolve_api_key("sk-literal", {})

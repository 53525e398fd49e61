"""A chat-completions endpoint on 127.0.0.1 with scripted replies, built on the connectors' loopback server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from tests.connectors.server import Handler, LoopbackServer, Received, json_reply, reply, silent
from workbench.model import AgentSettings

Responder = Callable[[dict[str, Any]], Handler]


def completion(message: dict[str, Any], *, finish: str = "stop", prompt: int = 11, done: int = 7) -> Handler:
    """A chat completion whose one choice is ``message``, with token usage."""
    return json_reply(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done},
        }
    )


def text(content: str) -> Handler:
    """A plain assistant message."""
    return completion({"content": content})


def tool(name: str, arguments: Any) -> Handler:
    """A call of tool ``name``; ``arguments`` is sent as JSON text unless it is already a string."""
    raw = arguments if isinstance(arguments, str) else orjson.dumps(arguments).decode()
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": raw}}
    return completion({"content": None, "tool_calls": [call]}, finish="tool_calls")


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    """An error status with an OpenAI-style error body."""
    body = orjson.dumps({"error": {"message": f"scripted {code}", "type": "test"}})
    return reply(body, code, {"Content-Type": "application/json", **(headers or {})})


def hang() -> Handler:
    """Never answers."""
    return silent()


@dataclass
class ChatServer:
    """``async with ChatServer(respond) as server``: answers ``POST /v1/chat/completions`` with ``respond(body)``
    (the request's JSON); ``bodies`` keeps every request body received, ``calls`` the raw requests."""

    respond: Responder
    bodies: list[dict[str, Any]] = field(default_factory=list)

    async def __aenter__(self) -> ChatServer:
        self._server = LoopbackServer({"/v1/chat/completions": self._handle})
        await self._server.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.__aexit__(*exc)

    @property
    def calls(self) -> list[Received]:
        """The raw requests received."""
        return self._server.received

    @property
    def base_url(self) -> str:
        """The ``agent.base_url`` to use."""
        return self._server.url("/v1")

    def settings(self, **fields: Any) -> AgentSettings:
        """Agent settings pointing here (short timeouts, model ``test-model``)."""
        return AgentSettings.model_validate(
            {"base_url": self.base_url, "model": "test-model", "timeout_s": 5, **fields}
        )

    def wire(self) -> bytes:
        """Every request body received, joined (to search for values that must never be sent)."""
        return b"\n".join(call.body for call in self.calls)

    async def _handle(self, request: Received, writer: asyncio.StreamWriter) -> None:
        body = orjson.loads(request.body)
        self.bodies.append(body)
        await self.respond(body)(request, writer)


def scripted(*handlers: Handler) -> Responder:
    """A responder giving ``handlers`` in order (the last one again when they run out)."""
    queue = list(handlers)

    def respond(body: dict[str, Any]) -> Handler:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond


def forced_tool(body: dict[str, Any]) -> str | None:
    """The tool a request makes the model call, if any."""
    choice = body.get("tool_choice")
    return choice["function"]["name"] if isinstance(choice, dict) else None

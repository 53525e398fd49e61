"""An OpenAI-compatible chat-completions client on httpx (OpenAI, Ollama, vLLM, LM Studio, LiteLLM's proxy).

Robust by construction: 429 and 5xx answers are retried with exponential backoff (``Retry-After`` honoured),
every call has its own timeout and every call of a run shares one :class:`Deadline`, replies are read with a
size cap, and every failure is a typed :class:`~workbench.agent.errors.ModelError`. Each request passes
through ``scrub`` (secret masking) just before it is sent, and each exchange is reported to ``on_exchange``.

httpx rather than the official SDK: it is already a dependency, the protocol is one POST, and the retry,
deadline and size rules must be ours (the SDK retries by its own rules and reads whole bodies).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from workbench.agent.errors import (
    MalformedReply,
    MalformedToolCall,
    MissingKey,
    ModelError,
    ModelRefusal,
    ModelTimeout,
    ModelUnavailable,
    ReplyTooLarge,
)
from workbench.connectors.masking import masker_of
from workbench.connectors.secrets import Masker
from workbench.events import AgentExchange, ModelReply, ModelRequest, ModelToolCall, TokenUsage
from workbench.model import AgentSettings
from workbench.tls import verified

BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 20.0
RETRY_AFTER_CAP_S = 120.0
_SECRET = re.compile(r"^\{\{\s*secret\.([^{}\s]+)\s*\}\}$")

Message = dict[str, Any]


def resolve_api_key(template: str | None, secrets: Mapping[str, str]) -> str | None:
    """The API key a ``{{secret.NAME}}`` template names (``None`` when there is no key to send).

    Raises :class:`MissingKey` for an unset secret, and for a key written out in ``workbench.json`` (it would be
    committed with the workspace).
    """
    if template is None or not template.strip():
        return None
    match = _SECRET.match(template.strip())
    if match is None:
        raise MissingKey(
            'agent.api_key must be a "{{secret.NAME}}" template read from the environment; a key written in '
            "workbench.json would be committed with the workspace"
        )
    value = secrets.get(match[1])
    if not value:
        raise MissingKey(
            f"agent.api_key needs the secret {match[1]}: set the environment variable {match[1]} "
            "(or put it in the workspace's .env)"
        )
    return value


class Deadline:
    """A time budget shared by several calls (one run's model calls)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._ends - time.monotonic())


@dataclass(frozen=True)
class Tool:
    """A function the model may call: its name, what it is for, and the JSON Schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The tool as the chat-completions API declares it."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


@dataclass(frozen=True)
class ToolCall:
    """A tool call in a reply: ``arguments`` parsed from JSON, or ``None`` with ``error`` saying why not."""

    name: str
    arguments: Any
    error: str | None = None


@dataclass(frozen=True)
class ChatReply:
    """The first choice of a chat completion."""

    content: str | None
    tool_calls: tuple[ToolCall, ...]
    finish_reason: str | None
    refusal: str | None
    prompt_tokens: int
    completion_tokens: int

    def to_event(self) -> ModelReply:
        """The reply as an event shows it."""
        return ModelReply(
            content=self.content,
            tool_calls=[ModelToolCall(name=call.name, arguments=call.arguments) for call in self.tool_calls],
            finish_reason=self.finish_reason,
        )


@dataclass
class Exchange:
    """One request to the model and what came of it (the reply, or the error), for events and summaries."""

    purpose: str
    where: Mapping[str, str]
    model: str
    request: ModelRequest
    reply: ChatReply | None = None
    latency_ms: float = 0.0
    attempts: int = 1
    error: str | None = None

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return 0 if self.reply is None else self.reply.prompt_tokens + self.reply.completion_tokens

    def to_event(self) -> AgentExchange:
        """The ``agent_exchange`` event's payload."""
        reply = self.reply
        return AgentExchange(
            procedure=self.where.get("procedure"),
            step=self.where.get("step"),
            purpose=self.purpose,
            model=self.model,
            request=self.request,
            reply=None if reply is None else reply.to_event(),
            tokens=TokenUsage(
                prompt=reply.prompt_tokens if reply else 0, completion=reply.completion_tokens if reply else 0
            ),
            latency_ms=round(self.latency_ms, 1),
            attempts=self.attempts,
            error=self.error,
        )


@dataclass
class ChatClient:
    """Sends chat completions to ``settings.base_url``. Close it with :meth:`aclose`.

    ``api_key`` is the resolved key (see :func:`resolve_api_key`); ``scrub`` is applied to every request body
    just before it is sent; ``sleep`` waits between retries (tests pass a recorder).
    """

    settings: AgentSettings
    api_key: str | None = None
    deadline: Deadline | None = None
    scrub: Callable[[Any], Any] = lambda data: data
    on_exchange: Callable[[Exchange], None] | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _http: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _key: Masker = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._key = masker_of([self.api_key] if self.api_key else [])
        if self.deadline is None:
            self.deadline = Deadline(self.settings.run_timeout_s)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    @property
    def url(self) -> str:
        """Where completions are posted."""
        return self.settings.base_url.rstrip("/") + "/chat/completions"

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        purpose: str,
        where: Mapping[str, str] | None = None,
        model: str | None = None,
        tools: Sequence[Tool] = (),
        tool_choice: str | None = None,
    ) -> ChatReply:
        """The model's reply to ``messages`` (``tool_choice`` names a tool the model must call).

        Raises a :class:`ModelError`: :class:`ModelRefusal` when the model refuses, :class:`ModelTimeout`,
        :class:`ModelUnavailable`, :class:`ReplyTooLarge`, :class:`MalformedReply`, :class:`MissingKey` (401/403).
        """
        name = model or self.settings.model
        if not name:
            raise ModelUnavailable('no model named: set "agent": {"model": ...} in workbench.json, or --model')
        payload: dict[str, Any] = {"model": name, "messages": list(messages)}
        if self.settings.temperature is not None:
            payload["temperature"] = self.settings.temperature
        if self.settings.max_tokens is not None:
            payload["max_tokens"] = self.settings.max_tokens
        if self.settings.seed is not None:
            payload["seed"] = self.settings.seed
        if tools:
            payload["tools"] = [tool.to_json() for tool in tools]
        if tool_choice:
            payload["tool_choice"] = {"type": "function", "function": {"name": tool_choice}}
        payload = self.scrub(payload)
        shown = ModelRequest(
            messages=payload["messages"], tools=payload.get("tools"), tool_choice=payload.get("tool_choice")
        )
        exchange = Exchange(purpose, dict(where or {}), name, shown)
        started = time.perf_counter()
        try:
            exchange.reply = await self._post(payload, exchange)
        except ModelError as error:
            exchange.error = str(error)
            raise
        finally:
            exchange.latency_ms = (time.perf_counter() - started) * 1000
            if self.on_exchange is not None:
                self.on_exchange(exchange)
        reply = exchange.reply
        if reply.refusal or reply.finish_reason == "content_filter":
            raise ModelRefusal(f"the model refused: {reply.refusal or 'its content filter stopped the reply'}")
        return reply

    async def call_tool(
        self,
        messages: Sequence[Message],
        tool: Tool,
        *,
        purpose: str,
        where: Mapping[str, str] | None = None,
        model: str | None = None,
    ) -> dict[str, Any]:
        """The arguments of the model's call of ``tool``, which it is made to call.

        A reply that does not call it with a JSON object holding the required arguments is sent back once with
        the problem stated; a second bad reply raises :class:`MalformedToolCall`. A reply whose text is that
        JSON object (some local models answer so) is accepted.
        """
        conversation = list(messages)
        problem = ""
        for _ in range(2):
            reply = await self.complete(
                conversation, purpose=purpose, where=where, model=model, tools=[tool], tool_choice=tool.name
            )
            arguments, problem = _tool_arguments(reply, tool)
            if arguments is not None:
                return arguments
            conversation += [
                {"role": "assistant", "content": reply.content or ""},
                {
                    "role": "user",
                    "content": f"That did not work: {problem}. Call the function {tool.name} now, with JSON "
                    "arguments that fit its parameters.",
                },
            ]
        raise MalformedToolCall(f"the model did not call {tool.name} properly: {problem}")

    async def _post(self, payload: dict[str, Any], exchange: Exchange) -> ChatReply:
        """Post with retries on 429/5xx within the per-call timeout and the run's deadline."""
        assert self.deadline is not None
        body = orjson.dumps(payload)
        attempts = self.settings.max_retries + 1
        attempt = 0
        while True:
            attempt += 1
            exchange.attempts = attempt
            status, headers, raw = await self._send(body)
            if status == 429 or status >= 500:
                if attempt < attempts:
                    delay = _retry_delay(headers, attempt)
                    if delay >= self.deadline.remaining():
                        raise ModelTimeout(
                            f"the model endpoint answered {status} and asks to wait {delay:g}s, past the run's "
                            f"time budget ({self.settings.run_timeout_s:g}s)"
                        )
                    await self.sleep(delay)
                    continue
                raise ModelUnavailable(
                    f"the model endpoint answered {status} {self._said(raw)} ({attempt} attempts)", status=status
                )
            if status in (401, 403):
                raise MissingKey(f"the model endpoint refused the API key ({status} {self._said(raw)})")
            if status >= 400:
                raise ModelUnavailable(f"the model endpoint answered {status} {self._said(raw)}", status=status)
            return _parse(raw)

    def _said(self, raw: bytes) -> str:
        """What an error reply says, with the API key and the run's secrets masked (an endpoint may echo them)."""
        text: str = self.scrub(_error_text(raw))
        return self._key.text(text)

    async def _send(self, body: bytes) -> tuple[int, httpx.Headers, bytes]:
        """One POST: status, headers and the body read up to the size cap, within the call's time."""
        assert self.deadline is not None
        budget = min(self.settings.timeout_s, self.deadline.remaining())
        if budget <= 0:
            raise ModelTimeout(f"the run's time budget for the model ({self.settings.run_timeout_s:g}s) ran out")
        if self._http is None:
            self._http = httpx.AsyncClient(verify=verified())
        headers = {"content-type": "application/json", "accept": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        try:
            async with asyncio.timeout(budget):
                async with self._http.stream("POST", self.url, content=body, headers=headers, timeout=budget) as reply:
                    return reply.status_code, reply.headers, await self._read(reply)
        except (TimeoutError, httpx.TimeoutException):
            which = "per-call timeout" if budget == self.settings.timeout_s else "the run's remaining time budget"
            raise ModelTimeout(f"no reply from the model within {budget:g}s ({which})") from None
        except httpx.HTTPError as error:
            raise ModelUnavailable(
                f"cannot reach the model endpoint {self.url}: {error or type(error).__name__}"
            ) from None
        except httpx.InvalidURL as error:
            raise ModelUnavailable(f"agent.base_url {self.settings.base_url!r} is not a URL: {error}") from None

    async def _read(self, reply: httpx.Response) -> bytes:
        limit = self.settings.max_response_bytes
        declared = reply.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ReplyTooLarge(f"the model's reply declares {int(declared):,} bytes, over the {limit:,}-byte cap")
        chunks: list[bytes] = []
        size = 0
        async for chunk in reply.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise ReplyTooLarge(f"the model's reply is over the {limit:,}-byte cap (agent.max_response_bytes)")
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_delay(headers: httpx.Headers, attempt: int) -> float:
    """How long to wait before retry ``attempt + 1``: ``Retry-After`` when given, else exponential backoff."""
    given = headers.get("retry-after", "").strip()
    if given:
        try:
            return min(RETRY_AFTER_CAP_S, max(0.0, float(given)))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(given).timestamp()
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return float(min(RETRY_AFTER_CAP_S, max(0.0, when - time.time())))
    backoff = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1))
    return float(backoff * (0.5 + random.random() / 2))


def _error_text(raw: bytes) -> str:
    """The error message of an error reply (OpenAI's ``{"error": {"message": ...}}``), else its start."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    text = str(message) if message else raw[:200].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return f"({text})" if text else ""


def _parse(raw: bytes) -> ChatReply:
    """The first choice of a chat-completions body."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise MalformedReply(f"the model's reply is not JSON ({error})") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise MalformedReply("the model's reply has no choices (is agent.base_url a chat-completions endpoint?)")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise MalformedReply("the model's reply has no message")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    content = message.get("content")
    return ChatReply(
        content=content if isinstance(content, str) else None,
        tool_calls=tuple(_tool_call(call) for call in message.get("tool_calls") or [] if isinstance(call, dict)),
        finish_reason=choices[0].get("finish_reason"),
        refusal=message.get("refusal") or None,
        prompt_tokens=_count(usage.get("prompt_tokens")),
        completion_tokens=_count(usage.get("completion_tokens")),
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _tool_call(call: dict[str, Any]) -> ToolCall:
    given = call.get("function")
    function: dict[str, Any] = given if isinstance(given, dict) else {}
    name = str(function.get("name") or "")
    arguments = function.get("arguments")
    if isinstance(arguments, dict):  # some servers send an object rather than a JSON string
        return ToolCall(name, arguments)
    try:
        return ToolCall(name, orjson.loads(arguments or "{}"))
    except (orjson.JSONDecodeError, TypeError) as error:
        return ToolCall(name, None, f"its arguments are not JSON ({error}): {str(arguments)[:200]!r}")


def _tool_arguments(reply: ChatReply, tool: Tool) -> tuple[dict[str, Any] | None, str]:
    """The arguments of ``tool``'s call in the reply, or ``None`` and what is wrong."""
    calls = [call for call in reply.tool_calls if call.name == tool.name]
    if calls:
        call = calls[0]
        if call.error:
            return None, call.error
        arguments = call.arguments
    elif reply.tool_calls:
        return None, f"it called {', '.join(repr(call.name) for call in reply.tool_calls)}, not {tool.name!r}"
    else:
        try:
            arguments = orjson.loads((reply.content or "").strip() or "null")
        except orjson.JSONDecodeError:
            return None, f"it replied with text instead of calling {tool.name!r}"
    if not isinstance(arguments, dict):
        return None, f"the arguments of {tool.name!r} must be a JSON object"
    missing = [name for name in tool.parameters.get("required", []) if name not in arguments]
    if missing:
        return None, f"{tool.name!r} is missing the argument(s) {', '.join(missing)}"
    return arguments, ""

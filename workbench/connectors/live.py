"""Live calls over HTTP with httpx: per-phase timeouts, an overall deadline, a size cap enforced while
streaming (on decoded bytes), bounded redirects, and a typed :class:`ConnectorError` for every failure."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from typing import Any

import httpx

from workbench.connectors.errors import ConnectorError
from workbench.connectors.inflate import ACCEPT_ENCODING, Inflater
from workbench.connectors.response import ConnectorResponse, finish, too_large
from workbench.connectors.secrets import Masker
from workbench.connectors.templates import RenderedRequest

MAX_REDIRECTS = 5


class LiveTransport:
    """Sends rendered requests through one shared ``httpx.AsyncClient`` (connection reuse within a run).

    Close it with :meth:`aclose` (also when the run is cancelled).
    """

    def __init__(self, max_bytes: int, *, max_redirects: int = MAX_REDIRECTS) -> None:
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._client: httpx.AsyncClient | None = None

    async def aclose(self) -> None:
        """Close the client and its connections."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def send(self, request: RenderedRequest) -> ConnectorResponse:
        """The response to ``request``; the whole call (connect, headers, body) must end within its timeout."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=True, max_redirects=self.max_redirects, headers={"accept-encoding": ACCEPT_ENCODING}
            )
        started = time.perf_counter()
        answered = False
        try:
            async with asyncio.timeout(request.timeout_s):
                async with self._client.stream(
                    request.method,
                    request.url,
                    params=request.query or None,
                    headers=request.headers,
                    **_payload(request.body),
                    timeout=request.timeout_s,
                ) as response:
                    answered = True
                    raw = await self._read_capped(response)
        except TimeoutError:
            raise ConnectorError(
                "timeout", f"no complete response within {request.timeout_s:g}s (overall deadline)"
            ) from None
        except httpx.HTTPError as error:
            raise _classify(error, request, answered) from None
        except httpx.InvalidURL as error:
            raise ConnectorError("request_configuration", f"invalid URL {request.url!r}: {error}") from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        headers = dict(response.headers)
        masker = Masker()
        masker.add(request.secrets)
        return await finish(
            response.status_code,
            headers,
            raw,
            elapsed_ms=elapsed_ms,
            source="live",
            limit=self.max_bytes,
            masker=masker,
        )

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The decoded body, stopping as soon as it grows past the cap (a compressed bomb is never inflated)."""
        inflater = Inflater(response.headers.get("content-encoding", ""))
        declared = response.headers.get("content-length", "")
        if inflater.encoding == "identity" and declared.isdigit() and int(declared) > self.max_bytes:
            raise too_large(self.max_bytes, declared=int(declared))
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            chunk = inflater.feed(raw, self.max_bytes - size)
            size += len(chunk)
            if size > self.max_bytes:
                raise too_large(self.max_bytes)
            chunks.append(chunk)
        inflater.finish()
        return b"".join(chunks)


def _payload(body: Any) -> dict[str, Any]:
    """How httpx sends a body: bytes as they are (a form, already encoded), anything else as JSON."""
    return {"content": body} if isinstance(body, bytes) else {"json": body}


def _classify(error: httpx.HTTPError, request: RenderedRequest, answered: bool) -> ConnectorError:
    """The typed error for an httpx failure."""
    detail = str(error) or type(error).__name__
    timeout = f"{request.timeout_s:g}s"
    if isinstance(error, httpx.ConnectTimeout):
        return ConnectorError("timeout", f"connecting timed out after {timeout}")
    if isinstance(error, httpx.TimeoutException):
        return ConnectorError("timeout", f"the server sent nothing for {timeout} ({type(error).__name__})")
    if isinstance(error, httpx.TooManyRedirects):
        return ConnectorError("network", f"redirect loop: more than {MAX_REDIRECTS} redirects")
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return ConnectorError("request_configuration", f"cannot send this request: {detail}")
    if isinstance(error, httpx.RemoteProtocolError):
        if answered:
            return ConnectorError("response_mapping", f"the response body was truncated ({detail})")
        return ConnectorError("network", f"the server closed the connection without a valid response ({detail})")
    if isinstance(error, httpx.ConnectError):
        return ConnectorError("network", _connect_failure(error, detail))
    if isinstance(error, httpx.NetworkError):
        return ConnectorError("network", f"the connection was reset or broken ({detail})")
    return ConnectorError("network", f"the request failed: {detail}")


def _causes(error: BaseException) -> list[BaseException]:
    """The error and the chain of errors behind it."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connect_failure(error: httpx.ConnectError, detail: str) -> str:
    """A readable cause for a failed connection: refused, DNS, TLS or reset."""
    causes = _causes(error)
    detail = str(causes[-1]) or detail
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, ssl.SSLError) for cause in causes) or "ssl" in text or "certificate" in text:
        return f"TLS handshake failed ({detail})"
    if any(isinstance(cause, socket.gaierror) for cause in causes) or "name or service not known" in text:
        return f"could not resolve the host name ({detail})"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in text:
        return f"connection refused ({detail})"
    if any(isinstance(cause, ConnectionResetError) for cause in causes):
        return f"the connection was reset ({detail})"
    return f"could not connect ({detail})"

"""Live calls over HTTP with httpx: per-phase timeouts, an overall deadline, a size cap enforced while
streaming (on decoded bytes), bounded redirects followed one hop at a time (each told; to another origin without
the connector's credentials), and a typed :class:`ConnectorError` for every failure."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from workbench.connectors.errors import ConnectorError
from workbench.connectors.inflate import ACCEPT_ENCODING, Inflater
from workbench.connectors.masking import masker_of
from workbench.connectors.response import ConnectorResponse, finish, too_large
from workbench.connectors.secrets import Masker
from workbench.connectors.templates import RenderedRequest
from workbench.tls import verified

MAX_REDIRECTS = 5
MAX_PORT = 65_535
_KEPT_ACROSS_ORIGINS = frozenset({"accept", "accept-language", "content-type", "content-length", "user-agent"})
"""Headers a connector may set that still go to another origin after a redirect (they carry no credential)."""


@dataclass(frozen=True)
class Hop:
    """A redirect a live call followed: its status, from and to where (not masked yet), whether it changed
    origin, and the names of the headers left off because it did."""

    status: int
    from_url: str
    to_url: str
    cross_origin: bool
    dropped: list[str]


OnHop = Callable[[Hop], object]


class LiveTransport:
    """Sends rendered requests through one shared ``httpx.AsyncClient`` (connection reuse within a run); what it
    reports is masked with ``masker`` (the run's; without one, each request's own secrets).

    Close it with :meth:`aclose` (also when the run is cancelled).
    """

    def __init__(self, max_bytes: int, *, masker: Masker | None = None, max_redirects: int = MAX_REDIRECTS) -> None:
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.masker = masker
        self._client: httpx.AsyncClient | None = None

    async def aclose(self) -> None:
        """Close the client and its connections."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    async def send(
        self, request: RenderedRequest, on_hop: OnHop | None = None, *, form: bool = False
    ) -> ConnectorResponse:
        """The response to ``request``; the whole call (connect, headers, body, redirects) must end within its
        timeout. Each redirect followed is told to ``on_hop`` (see :func:`follow`); ``form``: a form-encoded
        answer is read too (token endpoints)."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                verify=verified(), follow_redirects=False, headers={"accept-encoding": ACCEPT_ENCODING}
            )
        client = self._client
        masker = self.masker if self.masker is not None else masker_of()
        masker.add(request.secrets)
        started = time.perf_counter()
        answered = False
        try:
            async with asyncio.timeout(request.timeout_s):
                current = client.build_request(
                    request.method,
                    request.url,
                    params=request.query or None,
                    headers=request.headers,
                    **_payload(request.body),
                    timeout=request.timeout_s,
                )
                for _ in range(self.max_redirects + 1):
                    _check_port(current.url, masker)
                    response = await client.send(current, stream=True)
                    try:
                        if response.next_request is None:
                            answered = True
                            raw = await self._read_capped(response)
                            break
                        current = follow(current, response.next_request, request, masker, response.status_code, on_hop)
                    finally:
                        await response.aclose()
                else:
                    raise ConnectorError("network", f"redirect loop: more than {self.max_redirects} redirects")
        except TimeoutError:
            raise ConnectorError(
                "timeout", f"no complete response within {request.timeout_s:g}s (overall deadline)"
            ) from None
        except httpx.HTTPError as error:
            raise _classify(error, request, answered) from None
        except httpx.InvalidURL as error:
            raise ConnectorError("request_configuration", f"invalid URL {request.url!r}: {error}") from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        return await finish(
            response.status_code,
            dict(response.headers),
            raw,
            elapsed_ms=elapsed_ms,
            source="live",
            limit=self.max_bytes,
            masker=masker,
            form=form,
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


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one spelled out): what a redirect may not change and keep credentials."""
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def follow(
    sent: httpx.Request,
    following: httpx.Request,
    request: RenderedRequest,
    masker: Masker,
    status: int,
    on_hop: OnHop | None,
) -> httpx.Request:
    """The next request of a redirect. To another origin it carries none of the credentials the connector added:
    its headers (but content negotiation), cookies; and it is not followed when the new URL or a resent body
    would hold a secret. Raises :class:`ConnectorError` for a redirect that cannot be followed safely."""
    cross = origin(following.url) != origin(sent.url)
    dropped: list[str] = []
    if cross:
        added = {name.lower() for name in request.headers} | {"cookie", "authorization", "proxy-authorization"}
        dropped = sorted({name for name in (*sent.headers, *following.headers) if name in added} - _KEPT_ACROSS_ORIGINS)
        for name in dropped:
            following.headers.pop(name, None)
        if any(masker.text(text) != text for text in (str(following.url), _resent(following))):
            raise ConnectorError(
                "network",
                f"redirected ({status}) to another origin ({masker.text(str(following.url))}) with a secret in the "
                "URL or the body: not followed",
                status=status,
            )
    if on_hop is not None:
        on_hop(Hop(status, str(sent.url), str(following.url), cross, dropped))
    return following


def _check_port(url: httpx.URL, masker: Masker) -> None:
    """A port out of range (httpx accepts one, and the socket then raises ``OverflowError``) is an error, whether
    the connector's URL or a redirect's ``Location`` holds it."""
    if url.port is not None and not 0 < url.port <= MAX_PORT:
        raise ConnectorError("request_configuration", f"invalid URL {masker.text(str(url))!r}: port out of range")


def _resent(request: httpx.Request) -> str:
    """The body a redirect sends again (307, 308), as text; empty when it sends none."""
    try:
        return request.content.decode("utf-8", "replace")
    except httpx.RequestNotRead:
        return ""


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

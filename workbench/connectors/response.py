"""A connector's answer, and turning raw bytes into it: status check, size cap, JSON parsing off the loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl

from workbench import jsoncodec
from workbench.connectors.errors import ConnectorError
from workbench.connectors.secrets import Masker, mask_credential_fields

Source = Literal["live", "example", "dynamic", "cache"]
OFFLOAD_BYTES = 256 * 1024
"""Payloads above this size are parsed, flattened and masked in a worker thread, not on the event loop."""
EXCERPT_CHARS = 200
FORM = "application/x-www-form-urlencoded"

T = TypeVar("T")


async def offload(size: int, function: Callable[..., T], *args: Any) -> T:
    """``function(*args)``, in a thread when ``size`` is large enough to block the event loop noticeably."""
    if size > OFFLOAD_BYTES:
        return await asyncio.to_thread(function, *args)
    return function(*args)


@dataclass
class ConnectorResponse:
    """A successful response: status, headers, parsed JSON body, its size in bytes, and where it came from."""

    status: int
    headers: dict[str, str]
    body: Any
    size: int
    elapsed_ms: float
    source: Source
    raw: bytes = b""


def excerpt(raw: bytes, masker: Masker | None = None) -> str:
    """The start of a body as one line of text, for error messages; secrets, and the values of credential
    fields (``access_token=…``, ``"client_secret": "…"``), are masked before it is cut."""
    if masker:
        text = " ".join(masker.text(raw.decode("utf-8", errors="replace")).split())
        text = masker.text(text)
    else:
        text = " ".join(raw[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace").split())
    text = mask_credential_fields(text)
    return text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")


def too_large(limit: int, *, declared: int | None = None) -> ConnectorError:
    """The error for a body over the workspace's size cap (``max_response_bytes``)."""
    size = f" ({declared:,} bytes)" if declared is not None else ""
    return ConnectorError("response_too_large", f"the response body exceeds the {limit:,}-byte cap{size}")


async def finish(
    status: int,
    headers: dict[str, str],
    raw: bytes,
    *,
    elapsed_ms: float,
    source: Source,
    limit: int,
    masker: Masker | None = None,
    form: bool = False,
) -> ConnectorResponse:
    """Check the status and size, then parse the JSON body (``form``: a form-encoded one too, as token endpoints
    such as GitHub's answer); every problem is a :class:`ConnectorError` (with ``masker``'s secrets masked in
    the excerpt of the body it shows)."""
    if not 200 <= status < 300:
        shown = excerpt(raw, masker)
        raise ConnectorError(
            "third_party_status", f"HTTP {status}" + (f": {shown}" if shown else " with an empty body"), status=status
        )
    if len(raw) > limit:
        raise too_large(limit, declared=len(raw))
    if not raw.strip():
        if status == 204:
            return ConnectorResponse(status, headers, None, 0, elapsed_ms, source, raw)
        raise ConnectorError("response_mapping", f"HTTP {status} with an empty body, expected JSON", status=status)
    if form and headers.get("content-type", "").split(";")[0].strip().lower() == FORM:
        fields = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
        return ConnectorResponse(status, headers, fields, len(raw), elapsed_ms, source, raw)
    try:
        body = await offload(len(raw), jsoncodec.loads, raw)
    except jsoncodec.JsonValueError as error:
        kind = headers.get("content-type", "no content-type")
        raise ConnectorError(
            "response_mapping",
            f"body is not JSON ({kind}; {error.message} at char {error.offset}): {excerpt(raw, masker)}",
            status=status,
        ) from None
    return ConnectorResponse(status, headers, body, len(raw), elapsed_ms, source, raw)

"""Live calls against a real HTTP server on 127.0.0.1: success and every way a call can fail."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib

import httpx
import pytest

from tests.connectors.server import (
    Handler,
    LoopbackServer,
    chunked_stream,
    dead_port,
    drip,
    gzip_bomb,
    json_reply,
    redirect,
    reply,
    reset,
    silent,
    truncated,
)
from workbench.connectors import ConnectorError, ConnectorResponse, LiveTransport, RenderedRequest
from workbench.connectors.live import _classify


def get(
    url: str,
    *,
    timeout_s: float = 2.0,
    method: str = "GET",
    body: object = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> RenderedRequest:
    return RenderedRequest(method, url, query or {}, headers or {}, body, timeout_s)


async def call(handler: Handler, *, cap: int = 1_000_000, timeout_s: float = 2.0) -> ConnectorResponse:
    async with LoopbackServer({"/x": handler}) as server:
        transport = LiveTransport(cap)
        try:
            return await transport.send(get(server.url("/x"), timeout_s=timeout_s))
        finally:
            await transport.aclose()


async def failure(handler: Handler, **options: float) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        await call(handler, **options)  # type: ignore[arg-type]
    return caught.value


async def test_success_sends_the_request_and_parses_json() -> None:
    async with LoopbackServer({"/orders": json_reply({"status": "processing", "items": [1, 2]})}) as server:
        transport = LiveTransport(1_000_000)
        request = get(
            server.url("/orders"),
            method="POST",
            body={"email": "ada@example.com"},
            query={"limit": "5"},
            headers={"Authorization": "Bearer t0k"},
        )
        response = await transport.send(request)
        again = await transport.send(request)
        await transport.aclose()
    assert response.status == 200 and response.source == "live"
    assert response.body == {"status": "processing", "items": [1, 2]}
    assert response.size == len(response.raw) and again.body == response.body
    sent = server.received[0]
    assert sent.method == "POST" and sent.target == "/orders?limit=5"
    assert sent.headers["authorization"] == "Bearer t0k"
    assert sent.body == b'{"email":"ada@example.com"}'


async def test_refused_connection_is_a_network_error() -> None:
    transport = LiveTransport(1000)
    with pytest.raises(ConnectorError) as caught:
        await transport.send(get(f"http://127.0.0.1:{dead_port()}/x"))
    assert caught.value.reason == "network" and "refused" in caught.value.message


async def test_silent_server_times_out() -> None:
    error = await failure(silent(), timeout_s=0.1)
    assert error.reason == "timeout"


async def test_slow_drip_hits_the_overall_deadline() -> None:
    """A body dripped a byte at a time (each read well within the per-read timeout) stops at the overall deadline,
    long before the last byte (2 s)."""
    started = time.perf_counter()
    error = await failure(drip(total=40, every_s=0.05), timeout_s=0.3)
    assert error.reason == "timeout" and "overall deadline" in error.message
    assert time.perf_counter() - started < 1.5


async def test_declared_oversized_body_is_refused_before_reading() -> None:
    error = await failure(reply(b"1" * 5000), cap=1024)
    assert error.reason == "response_too_large" and "5,000 bytes" in error.message


async def test_streamed_oversized_body_stops_at_the_cap() -> None:
    error = await failure(chunked_stream(b"1" * 1024, 200), cap=10 * 1024)
    assert error.reason == "response_too_large" and "10,240-byte cap" in error.message


async def test_gzip_bomb_is_never_inflated_into_memory() -> None:
    handler = gzip_bomb(inflated_mb=64)
    tracemalloc.start()
    try:
        error = await failure(handler, cap=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "response_too_large"
    assert peak < 16 * 1024 * 1024


async def test_gzip_and_deflate_bodies_are_decoded() -> None:
    data = b'{"ok": true}'
    for encoding, body in (
        ("gzip", gzip.compress(data)),
        ("deflate", zlib.compress(data)),
        ("deflate", zlib.compress(data, wbits=-zlib.MAX_WBITS)),
    ):
        response = await call(reply(body, headers={"Content-Encoding": encoding}))
        assert response.body == {"ok": True}, encoding


async def test_bad_gzip_is_a_response_mapping_error() -> None:
    error = await failure(reply(b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    assert error.reason == "response_mapping" and "gzip" in error.message


async def test_gzip_cut_short_is_a_response_mapping_error() -> None:
    body = gzip.compress(b'{"a": "' + b"x" * 10_000 + b'"}')[:-20]
    error = await failure(reply(body, headers={"Content-Encoding": "gzip"}))
    assert error.reason == "response_mapping" and "truncated" in error.message


async def test_unsupported_content_encoding_is_named() -> None:
    error = await failure(reply(b"??", headers={"Content-Encoding": "br"}))
    assert error.reason == "response_mapping" and "'br'" in error.message


async def test_truncated_body_is_a_response_mapping_error() -> None:
    error = await failure(truncated(declared=1000, sent=b'{"status": "proc'))
    assert error.reason == "response_mapping" and "truncated" in error.message


async def test_error_status_carries_a_body_excerpt() -> None:
    error = await failure(json_reply({"error": "upstream down"}, status=503))
    assert error.reason == "third_party_status" and error.status == 503
    assert "HTTP 503" in error.message and "upstream down" in error.message


async def test_body_that_is_not_json_is_a_response_mapping_error() -> None:
    error = await failure(reply(b"<html>maintenance</html>", headers={"Content-Type": "text/html"}))
    assert error.reason == "response_mapping" and "not JSON" in error.message and "maintenance" in error.message


async def test_empty_body_is_fine_only_for_204() -> None:
    assert (await call(reply(b"", 204))).body is None
    error = await failure(reply(b"", 200))
    assert error.reason == "response_mapping" and "empty body" in error.message


async def test_redirect_is_followed_and_a_loop_is_named() -> None:
    async with LoopbackServer(
        {"/old": redirect("/new"), "/new": json_reply([1]), "/loop": redirect("/loop")}
    ) as server:
        transport = LiveTransport(1000)
        assert (await transport.send(get(server.url("/old")))).body == [1]
        with pytest.raises(ConnectorError) as caught:
            await transport.send(get(server.url("/loop")))
        await transport.aclose()
    assert caught.value.reason == "network" and "redirect loop" in caught.value.message


async def test_reset_connection_is_a_network_error() -> None:
    error = await failure(reset())
    assert error.reason == "network"


async def test_tls_failure_is_a_network_error_named_tls() -> None:
    async with LoopbackServer({"/x": json_reply({})}) as server:
        transport = LiveTransport(1000)
        with pytest.raises(ConnectorError) as caught:
            await transport.send(get(f"https://127.0.0.1:{server.port}/x"))
        await transport.aclose()
    assert caught.value.reason == "network" and "TLS" in caught.value.message


async def test_unusable_urls_are_request_configuration_errors() -> None:
    transport = LiveTransport(1000)
    for url in ("ftp://127.0.0.1/x", "127.0.0.1/no-scheme"):
        with pytest.raises(ConnectorError) as caught:
            await transport.send(get(url))
        assert caught.value.reason == "request_configuration", url
    await transport.aclose()


def test_dns_failure_is_named() -> None:
    request = get("http://shop.invalid/x")
    error = _classify(httpx.ConnectError("[Errno -2] Name or service not known"), request, answered=False)
    assert error.reason == "network" and "resolve" in error.message

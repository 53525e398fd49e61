"""A real HTTP/1.1 server on 127.0.0.1 for live-call tests, with hand-written (and misbehaving) responses."""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import orjson


@dataclass
class Received:
    """A request the server got."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[Received, asyncio.StreamWriter], Awaitable[None]]


def head(status: int, headers: dict[str, str] | None = None, *, length: int | None = None) -> bytes:
    """A status line and headers."""
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def reply(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    """A complete response."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(head(status, headers, length=len(body)) + body)

    return handler


def json_reply(data: object, status: int = 200) -> Handler:
    """A JSON response."""
    return reply(orjson.dumps(data), status, {"Content-Type": "application/json"})


def drip(total: int, every_s: float) -> Handler:
    """Declares ``total`` bytes, then sends one byte every ``every_s`` seconds (defeats per-read timeouts)."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"Content-Type": "application/json"}, length=total))
        for _ in range(total):
            await asyncio.sleep(every_s)
            writer.write(b" ")
            await writer.drain()

    return handler


def silent() -> Handler:
    """Accepts the request and never answers."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    return handler


def chunked_stream(chunk: bytes, count: int) -> Handler:
    """A chunked body of ``count`` chunks (no Content-Length, so only streaming can catch its size)."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        for _ in range(count):
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    return handler


def gzip_bomb(inflated_mb: int) -> Handler:
    """A small gzip body that inflates to ``inflated_mb`` MiB of zeros."""
    body = gzip.compress(b"0" * (inflated_mb * 1024 * 1024), compresslevel=9)
    return reply(body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})


def truncated(declared: int, sent: bytes) -> Handler:
    """Declares ``declared`` bytes, sends fewer, closes."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        writer.write(head(200, {"Content-Type": "application/json"}, length=declared) + sent)
        await writer.drain()
        writer.close()

    return handler


def reset() -> Handler:
    """Resets the connection (RST) without answering."""

    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    return handler


def redirect(location: str) -> Handler:
    """A 302 to ``location``."""
    return reply(b"", 302, {"Location": location})


@dataclass
class LoopbackServer:
    """``async with LoopbackServer() as server``: serves ``routes`` (by path) on 127.0.0.1 at a free port."""

    routes: dict[str, Handler] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    port: int = 0

    async def __aenter__(self) -> LoopbackServer:
        self._connections: set[asyncio.Task[None]] = set()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    def url(self, path: str = "/") -> str:
        """The URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request = await self._read(reader)
                if request is None:
                    break
                self.received.append(request)
                path = request.target.split("?", 1)[0]
                await self.routes.get(path, reply(b'{"error": "not found"}', 404))(request, writer)
                if writer.is_closing():
                    break
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    async def _read(self, reader: asyncio.StreamReader) -> Received | None:
        line = await reader.readline()
        if not line:
            return None
        method, target, _ = line.decode().split(" ", 2)
        headers: dict[str, str] = {}
        while (header := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = header.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        return Received(method, target, headers, body)


def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

"""Hostile-input checks: workspaces written to disk, the CLI run in-process, and the invariants every run keeps."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from tests.connectors.server import Handler, LoopbackServer
from workbench.cli import main

EXIT_CODES = (0, 1, 2)


def write_workspace(
    root: Path,
    *,
    connectors: Sequence[dict[str, Any]] = (),
    procedures: Sequence[dict[str, Any]] = (),
    scenarios: Sequence[dict[str, Any]] = (),
    settings: dict[str, Any] | None = None,
) -> Path:
    """A workspace folder with one file per item (named after its position), written as plain JSON."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "workbench.json").write_text(json.dumps(settings or {"name": "hostile"}))
    for folder, items in (("connectors", connectors), ("procedures", procedures), ("scenarios", scenarios)):
        (root / folder).mkdir(exist_ok=True)
        for number, data in enumerate(items):
            (root / folder / f"item-{number}.json").write_text(json.dumps(data))
    return root


def live_connector(name: str, url: str, inputs: Sequence[str] = (), **request: Any) -> dict[str, Any]:
    """A live connector calling ``url``, with required string ``inputs``."""
    return {
        "name": name,
        "request": {"method": "GET", "url": url, **request},
        "inputs": [{"name": item, "type": "string", "required": True} for item in inputs],
        "response": {"mode": "live"},
    }


def echo_workspace(root: Path, url: str, *, scenarios: Sequence[dict[str, Any]] = ()) -> Path:
    """A live connector ``Echo`` sending ``$HOSTILE_TOKEN`` in its query and header, and a procedure ``P`` that
    calls it and says what it answered under ``echo``."""
    connector = live_connector(
        "Echo",
        url,
        query={"token": "{{secret.HOSTILE_TOKEN}}", "q": "a b"},
        headers={"Authorization": "Bearer {{secret.HOSTILE_TOKEN}}"},
    )
    procedure = {
        "name": "P",
        "steps": [
            {"id": "call", "type": "instruction", "text": "Echo says @read(Echo > echo) after @call(Echo)."},
            {"id": "done", "type": "end", "outcome": "resolved", "message": "Bye"},
        ],
    }
    return write_workspace(root, connectors=[connector], procedures=[procedure], scenarios=scenarios)


def calling(name: str, procedure: str = "P") -> dict[str, Any]:
    """A procedure of one step calling connector ``name``, then ending."""
    return {
        "name": procedure,
        "steps": [
            {"id": "call", "type": "instruction", "text": f"@call({name})"},
            {"id": "done", "type": "end", "outcome": "resolved"},
        ],
    }


@dataclass
class Outcome:
    """What one CLI invocation did."""

    code: int
    out: str
    err: str
    seconds: float

    def events(self) -> list[dict[str, Any]]:
        """The ``--json`` event stream."""
        return [json.loads(line) for line in self.out.split("\n") if line.startswith("{")]

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(capsys: pytest.CaptureFixture[str], *argv: str | Path, limit_s: float = 60.0) -> Outcome:
    """``workbench ARGV`` in-process: returns its outcome after checking it ended cleanly and in time."""
    capsys.readouterr()
    started = time.perf_counter()
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as exit:  # argparse
        code = int(exit.code or 0)
    seconds = time.perf_counter() - started
    captured = capsys.readouterr()
    outcome = Outcome(code, captured.out, captured.err, seconds)
    assert code in EXIT_CODES, outcome
    assert "Traceback" not in outcome.text, outcome.text
    assert seconds < limit_s, f"took {seconds:.1f}s"
    return outcome


def load_error(lint: Outcome, path: Path) -> dict[str, Any]:
    """The ``load-error`` finding of ``path`` in ``lint --format json`` output."""
    findings = json.loads(lint.out)["findings"]
    return next(item for item in findings if item["rule"] == "load-error" and item["file"] == str(path))


def secret_pieces(secret: str, size: int = 8) -> set[str]:
    """Every ``size``-character piece of every spelling of ``secret`` that could leak it."""
    spellings = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        base64.b64encode(f"user:{secret}".encode()).decode(),
        base64.b64encode(secret.encode()).decode(),
    }
    pieces: set[str] = set()
    for spelling in spellings:
        pieces.update(spelling[start : start + size] for start in range(max(1, len(spelling) - size + 1)))
    return pieces


def assert_no_secret(secret: str, *texts: str) -> None:
    """No piece of ``secret`` (in any encoding) shows in any of ``texts``."""
    for text in texts:
        leaked = sorted(piece for piece in secret_pieces(secret) if piece in text)
        assert not leaked, f"secret pieces {leaked[:3]} leaked in {text[:300]!r}"


@contextmanager
def unchanged(root: Path) -> Iterator[None]:
    """Checks that no file under ``root`` changed, appeared or went away."""
    before = snapshot(root)
    yield
    assert snapshot(root) == before


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` with its bytes."""
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@contextmanager
def serving(routes: dict[str, Handler] | None = None, default: Handler | None = None) -> Iterator[LoopbackServer]:
    """A :class:`LoopbackServer` on 127.0.0.1 running in its own thread, so the CLI can run in this one.

    ``default`` answers every path that ``routes`` does not name.
    """
    server = LoopbackServer(_CatchAll(routes or {}, default) if default else dict(routes or {}))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


class _CatchAll(dict[str, Handler]):
    """Routes that answer every other path with a default handler."""

    def __init__(self, routes: dict[str, Handler], default: Handler) -> None:
        super().__init__(routes)
        self.default = default

    def get(self, key: str, fallback: Any = None) -> Handler:
        return super().get(key, self.default)

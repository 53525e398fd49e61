"""Classes 6 and 9: no secret, nor any 8-character piece of one in any encoding, reaches an output or a file,
whatever a server echoes back and wherever a message is cut."""

from __future__ import annotations

import base64
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.connectors.server import reply
from tests.hostile.kit import assert_no_secret, cli, echo_workspace, serving, snapshot
from workbench.connectors.response import EXCERPT_CHARS

SECRETS = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=12, max_size=40).filter(
    lambda secret: (
        secret.strip() == secret
        and len(set(secret)) >= 8  # pieces of low-entropy text occur anyway
        and not re.search(r"[a-z_]{6}", secret)
    )  # nor may a piece be a word of the output's own (attributes_available)
)
SCENARIO = {"name": "S", "procedure": "P", "mode": "live", "expect": {"outcome": "escalated"}}
ENCODINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda secret: secret,
    "json": lambda secret: json.dumps(secret)[1:-1],
    "plus": quote_plus,
    "percent": lambda secret: quote(secret, safe=""),
    "percent-lower": lambda secret: re.sub("%[0-9A-F]{2}", lambda match: match.group().lower(), quote(secret, safe="")),
    "space-20": lambda secret: secret.replace(" ", "%20"),
    "basic": lambda secret: base64.b64encode(f"agent:{secret}".encode()).decode(),
    "base64": lambda secret: base64.b64encode(secret.encode()).decode(),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    secret=SECRETS,
    encoding=st.sampled_from(sorted(ENCODINGS)),
    status=st.sampled_from([200, 400, 500, 503]),
    shift=st.integers(min_value=-45, max_value=5),
)
@example(secret="my secret token 42", encoding="plus", status=200, shift=0)  # class 9: a space in the query
@example(secret="my secret token 42", encoding="space-20", status=500, shift=-10)
def test_echoed_secrets_never_leak(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    secret: str,
    encoding: str,
    status: int,
    shift: int,
) -> None:
    monkeypatch.setenv("HOSTILE_TOKEN", secret)
    echoed = ENCODINGS[encoding](secret)
    if status == 200:
        body = json.dumps({"echo": echoed, "again": f"token={echoed}&x"}).encode()
    else:  # the echo straddles the place where error messages cut the body
        body = ("error " + "x" * (EXCERPT_CHARS - 6 + shift) + echoed + " tail").encode()
    with tempfile.TemporaryDirectory() as folder, serving(default=reply(body, status)) as server:
        root = echo_workspace(Path(folder), server.url("/echo"), scenarios=[SCENARIO])
        before = snapshot(root)
        outcomes = [
            cli(capsys, "run", root, "P", "--json", "--save-scenario", "pinned"),
            cli(capsys, "run", root, "P"),
            cli(capsys, "test", root, "--junit", Path(folder) / "junit.xml"),
        ]
        files = snapshot(root) | {"junit.xml": (Path(folder) / "junit.xml").read_bytes()}
    assert server.received and all(
        request.headers["authorization"] == f"Bearer {secret}" for request in server.received
    )
    assert [outcome.code for outcome in outcomes] == ([0, 0, 1] if status == 200 else [1, 1, 1])
    written = [content.decode() for name, content in files.items() if before.get(name) != content]
    assert_no_secret(secret, *(outcome.text for outcome in outcomes), *written)

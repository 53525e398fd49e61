"""Class 2: an input rendered into a URL never changes its scheme, host, port or number of path segments."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connectors.server import dead_port, json_reply
from tests.hostile.kit import calling, cli, live_connector, serving, write_workspace

HOSTILE_PARTS = ["", ".", "..", "/", "@", ":", "?", "#", "&", "%2e", "%2F", "\\", "127.0.0.1", "x", "é", " ", "\r\n"]
VALUES = st.one_of(
    st.text(max_size=12),
    st.lists(st.sampled_from(HOSTILE_PARTS), min_size=1, max_size=4).map("".join),
    st.sampled_from([".", "..", "@127.0.0.1:{dead}", ":{dead}", "/../../customers/x", "..%2f..", "%2e%2e"]),
)
TEMPLATES = [
    ("{base}/subscriptions/{{{{a}}}}/cancel", 3),
    ("{base}/subscriptions/{{{{a}}}}{{{{b}}}}/cancel", 3),
    ("{base}{{{{a}}}}/subscriptions/{{{{b}}}}", 2),
    ("{base}/s/{{{{a}}}}?q={{{{b}}}}", 2),
    ("{base}/s/{{{{a}}}}/{{{{b}}}}", 3),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(TEMPLATES), a=VALUES, b=VALUES)
def test_inputs_never_change_the_endpoint(
    capsys: pytest.CaptureFixture[str], template: tuple[str, int], a: str, b: str
) -> None:
    pattern, segments = template
    dead = str(dead_port())
    a, b = a.replace("{dead}", dead), b.replace("{dead}", dead)
    with tempfile.TemporaryDirectory() as folder, serving(default=json_reply({"ok": True})) as server:
        url = pattern.format(base=server.url(""))
        names = [name for name in ("a", "b") if "{{" + name + "}}" in url]
        connector = live_connector("Call", url, inputs=names)
        root = write_workspace(Path(folder), connectors=[connector], procedures=[calling("Call")])
        argv: list[str | Path] = [
            "run",
            root,
            "P",
            "--json",
            *(f"--answer=Call > {name}={value}" for name, value in (("a", a), ("b", b)) if name in names),
        ]
        outcome = cli(capsys, *argv)
    errors = [event for event in outcome.events() if event["type"] == "error"]
    assert outcome.code in (0, 1)
    if outcome.code == 1:
        assert [error["reason"] for error in errors] in (["request_configuration"], ["input"]), errors
    for request in server.received:
        path = request.target.split("?", 1)[0]
        assert path.count("/") == segments, request.target
        assert path.startswith("/subscriptions/" if "subscriptions/{{a}}" in pattern else "/")
        if "/subscriptions/{{a}}" in pattern:
            assert path.endswith("/cancel")
    assert len(server.received) == (1 if outcome.code == 0 else 0)


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("{base}/subscriptions/{{{{a}}}}/cancel", ".."),
        ("{base}/subscriptions/{{{{a}}}}/cancel", "."),
        ("{base}{{{{a}}}}/cancel", "@127.0.0.1:{dead}"),
        ("http://{{{{a}}}}.localhost:{port}/cancel", "127.0.0.1:{dead}@x"),
    ],
)
def test_a_refused_input_is_a_request_configuration_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, value: str
) -> None:
    with serving(default=json_reply({"ok": True})) as server:
        template = url.format(base=server.url(""), port=server.port)
        root = write_workspace(
            tmp_path, connectors=[live_connector("Call", template, ["a"])], procedures=[calling("Call")]
        )
        outcome = cli(capsys, "run", root, "P", "--json", f"--answer=Call > a={value.format(dead=dead_port())}")
    error = next(event for event in outcome.events() if event["type"] == "error")
    assert outcome.code == 1 and error["reason"] == "request_configuration" and "input 'a'" in error["message"]
    assert server.received == []

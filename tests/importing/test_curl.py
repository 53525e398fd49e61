"""curl lines -> connectors and back; the round trip runs real curl against a loopback server."""

from __future__ import annotations

import asyncio
import os
import shutil

import orjson
import pytest

from tests.connectors.server import LoopbackServer, Received, json_reply
from workbench.importing import ConversionError, InputMark, export_curl, import_curl, parse_curl
from workbench.store import serialize


def test_method_url_headers_and_json_body() -> None:
    raw = parse_curl(
        "curl -sSL -X PATCH 'https://api.shop.com/v1/orders/7?x=1' -H 'Accept: application/json' "
        "--data-raw '{\"qty\": 2}' --max-time 5"
    )
    assert (raw.method, raw.url, raw.body, raw.timeout_s) == (
        "PATCH",
        "https://api.shop.com/v1/orders/7?x=1",
        {"qty": 2},
        5.0,
    )
    assert ("Accept", "application/json") in raw.headers


def test_data_implies_post_and_json_flag_sets_content_type() -> None:
    raw = parse_curl("curl https://a.example.com/x --json '{\"a\": [1, true]}'")
    assert raw.method == "POST" and raw.body == {"a": [1, True]}
    assert ("Content-Type", "application/json") in raw.headers


def test_get_flag_sends_data_as_query_and_line_continuations() -> None:
    connector, _ = import_curl("curl -G \\\n  https://a.example.com/search \\\n  -d q=shoes -d limit=5")
    assert connector.request.method == "GET"
    assert connector.request.query == {"q": "shoes", "limit": "5"}


def test_short_option_clusters_with_attached_values() -> None:
    raw = parse_curl("curl -sXPOST -HX-Trace:1 https://a.example.com/x -d'{}'")
    assert raw.method == "POST" and ("X-Trace", "1") in raw.headers and raw.body == {}


def test_secrets_become_templates_and_never_reach_the_file() -> None:
    connector, secrets = import_curl(
        "curl -u ada:pa55word -H 'X-Api-Key: k-123' -H 'Cookie: sid=s3cr3t' "
        "'https://api.stripe.com/v1/charges?access_token=tok-999&limit=3'"
    )
    text = serialize(connector).decode()
    for value in ("pa55word", "ada", "k-123", "s3cr3t", "tok-999"):
        assert value not in text
    assert connector.request.headers["Authorization"] == "Basic {{secret.STRIPE_BASIC_AUTH}}"
    assert connector.request.query == {"access_token": "{{secret.STRIPE_ACCESS_TOKEN}}", "limit": "3"}
    assert set(secrets.needed) == {"STRIPE_BASIC_AUTH", "STRIPE_X_API_KEY", "STRIPE_COOKIE", "STRIPE_ACCESS_TOKEN"}


def test_marked_values_become_typed_inputs() -> None:
    connector, _ = import_curl(
        "curl 'https://a.example.com/users/ada@example.com/orders/12345?status=open' -d '{\"qty\": 3}' -X PUT",
        marks=[InputMark.parse("order_id=12345"), InputMark.parse("email=ada@example.com"), InputMark.parse("qty=3")],
    )
    assert connector.request.url == "https://a.example.com/users/{{email}}/orders/{{order_id}}"
    assert connector.request.body == {"qty": "{{qty}}"}
    assert [(item.name, item.type, item.required) for item in connector.inputs] == [
        ("order_id", "integer", True),
        ("email", "string", True),
        ("qty", "integer", True),
    ]
    assert connector.kind == "action" and connector.name == "PUT /users/{email}/orders/{order_id}"


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        ("curl 'https://a.example.com/x", "curl line", "unbalanced quotes"),
        ("curl --frobnicate https://a.example.com", "curl word 1 (--frobnicate)", "unknown curl option"),
        ("curl -sZ https://a.example.com", "curl word 1 (-sZ)", "unknown curl option -Z"),
        ("curl -F file=@a.png https://a.example.com", "curl word 1 (-F)", "multipart"),
        ("curl -d a=1 -d b=2 https://a.example.com", "curl body:1:1", "is not JSON"),
        ("curl -d @body.json https://a.example.com", "curl word 1 (-d)", "from a file"),
        ("curl -I https://a.example.com", "curl word 1 (-I)", "HEAD"),
        ("wget https://a.example.com", "curl line", "starting with 'curl'"),
        ("curl -s", "curl line", "no URL"),
        ("curl https://a.example.com -H", "curl word 2 (-H)", "missing its value"),
    ],
)
def test_malformed_lines_are_located(line: str, where: str, message: str) -> None:
    with pytest.raises(ConversionError) as caught:
        import_curl(line)
    assert caught.value.where == where and message in caught.value.message


def test_a_marked_value_that_is_nowhere_is_an_error() -> None:
    with pytest.raises(ConversionError, match="nowhere"):
        import_curl("curl https://a.example.com/x", marks=[InputMark.parse("id=9")])


def test_export_quotes_values_and_reads_secrets_from_the_shell() -> None:
    connector, _ = import_curl(
        "curl -X POST 'https://a.example.com/o/1' -H 'Authorization: Bearer t0k' -d '{\"note\": \"it'\\''s $HOME\"}'",
        marks=[InputMark.parse("id=1")],
    )
    line, variables = export_curl(connector, {"id": "7"})
    assert variables == ["A_TOKEN"] and "t0k" not in line
    assert "-H 'Authorization: Bearer '\"$A_TOKEN\"" in line
    assert '\'{"note":"it\'"\'"\'s $HOME"}\'' in line
    with pytest.raises(ConversionError, match="required"):
        export_curl(connector, {})
    with pytest.raises(ConversionError, match="--input id: expected a whole number"):
        export_curl(connector, {"id": "seven"})


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
async def test_round_trip_runs_against_a_loopback_server() -> None:
    async with LoopbackServer({"/v1/orders/42/items": json_reply({"ok": True, "items": [1, 2]})}) as server:
        original = (
            f"curl -sS -X POST '{server.url('/v1/orders/42/items')}?expand=full&limit=2' "
            "-H 'Authorization: Bearer tok-123' -H 'X-Trace: abc' --json '{\"qty\": 2, \"note\": \"a b\"}'"
        )
        first = await _run(original, {})
        connector, secrets = import_curl(original, marks=[InputMark.parse("order_id=42")])
        assert list(secrets.needed) == ["API_TOKEN"]
        line, variables = export_curl(connector, {"order_id": "42"})
        assert variables == ["API_TOKEN"]
        second = await _run(line, {"API_TOKEN": "tok-123"})
    assert first == second == orjson.dumps({"ok": True, "items": [1, 2]})
    sent, resent = server.received
    assert _essentials(sent) == _essentials(resent)


def _essentials(request: Received) -> tuple[object, ...]:
    keep = ("authorization", "x-trace", "content-type", "accept")
    return request.method, request.target, {key: request.headers.get(key) for key in keep}, orjson.loads(request.body)


async def _run(line: str, environment: dict[str, str]) -> bytes:
    process = await asyncio.create_subprocess_exec(
        "sh", "-c", line, stdout=asyncio.subprocess.PIPE, env={**os.environ, **environment}
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return out


def test_copy_as_curl_reads_unset_inputs_from_the_shell() -> None:
    connector, _ = import_curl(
        "curl 'https://a.example.com/o/12/items' -H 'Authorization: Bearer x'", marks=[InputMark.parse("order_id=12")]
    )
    line, variables = export_curl(connector, {}, unset_as_variables=True)
    assert (
        line == 'curl https://a.example.com/o/"$order_id"/items -H \'Authorization: Bearer \'"$A_TOKEN" --max-time 10'
    )
    assert variables == ["A_TOKEN", "order_id"]

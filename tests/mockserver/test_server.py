"""``MockServer``: routes answered from examples and dynamic rules, with status, headers, latency, sequences,
state and faults, a 404/405 listing routes, the request log, and reloading."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from tests.mockserver.helpers import LogQueue, item, running, write_connector, write_workspace
from workbench.connectors.mock import MALFORMED_JSON
from workbench.mockserver import MockServer, ServeError

ITEMS = [
    item(
        "Get item",
        "GET",
        "{{env.base_url}}/items/{{id}}",
        {
            "mode": "dynamic",
            "rules": [
                {
                    "name": "deleted",
                    "when_state": {"deleted": True},
                    "response": {"status": 404, "body": {"error": "gone"}},
                },
                {
                    "name": "vip",
                    "when": [{"input": "tier", "value": "gold"}],
                    "response": {"body": {"id": "{{id}}", "vip": True}},
                },
                {"name": "any", "response": {"body": {"id": "{{id}}"}}},
            ],
        },
        inputs=[{"name": "id"}, {"name": "tier"}],
    ),
    item(
        "Delete item",
        "DELETE",
        "{{env.base_url}}/items/{{id}}",
        {"example": {"status": 204, "body_text": "", "set_state": {"deleted": True}}},
        inputs=[{"name": "id"}],
    ),
    item(
        "Create item",
        "POST",
        "{{env.base_url}}/items",
        {
            "mode": "dynamic",
            "rules": [
                {
                    "response": {
                        "status": 201,
                        "headers": {"X-Mock": "yes", "Content-Type": "application/json"},
                        "body": {"made": "{{label}}"},
                    }
                }
            ],
        },
        inputs=[{"name": "label"}],
    ),
]
ITEMS[0]["request"]["query"] = {"tier": "{{tier}}"}
ITEMS[2]["request"]["body"] = {"item": {"label": "{{label}}"}}


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "desk", *ITEMS)


async def test_routes_answer_from_rules_with_inputs_from_path_query_and_body(desk: Path) -> None:
    log = LogQueue()
    async with running(desk, on_log=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.get("/items/a%20b")
        assert response.status_code == 200 and response.json() == {"id": "a b"}
        record = await log.next()
        assert record["connector"] == "Get item" and record["rule"] == "any" and record["status"] == 200
        assert (await client.get("/items/7", params={"tier": "gold"})).json() == {"id": "7", "vip": True}
        created = await client.post("/items", json={"item": {"label": "lamp"}})
        assert created.status_code == 201 and created.headers["x-mock"] == "yes" and created.json() == {"made": "lamp"}


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(None, {"id": "7", "vip": True}), ("dynamic", {"id": "7", "vip": True}), ("example", {"id": "from example"})],
)
async def test_the_server_mode_chooses_example_or_dynamic_rules_for_every_connector(
    tmp_path: Path, mode: str | None, expected: dict[str, object]
) -> None:
    rules = ITEMS[0]["response"]["rules"]
    both = item(
        "Get item",
        "GET",
        "{{env.base_url}}/items/{{id}}",
        {"mode": "example", "rules": rules, "example": {"body": {"id": "from example"}}},
        inputs=[{"name": "id"}, {"name": "tier"}],
    )
    both["request"]["query"] = {"tier": "{{tier}}"}
    own_mode = {**both, "response": {**both["response"], "mode": "dynamic"}}  # served dynamically unless overridden
    log = LogQueue()
    root = write_workspace(tmp_path / "desk", own_mode)
    async with running(root, on_log=log, mode=mode) as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/items/7", params={"tier": "gold"})).json() == expected
        assert (await log.next())["mode"] == (mode or "dynamic")


async def test_routes_follow_the_environment_asked_for(tmp_path: Path) -> None:
    environments = {"local": {"base_url": ""}, "staging": {"base_url": "https://staging.example.com/api/v2"}}
    root = write_workspace(tmp_path / "desk", *ITEMS, settings={"environments": environments})
    async with running(root, environment="staging") as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/api/v2/items/7")).json() == {"id": "7"}
        assert (await client.get("/items/7")).status_code == 404
    with pytest.raises(ServeError, match="unknown environment 'prod'"):
        MockServer(root, environment="prod")


async def test_state_set_by_one_call_changes_what_another_answers(desk: Path) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/items/1")).status_code == 200
        assert (await client.delete("/items/1")).status_code == 204
        gone = await client.get("/items/1")
        assert gone.status_code == 404 and gone.json() == {"error": "gone"}
        server.reset()
        assert (await client.get("/items/1")).status_code == 200


@pytest.mark.parametrize("exhausted", ["repeat_last", "fail"])
async def test_a_sequence_answers_successive_requests_in_turn(tmp_path: Path, exhausted: str) -> None:
    example = {
        "body": {"n": 1},
        "then": [{"body": {"n": 2}}, {"status": 503, "body": {"n": 3}}],
        "exhausted": exhausted,
    }
    root = write_workspace(tmp_path, item("Poll", "GET", "/poll", {"example": example}))
    async with running(root) as server, httpx.AsyncClient(base_url=server.url) as client:
        got = [(response.status_code, response.json()) for response in [await client.get("/poll") for _ in range(4)]]
    assert got[:3] == [(200, {"n": 1}), (200, {"n": 2}), (503, {"n": 3})]
    if exhausted == "repeat_last":
        assert got[3] == (503, {"n": 3})
    else:
        assert got[3][0] == 500 and "answers 3 calls" in got[3][1]["error"]


async def test_unknown_routes_list_the_routes_and_wrong_methods_name_the_allowed(desk: Path) -> None:
    async with running(desk) as server, httpx.AsyncClient(base_url=server.url) as client:
        missing = await client.get("/nothing/here")
        assert missing.status_code == 404
        assert {route["connector"] for route in missing.json()["routes"]} == {"Get item", "Delete item", "Create item"}
        wrong = await client.put("/items/1")
        assert wrong.status_code == 405 and set(wrong.headers["allow"].split(", ")) == {"GET", "DELETE"}


async def test_latency_is_simulated(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, item("Slow", "GET", "/slow", {"example": {"latency_ms": 150, "body": 1}}))
    async with running(root) as server, httpx.AsyncClient(base_url=server.url) as client:
        started = time.perf_counter()
        assert (await client.get("/slow")).json() == 1
        assert time.perf_counter() - started >= 0.15


@pytest.mark.parametrize(("fault", "expected"), [("malformed_json", MALFORMED_JSON), ("empty_body", b"")])
async def test_body_faults_send_what_they_say(tmp_path: Path, fault: str, expected: bytes) -> None:
    root = write_workspace(tmp_path, item("F", "GET", "/f", {"example": {"fault": fault, "body": {"x": 1}}}))
    async with running(root) as server, httpx.AsyncClient(base_url=server.url) as client:
        response = await client.get("/f")
        assert response.status_code == 200 and response.content == expected


async def test_disconnect_closes_the_connection_without_a_response(tmp_path: Path) -> None:
    root = write_workspace(
        tmp_path,
        item("Cut", "GET", "/cut", {"example": {"fault": "disconnect"}}),
        item("Fine", "GET", "/fine", {"example": {"body": "ok"}}),
    )
    log = LogQueue()
    async with running(root, on_log=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/cut")
        record = await log.next()
        assert record["fault"] == "disconnect" and record["status"] is None
        assert (await client.get("/fine")).json() == "ok"


async def test_timeout_holds_the_connection_until_the_client_gives_up(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, item("Hold", "GET", "/hold", {"example": {"fault": "timeout"}}))
    log = LogQueue()
    async with running(root, on_log=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/hold", timeout=0.3)
        record = await log.next()
        assert record["fault"] == "timeout" and record["status"] is None and "left" in record["note"]


async def test_the_log_file_gets_json_lines(desk: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "requests.jsonl"
    log = LogQueue()
    async with running(desk, log_file=log_file, on_log=log) as server, httpx.AsyncClient(base_url=server.url) as client:
        await client.get("/items/9")
        await client.get("/nowhere")
        await log.next()
        await log.next()
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [(record["method"], record["path"], record["status"]) for record in records] == [
        ("GET", "/items/9", 200),
        ("GET", "/nowhere", 404),
    ]
    assert records[0]["inputs"] == {"id": "9"} and records[0]["connector"] == "Get item"


async def test_it_reloads_when_a_connector_file_changes(desk: Path) -> None:
    log = LogQueue()
    async with (
        running(desk, on_log=log, reload_interval=0.05) as server,
        httpx.AsyncClient(base_url=server.url) as client,
    ):
        assert (await client.get("/new")).status_code == 404
        write_connector(desk, item("New", "GET", "/new", {"example": {"body": "fresh"}}))
        record = await log.next("reloaded")
        assert record["routes"] == 4
        assert (await client.get("/new")).json() == "fresh"
        (desk / "connectors" / "new.json").write_text("{ broken")
        record = await log.next("reloaded")
        assert record["routes"] == 3 and any("new.json" in problem for problem in record["problems"])
        assert (await client.get("/items/1")).status_code == 200


async def test_only_the_named_connectors_are_served(desk: Path) -> None:
    async with running(desk, connectors=["Get item"]) as server, httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/items/1")).status_code == 200
        assert (await client.post("/items", json={})).status_code in (404, 405)
    with pytest.raises(ServeError, match="unknown connector 'Nope'"):
        async with running(desk, connectors=["Nope"]):
            pass


async def test_a_taken_port_is_a_clear_error(desk: Path) -> None:
    async with running(desk) as first:
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{first.port}"):
            async with running(desk, port=first.port):
                pass

"""The Intercom client against a loopback fake of the documented endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.intercom.fake_intercom import TOKEN, Fake, error_body, running
from workbench.intercom.client import INTERCOM_VERSION, IntercomClient, IntercomError


@pytest.fixture
def fake() -> Iterator[Fake]:
    with running() as served:
        yield served


def _client(fake: Fake, waits: list[float], token: str = TOKEN) -> IntercomClient:
    return IntercomClient(token, fake.url, sleep=waits.append)


def test_lists_every_page_with_the_version_header(fake: Fake) -> None:
    for index in range(120):
        fake.add(name=f"C{index}", url="https://a.example.com")
    connectors = _client(fake, []).connectors()
    assert len(connectors) == 120 and len({item["id"] for item in connectors}) == 120
    gets = [request for request in fake.requests if request[0] == "GET"]
    assert len(gets) == 3  # 50 a page
    assert all(headers["Intercom-Version"] == INTERCOM_VERSION for _, _, headers, _ in gets)


def test_execution_results_read_every_page_of_thirty(fake: Fake) -> None:
    item = fake.add(name="A", url="https://a.example.com")
    fake.executions[item["id"]] = [{"id": str(n), "success": n % 2 == 0} for n in range(70)]
    client = _client(fake, [])
    assert len(client.executions(item["id"], start_ts=1)) == 70
    assert len(client.executions(item["id"], errors_only=True)) == 35
    first_query = [path for method, path, _, _ in fake.requests if "execution_results" in path]
    assert len(first_query) == 3 + 2


def test_a_429_waits_for_retry_after_then_succeeds(fake: Fake) -> None:
    fake.add(name="A", url="https://a.example.com")
    fake.faults.append((429, {"Retry-After": "7"}, error_body(429, "rate_limit_exceeded", "Too many")[2]))
    waits: list[float] = []
    assert len(_client(fake, waits).connectors()) == 1
    assert waits == [7.0]


def test_a_5xx_is_retried_a_bounded_number_of_times(fake: Fake) -> None:
    item = fake.add(name="A", url="https://a.example.com")
    fake.faults.extend([error_body(503, "server_error", "busy")] * 2)
    waits: list[float] = []
    assert _client(fake, waits).connector(item["id"])["name"] == "A"
    assert len(waits) == 2
    fake.faults.extend([error_body(500, "server_error", "down")] * 10)
    with pytest.raises(IntercomError, match=r"HTTP 500 \(server_error: down\)"):
        _client(fake, []).connector(item["id"])


def test_a_create_answered_5xx_is_not_repeated(fake: Fake) -> None:
    fake.faults.append(error_body(502, "server_error", "bad gateway"))
    client = _client(fake, [])
    with pytest.raises(IntercomError, match="HTTP 502"):
        client.create({"name": "A"})
    assert len(fake.writes()) == 1


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (error_body(403, "forbidden", "missing scope"), "lacks the scope read_write_data_connectors"),
        (error_body(404, "data_connector_not_found", "Data connector not found"), "HTTP 404 (data_connector_not_found"),
        (error_body(422, "parameter_invalid", "Invalid audiences"), "HTTP 422 (parameter_invalid: Invalid audiences)"),
    ],
)
def test_errors_are_one_line_naming_intercoms_code(fake: Fake, fault: tuple, message: str) -> None:
    fake.faults.append(fault)
    with pytest.raises(IntercomError) as caught:
        _client(fake, []).update("1", {"name": "B"})
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).startswith("PATCH /data_connectors/1: ")


def test_execution_results_403_names_their_scope(fake: Fake) -> None:
    fake.faults.append(error_body(403, "forbidden", "nope"))
    with pytest.raises(IntercomError, match="read_workflow_connector_execution_result"):
        _client(fake, []).executions("1")


def test_a_bad_token_is_a_401_line_without_the_token(fake: Fake) -> None:
    with pytest.raises(IntercomError) as caught:
        _client(fake, [], token="secret-token-value-xyz").connectors()
    assert "HTTP 401 (unauthorized: Access Token Invalid)" in str(caught.value)
    assert "INTERCOM_TOKEN" in str(caught.value) and "secret-token-value-xyz" not in str(caught.value)


def test_an_error_message_echoing_the_token_is_masked(fake: Fake) -> None:
    fake.faults.append(error_body(400, "client_error", f"bad\x1b[31m token {TOKEN}"))
    with pytest.raises(IntercomError) as caught:
        _client(fake, []).connectors()
    assert TOKEN not in str(caught.value) and "\x1b" not in str(caught.value)


def test_no_token_is_one_clear_line() -> None:
    with pytest.raises(IntercomError, match="set INTERCOM_TOKEN"):
        IntercomClient("", "http://127.0.0.1:9")

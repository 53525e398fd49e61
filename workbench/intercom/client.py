"""A small client of Intercom's data connector API (version 2.16): list, get, create, update, execution results.

Every request sends ``Authorization: Bearer`` with the access token and ``Intercom-Version``; lists are read
through every page (cursor ``starting_after``). A 429 waits for ``Retry-After`` (or ``X-RateLimit-Reset``),
a 5xx or a dropped connection is retried, both a bounded number of times. Every failure is one
:class:`IntercomError` line that never holds the token; 401 and 403 name the scope the call needs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from workbench.connectors.masking import masker_of
from workbench.tls import verified
from workbench.visible import visible

INTERCOM_VERSION = "2.16"
REGIONS = {
    "us": "https://api.intercom.io",
    "eu": "https://api.eu.intercom.io",
    "au": "https://api.au.intercom.io",
}
TOKEN_VARIABLE = "INTERCOM_TOKEN"
WRITE_SCOPE = "read_write_data_connectors"
EXECUTIONS_SCOPE = "read_workflow_connector_execution_result"
CONNECTORS_PAGE = 50
EXECUTIONS_PAGE = 30
MAX_ATTEMPTS = 4
MAX_WAIT_S = 60.0
_MESSAGE_CHARS = 200


class IntercomError(Exception):
    """A call to Intercom failed; the message is one line, safe to print."""


class IntercomClient:
    """Calls Intercom's data connector endpoints with one access token; counts the write calls it made."""

    def __init__(
        self,
        token: str,
        base_url: str = REGIONS["us"],
        *,
        version: str = INTERCOM_VERSION,
        timeout_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise IntercomError(f"no Intercom access token: set {TOKEN_VARIABLE} (environment, .env or --env-file)")
        self._masker = masker_of([token])
        self._http = httpx.Client(
            verify=verified(),
            base_url=base_url.rstrip("/"),
            timeout=timeout_s,
            headers={
                "Authorization": f"Bearer {token}",
                "Intercom-Version": version,
                "Accept": "application/json",
            },
        )
        self._sleep = sleep
        self.writes = 0

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> IntercomClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def connectors(self) -> list[dict[str, Any]]:
        """Every data connector (summaries), all pages."""
        return list(self._pages("/data_connectors", {"per_page": CONNECTORS_PAGE}, WRITE_SCOPE))

    def connector(self, connector_id: str) -> dict[str, Any]:
        """One data connector's detail."""
        return self._call("GET", f"/data_connectors/{connector_id}", WRITE_SCOPE)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a data connector (Intercom creates it as a draft); its detail."""
        self.writes += 1
        return self._call("POST", "/data_connectors", WRITE_SCOPE, json=body)

    def update(self, connector_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change only ``fields`` of a data connector; its detail."""
        self.writes += 1
        return self._call("PATCH", f"/data_connectors/{connector_id}", WRITE_SCOPE, json=fields)

    def executions(
        self, connector_id: str, *, start_ts: int | None = None, errors_only: bool = False
    ) -> list[dict[str, Any]]:
        """A connector's execution results with their bodies, all pages (from ``start_ts``; Intercom's default:
        the last hour)."""
        params: dict[str, Any] = {"per_page": EXECUTIONS_PAGE, "include_bodies": "true"}
        if start_ts is not None:
            params["start_ts"] = start_ts
        if errors_only:
            params["success"] = "false"
        path = f"/data_connectors/{connector_id}/execution_results"
        return list(self._pages(path, params, EXECUTIONS_SCOPE))

    def _pages(self, path: str, params: dict[str, Any], scope: str) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = self._call("GET", path, scope, params={**params, **({"starting_after": cursor} if cursor else {})})
            data = page.get("data")
            if not isinstance(data, list):
                raise IntercomError(f"GET {path}: the answer has no 'data' list")
            yield from (item for item in data if isinstance(item, dict))
            following = (page.get("pages") or {}).get("next") if isinstance(page.get("pages"), dict) else None
            cursor = following.get("starting_after") if isinstance(following, dict) else None
            if not cursor:
                return
            if cursor in seen:
                raise IntercomError(f"GET {path}: the cursor repeats; stopped reading pages")
            seen.add(cursor)

    def _call(self, method: str, path: str, scope: str, **kwargs: Any) -> dict[str, Any]:
        what = f"{method} {path}"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.HTTPError as error:
                if attempt == MAX_ATTEMPTS or method != "GET":
                    raise IntercomError(f"{what}: {self._safe(type(error).__name__ + ': ' + str(error))}") from None
                self._sleep(min(2.0 ** (attempt - 1), MAX_WAIT_S))
                continue
            status = response.status_code
            if status == 429 and attempt < MAX_ATTEMPTS:
                self._sleep(_wait(response))
                continue
            if status >= 500 and attempt < MAX_ATTEMPTS and method != "POST":  # a create is never repeated
                self._sleep(min(0.5 * 2.0 ** (attempt - 1), MAX_WAIT_S))
                continue
            if status >= 400:
                raise IntercomError(f"{what}: {self._failure(response, scope)}")
            try:
                data = response.json()
            except ValueError:
                raise IntercomError(f"{what}: HTTP {status} with a body that is not JSON") from None
            if not isinstance(data, dict):
                raise IntercomError(f"{what}: HTTP {status} with a body that is not a JSON object")
            return data
        raise AssertionError("unreachable")  # pragma: no cover

    def _failure(self, response: httpx.Response, scope: str) -> str:
        status = response.status_code
        code, message = _error(response)
        said = self._safe(f"{code}: {message}" if code and message else code or message or "no error body")
        if status == 401:
            return f"HTTP 401 ({said}): Intercom refused the access token in {TOKEN_VARIABLE}"
        if status == 403:
            return f"HTTP 403 ({said}): the access token lacks the scope {scope}"
        if status == 429:
            return f"HTTP 429 ({said}): still rate limited after {MAX_ATTEMPTS} attempts"
        return f"HTTP {status} ({said})"

    def _safe(self, text: str) -> str:
        """One printable line, the token masked, bounded."""
        line = visible(" ".join(self._masker.text(text).split()), keep="")
        return line if len(line) <= _MESSAGE_CHARS else line[: _MESSAGE_CHARS - 1] + "…"


def _error(response: httpx.Response) -> tuple[str, str]:
    """The first ``errors`` entry of Intercom's ``error.list`` body: its code and message."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    return str(first.get("code") or ""), str(first.get("message") or "")


def _wait(response: httpx.Response) -> float:
    """How long a 429 asks to wait: ``Retry-After`` seconds, else until ``X-RateLimit-Reset``; bounded."""
    retry_after = response.headers.get("Retry-After", "")
    try:
        wait = float(retry_after)
    except ValueError:
        try:
            wait = float(response.headers.get("X-RateLimit-Reset", "")) - time.time()
        except ValueError:
            wait = 1.0
    return max(0.0, min(wait, MAX_WAIT_S))


def base_url_for(region: str, base_url: str | None) -> str:
    """The API root: ``base_url`` when given (proxies, tests), else the region's."""
    if base_url:
        return base_url
    if region not in REGIONS:
        raise IntercomError(f"unknown region {region!r} (known: {', '.join(REGIONS)})")
    return REGIONS[region]

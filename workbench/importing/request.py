"""A concrete request (from curl, Postman or HAR) turned into a connector: secrets templated, marked values
turned into typed inputs, browser noise dropped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from pydantic import ValidationError

from workbench.importing.credentials import Secrets
from workbench.importing.errors import ConversionError
from workbench.importing.naming import humanize, service_name
from workbench.model import Connector, ConnectorInput, MockResponse
from workbench.model.connector import HttpMethod, InputType

METHODS: tuple[str, ...] = get_args(HttpMethod)
INPUT_TYPES: tuple[str, ...] = get_args(InputType)
_NOISE_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "user-agent",
        "referer",
        "origin",
        "te",
        "upgrade-insecure-requests",
        "keep-alive",
        "transfer-encoding",
        "priority",
        "dnt",
        "pragma",
        "cache-control",
        "accept-language",
        "if-none-match",
        "if-modified-since",
    }
)


@dataclass(frozen=True)
class InputMark:
    """A value the user marked as an input: ``--input order_id=12345`` (``order_id:string=12345`` to force a type)."""

    name: str
    value: str
    type: str

    @classmethod
    def parse(cls, text: str) -> InputMark:
        """Parse ``NAME[:TYPE]=VALUE``; raises :class:`ConversionError` naming the bad part."""
        spec, sep, value = text.partition("=")
        name, _, type_ = spec.partition(":")
        name = name.strip()
        if not sep or not name or not value:
            raise ConversionError(f"--input {text}", "expected NAME=VALUE (or NAME:TYPE=VALUE)")
        if not name.isidentifier():
            raise ConversionError(f"--input {text}", f"{name!r} is not a valid input name (letters, digits, _)")
        if type_ and type_ not in INPUT_TYPES:
            raise ConversionError(f"--input {text}", f"type {type_!r} is not one of {', '.join(INPUT_TYPES)}")
        return cls(name, value, type_ or guess_type(value))


def guess_type(value: str) -> str:
    """The input type a sample value suggests: integer, number, boolean or string."""
    text = value.strip()
    if text.lower() in ("true", "false"):
        return "boolean"
    if text.lstrip("-").isdigit() and not (len(text) > 1 and text.lstrip("-").startswith("0")):
        return "integer"
    try:
        float(text)
    except ValueError:
        return "string"
    return "number" if any(char.isdigit() for char in text) else "string"


def example_status(value: Any) -> int:
    """A captured status code, or 200 when what was captured is not one."""
    valid = isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599
    return value if valid else 200


@dataclass
class RawRequest:
    """A request as captured: method, full URL (query allowed), headers in order, JSON body."""

    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    timeout_s: float | None = None


def build_connector(
    name: str,
    raw: RawRequest,
    secrets: Secrets,
    *,
    where: str,
    marks: Sequence[InputMark] = (),
    example: MockResponse | None = None,
    description: str = "",
    extra_inputs: Iterable[ConnectorInput] = (),
) -> Connector:
    """The connector for ``raw``; raises :class:`ConversionError` (located at ``where``) when it cannot be one."""
    method = raw.method.upper()
    if method not in METHODS:
        raise ConversionError(where, f"method {method} is not supported (connectors use {', '.join(METHODS)})")
    try:
        parts = urlsplit(raw.url)
    except ValueError as error:
        raise ConversionError(where, f"{raw.url!r} is not a valid URL ({error})") from None
    if (parts.scheme not in ("http", "https") or not parts.netloc) and not raw.url.startswith("{{"):
        raise ConversionError(where, f"{raw.url!r} is not an http(s) URL")
    service = service_name(raw.url)
    query_pairs = parse_qsl(parts.query, keep_blank_values=True) + list(raw.query)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if parts.netloc else raw.url.split("?")[0]
    query = {key: secrets.query(service, key, value) for key, value in query_pairs}
    headers = _headers(raw.headers, secrets, service)
    inputs = list(extra_inputs)
    body = raw.body
    for mark in marks:
        url, query, body, found = _apply_mark(mark, url, query, body)
        if not found:
            raise ConversionError(
                f"--input {mark.name}", f"the value {mark.value!r} is nowhere in the URL, query or body"
            )
        inputs.append(
            ConnectorInput(
                name=mark.name,
                type=mark.type,  # type: ignore[arg-type]
                description=f"{humanize(mark.name)} (e.g. {mark.value})",
                required=True,
            )
        )
    try:
        connector = Connector(
            name=name,
            description=description,
            kind="read" if method == "GET" else "action",
            request={"method": method, "url": url, "headers": headers, "query": query, "body": body},  # type: ignore[arg-type]
            inputs=inputs,
        )
    except ValidationError as error:
        raise ConversionError(where, f"cannot become a connector: {error.errors()[0]['msg']}") from None
    if raw.timeout_s is not None and 0 < raw.timeout_s <= 600:
        connector.request.timeout_s = raw.timeout_s
    if example is not None:
        connector.response.example = example
    return connector


def _headers(pairs: Iterable[tuple[str, str]], secrets: Secrets, service: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in pairs:
        name = key.strip()
        lowered = name.lower()
        if not name or lowered in _NOISE_HEADERS or lowered.startswith((":", "sec-")):
            continue
        existing = next((item for item in headers if item.lower() == lowered), None)
        if existing is not None:
            separator = "; " if lowered == "cookie" else ", "
            headers[existing] = f"{headers[existing]}{separator}{value}"
        else:
            headers[name] = value
    return {key: secrets.header(service, key, value) for key, value in headers.items()}


def _apply_mark(mark: InputMark, url: str, query: dict[str, str], body: Any) -> tuple[str, dict[str, str], Any, bool]:
    """Replace the marked value in path segments, query values and body leaves by ``{{name}}``."""
    template = "{{" + mark.name + "}}"
    parts = urlsplit(url)
    segments = parts.path.split("/")
    found = False
    for index, segment in enumerate(segments):
        if segment and unquote(segment) == mark.value:
            segments[index] = template
            found = True
    url = urlunsplit((parts.scheme, parts.netloc, "/".join(segments), "", ""))
    new_query = {}
    for key, value in query.items():
        if value == mark.value:
            value, found = template, True
        new_query[key] = value
    body, in_body = _mark_body(body, mark.value, template)
    return url, new_query, body, found or in_body


def _mark_body(data: Any, value: str, template: str) -> tuple[Any, bool]:
    if isinstance(data, dict):
        found = False
        result = {}
        for key, item in data.items():
            result[key], hit = _mark_body(item, value, template)
            found = found or hit
        return result, found
    if isinstance(data, list):
        pairs = [_mark_body(item, value, template) for item in data]
        return [item for item, _ in pairs], any(hit for _, hit in pairs)
    if data is not None and not isinstance(data, (dict, list)) and _scalar_text(data) == value:
        return template, True
    return data, False


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

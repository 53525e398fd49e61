"""The routes of ``workbench mock serve``: each connector's method and URL path as a pattern, and the input
values read back from a request (templated path segments, query parameters, headers and JSON body)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, unquote

from workbench.connectors.templates import TEMPLATE
from workbench.engine.values import coerce
from workbench.model import Connector


@dataclass(frozen=True)
class Pattern:
    """A template string as a regex whose groups give the values of the inputs it names."""

    regex: re.Pattern[str]
    names: tuple[str, ...]

    @classmethod
    def of(cls, template: str, inputs: Iterable[str], *, segment: bool = False) -> Pattern:
        """The pattern of ``template``; an input matches any text (within one path segment when ``segment``),
        a ``{{secret.…}}`` or unknown name matches anything, other text itself."""
        known = set(inputs)
        parts: list[str] = []
        names: list[str] = []
        last = 0
        wildcard = "[^/]*" if segment else ".*"
        for match in TEMPLATE.finditer(template):
            parts.append(re.escape(template[last : match.start()]))
            name = match.group(1)
            if name in known:
                parts.append(f"({wildcard})")
                names.append(name)
            else:
                parts.append(f"(?:{wildcard})")
            last = match.end()
        parts.append(re.escape(template[last:]))
        return cls(re.compile("".join(parts), re.DOTALL), tuple(names))

    def values(self, text: str, *, decode: bool = False) -> dict[str, str] | None:
        """The inputs' values in ``text`` (percent-decoded when ``decode``), or ``None`` when it does not match."""
        found = self.regex.fullmatch(text)
        if found is None:
            return None
        result: dict[str, str] = {}
        for name, value in zip(self.names, found.groups(), strict=True):
            result.setdefault(name, unquote(value) if decode else value)
        return result


def path_template(url: str, environment: Mapping[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The path of a connector's URL template (``{{env.NAME}}`` filled, scheme and host dropped) and the query
    pairs written in the URL itself."""
    text = TEMPLATE.sub(
        lambda match: environment.get(match.group(1)[4:], "") if match.group(1).startswith("env.") else match.group(0),
        url.strip(),
    )
    if "://" in text:
        rest = text.split("://", 1)[1]
        text = rest[rest.find("/") :] if "/" in rest else "/"
    text, _, query = text.partition("?")
    text = text.split("#", 1)[0]
    return ("/" + text.lstrip("/")), parse_qsl(query, keep_blank_values=True)


@dataclass(frozen=True)
class Route:
    """One connector as a route: its method, its path pattern and where its inputs come from."""

    connector: Connector
    method: str
    path: str
    pattern: Pattern
    query: dict[str, Pattern] = field(default_factory=dict)
    headers: dict[str, Pattern] = field(default_factory=dict)

    @classmethod
    def of(cls, connector: Connector, environment: Mapping[str, str]) -> Route:
        """The route of ``connector`` under the given environment values."""
        inputs = [item.name for item in connector.inputs]
        path, url_query = path_template(connector.request.url, environment)
        query = {**dict(url_query), **connector.request.query}
        return cls(
            connector,
            connector.request.method,
            TEMPLATE.sub(lambda match: "{" + match.group(1) + "}", path),
            Pattern.of(path, inputs, segment=True),
            {key: Pattern.of(value, inputs) for key, value in query.items() if "{{" in value},
            {
                key.lower(): Pattern.of(value, inputs)
                for key, value in connector.request.headers.items()
                if "{{" in value
            },
        )

    @cached_property
    def literal(self) -> int:
        """How much of the path is fixed text: more specific routes are tried first."""
        return len(re.sub(r"\{[^{}]*\}", "", self.path))

    @cached_property
    def reads_body(self) -> bool:
        """Whether some input comes from the JSON body."""
        return _names(self.connector.request.body, {item.name for item in self.connector.inputs}) != set()

    def inputs(
        self, path_values: Mapping[str, str], query: Mapping[str, str], headers: Mapping[str, str], body: Any
    ) -> dict[str, Any]:
        """The connector's input values read from the request, converted to their types where they can be
        (``headers`` keyed in lower case, or case-insensitive)."""
        found: dict[str, Any] = {}
        _from_body(self.connector.request.body, body, [item.name for item in self.connector.inputs], found)
        for sources, patterns in ((headers, self.headers), (query, self.query)):
            for key, pattern in patterns.items():
                if key in sources:
                    found.update(pattern.values(sources[key]) or {})
        found.update(path_values)
        result: dict[str, Any] = {}
        for spec in self.connector.inputs:
            if spec.name in found and found[spec.name] not in (None, ""):
                try:
                    result[spec.name] = coerce(found[spec.name], spec.type)
                except ValueError:
                    result[spec.name] = found[spec.name]
        return result


def _names(template: Any, inputs: set[str]) -> set[str]:
    """The input names a JSON template uses."""
    if isinstance(template, str):
        return {name for name in TEMPLATE.findall(template) if name in inputs}
    if isinstance(template, dict):
        return set().union(*(_names(item, inputs) for item in template.values()))
    if isinstance(template, list):
        return set().union(*(_names(item, inputs) for item in template))
    return set()


def _from_body(template: Any, data: Any, inputs: list[str], found: dict[str, Any]) -> None:
    """Walk the body template beside the received JSON, taking the value found where an input is templated."""
    if isinstance(template, str) and "{{" in template:
        whole = TEMPLATE.fullmatch(template.strip())
        if whole and whole.group(1) in inputs:
            found.setdefault(whole.group(1), data)
        elif isinstance(data, str):
            for name, value in (Pattern.of(template, inputs).values(data) or {}).items():
                found.setdefault(name, value)
    elif isinstance(template, dict) and isinstance(data, dict):
        for key, item in template.items():
            if key in data:
                _from_body(item, data[key], inputs, found)
    elif isinstance(template, list) and isinstance(data, list):
        for item, value in zip(template, data, strict=False):
            _from_body(item, value, inputs, found)


class RouteTable:
    """Every served connector's route, most specific first."""

    def __init__(self, connectors: Iterable[Connector], environment: Mapping[str, str]) -> None:
        routes = [Route.of(connector, environment) for connector in connectors]
        self.routes = sorted(routes, key=lambda route: (-route.literal, route.path))

    def find(self, method: str, raw_path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        """The route answering ``method`` on ``raw_path`` with its path values; else ``None`` and the methods
        other routes take on that path (empty: no route has that path)."""
        allowed: list[str] = []
        for route in self.routes:
            values = route.pattern.values(raw_path, decode=True)
            if values is None:
                continue
            if route.method == method:
                return route, values, []
            if route.method not in allowed:
                allowed.append(route.method)
        return None, {}, allowed

    def listing(self) -> list[dict[str, str]]:
        """The routes as JSON data: method, path and connector."""
        return [
            {"method": route.method, "path": route.path, "connector": route.connector.name} for route in self.routes
        ]

"""Postman collections (v2.0 / v2.1): each request becomes a connector; a saved JSON response its example.

Collection variables are filled in (credentials among them become secrets); variables the collection does not
define come from a Postman environment, so they become ``{{env.NAME}}``; path variables (``:id``) become inputs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from workbench.importing.credentials import is_secret_query
from workbench.importing.errors import ConversionError
from workbench.importing.naming import connector_name, env_name, input_name
from workbench.importing.plan import Imported
from workbench.importing.request import RawRequest, build_connector, example_status
from workbench.importing.sources import parse_json
from workbench.model import ConnectorInput, MockResponse

_VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_BARE = re.compile(r'(?<![":\w])(\{\{[^{}"]+\}\})')


def import_postman(data: Any, where: str) -> Imported:
    """Connectors for every request of the collection, folders flattened."""
    info = data.get("info") if isinstance(data, dict) else None
    if not isinstance(info, dict) or not isinstance(data.get("item"), list):
        raise ConversionError(where, "is not a Postman collection (needs 'info' and an 'item' list)")
    schema = str(info.get("schema", ""))
    if schema and "collection" not in schema:
        raise ConversionError(f"{where}: info.schema", f"{schema!r} is not a Postman collection schema")
    variables = {
        str(item["key"]): item.get("value")
        for item in _list(data.get("variable"))
        if isinstance(item, dict) and "key" in item
    }
    imported = Imported()
    context = _Context(imported, variables, data.get("auth"))
    for item, place in _requests(data["item"], f"{where}: item"):
        imported.add(context.connector(item, place))
    if not imported.connectors:
        raise ConversionError(where, "holds no request")
    return imported


def _requests(items: list[Any], place: str) -> Iterator[tuple[dict[str, Any], str]]:
    for index, item in enumerate(items):
        here = f"{place}.{index}"
        if not isinstance(item, dict):
            raise ConversionError(here, "is not an object")
        if isinstance(item.get("item"), list):
            yield from _requests(item["item"], f"{here}.item")
        elif "request" in item:
            yield item, here


class _Context:
    def __init__(self, imported: Imported, variables: dict[str, Any], auth: Any) -> None:
        self.imported = imported
        self.variables = variables
        self.auth = auth
        self.environment: set[str] = set()

    def text(self, value: Any, keep: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        """A Postman string with its variables filled, made secrets, inputs or environment values."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in keep:
                return "{{" + input_name(name) + "}}"
            if is_secret_query(name):
                return self.imported.secrets.template(env_name(name), f"the Postman variable {name}")
            if name in self.variables and self.variables[name] is not None:
                return str(self.variables[name])
            if name not in self.environment:
                self.environment.add(name)
                self.imported.notes.append(
                    f"{{{{{name}}}}} is a Postman environment value: set env.{name} in workbench.json"
                )
            return "{{env." + name + "}}"

        return _VARIABLE.sub(replace, str(value))

    def connector(self, item: dict[str, Any], place: str) -> Any:
        request = item["request"]
        if isinstance(request, str):
            request = {"method": "GET", "url": request}
        if not isinstance(request, dict):
            raise ConversionError(f"{place}.request", "is not an object")
        url, path_inputs = self._url(request.get("url"), f"{place}.request.url")
        headers = [
            (str(header.get("key")), self.text(header.get("value", "")))
            for header in _list(request.get("header"))
            if isinstance(header, dict) and header.get("key") and not header.get("disabled")
        ]
        query: list[tuple[str, str]] = []
        auth = request.get("auth", self.auth)
        self._auth(auth, headers, query, place)
        self._scripts(item, place)
        raw = RawRequest(
            str(request.get("method", "GET")),
            url,
            headers=headers,
            query=query,
            body=self._body(request.get("body"), f"{place}.request.body"),
        )
        inputs = [
            ConnectorInput(name=input_name(name), description=description or name, required=True)
            for name, description in path_inputs
        ]
        name = connector_name(str(item.get("name") or f"{raw.method} {url}"))
        description = request.get("description")
        return build_connector(
            name,
            raw,
            self.imported.secrets,
            where=place,
            example=_example(item.get("response")),
            description=description if isinstance(description, str) else "",
            extra_inputs=inputs,
        )

    def _url(self, url: Any, place: str) -> tuple[str, list[tuple[str, str]]]:
        if isinstance(url, str):
            return self.text(url), []
        if not isinstance(url, dict) or not isinstance(url.get("raw"), str):
            raise ConversionError(place, "has no raw URL")
        described = {
            str(item.get("key")): str(item.get("description") or "")
            for item in _list(url.get("variable"))
            if isinstance(item, dict)
        }
        raw = url["raw"]
        path_names = re.findall(r"/:([A-Za-z_][A-Za-z0-9_]*)", raw.split("?")[0])
        for name in path_names:
            raw = re.sub(rf"/:{name}(?=/|\?|$)", "/{{" + name + "}}", raw)
        return self.text(raw, keep=set(path_names)), [(name, described.get(name, "")) for name in path_names]

    def _scripts(self, item: dict[str, Any], place: str) -> None:
        """A note for each script the request runs (a connector runs none: what they set is not imported)."""
        for event in _list(item.get("event")):
            if isinstance(event, dict) and isinstance(event.get("script"), dict):
                self.imported.notes.append(
                    f"{place}: its {event.get('listen') or 'event'} script is not imported: redo what it does by hand"
                )

    def _auth(self, auth: Any, headers: list[tuple[str, str]], query: list[tuple[str, str]], place: str) -> None:
        if not isinstance(auth, dict):
            return
        kind = auth.get("type")
        if not isinstance(kind, str):
            return
        values = {str(item.get("key")): item.get("value") for item in _list(auth.get(kind)) if isinstance(item, dict)}
        if kind == "bearer":
            headers.append(("Authorization", "Bearer <token>"))
        elif kind == "basic":
            headers.append(("Authorization", "Basic <user:password>"))
        elif kind == "apikey":
            key = str(values.get("key") or "X-API-Key")
            target = query if values.get("in") == "query" else headers
            target.append((key, self.imported.secrets.template(env_name(key), f"the API key sent as {key}")))
        elif kind not in ("noauth", "inherit"):
            self.imported.notes.append(
                f"{place}: {kind} auth is not imported: set up a token in workbench.json and the connector's auth"
            )

    def _body(self, body: Any, place: str) -> Any:
        if not isinstance(body, dict) or body.get("disabled"):
            return None
        mode = body.get("mode")
        if mode != "raw":
            if mode:
                self.imported.notes.append(f"{place}: a {mode} body is not imported (connectors send JSON)")
            return None
        text = self.text(body.get("raw") or "")
        if not text.strip():
            return None
        return parse_json(_BARE.sub(r'"\1"', text), place)


def _list(value: Any) -> list[Any]:
    """A list from the collection, or nothing when the collection has something else there."""
    return value if isinstance(value, list) else []


def _example(responses: Any) -> MockResponse | None:
    """The first saved response with a JSON body, as the example."""
    for response in responses if isinstance(responses, list) else ():
        if not isinstance(response, dict) or not isinstance(response.get("body"), str):
            continue
        try:
            body = json.loads(response["body"])
        except json.JSONDecodeError:
            continue
        return MockResponse(
            status=example_status(response.get("code")), headers={"content-type": "application/json"}, body=body
        )
    return None

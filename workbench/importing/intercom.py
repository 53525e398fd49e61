"""Intercom's data connector shape (its REST API, Preview version), written and read back.

A file holds ``{"data_connectors": [...]}``; each entry has ``name``, ``description``, ``http_method``,
``url`` (the query written into it), ``headers`` (``[{name, value}]`` templates), ``body`` (a template text:
inputs that are not strings stand bare, ``{{qty}}``), ``data_inputs`` (string / integer / decimal / boolean,
``default_value`` as text, ``source`` when set), ``response_fields`` and ``mock_response``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, unquote

import orjson
from pydantic import ValidationError

from workbench.importing.errors import ConversionError, as_list
from workbench.importing.fields import response_fields
from workbench.importing.plan import Imported
from workbench.importing.sources import parse_json
from workbench.model import CodeStep, Connector, Procedure

_TO_INTERCOM = {"string": "string", "integer": "integer", "number": "decimal", "boolean": "boolean"}
_FROM_INTERCOM = {value: key for key, value in _TO_INTERCOM.items()}
_METHODS = ("get", "post", "put", "patch", "delete")
_BARE_TEMPLATE = re.compile(r'(?<!")\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}(?!")')
_DEFAULT_TIMEOUT = 10


def export_intercom(connectors: list[Connector]) -> tuple[dict[str, Any], list[str]]:
    """The export document and notes on what Intercom's shape cannot hold."""
    notes: list[str] = []
    items = [_export_one(connector, notes) for connector in connectors]
    return {"data_connectors": items}, notes


def procedure_content_notes(procedures: dict[str, Procedure]) -> list[str]:
    """Notes naming the code steps an export leaves behind: it writes data connectors only, and Intercom's public
    API has no procedure definitions, so procedures (and the code blocks in them) are authored in Fin itself."""
    return [
        f"procedure {name!r}: code step {step.id!r} ({step.name}) is procedure content, which the data connector "
        "export does not carry: recreate it as a code block in Fin's procedure editor"
        for name, procedure in procedures.items()
        for step in procedure.all_steps()
        if isinstance(step, CodeStep)
    ]


def _export_one(connector: Connector, notes: list[str]) -> dict[str, Any]:
    request = connector.request
    lost = []
    if connector.transform and connector.transform.strip():
        lost.append("its transform")
    if connector.response.rules:
        lost.append("its dynamic rules")
    if request.timeout_s != _DEFAULT_TIMEOUT:
        lost.append(f"its {request.timeout_s:g}s timeout")
    if (connector.kind == "read") != (request.method == "GET"):
        lost.append(f"its kind ({connector.kind}; Intercom's follows the method)")
    if connector.auth:
        lost.append(
            f"its auth (the token {connector.auth!r} is not sent: set up its authentication in Intercom before "
            "using the connector)"
        )
    if lost:
        notes.append(f"{connector.name!r}: Intercom's shape does not keep {', '.join(lost)}")
    item: dict[str, Any] = {
        "name": connector.name,
        "description": connector.description,
        "http_method": request.method.lower(),
        "url": _url_with_query(request.url, request.query),
        "headers": [{"name": key, "value": value} for key, value in request.headers.items()],
        "body": _body_template(connector),
        "data_inputs": [
            {
                "name": item.name,
                "type": _TO_INTERCOM[item.type],
                "description": item.description,
                "required": item.required,
                "default_value": "" if item.default is None else _text(item.default),
                **({"source": item.source} if item.source else {}),
            }
            for item in connector.inputs
        ],
    }
    example = connector.response.example
    if example is not None and example.body is not None:
        item["response_fields"] = response_fields(example.body)
        item["mock_response"] = example.body
    return item


def _text(value: Any) -> str:
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _url_with_query(url: str, query: dict[str, str]) -> str:
    if not query:
        return url
    pairs = "&".join(f"{quote(key, safe='{}')}={quote(value, safe='{}')}" for key, value in query.items())
    return f"{url}{'&' if '?' in url else '?'}{pairs}"


def _body_template(connector: Connector) -> str:
    """The body as template text; a value that is exactly a non-string input stands bare (``{{qty}}``)."""
    body = connector.request.body
    if body is None:
        return ""
    text = orjson.dumps(body).decode()
    for item in connector.inputs:
        if item.type != "string":
            text = text.replace(f'"{{{{{item.name}}}}}"', f"{{{{{item.name}}}}}")
    return text


def import_intercom(data: Any, where: str) -> Imported:
    """Connectors from an Intercom export: ``{"data_connectors": [...]}``, ``{"data": [...]}``, a list or one."""
    if isinstance(data, dict) and isinstance(data.get("data_connectors"), list):
        items, prefix = data["data_connectors"], "data_connectors"
    elif isinstance(data, dict) and isinstance(data.get("data"), list):
        items, prefix = data["data"], "data"
    elif isinstance(data, list):
        items, prefix = data, ""
    elif isinstance(data, dict) and "http_method" in data:
        items, prefix = [data], None
    else:
        raise ConversionError(where, "is not an Intercom data connector export (no 'data_connectors' list)")
    imported = Imported()
    for index, item in enumerate(items):
        place = f"{where}: {prefix}.{index}" if prefix else (f"{where}: {index}" if prefix == "" else where)
        imported.add(_import_one(item, place))
    if not imported.connectors:
        raise ConversionError(where, "holds no data connector")
    return imported


def _import_one(item: Any, where: str) -> Connector:
    if not isinstance(item, dict):
        raise ConversionError(where, "is not an object")
    method = str(item.get("http_method", "get")).lower()
    if method not in _METHODS:
        raise ConversionError(f"{where}.http_method", f"{method!r} is not one of {', '.join(_METHODS)}")
    url = item.get("url")
    if not isinstance(url, str) or not url:
        raise ConversionError(f"{where}.url", "is missing")
    base, _, query_text = url.partition("?")
    query = {}
    for pair in query_text.split("&") if query_text else ():
        key, _, value = pair.partition("=")
        query[unquote(key)] = unquote(value)
    inputs = [
        _input(value, f"{where}.data_inputs.{index}")
        for index, value in enumerate(as_list(item.get("data_inputs") or [], f"{where}.data_inputs"))
    ]
    headers = {}
    for index, header in enumerate(as_list(item.get("headers") or [], f"{where}.headers")):
        if not isinstance(header, dict) or not isinstance(header.get("name"), str):
            raise ConversionError(f"{where}.headers.{index}", "is not {name, value}")
        headers[header["name"]] = str(header.get("value", ""))
    data: dict[str, Any] = {
        "name": item.get("name"),
        "description": item.get("description") or "",
        "kind": "read" if method == "get" else "action",
        "request": {
            "method": method.upper(),
            "url": base,
            "headers": headers,
            "query": query,
            "body": _parse_body(item.get("body"), f"{where}.body"),
        },
        "inputs": inputs,
    }
    if item.get("mock_response") is not None:
        data["response"] = {
            "mode": "example",
            "example": {"status": 200, "headers": {"content-type": "application/json"}, "body": item["mock_response"]},
        }
    try:
        return Connector.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise ConversionError(f"{where}.{place}" if place else where, first["msg"]) from None


def _input(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ConversionError(where, "is not an object")
    intercom_type = item.get("type", "string")
    if intercom_type not in _FROM_INTERCOM:
        raise ConversionError(f"{where}.type", f"{intercom_type!r} is not one of {', '.join(_FROM_INTERCOM)}")
    type_ = _FROM_INTERCOM[intercom_type]
    result: dict[str, Any] = {
        "name": item.get("name"),
        "type": type_,
        "description": item.get("description") or "",
        "required": bool(item.get("required")),
    }
    default = item.get("default_value")
    if default not in (None, ""):
        result["default"] = _default(default, type_, f"{where}.default_value")
    if item.get("source"):
        result["source"] = item["source"]
    return result


def _default(text: Any, type_: str, where: str) -> Any:
    if type_ == "string" or not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ConversionError(where, f"{text!r} is not a valid {type_}") from None


def _parse_body(text: Any, where: str) -> Any:
    if text in (None, ""):
        return None
    if not isinstance(text, str):
        return text
    return parse_json(_BARE_TEMPLATE.sub(r'"{{\1}}"', text), where)

"""The one mapping between a workbench connector and an Intercom data connector (REST API 2.16), both ways.

:func:`to_intercom` gives what a push sends (the documented create body: ``name``, ``description``,
``http_method``, ``url``, ``body``, ``headers``, ``data_inputs``, ``token_ids``, ``mock_response``,
``direct_fin_usage``, ``audiences``, ``customer_authentication``, ``bypass_authentication``,
``validate_missing_attributes``; ``state`` goes only in updates) with ``{{env.*}}`` resolved for one
environment, the connector's token as an Intercom token id, and names everything that stays local.
:func:`from_intercom` reads a connector back from Intercom's detail (``GET /data_connectors/{id}``) or from an
export item. The connector file keeps what the workbench does not model under ``intercom`` (:class:`IntercomLink`:
remote id and version, state, audiences, the read-only settings), so a push sends it back unchanged.

An export item is the create body plus ``workbench``: the parts of the connector Intercom cannot hold, so an
import gives the connector back exactly (:func:`export_intercom`, :func:`import_intercom`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, unquote

import orjson
from pydantic import Field, ValidationError

from workbench.importing.errors import ConversionError, as_list
from workbench.importing.fields import response_fields
from workbench.importing.plan import Imported
from workbench.importing.sources import parse_json
from workbench.model import CodeStep, Connector, Procedure, WorkspaceSettings
from workbench.model.base import FileModel
from workbench.model.kinds import steps_of

MASK = "****"
"""How Intercom shows every header value it returns: never sent back."""
LINK_KEY = "intercom"
LOCAL_KEY = "workbench"
TOKEN_ID_KEY = "intercom_token_id"
"""The key of a workbench.json token naming the Intercom token it stands for (Intercom keeps token secrets)."""
SETTINGS = ("direct_fin_usage", "audiences", "customer_authentication", "bypass_authentication")
UPDATE_ONLY = ("state",)
READ_ONLY = (
    "execution_type",
    "configuration_response_type",
    "data_transformation_type",
    "client_function_name",
    "client_function_timeout_ms",
)
VOLATILE = frozenset(
    {"type", "id", "created_at", "updated_at", "created_by_admin_id", "updated_by_admin_id", "execution_results_url"}
)
_TO_INTERCOM = {"string": "string", "integer": "integer", "number": "decimal", "boolean": "boolean"}
_FROM_INTERCOM = {value: key for key, value in _TO_INTERCOM.items()}
_FIELD_TYPES = {"string", "integer", "decimal", "boolean", "datetime"}
_METHODS = ("get", "post", "put", "patch", "delete")
_BARE_TEMPLATE = re.compile(r'(?<!")\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}(?!")')
_ENV = re.compile(r"\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_SECRET = re.compile(r"\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_LOCAL_LABELS = {
    "notes": "its notes",
    "kind": "its kind (Intercom's follows the method)",
    "transform": "its transform",
    "auth": "its token name",
    "inputs": "its inputs' sources and typed defaults",
    "request.timeout_s": "its timeout",
    "request.url": "its {{env.*}} templates (sent resolved)",
    "request.headers": "its header templates",
    "request.query": "its query layout",
    "request.body": "its body layout",
    "response.mode": "its response mode",
    "response.rules": "its dynamic rules",
    "response.example": "its example response (Intercom returns only its fields' example values; status, "
    "headers, latency and sequence stay here)",
    "response.fields": "its declared response fields (Intercom makes its own from the mock response)",
    "response.mappings": "its object mappings (not in Intercom's documented create/update bodies)",
}


class IntercomLink(FileModel):
    """A connector file's ``intercom`` block: what Intercom holds that the connector does not model.

    ``id`` and ``updated_at`` name the remote connector and the version last pulled or pushed; ``synced`` and
    ``remote`` hold a digest per field of what was sent and of what Intercom returned then, for the field-level
    diff. ``token_ids`` are remote token ids no workbench.json token stands for; ``read_only`` the settings
    Intercom returns but its documented bodies cannot change. The other fields are pushed when edited.
    """

    id: str | None = None
    updated_at: str | None = None
    state: Literal["draft", "live"] = "draft"
    direct_fin_usage: bool | None = None
    audiences: list[Literal["leads", "users", "visitors"]] | None = None
    customer_authentication: bool | None = None
    bypass_authentication: bool | None = None
    token_ids: list[str] = Field(default_factory=list)
    read_only: dict[str, Any] = Field(default_factory=dict)
    synced: dict[str, str] = Field(default_factory=dict)
    remote: dict[str, str] = Field(default_factory=dict)


def procedure_content_notes(procedures: dict[str, Procedure]) -> list[str]:
    """Notes naming the code steps an export leaves behind: it writes data connectors only, and Intercom's public
    API has no procedure definitions, so procedures (and the code blocks in them) are authored in Fin itself."""
    return [
        f"procedure {name!r}: code step {step.id!r} ({step.name}) is procedure content, which the data connector "
        "export does not carry: recreate it as a code block in Fin's procedure editor"
        for name, procedure in procedures.items()
        for step in steps_of(procedure.all_steps(), CodeStep)
    ]


def link_of(connector: Connector) -> IntercomLink:
    """The connector's ``intercom`` block (empty when it has none); a bad block is a :class:`ConversionError`."""
    data = (connector.model_extra or {}).get(LINK_KEY)
    if data is None:
        return IntercomLink()
    try:
        return IntercomLink.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise ConversionError(f"{connector.name!r}: intercom.{place}", first["msg"]) from None


def with_link(connector: Connector, link: IntercomLink) -> Connector:
    """``connector`` with ``link`` as its ``intercom`` block."""
    data = connector.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data[LINK_KEY] = link.model_dump(mode="json", exclude_defaults=True)
    return Connector.model_validate(data)


def digest(value: Any) -> str:
    """A short, stable digest of a JSON value (the field-level diff compares these)."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def digests(fields: dict[str, Any]) -> dict[str, str]:
    """A digest per field."""
    return {key: digest(value) for key, value in fields.items()}


def remote_fields(detail: dict[str, Any]) -> dict[str, Any]:
    """The fields of a remote detail that say what the connector is (not who changed it when)."""
    return {key: value for key, value in detail.items() if key not in VOLATILE}


@dataclass
class Outgoing:
    """What a push sends for one connector (``fields``: the create body, plus ``state``), what it holds back
    (``held``: fields that cannot be sent as they are), what stays local (``local``: labels) and what stops the
    connector from being sent at all (``errors``; ``blocked``: what a push refuses and an export notes, a token
    without its Intercom id)."""

    name: str
    fields: dict[str, Any]
    held: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    remainder: dict[str, Any] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)

    def compared(self) -> dict[str, Any]:
        """Every field as it stands here, those held back included (their edits count as changes)."""
        return {**self.fields, **self.kept}

    def create_body(self) -> dict[str, Any]:
        """The ``POST /data_connectors`` body (a new connector starts as a draft)."""
        return {key: value for key, value in self.fields.items() if key not in UPDATE_ONLY}

    def refusals(self) -> list[str]:
        """Why a push cannot send this connector (none: it can)."""
        return self.errors + self.blocked

    def notes(self) -> list[str]:
        """One line per thing the preview names for this connector."""
        lines = [f"{self.name!r}: not sent: {item}" for item in self.held]
        if self.local:
            lines.append(f"{self.name!r}: stays local: {', '.join(self.local)}")
        return lines


def token_names(settings: WorkspaceSettings) -> dict[str, str]:
    """Intercom token id -> the workbench.json token that stands for it."""
    names: dict[str, str] = {}
    for name, token in settings.tokens.items():
        token_id = (token.model_extra or {}).get(TOKEN_ID_KEY)
        if token_id is not None:
            names.setdefault(str(token_id), name)
    return names


def to_intercom(connector: Connector, settings: WorkspaceSettings, environment: str | None = None) -> Outgoing:
    """What a push sends for ``connector`` with ``{{env.*}}`` resolved for ``environment`` (default: the
    workspace's); every value that cannot go is named, never dropped silently, and no secret is ever sent."""
    out = Outgoing(connector.name, {})
    problem = settings.unknown_environment(environment)
    if problem is not None:
        out.errors.append(problem)
    values = {} if problem is not None else settings.environment(environment)
    link = link_of(connector)
    request = connector.request
    url = _resolved(_url_with_query(request.url, request.query), values, "the URL", out)
    if _SECRET.search(url):
        out.errors.append("its URL holds a {{secret.*}}: Intercom attaches secrets only through tokens")
    body = _resolved(_body_template(connector), values, "the body", out)
    if _SECRET.search(body):
        out.errors.append("its body holds a {{secret.*}}: Intercom attaches secrets only through tokens")
    headers = []
    for name, value in request.headers.items():
        value = _resolved(value, values, f"header {name!r}", out)
        if _SECRET.search(value):
            out.held.append(
                f"header {name!r} (it sends a secret; Intercom attaches secrets through tokens: use the "
                f"connector's auth token with an {TOKEN_ID_KEY})"
            )
            continue
        headers.append({"name": name, "value": value})
    fields: dict[str, Any] = {
        "name": connector.name,
        "description": connector.description,
        "http_method": request.method.lower(),
        "url": url,
        "body": body,
        "headers": headers,
        "data_inputs": [
            {
                "name": item.name,
                "type": _TO_INTERCOM[item.type],
                "description": item.description,
                "required": item.required,
                "default_value": "" if item.default is None else _text(item.default),
            }
            for item in connector.inputs
        ],
        "token_ids": _token_ids(connector, settings, link, out),
    }
    if any(item["value"] == MASK for item in headers):
        masked = ", ".join(repr(item["name"]) for item in headers if item["value"] == MASK)
        out.held.append(f"the headers ({masked} holds Intercom's mask {MASK}: set its real value to send the headers)")
        out.kept["headers"] = fields.pop("headers")
    example = connector.response.example
    if example is not None and isinstance(example.body, dict):
        fields["mock_response"] = example.body
    elif example is not None and example.body is not None:
        out.held.append("the example response (Intercom's mock_response is a JSON object)")
    for key in SETTINGS:
        if getattr(link, key) is not None:
            fields[key] = getattr(link, key)
    fields["validate_missing_attributes"] = connector.validate_missing_attributes
    fields["state"] = link.state
    out.fields = fields
    if not out.errors:
        out.remainder = _remainder(connector, fields)
        keys = [key for key in out.remainder if key not in (LINK_KEY, "auth")]
        if "mock_response" in fields and "response.fields" not in keys and not _declares(connector, fields):
            keys.append("response.fields")
        out.local = [_LOCAL_LABELS.get(key, key) for key in keys]
    return out


def _declares(connector: Connector, fields: dict[str, Any]) -> bool:
    """Whether the connector declares exactly the response fields Intercom makes from the mock response."""
    declared = [item.model_dump(include={"path", "type", "redacted"}) for item in connector.response.fields]
    return fields_made_from(fields["mock_response"]) == declared


def fields_made_from(body: Any) -> list[dict[str, Any]]:
    """The response fields (``path``, ``type``, ``redacted``, as a connector declares them) Intercom makes
    from a mock response."""
    return [_field(item, "") for item in response_fields(body)]


def _resolved(text: str, values: dict[str, str], where: str, out: Outgoing) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            out.errors.append(f"{where} uses {{{{env.{name}}}}}, which the environment does not set")
            return match.group()
        return values[name]

    return _ENV.sub(value, text)


def _token_ids(connector: Connector, settings: WorkspaceSettings, link: IntercomLink, out: Outgoing) -> list[str]:
    ids: list[str] = []
    if connector.auth:
        token = settings.tokens.get(connector.auth)
        token_id = (token.model_extra or {}).get(TOKEN_ID_KEY) if token is not None else None
        if token is None:
            out.errors.append(f"its auth names token {connector.auth!r}, which workbench.json does not define")
        elif token_id is None:
            out.blocked.append(
                f"its token {connector.auth!r} has no {TOKEN_ID_KEY} in workbench.json: Intercom keeps token "
                "secrets, so create the token in Intercom and write its id there"
            )
        else:
            ids.append(str(token_id))
    return ids + [token_id for token_id in link.token_ids if token_id not in ids]


def _remainder(connector: Connector, fields: dict[str, Any]) -> dict[str, Any]:
    """The parts of ``connector`` that :func:`from_intercom` of ``fields`` does not give back, by dotted key
    (``null`` for a key the connector does not have)."""
    mine = _full(connector)
    theirs = _full(from_intercom(fields, ""))
    remainder: dict[str, Any] = {}
    for key in mine.keys() | theirs.keys():
        if mine.get(key) == theirs.get(key):
            continue
        if key in ("request", "response") and isinstance(mine.get(key), dict):
            for sub, value in mine[key].items():
                if value != theirs[key].get(sub):
                    remainder[f"{key}.{sub}"] = value
        else:
            remainder[key] = mine.get(key)
    order = [*mine, *theirs]
    return dict(sorted(remainder.items(), key=lambda item: (order.index(item[0].split(".")[0]), item[0])))


def _full(connector: Connector) -> dict[str, Any]:
    return connector.model_dump(mode="json", by_alias=True)


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


def from_intercom(item: Any, where: str, names: dict[str, str] | None = None) -> Connector:
    """The connector an Intercom detail or export item describes; ``names`` maps Intercom token ids to
    workbench.json tokens. An export item's ``workbench`` part is laid over it."""
    if not isinstance(item, dict):
        raise ConversionError(where, "is not an object")
    method = str(item.get("http_method") or "get").lower()
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
    headers = {}
    for index, header in enumerate(as_list(item.get("headers") or [], f"{where}.headers")):
        if not isinstance(header, dict) or not isinstance(header.get("name"), str):
            raise ConversionError(f"{where}.headers.{index}", "is not {name, value}")
        headers[header["name"]] = str(header.get("value") or "")
    token_ids = token_ids_of(item, where)
    auth = next((names[value] for value in token_ids if names and value in names), None)
    link = _link(item, [value for value in token_ids if not (names and names.get(value) == auth)], where)
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
        "inputs": [
            _input(value, f"{where}.data_inputs.{index}")
            for index, value in enumerate(as_list(item.get("data_inputs") or [], f"{where}.data_inputs"))
        ],
        "response": _response(item, where),
        "auth": auth,
        "validate_missing_attributes": bool(item.get("validate_missing_attributes")),
    }
    if link != IntercomLink():
        data[LINK_KEY] = link.model_dump(mode="json", exclude_defaults=True)
    local = item.get(LOCAL_KEY)
    if local is not None:
        data = _laid_over(data, local, f"{where}.{LOCAL_KEY}")
    return _validated(data, where)


def token_ids_of(item: dict[str, Any], where: str = "") -> list[str]:
    """The Intercom token ids a connector detail or export item names."""
    return [str(value) for value in as_list(item.get("token_ids") or [], f"{where}.token_ids")]


def _validated(data: dict[str, Any], where: str) -> Connector:
    try:
        return Connector.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise ConversionError(f"{where}.{place}" if place else where, first["msg"]) from None


def _laid_over(data: dict[str, Any], local: Any, where: str) -> dict[str, Any]:
    if not isinstance(local, dict):
        raise ConversionError(where, "is not an object")
    full = _full(_validated(data, where.rpartition(".")[0]))
    for key, value in local.items():
        head, _, sub = key.partition(".")
        if sub and isinstance(full.get(head), dict):
            full[head][sub] = value
        elif value is None and head not in Connector.model_fields:
            full.pop(head, None)
        else:
            full[head] = value
    return full


def _link(item: dict[str, Any], token_ids: list[str], where: str) -> IntercomLink:
    data: dict[str, Any] = {key: item[key] for key in (*SETTINGS, "state") if item.get(key) is not None}
    data["read_only"] = {key: item[key] for key in READ_ONLY if key in item}
    if item.get("id") is not None:
        data["id"] = str(item["id"])
    if item.get("updated_at") is not None:
        data["updated_at"] = str(item["updated_at"])
    data["token_ids"] = token_ids
    try:
        return IntercomLink.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConversionError(f"{where}.{first['loc'][0]}", first["msg"]) from None


def _response(item: dict[str, Any], where: str) -> dict[str, Any]:
    response: dict[str, Any] = {"mode": "example"}
    fields = as_list(item.get("response_fields") or [], f"{where}.response_fields")
    body = item.get("mock_response")
    if body is None and fields:
        body = _example_of(fields)
    if body is not None:
        response["example"] = {"status": 200, "headers": {"content-type": "application/json"}, "body": body}
    if fields:
        response["fields"] = [_field(value, f"{where}.response_fields.{index}") for index, value in enumerate(fields)]
    mappings = as_list(item.get("object_mappings") or [], f"{where}.object_mappings")
    response["mappings"] = [
        mapping
        for index, value in enumerate(mappings)
        for mapping in _mappings(value, f"{where}.object_mappings.{index}")
    ]
    return response


def _field(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise ConversionError(where, "is not {path, type}")
    type_ = item.get("type")
    return {
        "path": " > ".join(item["path"].split(".")),
        "type": type_ if type_ in _FIELD_TYPES else "string",
        "redacted": bool(item.get("redacted")),
    }


def _example_of(fields: list[Any]) -> dict[str, Any]:
    """An example body built from the fields' example values (all Intercom returns of a mock response)."""
    body: dict[str, Any] = {}
    for item in fields:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        *parents, leaf = item["path"].split(".")
        target = body
        for name in parents:
            nested = target.setdefault(name, {})
            if not isinstance(nested, dict):
                break
            target = nested
        else:
            target[leaf] = item.get("example_value")
    return body


def _mappings(item: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(item, dict):
        raise ConversionError(where, "is not an object")
    namespace = {"user": "User", "conversation": "Conversation"}.get(str(item.get("intercom_object_type")))
    if namespace is None:
        raise ConversionError(f"{where}.intercom_object_type", "is not user or conversation")
    root = [part for part in str(item.get("response_object_path") or "").split(".") if part]
    result = []
    for index, mapping in enumerate(as_list(item.get("attribute_mappings") or [], f"{where}.attribute_mappings")):
        if not isinstance(mapping, dict) or not mapping.get("response_attribute_path"):
            raise ConversionError(f"{where}.attribute_mappings.{index}", "has no response_attribute_path")
        path = [*root, *str(mapping["response_attribute_path"]).split(".")]
        result.append({"from": " > ".join(path), "to": f"{namespace} > {mapping.get('intercom_attribute_identifier')}"})
    return result


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


def export_intercom(
    connectors: list[Connector], settings: WorkspaceSettings, environment: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The export document (each item: what a push sends, plus ``workbench``: what stays local) and the notes
    naming what Intercom cannot hold; a connector that cannot be sent is a :class:`ConversionError`."""
    items, notes = [], []
    for connector in connectors:
        out = to_intercom(connector, settings, environment)
        if out.errors:
            raise ConversionError(repr(connector.name), "; ".join(out.errors))
        notes.extend(out.notes())
        notes.extend(f"{connector.name!r}: no token_ids, and a push refuses it: {item}" for item in out.blocked)
        item = dict(out.fields)
        if out.remainder:
            item[LOCAL_KEY] = out.remainder
        items.append(item)
    return {"data_connectors": items}, notes


def import_intercom(data: Any, where: str, names: dict[str, str] | None = None) -> Imported:
    """Connectors from an Intercom export or API answer: ``{"data_connectors": [...]}``, ``{"data": [...]}``,
    a list or one connector."""
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
        imported.add(from_intercom(item, place, names))
    if not imported.connectors:
        raise ConversionError(where, "holds no data connector")
    return imported

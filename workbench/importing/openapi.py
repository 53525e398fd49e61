"""OpenAPI 3.0 / 3.1 documents -> connectors, one per operation, and drift between a spec and a workspace.

The mapping is written here on plain data rather than through an OpenAPI library: the few parts a connector
needs (servers, parameters, a JSON body, security schemes, a 2xx example) are a small, tolerant walk that
reports every problem at its place in the document, and it stays fast on large specs.

The document's ``servers`` become environments (``{{env.base_url}}``, one per server, the first the default);
a connector's description is the operation's summary (the agent reads it to choose a call), the rest of the
operation's text its ``notes``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.importing.budget import Budget
from workbench.importing.credentials import Secrets, is_secret_header, without_userinfo
from workbench.importing.errors import ConversionError, as_object
from workbench.importing.naming import connector_name, env_name, humanize, input_name, service_name
from workbench.importing.plan import Imported
from workbench.importing.schemas import Resolver, sample, schema_type
from workbench.importing.sources import read_source
from workbench.model import Connector, ConnectorInput, MockResponse
from workbench.store import slugify

SUPPORTED_METHODS = ("get", "post", "put", "patch", "delete")
OTHER_METHODS = ("head", "options", "trace")
ORIGIN_KEY = "origin"
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")
_BASE_URL = "{{env.base_url}}"
_SHORT_SUMMARY = 40
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_EXAMPLE_REF = "#/components/examples/"


@dataclass
class Operation:
    """One operation of the spec: its id (``operationId`` or ``METHOD /path``), where it is, and its data."""

    id: str
    method: str
    path: str
    where: str
    data: dict[str, Any]
    path_item: dict[str, Any]


@dataclass
class Spec:
    """A loaded OpenAPI document and its ``$ref`` resolver."""

    document: dict[str, Any]
    resolver: Resolver
    name: str

    @classmethod
    def load(cls, path: Path) -> Spec:
        """Read and check a spec file; raises :class:`ConversionError` located in it."""
        return cls.from_data(read_source(path, allow_yaml=True), str(path), path)

    @classmethod
    def from_data(cls, document: Any, name: str, path: Path | None = None) -> Spec:
        """A spec from already-parsed data."""
        if not isinstance(document, dict):
            raise ConversionError(name, "is not an OpenAPI document (expected an object at the top)")
        if "swagger" in document:
            raise ConversionError(f"{name}: swagger", "Swagger 2.0 is not supported: convert it to OpenAPI 3")
        version = document.get("openapi")
        if not isinstance(version, str) or not version.startswith("3."):
            raise ConversionError(f"{name}: openapi", "is not an OpenAPI 3.0/3.1 document (no 'openapi: 3.x' key)")
        if not isinstance(document.get("paths"), dict):
            raise ConversionError(f"{name}: paths", "is missing or not an object")
        return cls(document, Resolver(document, path), name)

    def operations(self) -> Iterator[Operation]:
        """Every operation, in document order (``$ref``'d path items followed)."""
        for path, item in self.document["paths"].items():
            where = f"paths.{path}"
            item, _ = self.resolver.resolve(item, where)
            if not isinstance(item, dict):
                raise ConversionError(where, "is not an object")
            for method in (*SUPPORTED_METHODS, *OTHER_METHODS):
                data = item.get(method)
                if data is None:
                    continue
                if not isinstance(data, dict):
                    raise ConversionError(f"{where}.{method}", "is not an object")
                op_id = data.get("operationId")
                yield Operation(
                    op_id if isinstance(op_id, str) and op_id else f"{method.upper()} {path}",
                    method,
                    path,
                    f"{where}.{method}",
                    data,
                    item,
                )


def import_openapi(spec: Spec, *, operations: Sequence[str] = (), tags: Sequence[str] = ()) -> Imported:
    """Connectors for the spec's operations (all, or those named by id or ``METHOD /path``, or tagged).

    The cyclic garbage collector is paused meanwhile: the mapping makes no cycles, and every collection
    would rescan the whole parsed document (most of the cost on large specs).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _import(spec, operations, tags)
    finally:
        if paused:
            gc.enable()


def _import(spec: Spec, operations: Sequence[str], tags: Sequence[str]) -> Imported:
    imported = Imported(environments=server_environments(spec))
    wanted = set(operations)
    found: set[str] = set()
    for operation in spec.operations():
        keys = {operation.id, f"{operation.method.upper()} {operation.path}"}
        if wanted and not keys & wanted:
            continue
        found |= keys & wanted
        listed = operation.data.get("tags")
        if tags and not (isinstance(listed, list) and set(map(str, listed)) & set(tags)):
            continue
        if operation.method in OTHER_METHODS:
            imported.notes.append(f"{operation.where}: {operation.method.upper()} operations are skipped")
            continue
        imported.add(operation_connector(spec, operation, imported.secrets, imported.notes))
    missing = sorted(wanted - found)
    if missing:
        raise ConversionError(f"--operation {missing[0]}", "no such operationId (or 'METHOD /path') in the spec")
    if not imported.connectors:
        raise ConversionError(spec.name, "no operation to import" + (f" with tag {', '.join(tags)}" if tags else ""))
    return imported


@dataclass
class _Builder:
    """The parts of one connector as the operation's pieces are read."""

    spec: Spec
    where: str
    secrets: Secrets
    notes: list[str]
    inputs: list[ConnectorInput] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    path_names: dict[str, str] = field(default_factory=dict)

    def add_input(self, name: str, schema: Any, where: str, **fields: Any) -> str:
        """Add an input (renamed when the name is taken) and return its template."""
        wanted = input_name(name)
        taken = {item.name for item in self.inputs}
        final = wanted if wanted not in taken else input_name(f"{fields.pop('prefix', 'body')}_{wanted}")
        fields.pop("prefix", None)
        counter = 2
        while final in taken:
            final, counter = f"{wanted}_{counter}", counter + 1
        resolved, _ = self.spec.resolver.resolve(schema, where)
        type_ = schema_type(self.spec.resolver, schema, where)
        default = resolved.get("default") if isinstance(resolved, dict) else None
        if isinstance(default, (dict, list)) or (default is not None and not _fits(default, type_)):
            default = None
        description = fields.pop("description", "") or humanize(name)
        self.inputs.append(
            ConnectorInput(name=final, type=type_, description=description, default=default, **fields)  # type: ignore[arg-type]
        )
        return "{{" + final + "}}"


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _fits(value: Any, type_: str) -> bool:
    if type_ == "boolean":
        return isinstance(value, bool)
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


def operation_connector(spec: Spec, operation: Operation, secrets: Secrets, notes: list[str]) -> Connector:
    """The connector for one operation (its generated values within a fresh :class:`Budget`)."""
    spec.resolver.budget = Budget()
    data = operation.data
    builder = _Builder(spec, operation.where, secrets, notes)
    server = _server_url(spec, operation, notes)
    service = _service(spec, operation)
    for parameter, where in _parameters(spec, operation):
        _parameter(builder, parameter, where, service)
    url = server.rstrip("/") + _PATH_PARAMETER.sub(
        lambda match: (
            builder.path_names.get(match.group(1))
            or builder.add_input(match.group(1), {"type": "string"}, operation.where, required=True)
        ),
        operation.path,
    )
    body = _request_body(builder, data.get("requestBody"), f"{operation.where}.requestBody")
    _security(builder, operation, service)
    server_url = _first_server(spec, operation)
    if url.startswith(_BASE_URL) and "://" in server_url:  # the environment holds the URL without its userinfo
        secrets.url(service, server_url, builder.headers)
    if builder.cookies:
        builder.headers["Cookie"] = "; ".join(builder.cookies)
    summary, description = _string(data, "summary").strip(), _string(data, "description").strip()
    operation_id = _string(data, "operationId")
    title = summary or (humanize(operation_id) if operation_id else operation.id)
    short = short_description(summary, description)
    try:
        connector = Connector.model_validate(
            {
                "name": connector_name(title[:80], operation.id),
                "description": short,
                **({"notes": description} if description and description != short else {}),
                "kind": "read" if operation.method == "get" else "action",
                "request": {
                    "method": operation.method.upper(),
                    "url": url,
                    "headers": builder.headers,
                    "query": builder.query,
                    "body": body,
                },
                "inputs": builder.inputs,
                ORIGIN_KEY: {"openapi": operation.id},
            }
        )
    except ValidationError as error:
        raise ConversionError(operation.where, f"cannot become a connector: {error.errors()[0]['msg']}") from None
    example = _example(spec, operation, notes)
    if example is not None:
        connector.response.example = example
    return connector


def short_description(summary: str, description: str) -> str:
    """What the agent reads to choose the call: the summary, with the description's first sentence when the
    summary is short (or alone); markdown links and note blocks left out."""
    sentence = _first_sentence(description)
    if not summary:
        return sentence
    if len(summary) < _SHORT_SUMMARY and sentence and sentence.lower() != summary.lower():
        return f"{summary.rstrip('.')}. {sentence}"
    return summary


def _first_sentence(text: str) -> str:
    for paragraph in re.split(r"\n\s*\n", text):
        plain = " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph).split())
        if plain and not plain.startswith((">", "-", "*", "#", "|")):
            return _SENTENCE_END.split(plain, maxsplit=1)[0].replace("`", "")
    return ""


def _service(spec: Spec, operation: Operation) -> str:
    """The short name of the service the operation's server belongs to (``api`` when it has no host)."""
    url = _first_server(spec, operation)
    return service_name(url) if "://" in url else "api"


def _first_server(spec: Spec, operation: Operation) -> str:
    """The URL of the operation's first server (its own, its path's or the document's), ``""`` when none."""
    for holder in (operation.data, operation.path_item, spec.document):
        servers = holder.get("servers")
        if isinstance(servers, list) and servers:
            return _server(servers[0])
    return ""


def server_environments(spec: Spec) -> dict[str, dict[str, str]]:
    """An environment per absolute server URL of the document (``{"base_url": url}``), named from the server's
    description or host, in the document's order."""
    environments: dict[str, dict[str, str]] = {}
    servers = spec.document.get("servers")
    for server in servers if isinstance(servers, list) else ():
        url = _server(server)
        if "://" not in url:
            continue
        description = _string(server, "description").strip()
        host = without_userinfo(url).split("://", 1)[1].split("/", 1)[0]
        base = slugify(description) if description and len(description) <= 40 else host
        name, counter = base, 2
        while name in environments:
            name, counter = f"{base}-{counter}", counter + 1
        environments[name] = {"base_url": without_userinfo(url).rstrip("/")}
    return environments


def _server(server: Any) -> str:
    """A server's URL with its variables at their defaults (``""`` when it is not a server object)."""
    if not isinstance(server, dict):
        return ""
    url = str(server.get("url", ""))
    variables = server.get("variables") or {}
    for name, variable in variables.items() if isinstance(variables, dict) else ():
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace("{" + name + "}", str(variable["default"]))
    return url


def _server_url(spec: Spec, operation: Operation, notes: list[str]) -> str:
    """``{{env.base_url}}`` for the document's servers; an operation's own server other than those stays written."""
    listed = spec.document.get("servers")
    documented = {_server(item).rstrip("/") for item in listed} if isinstance(listed, list) else set()
    for holder in (operation.data, operation.path_item, spec.document):
        servers = holder.get("servers")
        if not (isinstance(servers, list) and servers and isinstance(servers[0], dict)):
            continue
        url = _server(servers[0]).rstrip("/")
        if "://" not in url:
            _note_base_url(notes)
            return _BASE_URL + url
        if url in documented:
            return _BASE_URL
        notes.append(f"{operation.where}: its own server {url} is written into the URL")
        return url
    _note_base_url(notes)
    return _BASE_URL


def _note_base_url(notes: list[str]) -> None:
    note = "the spec names no server host: URLs start with {{env.base_url}} (set it in workbench.json)"
    if note not in notes:
        notes.append(note)


def _parameters(spec: Spec, operation: Operation) -> list[tuple[dict[str, Any], str]]:
    """The path item's parameters overridden by the operation's (same name and location)."""
    chosen: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for holder, where in ((operation.path_item, f"paths.{operation.path}"), (operation.data, operation.where)):
        listed = holder.get("parameters") or []
        if not isinstance(listed, list):
            raise ConversionError(f"{where}.parameters", "is not a list")
        for index, item in enumerate(listed):
            place = f"{where}.parameters.{index}"
            parameter, _ = spec.resolver.resolve(item, place)
            if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
                raise ConversionError(place, "is not a parameter (no 'name')")
            location = parameter.get("in")
            if location not in ("path", "query", "header", "cookie"):
                raise ConversionError(place, f"'in' is {location!r}, expected path, query, header or cookie")
            chosen[(parameter["name"], location)] = (parameter, place)
    return list(chosen.values())


def _parameter(builder: _Builder, parameter: dict[str, Any], where: str, service: str) -> None:
    name, location = parameter["name"], parameter["in"]
    if location == "header" and name.lower() in ("accept", "content-type", "authorization"):
        return  # described by the content types and security schemes instead
    if location == "header" and is_secret_header(name):
        builder.headers[name] = builder.secrets.template(env_name(service, name), f"the {name} header")
        return
    schema = parameter.get("schema", {})
    content = parameter.get("content")
    if schema == {} and isinstance(content, dict) and content:
        media = next(iter(content.values()))
        schema = media.get("schema", {}) if isinstance(media, dict) else {}
    template = builder.add_input(
        name,
        schema,
        f"{where}.schema",
        description=str(parameter.get("description") or "").strip(),
        required=bool(parameter.get("required")) or location == "path",
        prefix=location,
    )
    if location == "path":
        builder.path_names[name] = template
    elif location == "query":
        builder.query[name] = template
    elif location == "header":
        builder.headers[name] = template
    else:
        builder.cookies.append(f"{name}={template}")


def _request_body(builder: _Builder, body: Any, where: str) -> Any:
    if body is None:
        return None
    body, _ = builder.spec.resolver.resolve(body, where)
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict):
        raise ConversionError(where, "has no 'content'")
    media = next((key for key in content if key.split(";")[0].strip().endswith("json")), None)
    if media is None:
        builder.notes.append(f"{where}: only JSON bodies are imported (this one is {', '.join(content)})")
        return None
    place = f"{where}.content.{media}.schema"
    media_object = as_object(content[media] or {}, f"{where}.content.{media}")
    schema, _ = builder.spec.resolver.resolve(media_object.get("schema", {}), place)
    if not isinstance(schema, dict):
        return None
    if "allOf" in schema or not isinstance(schema.get("properties"), dict):
        return sample(builder.spec.resolver, schema, place)
    listed = schema.get("required")
    required = {item for item in listed if isinstance(item, str)} if isinstance(listed, list) else set()
    example = _media_example(builder, media_object, f"{where}.content.{media}")
    result: dict[str, Any] = {}
    for prop, child in schema["properties"].items():
        child_place = f"{place}.properties.{prop}"
        resolved, _ = builder.spec.resolver.resolve(child, child_place)
        if isinstance(resolved, dict) and resolved.get("readOnly"):
            continue
        value = sample(builder.spec.resolver, child, child_place)
        if isinstance(value, (dict, list)):  # structured: a fixed value, edited in the body by hand
            if isinstance(example, dict) and prop in example:
                result[prop] = builder.spec.resolver.budget.charge(example[prop], f"{where}.content.{media}")
            elif not isinstance(example, dict) or prop in required:  # an example leaving it out: so does the body
                result[prop] = value
            continue
        description = str(resolved.get("description") or "").strip() if isinstance(resolved, dict) else ""
        result[prop] = builder.add_input(
            prop, child, child_place, description=description, required=prop in required, prefix="body"
        )
    return result


def _media_example(builder: _Builder, media_object: dict[str, Any], where: str) -> Any:
    """A media type's ``example``, else its first ``examples`` entry (``_MISSING`` when it has none)."""
    if "example" in media_object:
        return media_object["example"]
    examples = media_object.get("examples")
    if isinstance(examples, dict) and examples:
        key = next(iter(examples))
        return example_value(builder.spec, examples[key], f"{where}.examples.{key}", builder.notes)
    return _MISSING


def _security(builder: _Builder, operation: Operation, service: str) -> None:
    requirements = operation.data.get("security", builder.spec.document.get("security"))
    if not isinstance(requirements, list) or not requirements or not isinstance(requirements[0], dict):
        return
    components = as_object(builder.spec.document.get("components") or {}, "components")
    schemes = as_object(components.get("securitySchemes") or {}, "components.securitySchemes")
    for scheme_name in requirements[0]:
        where = f"components.securitySchemes.{scheme_name}"
        if scheme_name not in schemes:
            raise ConversionError(f"{operation.where}.security", f"scheme {scheme_name!r} is not defined in {where}")
        scheme, _ = builder.spec.resolver.resolve(schemes[scheme_name], where)
        if not isinstance(scheme, dict):
            raise ConversionError(where, "is not an object")
        secret = env_name(service, scheme_name)
        kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        if kind == "apiKey":
            key = str(scheme.get("name", scheme_name))
            template = builder.secrets.template(secret, f"the API key sent as {key}")
            target = {"header": builder.headers, "query": builder.query}.get(str(scheme.get("in")))
            if target is None:
                builder.cookies.append(f"{key}={template}")
            else:
                target[key] = template
        elif kind == "http" and http_scheme == "basic":
            builder.headers["Authorization"] = "Basic " + builder.secrets.template(secret, "user:password in base64")
        elif kind in ("http", "oauth2", "openIdConnect"):
            builder.headers["Authorization"] = "Bearer " + builder.secrets.template(secret, "an access token")
        else:
            builder.notes.append(f"{where}: security scheme type {kind!r} is not imported")


def _example(spec: Spec, operation: Operation, notes: list[str]) -> MockResponse | None:
    responses = operation.data.get("responses") or {}
    if not isinstance(responses, dict):
        raise ConversionError(f"{operation.where}.responses", "is not an object")
    code = next((key for key in responses if str(key).startswith("2")), None)
    if code is None:
        return None
    where = f"{operation.where}.responses.{code}"
    response, _ = spec.resolver.resolve(responses[code], where)
    status = int(code) if str(code).isdigit() and 200 <= int(code) <= 299 else 200
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict):
        return MockResponse(status=status)
    media = next((key for key in content if key.split(";")[0].strip().endswith("json")), None)
    if media is None:
        return MockResponse(status=status)
    place = f"{where}.content.{media}"
    entry = as_object(content[media] or {}, place)
    body: Any = _MISSING
    if "example" in entry:
        body = entry["example"]
    elif isinstance(entry.get("examples"), dict) and entry["examples"]:
        first_key = next(iter(entry["examples"]))
        body = example_value(spec, entry["examples"][first_key], f"{place}.examples.{first_key}", notes)
    if body is _MISSING:
        body = sample(spec.resolver, entry.get("schema", {}), f"{place}.schema")
    body = spec.resolver.budget.charge(body, place)
    return MockResponse(status=status, headers={"content-type": "application/json"}, body=body)


_MISSING: Any = object()


def example_value(spec: Spec, example: Any, where: str, notes: list[str]) -> Any:
    """The value of an Example Object in every form descriptions use: given by ``$ref``, a ``value`` that is
    itself a ``$ref`` to an example, an ``externalValue`` file under the spec's folder. Anything else is noted
    and stands as missing (the schema's sample is used instead)."""
    try:
        example, _ = spec.resolver.resolve(example, where)
        if not isinstance(example, dict):
            raise ConversionError(where, "is not an Example Object")
        if "value" in example:
            value = example["value"]
            if isinstance(value, dict) and set(value) == {"$ref"} and isinstance(value["$ref"], str):
                target, ref = spec.resolver.resolve(value, f"{where}.value")
                from_examples = ref.partition("#")[2].startswith(_EXAMPLE_REF[1:])
                value = target.get("value") if from_examples and isinstance(target, dict) else target
            return value
        external = example.get("externalValue")
        if isinstance(external, str) and external:
            if "://" in external or external.startswith("//"):
                raise ConversionError(f"{where}.externalValue", f"{external!r} is on the network: not read")
            return read_source(spec.resolver.local_file(external, f"{where}.externalValue"), allow_yaml=True)
        raise ConversionError(where, "has no value")
    except ConversionError as error:
        notes.append(f"{error}: the example is made from the schema instead")
        return _MISSING

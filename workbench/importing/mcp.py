"""Connectors from an MCP server's tools (``workbench import mcp``), and drift between them (``--check``).

:func:`read_tools` initializes a session with the server and reads every page of ``tools/list``;
:func:`import_mcp` makes one connector per tool (inputs from its input JSON Schema) and the server's entry of
``workbench.json``'s ``mcp_servers``, with credentials in its headers and environment templated by the one
credential detector; :func:`check_mcp_drift` compares the connectors of a server with a fresh listing.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mcp_types as types

from workbench.connectors.masking import masker_of
from workbench.connectors.mcp import RenderedServer, classify, connect, list_tools, log_tail, temporary_log
from workbench.connectors.secrets import Masker
from workbench.importing.credentials import Secrets
from workbench.importing.drift import Drift
from workbench.importing.errors import ConversionError
from workbench.importing.naming import connector_name, humanize, service_name
from workbench.importing.plan import Imported
from workbench.model import Connector, ConnectorInput, McpServer
from workbench.store import Workspace

_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}


@dataclass(frozen=True)
class McpSource:
    """Where the tools come from: a streamable HTTP ``url`` with ``headers``, or a stdio ``command`` line with
    ``env``; ``name`` is the server's name in ``mcp_servers``."""

    name: str
    url: str | None = None
    headers: dict[str, str] | None = None
    command: str | None = None
    env: dict[str, str] | None = None
    timeout_s: float = 30.0

    @classmethod
    def of(
        cls,
        url: str | None,
        stdio: str | None,
        *,
        name: str | None = None,
        headers: Sequence[str] = (),
        env: Sequence[str] = (),
    ) -> McpSource:
        """A source from the command line's ``URL`` or ``--stdio "CMD ARGS"``, ``--header 'Name: value'`` and
        ``--env NAME=VALUE``; raises :class:`ConversionError` for a malformed one."""
        if (url is None) == (stdio is None):
            raise ConversionError("source", 'give either the server\'s URL or --stdio "COMMAND ARGS"')
        pairs = {}
        for text in headers:
            key, colon, value = text.partition(":")
            if not colon or not key.strip():
                raise ConversionError("--header", f"{text!r} is not 'Name: value'")
            pairs[key.strip()] = value.strip()
        variables = {}
        for text in env:
            key, equals, value = text.partition("=")
            if not equals or not key.strip():
                raise ConversionError("--env", f"{text!r} is not NAME=VALUE")
            variables[key.strip()] = value
        if stdio is not None:
            try:
                words = shlex.split(stdio)
            except ValueError as error:
                raise ConversionError("--stdio", f"cannot split the command line: {error}") from None
            if not words:
                raise ConversionError("--stdio", "the command line is empty")
            return cls(name or _server_name(words), command=stdio, env=variables)
        if pairs and url is None:
            raise ConversionError("--header", "headers belong to a URL server")
        return cls(name or service_name(url or "") or "mcp", url=url, headers=pairs)

    def rendered(self) -> RenderedServer:
        """The server to connect to (the real header and environment values)."""
        words = shlex.split(self.command) if self.command else []
        return RenderedServer(
            name=self.name,
            url=self.url,
            headers=dict(self.headers or {}),
            command=words[0] if words else None,
            args=words[1:],
            env=dict(self.env or {}),
            cwd=None,
            timeout_s=self.timeout_s,
            start_timeout_s=self.timeout_s,
        )

    def masker(self) -> Masker:
        """A masker of the credentials given (those the detector templates): a failure may quote them."""
        secrets = Secrets()
        definition = self.definition(secrets)
        given = {**(self.headers or {}), **(self.env or {})}
        written = {**definition.headers, **definition.env}
        secret = [value for key, value in given.items() if written.get(key) != value]
        return masker_of([*secret, *(value.split()[-1] for value in secret if value.split())])

    def definition(self, secrets: Secrets) -> McpServer:
        """The ``mcp_servers`` entry to write: credentials templated as ``{{secret.NAME}}``."""
        service = self.name
        if self.url is not None:
            headers = dict(self.headers or {})
            url = secrets.url(service, self.url, headers)
            templated = {key: secrets.header(service, key, value) for key, value in headers.items()}
            return McpServer(url=url, headers=templated)
        words = shlex.split(self.command or "")
        return McpServer(
            command=words[0],
            args=words[1:],
            env={key: secrets.variable(service, key, value) for key, value in (self.env or {}).items()},
        )


def _server_name(words: list[str]) -> str:
    """A server name from its command line: its last plain word (``server`` of ``python -m my.server``, ``x``
    of ``npx -y @acme/x``), else the program's name."""
    for word in reversed(words[1:]):
        name = re.sub(r"[^A-Za-z0-9_]+", "-", word.rpartition("/")[2].rpartition(".")[2]).strip("-")
        if name and not word.startswith("-"):
            return name[:40]
    return re.sub(r"[^A-Za-z0-9_]+", "-", Path(words[0]).name).strip("-") or "mcp"


async def read_tools(source: McpSource) -> list[types.Tool]:
    """Every tool the server lists; raises :class:`ConversionError` saying why it cannot be read."""
    server = source.rendered()
    with temporary_log() as errlog:
        try:
            async with asyncio.timeout(source.timeout_s), connect(server, errlog) as client:
                return await list_tools(client)
        except TimeoutError:
            message = f"the MCP server did not list its tools within {source.timeout_s:g}s"
            raise ConversionError("server", message) from None
        except Exception as error:  # the SDK's, the transport's: each classified
            message = classify(error, server, log_tail(errlog)).message
            raise ConversionError("server", source.masker().text(message)) from None


def schema_inputs(schema: dict[str, Any], notes: list[str], tool: str) -> list[ConnectorInput]:
    """The inputs a tool's input JSON Schema declares: type (objects and arrays as JSON text), required,
    description; a property whose name cannot be an input is left out, with a note."""
    properties = schema.get("properties")
    required = set(schema.get("required") or [])
    inputs = []
    for name, spec in (properties or {}).items() if isinstance(properties, dict) else ():
        spec = spec if isinstance(spec, dict) else {}
        kind = spec.get("type")
        kind = next((item for item in kind if item != "null"), None) if isinstance(kind, list) else kind
        try:
            item = ConnectorInput(
                name=name,
                type=_TYPES.get(kind if isinstance(kind, str) else "", "string"),  # type: ignore[arg-type]
                description=str(spec.get("description") or ""),
                required=name in required,
            )
        except ValueError:
            notes.append(f"tool {tool!r}: its argument {name!r} cannot be an input name, so it is not an input")
            continue
        if kind in ("object", "array"):
            item.description = (item.description + " " if item.description else "") + f"(JSON {kind})"
        inputs.append(item)
    return inputs


def tool_connector(server: str, tool: types.Tool, listed: list[str], notes: list[str]) -> Connector:
    """The connector of one tool (its name from the tool's title or name), answering live."""
    return Connector.model_validate(
        {
            "name": connector_name(tool.title or humanize(tool.name), tool.name),
            "description": tool.description or "",
            "inputs": [item.model_dump() for item in schema_inputs(tool.input_schema, notes, tool.name)],
            "response": {"mode": "live"},
            "mcp": {"server": server, "tool": tool.name, "input_schema": tool.input_schema, "listed": listed},
        }
    )


def import_mcp(source: McpSource, tools: list[types.Tool], only: Collection[str] = ()) -> Imported:
    """One connector per tool (only those named in ``only``, when given) and the server's definition."""
    names = [tool.name for tool in tools]
    unknown = [name for name in only if name not in names]
    if unknown:
        raise ConversionError(
            "--tool",
            f"the server lists no tool {', '.join(map(repr, unknown))} (it lists: {', '.join(names) or 'none'})",
        )
    imported = Imported()
    imported.mcp_servers[source.name] = source.definition(imported.secrets)
    for tool in tools:
        if not only or tool.name in only:
            imported.add(tool_connector(source.name, tool, names, imported.notes))
    return imported


def check_mcp_drift(workspace: Workspace, server: str, tools: list[types.Tool]) -> tuple[list[Drift], int]:
    """The drifts between the connectors of ``server`` and its tools now (a removed tool, a changed input
    schema), and how many connectors were checked."""
    listing = {tool.name: tool for tool in tools}
    drifts: list[Drift] = []
    checked = 0
    for name, document in sorted(workspace.connectors.items()):
        mcp = document.model.mcp
        if mcp is None or mcp.server != server:
            continue
        checked += 1
        tool = listing.get(mcp.tool)
        if tool is None:
            drifts.append(Drift(name, document.path, f"the server no longer lists the tool {mcp.tool!r}"))
        elif tool.input_schema != mcp.input_schema:
            drifts.append(
                Drift(
                    name,
                    document.path,
                    f"the input schema of {mcp.tool!r} changed: {_schema_change(mcp.input_schema, tool.input_schema)}",
                )
            )
    return drifts, checked


def _schema_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """What changed between two input schemas, in words."""
    before, after = old.get("properties") or {}, new.get("properties") or {}
    parts = [f"new argument {name!r}" for name in after if name not in before]
    parts += [f"argument {name!r} removed" for name in before if name not in after]
    parts += [f"argument {name!r} changed" for name in after if name in before and after[name] != before[name]]
    if set(old.get("required") or []) != set(new.get("required") or []):
        parts.append(f"required is now {sorted(new.get('required') or [])}")
    return ", ".join(parts) or "it differs"

"""MCP (Model Context Protocol) servers of ``workbench.json`` and the tool an MCP connector calls."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from workbench.model.base import FileModel


class McpServer(FileModel):
    """An MCP server (``workbench.json``'s ``mcp_servers``): a streamable HTTP ``url`` (its ``headers`` may
    template ``{{env.NAME}}`` and ``{{secret.NAME}}``, and ``auth`` names a workspace token sent in its header as
    an HTTP connector's ``auth`` is), or a stdio ``command`` with ``args`` and ``env`` (also templated), started
    for each run. ``start_timeout_s`` bounds starting or connecting to it (initialize included), ``timeout_s``
    each tool call."""

    url: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    auth: str | None = Field(default=None, min_length=1)
    command: str | None = None
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    cwd: str | None = None
    timeout_s: int | float = Field(default=10, gt=0, le=600)
    start_timeout_s: int | float = Field(default=30, gt=0, le=600)

    @model_validator(mode="after")
    def _one_transport(self) -> McpServer:
        if (self.url is None) == (self.command is None):
            raise ValueError("an MCP server has either a 'url' (streamable HTTP) or a 'command' (stdio), not both")
        if self.url is not None and (self.args or self.env or self.cwd):
            raise ValueError("'args', 'env' and 'cwd' belong to a stdio server ('command'), not to a 'url' one")
        if self.command is not None and (self.headers or self.auth):
            raise ValueError("'headers' and 'auth' belong to a streamable HTTP server ('url'), not to a 'command' one")
        return self

    @property
    def label(self) -> str:
        """Where the server is, for messages: its URL, or its command line."""
        return self.url if self.url is not None else " ".join([self.command or "", *self.args])


class McpTool(FileModel):
    """The tool an MCP connector calls: the ``server`` (a name of ``mcp_servers``), the ``tool`` name, the
    tool's input JSON Schema as last imported, and the names of every tool the server listed then
    (``listed``), for lint and drift checks."""

    server: str = Field(min_length=1)
    tool: str = Field(min_length=1)
    input_schema: dict[str, Any] = Field(default_factory=dict)
    listed: list[str] = Field(default_factory=list)

    def declared_inputs(self) -> set[str] | None:
        """The argument names the schema declares (``None``: the schema declares no properties to check)."""
        properties = self.input_schema.get("properties")
        return set(properties) if isinstance(properties, dict) else None

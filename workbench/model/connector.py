"""A data connector: one HTTP endpoint (or one MCP tool), its inputs and how its response is produced (live or
mocked)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from workbench.model.base import FileModel
from workbench.model.mcp import McpTool

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
InputType = Literal["string", "number", "integer", "boolean"]
ResponseMode = Literal["live", "example", "dynamic"]
Fault = Literal["timeout", "malformed_json", "empty_body", "disconnect"]
RuleOp = Literal["equals", "contains", "regex", "exists"]
Exhausted = Literal["repeat_last", "fail"]
FieldType = Literal["string", "integer", "decimal", "boolean", "datetime"]
MAPPING_NAMESPACES = ("User", "Conversation")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP header name (RFC 9110 token)."""
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_STAND_IN = "__mcp_stand_in__"


class Request(FileModel):
    """The HTTP request; strings may hold ``{{input}}``, ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates."""

    method: HttpMethod = "GET"
    url: str
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    timeout_s: int | float = Field(default=10, gt=0, le=600)

    @field_validator("method", mode="before")
    @classmethod
    def _upper_method(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class ConnectorInput(FileModel):
    """A value the connector needs; filled from ``source``, ``default`` or by asking the customer."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    type: InputType = "string"
    description: str = ""
    required: bool = False
    default: Any = None
    source: str | None = None


class MockResponse(FileModel):
    """A canned response: used as a connector's example, a dynamic rule's answer and a scenario override.

    ``body`` is JSON; ``body_text``, when set, is served verbatim instead (to rehearse bodies that are not
    JSON); ``fault`` simulates a failure instead of answering.

    A sequence: the first call gets this response, the next calls get the ``then`` responses in order; once
    they are used up, ``exhausted`` says whether the last one repeats (``repeat_last``) or the call fails with
    HTTP 500 (``fail``). ``set_state`` sets mock state flags when this response is served, which dynamic
    rules test with ``when_state`` (a read connector answering differently after an action ran).
    """

    status: int = Field(default=200, ge=200, le=599, description="the final HTTP status, 200-599")
    headers: dict[str, str] = Field(default_factory=dict)
    latency_ms: int = Field(default=0, ge=0, le=600_000)
    body: Any = None
    body_text: str | None = None
    fault: Fault | None = None
    then: list[MockResponse] = Field(default_factory=list)
    exhausted: Exhausted = "repeat_last"
    set_state: dict[str, Any] = Field(default_factory=dict)

    @field_validator("headers")
    @classmethod
    def _sendable_headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not HEADER_NAME.fullmatch(name):
                raise ValueError(f"header name {name!r} is not a valid HTTP header name (letters, digits, - and _)")
            bad = _CONTROL.search(value)
            if bad is not None:
                raise ValueError(
                    f"header {name!r} holds the control character {bad.group()!r} at character {bad.start() + 1}: "
                    "a header value is one line of text"
                )
        return headers

    @field_validator("then")
    @classmethod
    def _flat_sequence(cls, then: list[MockResponse]) -> list[MockResponse]:
        if any(item.then for item in then):
            raise ValueError("a response in 'then' cannot have its own 'then': list every response in one sequence")
        return then

    def nth(self, index: int) -> MockResponse | None:
        """The answer to call ``index`` (0-based) of the sequence; ``None`` once it is exhausted and fails."""
        if index == 0:
            return self
        if index <= len(self.then):
            return self.then[index - 1]
        if self.exhausted == "fail":
            return None
        return self.then[-1] if self.then else self


class RuleMatch(FileModel):
    """One test on a connector input inside a dynamic rule (``regex`` patterns use RE2 syntax: matching takes
    linear time, and back-references and look-around are refused)."""

    input: str
    op: RuleOp = "equals"
    value: Any = None


class DynamicRule(FileModel):
    """A dynamic-mock rule: when every match holds (no matches: always), answer with ``response``.

    ``when_state`` holds when every named mock state flag has the given value (``null``: not set), so a rule
    can answer differently once another call's response set a flag. String values in the response body may
    template inputs with ``{{input}}``.
    """

    name: str = ""
    when: list[RuleMatch] = Field(default_factory=list)
    when_state: dict[str, Any] = Field(default_factory=dict)
    response: MockResponse


class ResponseField(FileModel):
    """A declared field of the response (what the procedure sees, after the transform): its attribute path
    below the connector (``customer > email``), its type, and whether its value is ``redacted`` (shown as ``***``
    everywhere while conditions still use it)."""

    path: str = Field(min_length=1)
    type: FieldType = "string"
    redacted: bool = False
    description: str = ""


class ObjectMapping(FileModel):
    """After a successful call, the response value at ``from`` (a path below the connector) is written into the
    ``User`` or ``Conversation`` attribute ``to`` (``User > tier``)."""

    from_: str = Field(alias="from", min_length=1)
    to: str

    @field_validator("to")
    @classmethod
    def _mapped_namespace(cls, path: str) -> str:
        head, _, rest = path.partition(">")
        if head.strip() not in MAPPING_NAMESPACES or not rest.strip():
            raise ValueError(f"must be a path under {' or '.join(MAPPING_NAMESPACES)}, e.g. 'User > tier'")
        return path


class ResponseConfig(FileModel):
    """How the connector's response is produced, its declared ``fields`` and its object ``mappings``."""

    mode: ResponseMode = "example"
    example: MockResponse | None = None
    rules: list[DynamicRule] = Field(default_factory=list)
    fields: list[ResponseField] = Field(default_factory=list)
    mappings: list[ObjectMapping] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _unique_field_paths(cls, fields: list[ResponseField]) -> list[ResponseField]:
        seen: set[str] = set()
        for item in fields:
            key = " > ".join(part.strip() for part in item.path.split(">"))
            if key in seen:
                raise ValueError(f"field {item.path!r} is declared twice")
            seen.add(key)
        return fields


class Connector(FileModel):
    """A data connector file (``connectors/*.json``).

    ``auth`` names a token of workbench.json's ``tokens``; with ``validate_missing_attributes`` the call stops
    before it is made when a required input's ``source`` attribute is empty (instead of asking the customer).
    ``description`` is what the agent reads to choose the call; ``notes`` are the authors' own (never sent).
    An MCP connector has ``mcp`` (the server and tool it calls) instead of ``request``.
    """

    name: str = Field(min_length=1, pattern=r"^[^()>]*[^()>\s][^()>]*$")
    description: str = ""
    notes: str = ""
    kind: Literal["read", "action"] = "read"
    mcp: McpTool | None = None
    request: Request
    inputs: list[ConnectorInput] = Field(default_factory=list)
    response: ResponseConfig = Field(default_factory=ResponseConfig)
    transform: str | None = None
    auth: str | None = None
    validate_missing_attributes: bool = False

    @model_validator(mode="before")
    @classmethod
    def _mcp_request(cls, data: Any) -> Any:
        """An MCP connector has no HTTP request: it gets a stand-in (never written, see :meth:`_unset_stand_in`)."""
        if isinstance(data, dict) and data.get("mcp") is not None and _stand_in(data.get("request")):
            mcp = data["mcp"]
            where = f"{mcp.get('server', '')}/{mcp.get('tool', '')}" if isinstance(mcp, dict) else ""
            return {**data, "request": {"method": "POST", "url": f"mcp://{where}", _STAND_IN: True}}
        return data

    @model_validator(mode="after")
    def _unset_stand_in(self) -> Connector:
        if isinstance(self.request, Request) and (self.request.model_extra or {}).pop(_STAND_IN, False):
            self.__pydantic_fields_set__.discard("request")
        return self

    @property
    def is_mcp(self) -> bool:
        """Whether this connector calls an MCP tool (``mcp``) rather than an HTTP endpoint."""
        return self.mcp is not None

    @field_validator("inputs")
    @classmethod
    def _unique_input_names(cls, inputs: list[ConnectorInput]) -> list[ConnectorInput]:
        seen: set[str] = set()
        for item in inputs:
            if item.name in seen:
                raise ValueError(f"input {item.name!r} is defined twice")
            seen.add(item.name)
        return inputs

    def input(self, name: str) -> ConnectorInput | None:
        """The input called ``name``, if any."""
        return next((item for item in self.inputs if item.name == name), None)

    def sample(self) -> MockResponse | None:
        """The response that stands for this connector's when nothing ran: the example, else the first rule's."""
        if self.response.example is not None:
            return self.response.example
        return self.response.rules[0].response if self.response.rules else None

    def sample_payload(self) -> Any:
        """The body of :meth:`sample` (``None`` without one)."""
        sample = self.sample()
        return sample.body if sample is not None else None


def _stand_in(request: Any) -> bool:
    """Whether an MCP connector's ``request`` is missing or the stand-in (an ``mcp://`` URL, as dumped)."""
    if request is None:
        return True
    url = request.get("url") if isinstance(request, dict) else None  # a Request object is kept as it is
    return isinstance(url, str) and url.startswith("mcp://")

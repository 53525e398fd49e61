"""The optional ``workbench.json``: workspace name, environments, default attribute values, limits, model agent."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from workbench.mentions import suggest
from workbench.model.auth import Token
from workbench.model.base import FileModel
from workbench.model.mcp import McpServer


class Limits(FileModel):
    """Budgets the workspace may tune."""

    sandbox_timeout_s: int | float = Field(default=1.0, gt=0, le=60)
    sandbox_memory_mb: int = Field(default=256, ge=32, le=16384)
    max_response_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    large_response_bytes: int = Field(default=20_000, ge=1)
    large_response_attributes: int = Field(default=60, ge=1)


class AgentSettings(FileModel):
    """The language model that plays the agent (and, in simulations, the customer and the judge).

    Any OpenAI-compatible chat-completions endpoint: OpenAI, Ollama (``http://localhost:11434/v1``), vLLM,
    LM Studio, LiteLLM's proxy. ``api_key`` must be a ``{{secret.NAME}}`` template (read from the
    environment, never written anywhere); leave it out for a local server that needs none. ``timeout_s``
    bounds one call, ``run_timeout_s`` every call of one run together; ``max_retries`` retries a call that
    got 429 or a 5xx status (``Retry-After`` honoured). ``customer_model`` and ``judge_model`` default to
    ``model``. ``seed`` is sent with every request (OpenAI, Ollama and vLLM accept one) for steadier replies. A model is called only by ``workbench simulate`` and ``workbench test --live-agent``.
    """

    base_url: str = Field(default="http://localhost:11434/v1", min_length=1)
    model: str = Field(default="", description="the model name, e.g. 'llama3.1' or 'gpt-4o-mini'")
    api_key: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    timeout_s: float = Field(default=60.0, gt=0, le=3600)
    run_timeout_s: float = Field(default=600.0, gt=0, le=86400)
    max_tokens: int | None = Field(default=None, ge=1)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_response_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    customer_model: str | None = None
    judge_model: str | None = None
    seed: int | None = None


class WorkspaceSettings(FileModel):
    """``workbench.json``; every key is optional. ``tokens`` are the authentication tokens connectors name in
    their ``auth``; their secrets come from ``{{secret.NAME}}`` templates (the environment, or a ``.env`` file).
    ``mcp_servers`` are the MCP servers MCP connectors name."""

    name: str = ""
    environments: dict[str, dict[str, str]] = Field(default_factory=dict)
    default_environment: str | None = None
    attributes: dict[Literal["User", "Company", "Conversation"], dict[str, Any]] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    agent: AgentSettings | None = None
    tokens: dict[str, Token] = Field(default_factory=dict)
    mcp_servers: dict[str, McpServer] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_default_environment(self) -> WorkspaceSettings:
        if self.default_environment is not None and self.default_environment not in self.environments:
            raise ValueError(f"default_environment {self.default_environment!r} is not one of environments")
        return self

    def environment_name(self, name: str | None = None) -> str | None:
        """The environment in use: ``name``, else the default one, else the only one, else none: the one rule every
        caller follows (the engine, templates, the mock server, export, the run bar and the connector's environment
        picker; ``tests/test_architecture.py`` fails on another). With several environments and no default none is
        in use."""
        if name:
            return name
        if self.default_environment:
            return self.default_environment
        return next(iter(self.environments)) if len(self.environments) == 1 else None

    def unknown_environment(self, name: str | None) -> str | None:
        """The problem with choosing environment ``name`` (``unknown environment 'x' (did you mean 'y'?)``, else
        with the known ones), or ``None`` when it is one of :attr:`environments` or no name is given: the one
        wording the CLI, the engine, the mock server, scenarios and templates use."""
        if not name or name in self.environments:
            return None
        hint = suggest(name, self.environments)
        detail = (
            f"did you mean {hint!r}?" if hint else f"known: {', '.join(self.environments) or 'none in workbench.json'}"
        )
        return f"unknown environment {name!r} ({detail})"

    def with_attribute(self, path: str, sample: Any = "") -> WorkspaceSettings:
        """These settings with ``path`` (``User > plan`` or deeper, ``User > address > city``) declared with a
        ``sample`` value; what is declared already stays. Raises ``ValueError`` for a path outside User,
        Company and Conversation or one that runs into a declared value that is not an object."""
        namespace, *names = [segment.strip() for segment in path.split(">")]
        if namespace not in ("User", "Company", "Conversation") or not names or not all(names):
            raise ValueError(f"{path!r} is not an attribute of User, Company or Conversation")
        data = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        container = data.setdefault("attributes", {}).setdefault(namespace, {})
        for depth, name in enumerate(names[:-1], 1):
            container = container.setdefault(name, {})
            if not isinstance(container, dict):
                raise ValueError(f"{' > '.join([namespace, *names[:depth]])} is a value, not an object")
        container.setdefault(names[-1], sample)
        return WorkspaceSettings.model_validate(data)

    def environment(self, name: str | None = None) -> dict[str, str]:
        """The values of the environment in use (see :meth:`environment_name`); ``KeyError`` for an unknown one."""
        chosen = self.environment_name(name)
        if chosen is None:
            return {}
        if chosen not in self.environments:
            raise KeyError(chosen)
        return self.environments[chosen]

"""The optional ``workbench.json``: workspace name, environments, default attribute values, limits."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from workbench.model.auth import Token
from workbench.model.base import FileModel


class Limits(FileModel):
    """Budgets the workspace may tune."""

    sandbox_timeout_s: int | float = Field(default=1.0, gt=0, le=60)
    sandbox_memory_mb: int = Field(default=256, ge=32, le=16384)
    max_response_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    large_response_bytes: int = Field(default=20_000, ge=1)
    large_response_attributes: int = Field(default=60, ge=1)


class WorkspaceSettings(FileModel):
    """``workbench.json``; every key is optional. ``tokens`` are the authentication tokens connectors name in
    their ``auth``; their secrets come from ``{{secret.NAME}}`` templates (the environment, or a ``.env`` file)."""

    name: str = ""
    environments: dict[str, dict[str, str]] = Field(default_factory=dict)
    default_environment: str | None = None
    attributes: dict[Literal["User", "Company", "Conversation"], dict[str, Any]] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    tokens: dict[str, Token] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_default_environment(self) -> WorkspaceSettings:
        if self.default_environment is not None and self.default_environment not in self.environments:
            raise ValueError(f"default_environment {self.default_environment!r} is not one of environments")
        return self

    def environment(self, name: str | None = None) -> dict[str, str]:
        """The values of the named environment, else the default one, else the only one, else none."""
        chosen = name or self.default_environment
        if chosen is None and len(self.environments) == 1:
            chosen = next(iter(self.environments))
        if chosen is None:
            return {}
        if chosen not in self.environments:
            raise KeyError(chosen)
        return self.environments[chosen]

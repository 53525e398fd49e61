"""The optional ``workbench.json``: workspace name, environments, default attribute values, limits."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from workbench.model.base import FileModel


class Limits(FileModel):
    """Budgets the workspace may tune."""

    sandbox_timeout_s: int | float = Field(default=1.0, gt=0, le=60)
    sandbox_memory_mb: int = Field(default=256, ge=32, le=16384)
    max_response_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    large_response_bytes: int = Field(default=20_000, ge=1)
    large_response_attributes: int = Field(default=60, ge=1)


class WorkspaceSettings(FileModel):
    """``workbench.json``; every key is optional."""

    name: str = ""
    environments: dict[str, dict[str, str]] = Field(default_factory=dict)
    default_environment: str | None = None
    attributes: dict[Literal["User", "Company", "Conversation"], dict[str, Any]] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)

    @model_validator(mode="after")
    def _known_default_environment(self) -> WorkspaceSettings:
        if self.default_environment is not None and self.default_environment not in self.environments:
            raise ValueError(f"default_environment {self.default_environment!r} is not one of environments")
        return self

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
        """The values of the named environment, else the default one, else the only one, else none."""
        chosen = name or self.default_environment
        if chosen is None and len(self.environments) == 1:
            chosen = next(iter(self.environments))
        if chosen is None:
            return {}
        if chosen not in self.environments:
            raise KeyError(chosen)
        return self.environments[chosen]

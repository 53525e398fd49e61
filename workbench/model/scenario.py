"""A scenario: one pinned run of a procedure with given attributes, answers, decisions and mocks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from workbench.model.base import FileModel
from workbench.model.connector import MockResponse, ResponseMode

Decision = bool | int | str


class Expectations(FileModel):
    """What the run must show; a field left out is not checked."""

    path: list[str] | None = None
    calls: list[str] | None = None
    messages_contain: list[str] = Field(default_factory=list)
    outcome: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    errors: list[str] | None = None


class Scenario(FileModel):
    """A scenario file (``scenarios/*.json``).

    ``attributes`` maps ``User`` / ``Company`` / ``Conversation`` to their values. ``answers`` are the
    customer's replies, keyed by collect step id, attribute path or connector input name. ``decisions``
    settle ``describe`` conditions by step id: ``true``/``false``, a branch index, or a branch's text.
    ``mocks`` override connectors' responses by connector name.
    """

    name: str = Field(min_length=1)
    description: str = ""
    procedure: str
    mode: ResponseMode | None = None
    environment: str | None = None
    attributes: dict[Literal["User", "Company", "Conversation"], dict[str, Any]] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    mocks: dict[str, MockResponse] = Field(default_factory=dict)
    expect: Expectations = Field(default_factory=Expectations)

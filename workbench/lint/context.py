"""Everything the lint rules share: the models, where they live, attribute availability and the references."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, cast

from workbench import mentions
from workbench.attributes import AttributeCatalog, FlowAnalysis, Resolution
from workbench.code_reads import code_reads
from workbench.jsonfile import location_of
from workbench.lint.code import node_position, parse_expression, temporary_keys
from workbench.lint.finding import Finding, Severity
from workbench.model import (
    BUILTIN_NAMESPACES,
    AnyStep,
    Connector,
    Procedure,
    Scenario,
    WorkspaceSettings,
    child_lists,
)
from workbench.model.kinds import kind_of, reads, words_of
from workbench.sandbox.positions import char_column
from workbench.store import FOLDERS, Kind, slugify

DocumentKey = tuple[Kind, str]
"""``(kind, name)`` of a connector, procedure or scenario."""

ReferenceKind = Literal["call", "read", "attribute", "temporary", "source", "subprocedure", "procedure", "mock"]


@dataclass(frozen=True)
class Reference:
    """A place that names a connector, an attribute path or a procedure.

    ``kind``: ``call``/``read`` (mentions, and the ``inputs[...]`` paths a code step's code reads), ``attribute``
    (a condition's attribute test), ``temporary`` (``inputs["temporary"]["X"]`` in a code condition), ``source``
    (a connector input's source), ``subprocedure``,
    ``procedure``/``mock`` (a scenario's procedure and mock overrides).
    """

    kind: ReferenceKind
    name: str
    path: Path
    field: str
    procedure: str | None = None
    step: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def root(self) -> str:
        """The first path segment: a connector name, a code step's name or a built-in namespace."""
        return mentions.split_path(self.name)[0]


@dataclass(frozen=True)
class MalformedMention:
    """A mention that does not parse, where it is."""

    path: Path
    procedure: str
    step: str
    field: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Rule:
    """A lint rule: its stable name, its severity and the check producing its findings."""

    name: str
    severity: Severity
    check: Callable[[LintContext], Iterable[Finding]]

    def finding(self, path: Path, message: str, **where: Any) -> Finding:
        """A finding of this rule."""
        return Finding(self.name, self.severity, path, message, **where)


def text_fields(step: AnyStep) -> list[tuple[str, str]]:
    """The ``(field, text)`` pairs of a step that may hold mentions (its kind's words, when it has some)."""
    field, text = kind_of(step).words, words_of(step)
    return [(field, text)] if field and text else []


def step_lists(procedure: Procedure) -> Iterator[list[AnyStep]]:
    """Every step list of a procedure: its top level, then branch bodies, else lists and error paths."""
    pending = [procedure.steps]
    while pending:
        steps = pending.pop()
        yield steps
        pending.extend(children for step in steps for children in child_lists(step))


def code_conditions(step: AnyStep) -> list[tuple[str, str]]:
    """The ``(field, code)`` pairs of a condition step's code tests."""
    return list(reads(step).expressions)


class LintContext:
    """The models under lint and what the rules compute from them once."""

    def __init__(
        self,
        connectors: Mapping[str, Connector],
        procedures: Mapping[str, Procedure],
        settings: WorkspaceSettings | None = None,
        paths: Mapping[DocumentKey, Path] | None = None,
        *,
        scenarios: Mapping[str, Scenario] | None = None,
        payloads: Mapping[str, Any] | None = None,
        only: Collection[DocumentKey] | None = None,
    ) -> None:
        self.connectors = connectors
        self.procedures = procedures
        self.scenarios = scenarios or {}
        self.settings = settings or WorkspaceSettings()
        self._paths = paths or {}
        self._payloads = dict(payloads or {})
        self._only = set(only) if only is not None else None
        self.catalog = AttributeCatalog(connectors, procedures, self.settings, self._payloads)
        self._resolutions: dict[str, Resolution] = {}

    @property
    def flow(self) -> FlowAnalysis:
        """The flow analysis of the procedures (connectors called before each step)."""
        return self.catalog.flow

    def path_of(self, kind: Kind, name: str) -> Path:
        """The file of a document (a slug path in its folder when the caller gave none)."""
        return self._paths.get((kind, name)) or Path(FOLDERS[kind]) / f"{slugify(name)}.json"

    def checked(self, kind: Kind, name: str) -> bool:
        """Whether findings about this document are wanted."""
        return self._only is None or (kind, name) in self._only

    def checked_connectors(self) -> Iterator[tuple[str, Connector]]:
        """The connectors to check, by name."""
        return ((name, model) for name, model in self.connectors.items() if self.checked("connector", name))

    def checked_procedures(self) -> Iterator[tuple[str, Procedure]]:
        """The procedures to check, by name."""
        return ((name, model) for name, model in self.procedures.items() if self.checked("procedure", name))

    def shape_known(self, root: str) -> bool:
        """Whether paths under ``root`` can be checked: a built-in namespace, a connector with a sample body
        that no (unrun) transform reshapes, or a code step whose outputs are declared or were seen in a run."""
        if root in BUILTIN_NAMESPACES or root in self._payloads:
            return True
        if root in self.catalog.code_steps and root not in self.connectors:
            return self.catalog.code_shape_known(root)
        model = self.connectors.get(root)
        if model is None or (model.transform or "").strip():
            return False
        return model.sample_payload() is not None

    def resolve(self, path: str) -> Resolution:
        """What an attribute path names (cached)."""
        key = mentions.normalize_path(path)
        if key not in self._resolutions:
            self._resolutions[key] = self.catalog.resolve(key)[0]
        return self._resolutions[key]

    @cached_property
    def known_paths(self) -> list[str]:
        """Every attribute path of the workspace, for suggestions."""
        return self.catalog.known_paths()

    @cached_property
    def references(self) -> list[Reference]:
        """Every reference of the checked documents, in document order."""
        found: list[Reference] = []
        for name, connector in self.checked_connectors():
            path = self.path_of("connector", name)
            found.extend(
                Reference("source", item.source, path, f"inputs.{index}.source")
                for index, item in enumerate(connector.inputs)
                if item.source
            )
        for name, procedure in self.checked_procedures():
            found.extend(self._procedure_references(name, procedure))
        for name, scenario in self.scenarios.items():
            if self.checked("scenario", name):
                path = self.path_of("scenario", name)
                found.append(Reference("procedure", scenario.procedure, path, "procedure"))
                found.extend(Reference("mock", mock, path, f"mocks.{mock}") for mock in scenario.mocks)
        return found

    @cached_property
    def malformed_mentions(self) -> list[MalformedMention]:
        """Mentions of the checked procedures that do not parse."""
        found: list[MalformedMention] = []
        for name, procedure in self.checked_procedures():
            path = self.path_of("procedure", name)
            for step in procedure.all_steps():
                for field, text in text_fields(step):
                    for error in mentions.parse(text).errors:
                        where = location_of(text, error.start)
                        found.append(
                            MalformedMention(path, name, step.id, field, where.line, where.column, error.message)
                        )
        return found

    def is_source(self, name: str) -> bool:
        """Whether ``name`` roots attributes a step makes available: a connector, or a code step."""
        return name in self.connectors or name in self.catalog.code_steps

    def procedure_references(self, name: str, procedure: Procedure) -> Iterator[Reference]:
        """Every reference of one procedure (checked or not), in document order."""
        return self._procedure_references(name, procedure)

    def _procedure_references(self, name: str, procedure: Procedure) -> Iterator[Reference]:
        path = self.path_of("procedure", name)
        for step in procedure.all_steps():
            here: dict[str, Any] = {"procedure": name, "step": step.id}
            for field, text in text_fields(step):
                for mention in mentions.parse(text).mentions:
                    if mention.kind == "call" and not kind_of(step).calls:
                        continue
                    where = location_of(text, mention.start)
                    yield Reference(
                        mention.kind, mention.name, path, field, line=where.line, column=where.column, **here
                    )
            uses = reads(step)
            for field, attribute in uses.attributes:
                yield Reference("attribute", attribute, path, field, **here)
            for field, code in uses.expressions:
                tree = parse_expression(code)
                if tree is not None:
                    for node in temporary_keys(tree):
                        line, column = node_position(code, node)
                        yield Reference(
                            "temporary", cast(str, node.value), path, field, line=line, column=column, **here
                        )
            for field, callee in uses.procedures:
                yield Reference("subprocedure", callee, path, field, **here)
            for field, code in uses.code:
                for read in code_reads(code):
                    column = char_column(code, read.line, read.byte_column)
                    yield Reference("read", read.path, path, field, line=read.line, column=column, **here)

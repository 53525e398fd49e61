"""The linter: checks a workspace against the best practices of data connectors and procedures.

Entry points: :func:`lint_workspace` for a loaded folder (load problems included, as ``load-error``) and
:func:`lint_models` for models held in memory, e.g. an editor's unsaved state. Findings are
:class:`Finding` objects sorted by file, then step order, then position.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from workbench.lint.context import DocumentKey, LintContext, Rule
from workbench.lint.finding import Finding, Severity
from workbench.lint.rules import RULES
from workbench.model import Connector, Procedure, Scenario, WorkspaceSettings
from workbench.store import LoadProblem, Workspace

LOAD_ERROR = "load-error"
RULE_NAMES: tuple[str, ...] = (*(rule.name for rule in RULES), LOAD_ERROR)

__all__ = [
    "LOAD_ERROR",
    "RULES",
    "RULE_NAMES",
    "DocumentKey",
    "Finding",
    "Rule",
    "Severity",
    "lint_models",
    "lint_workspace",
    "workspace_paths",
]


def lint_models(
    connectors: Mapping[str, Connector],
    procedures: Mapping[str, Procedure],
    settings: WorkspaceSettings | None = None,
    paths: Mapping[DocumentKey, Path] | None = None,
    *,
    scenarios: Mapping[str, Scenario] | None = None,
    payloads: Mapping[str, Any] | None = None,
    only: Collection[DocumentKey] | None = None,
) -> list[Finding]:
    """Lint models held in memory.

    ``paths`` gives each document's file by ``(kind, name)`` (missing ones get ``<folder>/<slug>.json``).
    ``payloads`` stands in for connectors' response bodies (e.g. an example after its transform ran), so
    paths under a connector with a transform are checked too. ``only`` limits the findings to some
    documents, e.g. ``{("procedure", "Order status")}`` while it is edited; the others still serve as context.
    Pure and thread-safe for models nobody mutates meanwhile.
    """
    return _lint(
        LintContext(connectors, procedures, settings, paths, scenarios=scenarios, payloads=payloads, only=only)
    )


def lint_workspace(workspace: Workspace, *, payloads: Mapping[str, Any] | None = None) -> list[Finding]:
    """Lint a loaded workspace: every rule over its documents, plus its files that failed to load.

    ``payloads`` defaults to the connectors' transformed samples (what the app lints with too), worked out
    with :func:`~workbench.code_trial.sample_payloads`: transformed samples, and the outputs of the code steps
    that declare none, from a run of each on those samples.
    """
    if payloads is None:
        from workbench.code_trial import sample_payloads
        from workbench.sandbox import SandboxLimits

        settings = workspace.settings.model
        limits = SandboxLimits.of(settings.limits)
        payloads = sample_payloads(workspace.connector_models(), workspace.procedure_models(), settings, limits)
    ctx = LintContext(
        workspace.connector_models(),
        workspace.procedure_models(),
        workspace.settings.model,
        workspace_paths(workspace),
        payloads=payloads,
        scenarios={name: document.model for name, document in workspace.scenarios.items()},
    )
    return _lint(ctx, [load_error(problem) for problem in workspace.problems])


def _lint(ctx: LintContext, extra: Iterable[Finding] = ()) -> list[Finding]:
    findings = [finding for rule in RULES for finding in rule.check(ctx)]
    findings.extend(extra)
    return _sorted(findings, ctx)


def workspace_paths(workspace: Workspace) -> dict[DocumentKey, Path]:
    """The file of every loaded document, by ``(kind, name)``."""
    paths: dict[DocumentKey, Path] = {}
    for kind in ("connector", "procedure", "scenario"):
        for name, document in workspace.documents(kind).items():
            paths[(kind, name)] = document.path
    return paths


def load_error(problem: LoadProblem) -> Finding:
    """A file that did not load, as a finding."""
    return Finding(LOAD_ERROR, "error", problem.path, problem.message, line=problem.line, column=problem.column)


def _sorted(findings: list[Finding], ctx: LintContext) -> list[Finding]:
    """Findings by file, then step in document order, then position, then rule and message."""
    step_order: dict[tuple[str, str], int] = {}
    for name, procedure in ctx.procedures.items():
        path = str(ctx.path_of("procedure", name))
        for index, step in enumerate(procedure.all_steps()):
            step_order[(path, step.id)] = index

    def key(finding: Finding) -> tuple[Any, ...]:
        path = str(finding.path)
        order = -1 if finding.step is None else step_order.get((path, finding.step), -1)
        return (path, order, finding.field or "", finding.line or 0, finding.column or 0, finding.rule, finding.message)

    return sorted(findings, key=key)

"""Running code steps on the samples: what their outputs are when they declare none (the linter and the ``@`` menu
use it), and the inputs a trial run of one sees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.attributes import AttributeCatalog
from workbench.model import BUILTIN_NAMESPACES, CodeStep, Connector, Procedure, WorkspaceSettings
from workbench.sandbox import SandboxError, SandboxLimits, run_code


def sample_inputs(catalog: AttributeCatalog, outputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``inputs`` of a trial run: every connector's sample response (as the catalog sees it) and the code
    outputs known so far under ``temporary``, the built-in namespaces' sample values."""
    temporary = {name: catalog.payload(name) for name in catalog.connectors}
    temporary.update(outputs or {})
    values = catalog.builtin_values()
    return {"temporary": temporary, **{namespace.lower(): values[namespace] for namespace in BUILTIN_NAMESPACES}}


def outputs_on_samples(
    connectors: Mapping[str, Connector],
    procedures: Mapping[str, Procedure],
    settings: WorkspaceSettings,
    payloads: Mapping[str, Any],
    limits: SandboxLimits,
) -> dict[str, dict[str, Any]]:
    """What each code step that declares no outputs returns on the samples, by name (in document order, each
    seeing the earlier ones' outputs); steps whose code fails there, and those named like a connector
    (``code-step-name``), are left out."""
    catalog = AttributeCatalog(connectors, procedures, settings, payloads)
    found: dict[str, dict[str, Any]] = {}
    for procedure in procedures.values():
        for step in procedure.all_steps():
            if isinstance(step, CodeStep) and step.outputs is None and step.name not in {*found, *connectors}:
                try:
                    found[step.name] = run_code(step.code, sample_inputs(catalog, found), limits)
                except (SandboxError, TypeError):
                    continue
    return found

"""Running code steps on the samples: what their outputs are when they declare none (the linter, the app's live
lint and its ``@`` menu all use :func:`sample_payloads`), and a trial run of one with the values it reads
changed (the app's Try panel: :func:`trial_values`, :func:`run_trial`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench import jsoncodec
from workbench.attributes import AttributeCatalog
from workbench.code_reads import code_reads
from workbench.connectors.samples import TransformedSamples
from workbench.engine.context import ProcedureContext
from workbench.model import BUILTIN_NAMESPACES, CodeStep, Connector, Procedure, WorkspaceSettings
from workbench.model.kinds import steps_of
from workbench.sandbox import SandboxError, SandboxLimits, run_code


def sample_inputs(catalog: AttributeCatalog, outputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``inputs`` of a trial run: every connector's sample response (as the catalog sees it) and the code
    outputs known so far under ``temporary``, the built-in namespaces' sample values."""
    temporary = {name: catalog.payload(name) for name in catalog.connectors}
    temporary.update(outputs or {})
    values = catalog.builtin_values()
    return {"temporary": temporary, **{namespace.lower(): values[namespace] for namespace in BUILTIN_NAMESPACES}}


class CodeSamples:
    """What code steps that declare no outputs return on the samples, cached per step name while its code and
    its inputs stay the same."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, bytes, dict[str, Any] | None]] = {}

    def outputs(
        self,
        connectors: Mapping[str, Connector],
        procedures: Mapping[str, Procedure],
        settings: WorkspaceSettings,
        payloads: Mapping[str, Any],
        limits: SandboxLimits,
    ) -> dict[str, dict[str, Any]]:
        """Each such step's outputs by name (in document order, each seeing the earlier ones'); steps whose code
        fails on the samples, and those named like a connector (``code-step-name``), are left out.

        Slow (it waits for sandbox workers): call it off the UI thread.
        """
        catalog = AttributeCatalog(connectors, procedures, settings, payloads)
        found: dict[str, dict[str, Any]] = {}
        for procedure in procedures.values():
            for step in steps_of(procedure.all_steps(), CodeStep):
                if step.outputs is None and step.name not in {*found, *connectors}:
                    outputs = self._run(step, sample_inputs(catalog, found), limits)
                    if outputs is not None:
                        found[step.name] = outputs
        return found

    def _run(self, step: CodeStep, inputs: dict[str, Any], limits: SandboxLimits) -> dict[str, Any] | None:
        key = jsoncodec.dumps(inputs, default=str)
        cached = self._cache.get(step.name)
        if cached is not None and cached[0] == step.code and cached[1] == key:
            return cached[2]
        try:
            outputs: dict[str, Any] | None = run_code(step.code, inputs, limits)
        except (SandboxError, TypeError):
            outputs = None
        self._cache[step.name] = (step.code, key, outputs)
        return outputs


def sample_payloads(
    connectors: Mapping[str, Connector],
    procedures: Mapping[str, Procedure],
    settings: WorkspaceSettings,
    limits: SandboxLimits,
    transformed: TransformedSamples | None = None,
    code: CodeSamples | None = None,
) -> dict[str, Any]:
    """What stands for responses and outputs on the samples: connectors' transformed samples, then the outputs of
    the code steps that declare none. The one rule for ``workbench lint``, the app's live lint and its ``@`` menu
    (pass the caches to keep between calls). Slow: call it off the UI thread."""
    payloads = (transformed or TransformedSamples()).payloads(connectors, limits)
    return {**payloads, **(code or CodeSamples()).outputs(connectors, procedures, settings, payloads, limits)}


def trial_values(catalog: AttributeCatalog, step: CodeStep) -> dict[str, Any]:
    """The attributes a code step reads, each with its sample value (``None`` when the samples lack it): the
    fields of its Try panel."""
    context = _sample_context(catalog)
    values: dict[str, Any] = {}
    for read in code_reads(step.code):
        found = context.resolve(read.path)
        values.setdefault(read.path, found.value if found.found else None)
    return values


def run_trial(
    catalog: AttributeCatalog, step: CodeStep, values: Mapping[str, Any], limits: SandboxLimits
) -> dict[str, Any]:
    """What the code returns on the samples with ``values`` laid over them by path (the Try panel's Run).

    Raises ``ValueError`` for a path that cannot be set, and the sandbox's errors as a run does. Slow: call it
    off the UI thread.
    """
    context = _sample_context(catalog)
    for path, value in values.items():
        context.set(path, value)
    return run_code(step.code, context.inputs(), limits)


def _sample_context(catalog: AttributeCatalog) -> ProcedureContext:
    """A procedure context holding the samples: built-in values, connectors' responses and known code outputs."""
    inputs = sample_inputs(catalog, {name: catalog.payload(name) for name in catalog.code_steps})
    context = ProcedureContext({namespace: inputs[namespace.lower()] for namespace in BUILTIN_NAMESPACES})
    context.temporary.update({name: value for name, value in inputs["temporary"].items() if value is not None})
    return context

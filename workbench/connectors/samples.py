"""What a connector's sample response looks like to procedures: its transform run on it, in the sandbox.

One home for the rule, so that the app's live lint, its ``@`` menu, its connector pane, ``workbench lint`` and
``workbench fields`` see the same attributes under a connector with a transform (``tests/test_architecture.py``
fails when a sample is transformed elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.model import Connector, MockResponse
from workbench.sandbox import SandboxError, SandboxLimits, transform

_FAILED = object()


def transformed(code: str, sample: MockResponse, limits: SandboxLimits) -> Any:
    """What the transform ``code`` returns for ``sample`` (slow: it waits for a sandbox worker); raises
    :class:`~workbench.sandbox.SandboxError` when it fails."""
    return transform(code, sample.body, sample.status, dict(sample.headers), limits)


def seen_payload(connector: Connector, sample: MockResponse, limits: SandboxLimits) -> Any:
    """What a procedure sees of ``sample``: the connector's transform run on it, or its body when there is none;
    raises :class:`~workbench.sandbox.SandboxError` when the transform fails."""
    code = (connector.transform or "").strip()
    return transformed(code, sample, limits) if code else sample.body


class TransformedSamples:
    """Transformed sample payloads, cached per connector while neither its transform nor its sample changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, MockResponse, Any, Any]] = {}

    def payloads(self, connectors: Mapping[str, Connector], limits: SandboxLimits) -> dict[str, Any]:
        """Each connector with a transform and a sample: what the transform returns for the sample.

        Slow (it waits for sandbox workers): call it off the UI thread. Connectors whose transform fails are
        left out, so their raw sample stands in.
        """
        result: dict[str, Any] = {}
        for name, connector in connectors.items():
            code = (connector.transform or "").strip()
            sample = connector.sample()
            if not code or sample is None:
                continue
            cached = self._cache.get(name)
            if cached is not None and cached[0] == code and cached[1] is sample and cached[2] is sample.body:
                payload = cached[3]
            else:
                try:
                    payload = transformed(code, sample, limits)
                except SandboxError:
                    payload = _FAILED
                self._cache[name] = (code, sample, sample.body, payload)
            if payload is not _FAILED:
                result[name] = payload
        return result

"""Data connectors at run time: rendering requests, and the live, example and dynamic transports.

- :func:`render_request` fills ``{{input}}``, ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates.
- :class:`LiveTransport` calls the real endpoint with httpx; :func:`serve` answers from a
  :class:`~workbench.model.MockResponse` (example, dynamic rule or scenario mock), chosen by :func:`choose_rule`;
  :func:`try_rules` shows which rule answers some inputs, and why the others do not.
- Every failure is a :class:`ConnectorError` whose ``reason`` is an ``error`` event reason.
"""

from workbench.connectors.errors import ConnectorError
from workbench.connectors.live import LiveTransport
from workbench.connectors.mock import (
    MockChoice,
    MockState,
    body_bytes,
    choose_mock,
    choose_rule,
    response_headers,
    rule_matches,
    serve,
    templated,
)
from workbench.connectors.response import ConnectorResponse, Source, offload
from workbench.connectors.secrets import MASK, Masker
from workbench.connectors.templates import OMITTED, RenderedRequest, TemplateScope, format_value, render_request
from workbench.connectors.trial import RuleTrial, describe_test, explain_trial, try_rules

__all__ = [
    "MASK",
    "OMITTED",
    "ConnectorError",
    "ConnectorResponse",
    "LiveTransport",
    "Masker",
    "MockChoice",
    "MockState",
    "RenderedRequest",
    "RuleTrial",
    "Source",
    "TemplateScope",
    "body_bytes",
    "choose_mock",
    "choose_rule",
    "describe_test",
    "explain_trial",
    "format_value",
    "offload",
    "render_request",
    "response_headers",
    "rule_matches",
    "serve",
    "templated",
    "try_rules",
]

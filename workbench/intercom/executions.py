"""A connector's production execution results: a summary, and the observed responses as dynamic mock rules or
as a recorded scenario (production behaviour replayed offline). Every body passes the import credential
detector and the masker before it reaches a model that may be written."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any
from urllib.parse import unquote

import orjson

from workbench.connectors.secrets import Masker
from workbench.importing.credentials import Secrets, scrub
from workbench.model import Connector, DynamicRule, MockResponse, RuleMatch, Scenario

_INPUT = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_OTHER = re.compile(r"\{\{[^}]*\}\}")


def summary(results: list[dict[str, Any]]) -> list[str]:
    """Count, success rate, error types and latency p50/p95 of execution results."""
    if not results:
        return ["no execution results in that time"]
    succeeded = sum(1 for item in results if item.get("success"))
    lines = [f"executions: {len(results)}", f"success rate: {100 * succeeded / len(results):.1f}%"]
    errors = Counter(str(item.get("error_type") or "unknown") for item in results if not item.get("success"))
    if errors:
        lines.append("error types: " + ", ".join(f"{kind} {count}" for kind, count in errors.most_common()))
    times = sorted(item["execution_time_ms"] for item in results if isinstance(item.get("execution_time_ms"), int))
    if times:
        lines.append(f"latency p50: {percentile(times, 50)} ms, p95: {percentile(times, 95)} ms")
    return lines


def percentile(sorted_values: list[int], rank: float) -> int:
    """The nearest-rank percentile of sorted values."""
    index = max(0, math.ceil(rank / 100 * len(sorted_values)) - 1)
    return sorted_values[index]


def observed(connector: Connector, result: dict[str, Any]) -> tuple[dict[str, Any], MockResponse]:
    """The input values one execution was called with (as far as its URL and body show them) and its response."""
    values = _url_inputs(connector, str(result.get("request_url") or ""))
    values.update(_body_inputs(connector.request.body, _json(result.get("request_body"))))
    status = result.get("http_status")
    time_ms = result.get("execution_time_ms")
    latency = min(max(time_ms, 0), 600_000) if isinstance(time_ms, int) else 0
    if not isinstance(status, int):
        return values, MockResponse(status=502, fault="disconnect", latency_ms=latency)
    body = result.get("raw_response_body") or result.get("response_body")
    parsed = _json(body)
    response = MockResponse(status=status, headers={"content-type": "application/json"}, latency_ms=latency)
    if parsed is not None or body in (None, ""):
        return values, response.model_copy(update={"body": parsed})
    return values, response.model_copy(update={"body_text": str(body), "headers": {}})


def _json(text: Any) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _url_inputs(connector: Connector, url: str) -> dict[str, Any]:
    template = connector.request.url
    pattern, names, position = "", [], 0
    for match in _OTHER.finditer(template):
        pattern += re.escape(template[position : match.start()])
        inner = _INPUT.fullmatch(match.group())
        if inner:
            names.append(inner.group(1))
            pattern += f"(?P<_{len(names)}>[^/?#]+)"
        else:
            pattern += ".*?"
        position = match.end()
    pattern += re.escape(template[position:])
    found = re.match(pattern + r"(?:[?#].*)?$", url)
    if not found:
        return {}
    return {name: unquote(found.group(f"_{index}")) for index, name in enumerate(names, 1)}


def _body_inputs(template: Any, sent: Any) -> dict[str, Any]:
    if isinstance(template, str):
        inner = _INPUT.fullmatch(template.strip())
        return {inner.group(1): sent} if inner and sent is not None else {}
    if isinstance(template, dict) and isinstance(sent, dict):
        values: dict[str, Any] = {}
        for key, item in template.items():
            if key in sent:
                values.update(_body_inputs(item, sent[key]))
        return values
    return {}


def clean(connector: Connector, masker: Masker) -> Connector:
    """``connector`` with its examples and rules through the credential detector and the masker."""
    scrubbed = scrub(connector, Secrets())
    data = scrubbed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["response"] = masker.mask(data.get("response", {}))
    return Connector.model_validate(data)


def as_rules(connector: Connector, results: list[dict[str, Any]], masker: Masker) -> Connector:
    """``connector`` answering from dynamic rules made of the observed responses (newest first wins; one rule per
    distinct set of input values), its other rules dropped, its mode ``dynamic``."""
    rules: dict[bytes, DynamicRule] = {}
    for index, result in enumerate(results):
        values, response = observed(connector, result)
        key = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
        if key in rules:
            continue
        when = [RuleMatch(input=name, op="equals", value=value) for name, value in sorted(values.items())]
        label = f"Observed {result.get('created_at') or index}: HTTP {result.get('http_status') or result.get('error_type')}"
        rules[key] = DynamicRule(name=label, when=when, response=response)
    ordered = sorted(rules.values(), key=lambda rule: not rule.when)  # a catch-all comes last
    data = connector.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data.setdefault("response", {})
    data["response"]["mode"] = "dynamic"
    data["response"]["rules"] = [rule.model_dump(mode="json", by_alias=True, exclude_defaults=True) for rule in ordered]
    return clean(Connector.model_validate(data), masker)


def as_scenario(
    name: str, procedure: str, connector: Connector, results: list[dict[str, Any]], masker: Masker
) -> Scenario:
    """A scenario of ``procedure`` whose mock for the connector answers with the observed responses in the order
    they happened (oldest first; the last repeats)."""
    responses = [observed(connector, result)[1] for result in reversed(results)]
    first, *rest = responses
    probe = connector.model_copy(
        update={"response": connector.response.model_copy(update={"example": first.model_copy(update={"then": rest})})}
    )
    mock = clean(probe, masker).response.example
    assert mock is not None
    return Scenario(
        name=name,
        description=f"{len(responses)} responses of {connector.name} observed in Intercom, replayed in order.",
        procedure=procedure,
        mocks={connector.name: mock},
    )

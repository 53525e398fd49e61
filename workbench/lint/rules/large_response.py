"""``large-response``: an example response over the workspace's size or attribute budget, with no transform."""

from __future__ import annotations

from collections.abc import Iterator

from workbench import jsoncodec
from workbench.attributes import flatten
from workbench.lint.context import LintContext, Rule
from workbench.lint.finding import Finding
from workbench.model import Connector, MockResponse


def _responses(connector: Connector) -> Iterator[tuple[str, MockResponse]]:
    if connector.response.example is not None:
        yield "response.example.body", connector.response.example
    for index, rule in enumerate(connector.response.rules):
        yield f"response.rules.{index}.response.body", rule.response


def _size(response: MockResponse) -> int:
    if response.body_text is not None:
        return len(response.body_text.encode("utf-8"))
    return len(jsoncodec.dumps(response.body))


def _check(ctx: LintContext) -> Iterator[Finding]:
    limits = ctx.settings.limits
    for name, connector in ctx.checked_connectors():
        if (connector.transform or "").strip():
            continue
        for field, response in _responses(connector):
            size, count = _size(response), len(flatten(name, response.body))
            over = []
            if size > limits.large_response_bytes:
                over.append(f"{size:,} bytes (budget {limits.large_response_bytes:,})")
            if count > limits.large_response_attributes:
                over.append(f"{count} attributes (budget {limits.large_response_attributes})")
            if over:
                yield RULE.finding(
                    ctx.path_of("connector", name),
                    f"the response is {' and '.join(over)} and there is no transform to trim it",
                    field=field,
                    suggestion="add a transform that returns only the fields procedures use",
                )
                break


RULE = Rule("large-response", "warning", _check)

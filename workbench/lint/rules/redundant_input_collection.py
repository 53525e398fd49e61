"""``redundant-input-collection``: asking the customer for a value a called connector already collects as an input.

A connector's required inputs (and those with a ``source``) are filled or asked for automatically when it is
called, so text such as "ask the customer for their email, then @call(Get orders)" only adds a step that
can go wrong. Matching is deliberately narrow: an asking phrase whose object names the input. A collect step
that fills the very attribute an input takes as its ``source`` is how the value reaches the call, not a
redundancy, and is never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from workbench import mentions
from workbench.attributes import step_calls
from workbench.jsonfile import location_of
from workbench.lint.context import LintContext, Rule, step_lists
from workbench.lint.finding import Finding
from workbench.model import AnyStep, CollectStep, Connector, ConnectorInput, Procedure
from workbench.model.kinds import as_kind, kind_of, words_of

_PERSON = r"(?:the\s+)?(?:customer|user|client|caller|shopper|them|him|her)"
_DETERMINER = r"(?:(?:their|the|his|her|your|a|an)\s+)?"
_WHAT = r"(?P<what>[a-z][\w'-]*(?:[ \t]+[a-z][\w'-]*){0,3})"
_ASKING = [
    re.compile(rf"\bask(?:s|ing|ed)?\s+(?:{_PERSON}\s+)?for\s+{_DETERMINER}{_WHAT}", re.IGNORECASE),
    re.compile(
        rf"\bask(?:s|ing|ed)?\s+{_PERSON}\s+(?:what|which)\s+{_DETERMINER}{_WHAT}\s+(?:is|are)\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?:request|collect|gather|get|obtain)(?:s|ing|ed)?\s+(?:the\s+(?:customer|user|client|caller)'s|their|his|her)\s+{_WHAT}",
        re.IGNORECASE,
    ),
]
_SYNONYMS = {"number": "id", "no": "id", "e-mail": "email", "mail": "email"}
_QUALIFIERS = ("customer", "user", "client")


def words(text: str) -> list[str]:
    """Lower-case words with synonyms folded (``order number`` and ``order_id`` both give ``order id``)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower().replace("e-mail", "email")
    return [_SYNONYMS.get(word, word) for word in re.findall(r"[a-z0-9]+", text)]


def _input_words(item: ConnectorInput) -> list[str]:
    result = words(item.name)
    while len(result) > 1 and result[0] in _QUALIFIERS:
        result = result[1:]
    return result


def _contains(haystack: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(haystack[index : index + size] == needle for index in range(len(haystack) - size + 1))


def _collected_inputs(connector: Connector) -> list[ConnectorInput]:
    """Inputs the call fills or asks for by itself."""
    return [item for item in connector.inputs if item.required or item.source]


def asked_values(text: str) -> list[tuple[int, str]]:
    """``(offset, phrase)`` of every "ask the customer for X" phrase of a text."""
    found = {match.start(): match.group("what") for pattern in _ASKING for match in pattern.finditer(text)}
    return sorted(found.items())


def _check(ctx: LintContext) -> Iterator[Finding]:
    for name, procedure in ctx.checked_procedures():
        path = ctx.path_of("procedure", name)
        for step, following in _consecutive(procedure):
            collect = as_kind(step, CollectStep)
            if kind_of(step).calls:
                yield from _in_text(ctx, path, step)
            elif collect is not None and following is not None and step_calls(following):
                yield from _before_call(ctx, path, collect, following)


def _consecutive(procedure: Procedure) -> Iterator[tuple[AnyStep, AnyStep | None]]:
    """Every step with the step that follows it in the same list (``None`` for the last)."""
    for steps in step_lists(procedure):
        yield from zip(steps, [*steps[1:], None], strict=False)


def _called(ctx: LintContext, step: AnyStep) -> list[Connector]:
    return [ctx.connectors[name] for name in dict.fromkeys(step_calls(step)) if name in ctx.connectors]


def _in_text(ctx: LintContext, path: Path, step: AnyStep) -> Iterator[Finding]:
    """Asking phrases in the words of a step that calls connectors there."""
    called = _called(ctx, step)
    if not called:
        return
    text, field = words_of(step), kind_of(step).words
    for offset, phrase in asked_values(text):
        asked = words(phrase)
        for connector in called:
            item = next((item for item in _collected_inputs(connector) if _contains(asked, _input_words(item))), None)
            if item is None:
                continue
            where = location_of(text, offset)
            yield RULE.finding(
                path,
                f"asks the customer for {phrase!r}, but {connector.name} already collects its input {item.name!r} "
                "when it is called",
                step=step.id,
                field=field,
                line=where.line,
                column=where.column,
                suggestion=f"just @call({connector.name})",
            )
            break


def _before_call(ctx: LintContext, path: Path, step: CollectStep, following: AnyStep) -> Iterator[Finding]:
    attribute = mentions.normalize_path(step.attribute)
    stored, prompt = words(mentions.split_path(attribute)[-1]), words(step.prompt)
    for connector in _called(ctx, following):
        for item in _collected_inputs(connector):
            if item.source is not None and mentions.normalize_path(item.source) == attribute:
                continue  # the recommended pattern: the collected attribute is the input's source
            needed = _input_words(item)
            if _contains(stored, needed) or _contains(prompt, needed):
                yield RULE.finding(
                    path,
                    f"collects {attribute!r} right before step {following.id!r} calls {connector.name}, which already "
                    f"collects its input {item.name!r} when it is called",
                    step=step.id,
                    field="attribute",
                    suggestion=f"drop this step and let {connector.name} ask",
                )
                return


RULE = Rule("redundant-input-collection", "warning", _check)

"""The values of a scenario's form as text and back: each text field shows a value exactly, so any text that
differs from what a value shows is either another value or a located problem (never a silent no-op).

Lists are one item per line; a problem names the item (``[2]``, 0-based as in the file) and its column.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_STEP_ID = re.compile(r"[A-Za-z0-9_.:-]+")
_COUNTED = re.compile(r"^(?P<name>.+) = (?P<count>\d+)$")


@dataclass(frozen=True)
class FieldProblem(Exception):
    """Why a field's text is no value: ``message`` at ``where`` (``[2]`` for an item, ``""`` the whole field),
    1-based ``line`` and ``column`` in the text."""

    message: str
    where: str = ""
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def shown(value: Any) -> str:
    """A row's value as the form shows it: text as it is (quoted as JSON when it would read as another value:
    ``"22201"``, ``"true"``), anything else as compact JSON."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def typed(text: str) -> Any:
    """A row's value as typed, the inverse of :func:`shown`: JSON when the text is JSON as the form would show it
    (``3``, ``true``, ``["a", "b"]``, ``"22201"``), else the text itself. Any other spelling of JSON (``[1,2]``)
    stays text, so that every change of the text is a change of the value."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if shown(value) == text.strip() else text


def lines_of(values: list[str] | None) -> str:
    """A list shown one item per line (``None``: empty)."""
    return "\n".join(values or [])


def parse_lines(text: str, *, step_ids: bool = False) -> list[str]:
    """The items of a one-per-line field; an empty line (or, with ``step_ids``, a line that is no step id) is a
    problem located at its item."""
    if not text:
        return []
    items = text.split("\n")
    for index, item in enumerate(items):
        if not item:
            raise FieldProblem("an empty line: write an item or remove the line", f"[{index}]", index + 1)
        if step_ids:
            bad = next((column for column, char in enumerate(item) if not _STEP_ID.fullmatch(char)), None)
            if bad is not None:
                raise FieldProblem(
                    f"{item!r} is not a step id (letters, digits, and . _ : -)", f"[{index}]", index + 1, bad + 1
                )
    return items


def calls_text(calls: list[str] | dict[str, int] | None) -> str:
    """Expected calls one per line: a name (a sequence), or ``name = N`` (how often, in any order)."""
    if isinstance(calls, dict):
        return "\n".join(f"{name} = {count}" for name, count in calls.items())
    return lines_of(calls)


def parse_calls(text: str) -> list[str] | dict[str, int] | None:
    """The expected calls typed one per line (see :func:`calls_text`); empty is not checked."""
    if not text:
        return None
    items = parse_lines(text)
    counted = [_COUNTED.match(item) for item in items]
    if all(counted):
        counts: dict[str, int] = {}
        for index, match in enumerate(counted):
            assert match is not None
            if match["name"] in counts:
                raise FieldProblem(f"{match['name']!r} is counted twice", f"[{index}]", index + 1)
            counts[match["name"]] = int(match["count"])
        return counts
    if any(counted):
        index = next(index for index, match in enumerate(counted) if bool(match) != bool(counted[0]))
        raise FieldProblem("give every line a count (Name = N) or none (the calls in order)", f"[{index}]", index + 1)
    return items


def parse_whole(text: str, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``."""
    try:
        number = int(text)
    except ValueError:
        raise FieldProblem(f"write a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise FieldProblem(f"{number} is not from {low} to {high}")
    return number

"""Completion candidates and a fast ranked matcher for the editor's ``@`` menu and code completion.

Matching stays far below a frame for tens of thousands of candidates: keys are lowered once, a query is
tried as a prefix, then as a segment prefix, then as a substring, and only the rest goes through a
linear-time fuzzy (subsequence) test; a query of several words matches labels holding every word, in any order.
A query that extends the previous one only re-filters its matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from workbench import jsoncodec
from workbench.attributes import Attribute, AttributeCatalog
from workbench.mentions import format_mention

CandidateKind = Literal["menu", "call", "read", "key"]
_SAMPLE_WIDTH = 40


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry of a completion list.

    ``label`` is what is shown and matched; ``insert`` replaces the typed text when chosen; ``available``
    is false for attributes that exist but not at this step (``reason`` says why).
    """

    label: str
    insert: str
    kind: CandidateKind
    detail: str = ""
    sample: str = ""
    available: bool = True
    reason: str = ""
    transform_of: str = ""
    """For a connector's array: the connector whose transform can pick its items (the menu offers to open it)."""


def preview(value: Any, width: int = _SAMPLE_WIDTH) -> str:
    """A one-line preview of a sample value: scalars as JSON, arrays and objects by size."""
    if isinstance(value, list):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    if isinstance(value, dict):
        return f"{{{len(value)} key{'s' if len(value) != 1 else ''}}}"
    try:
        text = jsoncodec.dumps(value).decode("utf-8")
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


ARRAY_HINT = "arrays are read whole: add a transform to pick items"
"""What the ``@`` menu says under a connector's array (the product exposes only the root of an array)."""


def attribute_candidate(attribute: Attribute, *, reason: str = "", connector: bool = False) -> Candidate:
    """The ``@read(...)`` candidate of an attribute (unavailable when a ``reason`` is given); ``connector``:
    the attribute is a connector's response (an array of one then offers its transform)."""
    return Candidate(
        label=attribute.path,
        insert=format_mention("read", attribute.path),
        kind="read",
        detail=attribute.type,
        sample=preview(attribute.sample),
        available=not reason,
        reason=reason,
        transform_of=attribute.source if connector and attribute.type == "array" else "",
    )


class CandidateIndex:
    """Candidates with their lowered keys, searched by :meth:`search` into a ranked list of indices.

    Results keep available candidates before unavailable ones; inside each group, full-prefix matches come
    first, then matches at the start of a path segment, then other substrings, then fuzzy matches, each
    in the candidates' own order.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates: list[Candidate] = list(candidates)
        self._keys = [candidate.label.lower() for candidate in self.candidates]
        self.widest = max(map(len, self._keys), default=0)
        """The length of the longest label."""
        self._available = [candidate.available for candidate in self.candidates]
        self._last_query: str | None = None
        self._last_pool: list[int] = []

    def __len__(self) -> int:
        return len(self.candidates)

    def search(self, query: str) -> list[int]:
        """Indices of the candidates matching ``query`` (case-insensitive), best first."""
        needle = query.lower().strip()
        if not needle:
            self._last_query, self._last_pool = "", list(range(len(self._keys)))
            return self._split_available(self._last_pool)
        pool = self._last_pool if self._last_query and needle.startswith(self._last_query) else range(len(self._keys))
        words = needle.split()
        matched = self._every_word(pool, words) if len(words) > 1 else self._one_needle(pool, needle)
        self._last_query = needle
        self._last_pool = sorted(matched)
        return self._split_available(matched)

    def _one_needle(self, pool: Iterable[int], needle: str) -> list[int]:
        keys = self._keys
        prefix: list[int] = []
        segment: list[int] = []
        inside: list[int] = []
        rest: list[int] = []
        at_segment = "> " + needle
        for index in pool:
            key = keys[index]
            if needle in key:
                if key.startswith(needle):
                    prefix.append(index)
                elif at_segment in key:
                    segment.append(index)
                else:
                    inside.append(index)
            else:
                rest.append(index)
        fuzzy = _subsequence(needle).search
        return prefix + segment + inside + [index for index in rest if fuzzy(keys[index])]

    def _every_word(self, pool: Iterable[int], words: list[str]) -> list[int]:
        """Candidates holding every word, in any order: those with each word whole first, then fuzzy ones."""
        keys = self._keys
        whole: list[int] = []
        rest: list[int] = []
        for index in pool:
            (whole if all(word in keys[index] for word in words) else rest).append(index)
        fuzzy = [_subsequence(word).search for word in words]
        return whole + [index for index in rest if all(search(keys[index]) for search in fuzzy)]

    def _split_available(self, indices: list[int]) -> list[int]:
        available = self._available
        return [index for index in indices if available[index]] + [index for index in indices if not available[index]]

    def match_positions(self, index: int, query: str) -> list[int]:
        """Where the characters of ``query`` sit in a candidate's label, for highlighting."""
        words = query.lower().split()
        if len(words) > 1:
            return sorted({position for word in words for position in self.match_positions(index, word)})
        needle = query.lower().strip()
        if not needle:
            return []
        key = self._keys[index]
        found = key.find(needle)
        if found >= 0:
            return list(range(found, found + len(needle)))
        positions: list[int] = []
        cursor = 0
        for char in needle:
            cursor = key.find(char, cursor)
            if cursor < 0:
                return []
            positions.append(cursor)
            cursor += 1
        return positions


def _subsequence(needle: str) -> re.Pattern[str]:
    """A linear-time pattern matching ``needle``'s characters in order, with anything between them."""
    parts = [re.escape(needle[0])]
    parts.extend(f"[^{re.escape(char)}]*{re.escape(char)}" for char in needle[1:])
    return re.compile("".join(parts))


@dataclass(frozen=True)
class MentionIndexes:
    """The ``@`` menu's lists for one step: connectors to call, attributes to read, and both together."""

    calls: CandidateIndex
    reads: CandidateIndex
    every: CandidateIndex


MENU_CANDIDATES = CandidateIndex(
    [
        Candidate("Call data connector", "", "menu", sample="@call(…)"),
        Candidate("Read an attribute", "", "menu", sample="@read(…)"),
    ]
)


def mention_indexes(catalog: AttributeCatalog, procedure: str, step_id: str) -> MentionIndexes:
    """The ``@`` menu's candidates at a step: every connector, and the attributes available there first."""
    calls = [
        Candidate(name, format_mention("call", name), "call", "connector", connector.kind)
        for name, connector in sorted(catalog.connectors.items(), key=lambda item: item[0].lower())
    ]
    availability = catalog.available_at(procedure, step_id)
    connectors = catalog.connectors
    reads = [
        attribute_candidate(attribute, connector=attribute.source in connectors) for attribute in availability.available
    ]
    reads.extend(
        attribute_candidate(item.attribute, reason=item.reason, connector=item.attribute.source in connectors)
        for item in availability.unavailable
    )
    return MentionIndexes(CandidateIndex(calls), CandidateIndex(reads), CandidateIndex(calls + reads))


def source_index(catalog: AttributeCatalog, connector: str) -> CandidateIndex:
    """The candidates for a connector input's ``source``: the built-in attributes, then the other connectors'
    response attributes, each inserted as its bare path (``User > email``)."""
    attributes = list(catalog.builtin_attributes())
    for name in sorted(catalog.connectors, key=str.lower):
        if name != connector:
            attributes.extend(catalog.connector_attributes(name))
    return CandidateIndex(
        [
            Candidate(attribute.path, attribute.path, "read", attribute.type, preview(attribute.sample))
            for attribute in attributes
        ]
    )

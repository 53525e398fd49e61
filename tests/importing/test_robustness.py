"""Any data given to an importer ends in connectors or a located ConversionError, never another exception."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importing.test_openapi import SPEC
from tests.importing.test_postman_har import COLLECTION
from workbench.importing import (
    ConversionError,
    InputMark,
    Spec,
    import_curl,
    import_har,
    import_intercom,
    import_openapi,
    import_postman,
)

_KEYS = st.sampled_from(
    [
        "$ref",
        "type",
        "name",
        "in",
        "schema",
        "content",
        "items",
        "properties",
        "url",
        "request",
        "item",
        "log",
        "entries",
        "x",
    ]
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.just("#/components/schemas/Order"),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_KEYS | st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _mutated(document: dict[str, Any], draw: Callable[[st.SearchStrategy[Any]], Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    path = draw(st.sampled_from(_paths(document)))
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = draw(_JSON)
    return document


def _survives(action: Any) -> None:
    try:
        action()
    except ConversionError as error:
        assert error.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_openapi_documents(data: st.DataObject) -> None:
    document = _mutated(SPEC, data.draw)
    _survives(lambda: import_openapi(Spec.from_data(document, "spec.json")))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_postman_collections(data: st.DataObject) -> None:
    collection = _mutated(COLLECTION, data.draw)
    _survives(lambda: import_postman(collection, "c.json"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_JSON)
def test_arbitrary_data(value: Any) -> None:
    for importer in (import_har, import_intercom, import_postman):
        _survives(lambda importer=importer: importer(value, "f.json"))
    _survives(lambda: Spec.from_data(value, "spec.json"))
    _survives(lambda: import_har({"log": {"entries": [value]}}, "f.json"))
    _survives(lambda: import_intercom({"data_connectors": [value]}, "f.json"))


_WORDS = st.sampled_from(
    [
        "-X",
        "POST",
        "-H",
        "A: b",
        "-d",
        "{}",
        "-G",
        "-u",
        "a:b",
        "--json",
        "[1]",
        "-sSL",
        "http://[::1",
        "https://a.example.com/x?y=1",
        "'",
        '"',
        "\\",
        "-m",
        "x",
        "--url",
        "-b",
        "k=v",
        "-XGET",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS | st.text(max_size=6), max_size=8))
def test_arbitrary_curl_lines(words: list[str]) -> None:
    _survives(
        lambda: import_curl("curl " + " ".join(words), marks=[InputMark("x", "1", "integer")] if "-G" in words else ())
    )

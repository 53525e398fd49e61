"""Typed events round-trip to their documented JSON: every payload type, generated over every value its fields
allow, and every event of the sample desk's scenarios; masking a payload masks what its JSON would show."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import SUPPORT_DESK
from workbench import events as module
from workbench.connectors import Masker
from workbench.events import EVENT_TYPES, PAYLOADS, Event, InputReceived, InputRequested, Record
from workbench.jsoncodec import dumps
from workbench.scenarios import ScenarioRunner
from workbench.store import load_workspace

TEXT = st.text(max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)


def strategy(kind: Any) -> st.SearchStrategy[Any]:
    """Values of a payload field's declared type (JSON-safe, as the engine emits them)."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any:
        return JSON
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (types.UnionType, typing.Union):
        return st.one_of(*(strategy(arg) for arg in args))
    if origin is list:
        return st.lists(strategy(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(TEXT, strategy(args[1]), max_size=3)
    if isinstance(kind, type) and issubclass(kind, Record):
        return records(kind)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: TEXT,
        int: st.integers(),
        float: st.floats(allow_nan=False, allow_infinity=False),
        bool: st.booleans(),
        type(None): st.none(),
    }
    return simple[kind]


def records(cls: type[Record]) -> st.SearchStrategy[Any]:
    hints = get_type_hints(cls, vars(module))
    return st.builds(cls, **{field.name: strategy(hints[field.name]) for field in fields(cls)})  # type: ignore[arg-type]


EVENTS = st.builds(
    Event,
    st.integers(min_value=1),
    st.floats(min_value=0, max_value=1e6),
    st.sampled_from(list(PAYLOADS.values())).flatmap(records),
)


def test_every_event_type_has_its_payload() -> None:
    assert set(PAYLOADS) == set(EVENT_TYPES)
    assert all(kind == cls.TYPE for kind, cls in PAYLOADS.items())


@settings(max_examples=300)
@given(EVENTS)
def test_json_to_payload_to_json_is_identical(event: Event) -> None:
    first = event.to_json()
    again = Event.from_json(first)
    assert again.type == event.type
    assert dumps(again.to_json()) == dumps(first)  # the same keys, in the same order, with the same values
    assert list(first)[:3] == ["seq", "t", "type"]


@settings(max_examples=200)
@given(EVENTS, st.lists(st.text(min_size=4, max_size=8), min_size=1, max_size=2))
def test_a_masked_payload_shows_what_its_masked_json_shows(event: Event, secrets: list[str]) -> None:
    # An event's own field names are not data: a "secret" spelled like one ("step") would be masked in a JSON
    # key but is no value of the payload (found by a random run; the suite derandomizes it since).
    assume(not any(secret in key for secret in secrets for key in event.to_json()))
    masker = Masker()
    masker.add(secrets)
    masked = Event(event.seq, event.t, event.payload.masked(masker.mask))
    assert dumps(masked.to_json()) == dumps(masker.mask(event.to_json()))
    clean = Masker()
    assert event.payload.masked(clean.mask) is event.payload


def test_optional_fields_are_left_out_as_documented() -> None:
    where: dict[str, Any] = {"procedure": "P", "step": "s", "name": "n"}
    decision = InputRequested(**where, branch=1, prompt="ok?", kind="decision", value_type="boolean")
    assert list(decision.to_json()) == ["procedure", "step", "name", "branch", "prompt", "kind", "value_type"]
    asked = InputRequested(**where, prompt="n?", kind="collect", value_type="string", attempt=1)
    assert asked.to_json()["error"] is None and "branch" not in asked.to_json()
    taken = InputReceived(**where, value=3, answer="3", attempt=1)
    assert list(taken.to_json()) == ["procedure", "step", "name", "value", "answer", "attempt"]
    assert taken.as_given == "3"
    refused = InputReceived(**where, value="x", attempt=1, error="not a number")
    assert list(refused.to_json()) == ["procedure", "step", "name", "value", "attempt", "error"]
    assert refused.as_given == "x"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"seq": 1, "t": 0, "type": "nope"}, "unknown event type 'nope'"),
        (
            {"seq": 1, "t": 0, "type": "paused", "procedure": "P", "step": "s"},
            "paused event #1: reason: Field required",
        ),
        ({"seq": 2, "t": 0, "type": "paused", "procedure": "P", "step": "s", "reason": "x"}, "reason: Input should be"),
        ({"seq": 3, "t": 0, "type": "run_finished", "outcome": "failed", "message": None, "path": [], "x": 1}, "x:"),
        ({"seq": "1", "t": 0, "type": "run_finished"}, "seq must be an integer"),
    ],
)
def test_json_that_does_not_fit_is_a_located_error(data: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        Event.from_json(data)


async def test_every_event_of_the_sample_desk_round_trips() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    runner = ScenarioRunner(workspace)
    seen: set[str] = set()
    for document in workspace.scenarios.values():
        result = await runner.play(document.model)
        for event in result.events:
            line = dumps(event.to_json())
            assert dumps(Event.from_json(event.to_json()).to_json()) == line
            seen.add(event.type)
    assert len(seen) >= 15  # nearly every type happens in the sample's scenarios

"""Field edits of connectors and scenarios as operations: each undoes to the very objects, and the file's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.editing import operations as ops
from workbench.editing.edit_session import EditSession
from workbench.editing.operations import History
from workbench.model import Connector, MockResponse, Scenario
from workbench.store import serialize


@pytest.fixture
def session(desk_copy: Path) -> EditSession:
    return EditSession.load(desk_copy)


def _connector(session: EditSession) -> Connector:
    entry = session.find("connector", "Get orders")
    assert entry is not None
    return entry.model


def test_nested_field_edits_undo_to_the_same_bytes_and_objects(session: EditSession) -> None:
    connector = _connector(session)
    before, request = serialize(connector), connector.request
    history = History()
    history.do(ops.set_field(connector, "request.url", "{{env.base_url}}/v2/orders"))
    history.do(ops.set_field(connector, "request.timeout_s", 3.5))
    history.do(ops.set_field(connector, "response.example.status", 503))
    assert connector.request.url.endswith("/v2/orders") and connector.request.timeout_s == 3.5
    assert request.url != connector.request.url, "the old request object is left as it was"
    assert connector.response.example is not None and connector.response.example.status == 503
    while history.undo() is not None:
        pass
    assert connector.request is request
    assert serialize(connector) == before
    while history.redo() is not None:
        pass
    assert connector.response.example is not None and connector.response.example.status == 503


def test_typing_in_one_field_undoes_at_once_and_another_field_is_its_own_step(session: EditSession) -> None:
    connector = _connector(session)
    url, description = connector.request.url, connector.description
    history = History()
    for end in range(1, 6):
        history.do(ops.set_field(connector, "request.url", url + "/extra"[:end]), ("url",))
    history.do(ops.set_field(connector, "description", "typed"), ("description",))
    assert len(history.undo_stack) == 2
    history.undo()
    assert connector.description == description and connector.request.url == url + "/extr"
    history.undo()
    assert connector.request.url == url


def test_setting_a_fault_back_to_none_leaves_the_key_out(session: EditSession) -> None:
    connector = _connector(session)
    before = serialize(connector)
    history = History()
    history.do(ops.set_field(connector, "response.example.fault", "timeout"))
    assert b'"fault": "timeout"' in serialize(connector)
    history.do(ops.set_field(connector, "response.example.fault", None, omit_none=True))
    assert b'"fault"' not in serialize(connector)
    history.undo()
    history.undo()
    assert serialize(connector) == before


def test_an_invalid_value_changes_nothing(session: EditSession) -> None:
    connector = _connector(session)
    before = serialize(connector)
    with pytest.raises(ops.EditError):
        ops.set_field(connector, "request.method", "FETCH")
    with pytest.raises(ops.EditError):
        ops.set_field(connector, "kind", "write").apply()
    assert serialize(connector) == before


def test_a_missing_example_is_created_by_setting_it_whole(session: EditSession) -> None:
    connector = _connector(session)
    history = History()
    history.do(ops.set_field(connector, "response.example", None))
    with pytest.raises(ops.EditError):
        ops.set_field(connector, "response.example.status", 404)
    history.do(ops.set_field(connector, "response.example", MockResponse(status=404)))
    assert connector.response.example is not None and connector.response.example.status == 404


def test_a_scenario_edited_as_json_is_one_operation_on_the_same_object(session: EditSession) -> None:
    entry = session.of_kind("scenario")[0]
    scenario: Scenario = entry.model
    before = serialize(scenario)
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    edited = Scenario.model_validate({**data, "description": "edited as JSON", "answers": {"x": "y"}})
    history = History()
    change = ops.replace_fields(scenario, edited)
    assert change is not None
    history.do(change, ("document",))
    without = {key: value for key, value in data.items() if key != "description"}
    change = ops.replace_fields(scenario, Scenario.model_validate({**without, "answers": {}}))
    assert change is not None
    history.do(change, ("document",))
    assert entry.model is scenario and scenario.answers == {}
    assert len(history.undo_stack) == 1, "typing in the document coalesces"
    history.undo()
    assert serialize(scenario) == before
    history.redo()
    assert scenario.answers == {} and b'"description"' not in serialize(scenario)


def test_a_scenario_with_unknown_keys_is_not_edited_field_by_field(session: EditSession) -> None:
    scenario: Scenario = session.of_kind("scenario")[0].model
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert ops.replace_fields(scenario, Scenario.model_validate({**data, "note": "mine"})) is None

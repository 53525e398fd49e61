"""What the editors offer around a code step: its outputs in the ``@`` menu after it (apart before it), and
earlier code steps' outputs and called connectors in its ``inputs[...]`` completion."""

from __future__ import annotations

import pytest

from workbench.attributes import AttributeCatalog
from workbench.editing.code_keys import key_candidates, key_context
from workbench.editing.completion import mention_indexes
from workbench.model import Connector, Procedure

CONNECTOR = Connector.model_validate(
    {
        "name": "Get order",
        "request": {"url": "http://127.0.0.1:1/x"},
        "response": {"example": {"body": {"total": 10.0}}},
    }
)
PROCEDURE = Procedure.model_validate(
    {
        "name": "P",
        "steps": [
            {"id": "before", "type": "instruction", "text": "@call(Get order)"},
            {
                "id": "first",
                "type": "code",
                "name": "Refund",
                "code": "return {}",
                "outputs": [{"path": "amount", "type": "number"}, {"path": "detail > cents", "type": "integer"}],
            },
            {"id": "second", "type": "code", "name": "Again", "code": "return {}"},
            {"id": "after", "type": "instruction", "text": ""},
        ],
    }
)


def _catalog() -> AttributeCatalog:
    return AttributeCatalog({"Get order": CONNECTOR}, {"P": PROCEDURE}, payloads={"Refund": {"amount": 5.0}})


def test_the_at_menu_lists_the_outputs_after_the_step_with_types_and_samples() -> None:
    reads = mention_indexes(_catalog(), "P", "after").reads.candidates
    by_label = {candidate.label: candidate for candidate in reads}
    assert by_label["Refund > amount"].available and by_label["Refund > amount"].detail == "number"
    assert by_label["Refund > amount"].sample == "5.0"
    assert by_label["Refund > detail > cents"].detail == "integer"
    early = {candidate.label: candidate for candidate in mention_indexes(_catalog(), "P", "before").reads.candidates}
    assert not early["Refund > amount"].available
    assert early["Refund > amount"].reason == "its code step runs only after this step"


def test_inputs_completion_in_a_code_step_offers_connectors_and_earlier_outputs() -> None:
    context = key_context('x = inputs["temporary"]["')
    assert context is not None
    offered = {candidate.label: candidate.available for candidate in key_candidates(context, _catalog(), "P", "second")}
    assert offered == {"Get order": True, "Refund": True, "Again": False}
    deeper = key_context('inputs["temporary"]["Refund"]["')
    assert deeper is not None
    assert [candidate.label for candidate in key_candidates(deeper, _catalog(), "P", "second")] == ["amount"]


def test_the_outputs_field_reads_and_writes_a_line() -> None:
    from workbench.editing.code_outputs import format_outputs, parse_outputs
    from workbench.model import CodeOutput

    parsed = parse_outputs("amount: number,  detail>cents : integer, note")
    assert parsed == [
        {"path": "amount", "type": "number"},
        {"path": "detail > cents", "type": "integer"},
        {"path": "note", "type": "string"},
    ]
    assert (
        format_outputs([CodeOutput.model_validate(item) for item in parsed])
        == "amount: number, detail > cents: integer, note: string"
    )
    assert parse_outputs("  ") is None
    with pytest.raises(ValueError, match="name the output's path"):
        parse_outputs(": number")
    with pytest.raises(ValueError, match="the type is one of"):
        parse_outputs("a: decimal")

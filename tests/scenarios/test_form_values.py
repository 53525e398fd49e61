"""The scenario form's text fields: every text is a value or a located problem, and a value's text reads back."""

from __future__ import annotations

import pytest

from workbench.scenarios.form_values import (
    FieldProblem,
    calls_text,
    lines_of,
    parse_calls,
    parse_lines,
    parse_whole,
    shown,
    typed,
)


def test_a_path_is_one_step_id_per_line_and_a_bad_one_is_located() -> None:
    assert parse_lines("lookup\nbig-order") == ["lookup", "big-order"]
    with pytest.raises(FieldProblem) as found:
        parse_lines("lookup\nbig order", step_ids=True)
    assert (found.value.where, found.value.line, found.value.column) == ("[1]", 2, 4)
    assert str(found.value) == "[1]: 'big order' is not a step id (letters, digits, and . _ : -)"


def test_an_empty_line_is_a_problem_not_a_silent_no_op() -> None:
    with pytest.raises(FieldProblem) as found:
        parse_lines("processing\n")
    assert found.value.where == "[1]" and "empty line" in found.value.message
    assert parse_lines("") == []


@pytest.mark.parametrize("calls", [["Get orders", "Issue refund"], {"Get orders": 1, "Issue refund": 0}, None])
def test_calls_read_back_from_their_text(calls: list[str] | dict[str, int] | None) -> None:
    assert parse_calls(calls_text(calls)) == calls


def test_calls_mixing_names_and_counts_name_the_line() -> None:
    with pytest.raises(FieldProblem) as found:
        parse_calls("Get orders = 1\nIssue refund")
    assert found.value.where == "[1]"


@pytest.mark.parametrize("value", ["22201", "text", 3, True, ["", "Switching"], {"a": 1}, "ünï [/]"])
def test_a_rows_value_reads_back_from_its_text(value: object) -> None:
    assert typed(shown(value)) == value


def test_every_other_spelling_of_json_is_text_so_that_no_edit_is_lost() -> None:
    assert typed("[1,  2]") == "[1,  2]"  # a space typed inside the list changes the value
    assert typed("3") == 3 and shown("3") == '"3"' and typed('"3"') == "3"  # text that reads as JSON is quoted


def test_whole_numbers_name_their_range() -> None:
    assert parse_whole("503", 200, 599) == 503
    with pytest.raises(FieldProblem, match="99 is not from 200 to 599"):
        parse_whole("99", 200, 599)
    with pytest.raises(FieldProblem, match="whole number"):
        parse_whole("", 200, 599)
    assert lines_of(None) == ""

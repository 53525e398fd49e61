"""Ranking of completion candidates, the ``@`` menu's lists at a step, and code-key completion."""

from __future__ import annotations

from tests.conftest import SUPPORT_DESK
from workbench.attributes import Attribute, AttributeCatalog
from workbench.editing.code_keys import KeyContext, key_candidates, key_context
from workbench.editing.completion import (
    Candidate,
    CandidateIndex,
    attribute_candidate,
    mention_indexes,
    preview,
)
from workbench.store import load_workspace


def _index(*labels: str, unavailable: tuple[str, ...] = ()) -> CandidateIndex:
    return CandidateIndex([Candidate(label, label, "read", available=label not in unavailable) for label in labels])


def _labels(index: CandidateIndex, query: str) -> list[str]:
    return [index.candidates[i].label for i in index.search(query)]


def test_prefix_then_segment_start_then_substring_then_fuzzy() -> None:
    index = _index("Orders > total", "Get orders > status", "Get status", "Status > code", "Get stock > amount")
    assert _labels(index, "stat") == ["Status > code", "Get orders > status", "Get status", "Get stock > amount"]
    assert _labels(index, "STAT") == _labels(index, "stat")
    assert _labels(index, "gsa") == ["Get orders > status", "Get status", "Get stock > amount"]


def test_unavailable_candidates_come_after_the_available_ones() -> None:
    index = _index("A > status", "B > status", "C > status", unavailable=("A > status",))
    assert _labels(index, "status") == ["B > status", "C > status", "A > status"]
    assert _labels(index, "") == ["B > status", "C > status", "A > status"]


def test_extending_a_query_narrows_the_previous_matches() -> None:
    index = _index(*(f"Conn > field{i}" for i in range(100)))
    substring = [f"Conn > field{i}" for i in (1, *range(10, 20))]
    assert _labels(index, "field1")[:11] == substring  # then fuzzy ones such as field21
    assert _labels(index, "field12")[0] == "Conn > field12"
    assert len(index.search("field")) == 100  # a shorter query searches everything again


def test_match_positions_for_substrings_and_fuzzy_matches() -> None:
    index = _index("Get orders > status")
    assert index.match_positions(0, "status") == list(range(13, 19))
    assert index.match_positions(0, "gos") == [0, 4, 9]


def test_several_words_match_in_any_order_across_the_path() -> None:
    index = _index("List comments > user > login", "List comments > body", "Get user > login", "Comment log > id")
    assert _labels(index, "comments login") == ["List comments > user > login"]
    assert _labels(index, "login comments") == ["List comments > user > login"]
    assert _labels(index, "  user   login ") == ["List comments > user > login", "Get user > login"]
    assert _labels(index, "cmts lgn") == ["List comments > user > login"]  # each word fuzzy when none is whole
    assert index.match_positions(0, "login comments") == [*range(5, 13), *range(23, 28)]


def test_previews_are_short() -> None:
    assert preview([1, 2, 3]) == "[3 items]" and preview({"a": 1}) == "{1 key}"
    assert preview("x" * 100).endswith("…") and len(preview("x" * 100)) == 40
    assert preview(None) == "null"


def test_the_at_menu_lists_offer_available_attributes_first() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    catalog = AttributeCatalog(workspace.connector_models(), workspace.procedure_models(), workspace.settings.model)
    lists = mention_indexes(catalog, "Order status", "lookup")
    assert [c.label for c in lists.calls.candidates][:2] == ["Cancel subscription", "Get order history"]
    assert lists.calls.candidates[0].insert == "@call(Cancel subscription)"
    reads = {c.label: c for c in lists.reads.candidates}
    assert (
        reads["Get orders > status"].available and reads["Get orders > status"].insert == "@read(Get orders > status)"
    )
    assert not reads["Get subscription > plan > name"].available
    assert "Get orders > items > name" not in reads  # arrays are one attribute at their root
    assert reads["Get orders > items"].transform_of == "Get orders"  # ... whose transform can pick items
    assert reads["Get orders > status"].transform_of == ""
    assert all(not c.transform_of for c in lists.reads.candidates if c.label.startswith(("User", "Conversation")))
    assert len(lists.every) == len(lists.calls) + len(lists.reads)


def test_attribute_candidates_carry_type_and_sample() -> None:
    candidate = attribute_candidate(Attribute("Get orders > total", "number", 64.98))
    assert (candidate.detail, candidate.sample, candidate.available) == ("number", "64.98", True)
    assert not attribute_candidate(Attribute("X > y", "string", "a"), reason="later").available


def test_key_context_reads_the_open_subscript() -> None:
    assert key_context('len(inputs["temporary"]["Get or') == key_context('inputs["temporary"]["Get or')
    context = key_context("inputs['temporary']['Get orders']['items'][0]['qu")
    assert context is not None and context.keys == ("temporary", "Get orders", "items", 0)
    assert (context.quote, context.typed) == ("'", "qu")
    assert key_context('inputs["temporary"]["Get orders"]') is None
    assert key_context('my_inputs["') is None


def _context(text: str) -> KeyContext:
    """The open subscript at the end of ``text`` (the test fails here when there is none)."""
    context = key_context(text)
    assert context is not None, text
    return context


def test_key_candidates_follow_the_sample_data() -> None:
    workspace = load_workspace(SUPPORT_DESK)
    catalog = AttributeCatalog(workspace.connector_models(), workspace.procedure_models(), workspace.settings.model)
    top = key_candidates(_context('inputs["'), catalog, "Order status", "big-order")
    assert [c.label for c in top] == ["temporary", "user", "company", "conversation"]
    connectors = key_candidates(_context('inputs["temporary"]["'), catalog, "Order status", "big-order")
    assert connectors[0].label == "Get orders" and connectors[0].available
    assert connectors[0].insert == 'Get orders"]'
    assert not next(c for c in connectors if c.label == "Get subscription").available
    items = key_candidates(
        _context("inputs['temporary']['Get orders']['items'][3]['"), catalog, "Order status", "big-order"
    )
    assert "quantity" in [c.label for c in items] and items[0].insert.endswith("']")
    assert [c.label for c in key_candidates(_context('inputs["user"]["'), catalog, "Order status", "big-order")][
        :2
    ] == ["name", "email"]

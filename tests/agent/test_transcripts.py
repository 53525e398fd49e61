"""Transcripts read into turns (plain lines and Intercom conversations) and the customer drafted from them."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from workbench.agent.transcripts import draft_from_text, html_text, read_transcript
from workbench.engine.agent import Turn

PLAIN = """Customer: Hi, my order ORD-7 has not arrived.
It was due Monday.
Agent: Sorry! Let me check.
customer:   The order number is ORD-7.
AGENT: It ships tomorrow.
"""

INTERCOM: dict[str, Any] = {
    "type": "conversation",
    "id": "123",
    "source": {
        "type": "conversation",
        "author": {"type": "user", "id": "u1"},
        "body": "<p>Where is my <b>parcel</b>?</p>",
    },
    "conversation_parts": {
        "type": "conversation_part.list",
        "conversation_parts": [
            {"part_type": "comment", "author": {"type": "bot"}, "body": "<p>Let me look that up&nbsp;for you.</p>"},
            {"part_type": "note", "author": {"type": "admin"}, "body": "<p>internal: VIP</p>"},
            {"part_type": "assignment", "author": {"type": "admin"}, "body": None},
            {
                "part_type": "comment",
                "author": {"type": "user"},
                "body": "<p>Order ORD-9<br>placed May 2 &amp; paid</p>",
            },
            {"part_type": "comment", "author": {"type": "admin"}, "body": "<p>It is on its way.</p>"},
        ],
        "total_count": 5,
    },
}


def test_plain_lines_become_turns_and_unlabelled_lines_continue_the_turn() -> None:
    assert read_transcript(PLAIN) == [
        Turn("customer", "Hi, my order ORD-7 has not arrived.\nIt was due Monday."),
        Turn("agent", "Sorry! Let me check."),
        Turn("customer", "The order number is ORD-7."),
        Turn("agent", "It ships tomorrow."),
    ]


def test_an_intercom_conversation_becomes_turns_without_notes_or_html() -> None:
    turns = read_transcript(orjson.dumps(INTERCOM).decode())
    assert turns == [
        Turn("customer", "Where is my parcel?"),
        Turn("agent", "Let me look that up for you."),
        Turn("customer", "Order ORD-9\nplaced May 2 & paid"),
        Turn("agent", "It is on its way."),
    ]
    as_list = {**INTERCOM, "conversation_parts": INTERCOM["conversation_parts"]["conversation_parts"]}
    assert read_transcript(orjson.dumps(as_list).decode()) == turns


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hello there\nCustomer: hi", "line 1: expected 'Customer:' or 'Agent:'"),
        ("Agent: hello", "no customer message"),
        ("", "no customer message"),
        ("{not json", "not JSON"),
        ('{"conversation_parts": 3}', '"conversation_parts" must be a list'),
        ('{"source": {"author": {"type": "robot"}, "body": "x"}}', "unknown author type 'robot'"),
    ],
)
def test_bad_transcripts_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        read_transcript(text)


def test_the_draft_from_text_takes_the_goal_and_facts_from_the_customer() -> None:
    simulation = draft_from_text(read_transcript(PLAIN))
    assert simulation.goal == "Hi, my order ORD-7 has not arrived. It was due Monday."
    assert simulation.facts == ["The order number is ORD-7."]
    assert "edit me" in simulation.persona and simulation.max_turns == 4


def test_html_text_keeps_line_breaks_and_decodes_entities() -> None:
    assert html_text("<div>a&lt;b</div><ul><li>one</li><li>two</li></ul>") == "a<b\none\ntwo"

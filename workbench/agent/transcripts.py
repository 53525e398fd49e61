"""Simulations from real conversations: a transcript (plain ``Customer:`` / ``Agent:`` lines, or an Intercom
conversation as its Conversations API returns it) read into turns, and the simulated customer drafted from it:
by a model when one is configured, else filled from the text for the author to edit.

Intercom's shape: the conversation's ``source`` (the first message) and ``conversation_parts`` (an object
holding a ``conversation_parts`` list, or the list itself), each with an ``author`` whose ``type`` is ``user``,
``lead`` or ``contact`` (the customer) or ``admin``, ``bot`` or ``team`` (the agent), and an HTML ``body``.
Internal notes and parts without a body are left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

import orjson

from workbench.agent.client import ChatClient, Tool
from workbench.engine.agent import Turn
from workbench.model import Simulation

CUSTOMER_AUTHORS = frozenset({"user", "lead", "contact"})
AGENT_AUTHORS = frozenset({"admin", "bot", "team"})
_LABEL = re.compile(r"^\s*(customer|agent)\s*:\s?(.*)$", re.IGNORECASE)
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
MAX_GOAL_CHARS = 500


class _Text(HTMLParser):
    """The text of an HTML fragment, block elements and ``<br>`` as line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The plain text of an HTML message body."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in html.unescape("".join(parser.parts)).splitlines())
    return "\n".join(line for line in lines if line)


def read_transcript(text: str) -> list[Turn]:
    """The turns of a transcript: Intercom JSON when ``text`` is a JSON object, else ``Customer:``/``Agent:``
    lines (a line without a label continues the turn before it). Raises ``ValueError`` saying what is wrong."""
    if text.lstrip().startswith("{"):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise ValueError(f"not JSON: {error}") from None
        return _intercom(data)
    turns: list[Turn] = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _LABEL.match(line)
        if found:
            turns.append(Turn("customer" if found[1].lower() == "customer" else "agent", found[2].strip()))
        elif line.strip():
            if not turns:
                raise ValueError(f"line {number}: expected 'Customer:' or 'Agent:' before any text")
            last = turns[-1]
            turns[-1] = Turn(last.role, f"{last.text}\n{line.strip()}".strip())
    return _checked(turns)


def _intercom(data: Any) -> list[Turn]:
    if not isinstance(data, dict):
        raise ValueError("an Intercom conversation must be a JSON object")
    parts: list[Any] = []
    if isinstance(data.get("source"), dict):
        parts.append(data["source"])
    listed = data.get("conversation_parts")
    if isinstance(listed, dict):
        listed = listed.get("conversation_parts")
    if listed is not None and not isinstance(listed, list):
        raise ValueError('"conversation_parts" must be a list (or an object holding one)')
    parts += listed or []
    turns: list[Turn] = []
    for index, part in enumerate(parts):
        if not isinstance(part, dict) or part.get("part_type") == "note":
            continue
        author = part.get("author")
        kind = author.get("type") if isinstance(author, dict) else None
        body = part.get("body")
        if not isinstance(body, str) or not body.strip():
            continue
        if kind not in CUSTOMER_AUTHORS | AGENT_AUTHORS:
            raise ValueError(f"conversation part {index}: unknown author type {kind!r} (expected user, admin or bot)")
        turns.append(Turn("customer" if kind in CUSTOMER_AUTHORS else "agent", html_text(body)))
    return _checked(turns)


def _checked(turns: list[Turn]) -> list[Turn]:
    if not any(turn.role == "customer" and turn.text for turn in turns):
        raise ValueError("no customer message in the transcript")
    return turns


def draft_from_text(turns: Sequence[Turn]) -> Simulation:
    """A simulation filled from the transcript for the author to edit: the first customer message as the goal,
    their later messages as facts, their way of writing as the persona."""
    said = [turn.text for turn in turns if turn.role == "customer" and turn.text]
    first = said[0]
    return Simulation(
        persona=f"Drafted from a real conversation (edit me). Writes like: {_short(first, 200)!r}",
        goal=_short(first, MAX_GOAL_CHARS),
        facts=said[1:],
        max_turns=min(100, max(3, len(said) + 2)),
    )


DRAFT_TOOL = Tool(
    "draft_customer",
    "Describe the customer of this conversation, to simulate them.",
    {
        "type": "object",
        "properties": {
            "persona": {"type": "string", "description": "who the customer is and how they write"},
            "goal": {"type": "string", "description": "what they want from the conversation"},
            "facts": {
                "type": "array",
                "items": {"type": "string"},
                "description": "what they know and give when asked (order numbers, dates, names)",
            },
        },
        "required": ["persona", "goal", "facts"],
    },
)


async def draft_with_model(client: ChatClient, turns: Sequence[Turn]) -> Simulation:
    """A simulation drafted by the model from the transcript; raises a
    :class:`~workbench.agent.errors.ModelError`, or ``ValueError`` when its draft does not fit."""
    transcript = "\n".join(f"{'Customer' if turn.role == 'customer' else 'Agent'}: {turn.text}" for turn in turns)
    prompt = [
        {
            "role": "system",
            "content": "You turn a real support conversation into a simulated customer for testing a support "
            "agent: who they are and how they write, their goal, and the facts they give when asked.",
        },
        {"role": "user", "content": f"Transcript:\n{transcript}\n\nCall draft_customer."},
    ]
    arguments = await client.call_tool(prompt, DRAFT_TOOL, purpose="draft", where={})
    facts = arguments.get("facts")
    return Simulation(
        persona=str(arguments.get("persona") or "").strip(),
        goal=str(arguments.get("goal") or "").strip(),
        facts=[str(fact) for fact in facts] if isinstance(facts, list) else [],
        max_turns=draft_from_text(turns).max_turns,
    )


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

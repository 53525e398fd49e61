"""The words sent to the models: the agent's, the simulated customer's and the judge's prompts and tools.

Every builder returns chat messages (one system message, then one user message holding the conversation as a
transcript: portable across servers whose chat templates disagree on roles). Data is shown as JSON, cut at
:data:`MAX_DATA_CHARS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from workbench.agent.client import Message, Tool
from workbench.engine.agent import Turn
from workbench.model import ConnectorInput, Simulation

MAX_DATA_CHARS = 12_000
ELSE = "else"

AGENT_SYSTEM = (
    "You are a customer-support agent. You follow a procedure written by the company, one step at a time. "
    "Speak to the customer directly, briefly and politely, in the conversation's language. Use only the step's "
    "instruction, the data given and the conversation: never invent order numbers, dates, amounts or policies. "
    "In an instruction, @call(X) means the data connector X has been called for you, and @read(X > field) "
    "refers to the value given for that path in the data. A value shown as [redacted] or *** must not be "
    "guessed or mentioned."
)
CUSTOMER_SYSTEM = (
    "You play a customer writing to a company's support chat, to test its support agent. Stay in character. "
    "Write short, natural chat messages, as this customer would. Give a fact from your facts only when the "
    "agent asks for it or it is needed for your goal; never invent facts you were not given (say you do not "
    "know). Never write the agent's part."
)
JUDGE_SYSTEM = (
    "You judge a support conversation against one success criterion. Read the transcript and the run's "
    "outcome, then decide strictly whether the criterion is met, citing what was said."
)


def data_text(data: Any) -> str:
    """``data`` as indented JSON, cut to :data:`MAX_DATA_CHARS`."""
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str).decode()
    return text if len(text) <= MAX_DATA_CHARS else text[:MAX_DATA_CHARS] + "\n… (cut)"


def transcript(conversation: Sequence[Turn]) -> str:
    """The conversation as ``Customer:`` / ``Agent:`` lines."""
    if not conversation:
        return "(nothing has been said yet)"
    return "\n".join(f"{'Agent' if turn.role == 'agent' else 'Customer'}: {turn.text}" for turn in conversation)


def _chat(system: str, *parts: str) -> list[Message]:
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n\n".join(parts)}]


def message_prompt(
    conversation: Sequence[Turn], procedure: str, step: str, instruction: str, data: Mapping[str, Any]
) -> list[Message]:
    """Ask for the message an instruction step says."""
    return _chat(
        AGENT_SYSTEM,
        f"Conversation so far:\n{transcript(conversation)}",
        f"Step {step!r} of the procedure {procedure!r} instructs:\n{instruction}",
        f"Data read at this step (JSON):\n{data_text(dict(data))}",
        "Write the message you send the customer now. Reply with the message only.",
    )


def decision_prompt(
    conversation: Sequence[Turn], procedure: str, step: str, choices: Sequence[str], data: Mapping[str, Any]
) -> list[Message]:
    """Ask which described branch of a condition step holds."""
    listed = "\n".join(f"- {choice}" for choice in choices)
    return _chat(
        AGENT_SYSTEM,
        f"Conversation so far:\n{transcript(conversation)}",
        f"Data known so far (JSON):\n{data_text(dict(data))}",
        f"Step {step!r} of the procedure {procedure!r} branches on which of these holds:\n{listed}\n"
        f"- {ELSE} (none of them)",
        "Call choose_branch with the first one that holds, written exactly as listed.",
    )


def branch_tool(choices: Sequence[str]) -> Tool:
    """The forced tool of a decision: the branch, named by its text (or ``else``)."""
    return Tool(
        "choose_branch",
        "Choose the branch of the procedure's condition that holds.",
        {
            "type": "object",
            "properties": {
                "branch": {"type": "string", "enum": [*choices, ELSE], "description": "the branch, as listed"},
                "reasoning": {"type": "string", "description": "one sentence: why"},
            },
            "required": ["branch"],
        },
    )


_JSON_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}


def inputs_tool(inputs: Sequence[ConnectorInput]) -> Tool:
    """The tool that fills a connector's inputs: their JSON Schema, plus a question for what is not known."""
    properties: dict[str, Any] = {
        spec.name: {"type": _JSON_TYPES.get(spec.type, "string"), "description": spec.description or spec.name}
        for spec in inputs
    }
    properties["question"] = {
        "type": "string",
        "description": "when a value is not in the conversation: the question to ask the customer for it",
    }
    return Tool(
        "fill_inputs",
        "Give the values of the data connector's inputs that the conversation states; leave out the others "
        "and ask for them in 'question'.",
        {"type": "object", "properties": properties},
    )


def inputs_prompt(conversation: Sequence[Turn], connector: str, description: str, refused: str | None) -> list[Message]:
    """Ask for the inputs of a connector call from the conversation."""
    parts = [
        f"Conversation so far:\n{transcript(conversation)}",
        f"You are about to call the data connector {connector!r}"
        + (f" ({description})" if description else "")
        + ". Call fill_inputs with the values the customer has given. Never invent a value: if one is missing, "
        "leave it out and write the question to ask the customer.",
    ]
    if refused:
        parts.append(f"The last value given was refused: {refused}")
    return _chat(AGENT_SYSTEM, *parts)


def customer_prompt(simulation: Simulation, conversation: Sequence[Turn], question: str | None) -> list[Message]:
    """Ask the simulated customer for their next message (``question``: what the agent just asked)."""
    facts = simulation.facts
    known = data_text(facts) if isinstance(facts, dict) else "\n".join(f"- {fact}" for fact in facts)
    parts = [
        f"Who you are: {simulation.persona or 'an ordinary customer'}",
        f"Your goal: {simulation.goal}",
        f"What you know:\n{known or '(nothing in particular)'}",
        f"Conversation so far:\n{transcript(conversation)}",
    ]
    if question is None:
        parts.append("Write your first message to the support agent. Reply with the message only.")
    else:
        parts.append(f"The agent asks: {question}\nReply with your answer only.")
    return _chat(CUSTOMER_SYSTEM, *parts)


def judge_prompt(criterion: str, conversation: Sequence[Turn], outcome: str, path: Sequence[str]) -> list[Message]:
    """Ask whether one criterion is met."""
    return _chat(
        JUDGE_SYSTEM,
        f"Transcript:\n{transcript(conversation)}",
        f"The run ended {outcome!r} after the steps {', '.join(path) or '(none)'}.",
        f"Criterion: {criterion}",
        "Call verdict with whether it is met and your reasoning.",
    )


VERDICT_TOOL = Tool(
    "verdict",
    "Say whether the criterion is met.",
    {
        "type": "object",
        "properties": {
            "passed": {"type": "boolean", "description": "whether the criterion is met"},
            "reasoning": {"type": "string", "description": "why, citing the conversation"},
        },
        "required": ["passed", "reasoning"],
    },
)

"""A small workspace touching every step type, and a chat server that answers each role of a simulation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.agent.chat_server import forced_tool, text, tool
from tests.connectors.server import Handler
from tests.engine.build import ROOT, connector, procedure, workspace
from workbench.store import Document, Workspace, save_document

SECRET = "tok-SECRET-8812"
SSN = "123-45-6789"
SECRETS = {"SHOP_TOKEN": SECRET}


def desk() -> Workspace:
    """``Help``: an instruction calling ``Get order`` (whose ``order_id`` has no source), a describe condition,
    a collect step, a sub-procedure and an end step. The order's ``ssn`` is declared redacted and its ``echo``
    repeats the shop token (a secret)."""
    order = connector(
        "Get order",
        {"status": "shipped", "ssn": SSN, "echo": SECRET, "tracking": "TRK-42"},
        inputs=[{"name": "order_id", "type": "string", "required": True, "description": "the order number"}],
    )
    order["request"]["headers"] = {"Authorization": "Bearer {{secret.SHOP_TOKEN}}"}
    order["response"]["fields"] = [{"path": "ssn", "type": "string", "redacted": True}]
    steps: list[dict[str, Any]] = [
        {
            "id": "lookup",
            "type": "instruction",
            "text": "Look up the order with @call(Get order) and say it is @read(Get order > status) "
            "(tracking @read(Get order > tracking), id @read(Get order > ssn), token @read(Get order > echo)).",
        },
        {
            "id": "mood",
            "type": "condition",
            "branches": [
                {
                    "when": {"describe": "the customer wants a refund"},
                    "steps": [
                        {
                            "id": "refund",
                            "type": "end",
                            "outcome": "handoff",
                            "message": "A teammate takes over (ref @read(Get order > ssn)).",
                        }
                    ],
                },
                {
                    "when": {"describe": "the customer is happy"},
                    "steps": [{"id": "thanks", "type": "instruction", "text": "Thank them."}],
                },
            ],
            "else": [],
        },
        {"id": "reason", "type": "collect", "attribute": "Conversation > reason", "prompt": "What else can I do?"},
        {"id": "extra", "type": "subprocedure", "procedure": "Goodbye"},
        {"id": "done", "type": "end", "outcome": "resolved"},
    ]
    goodbye = procedure("Goodbye", {"id": "bye", "type": "instruction", "text": "Say goodbye."})
    return workspace(
        [order],
        [{**procedure("Help", *steps), "description": "The customer asks about an order."}, goodbye],
        {"environments": {"local": {"base_url": "http://127.0.0.1:9"}}},
    )


class Dynamic:
    """A reply built from the request body."""

    def __init__(self, build: Callable[[dict[str, Any]], Handler]) -> None:
        self.build = build


Reply = Handler | Dynamic


class Roles:
    """A responder that answers each role from its own script: ``message`` (the agent's messages),
    ``decision`` (choose_branch), ``inputs`` (fill_inputs), ``customer`` and ``judge`` (verdict). A role's last
    reply repeats; a reply may be a function of the request body."""

    def __init__(self, **scripts: list[Reply]) -> None:
        self.scripts = {role: list(replies) for role, replies in scripts.items()}
        self.seen: dict[str, list[dict[str, Any]]] = {}

    @staticmethod
    def role(body: dict[str, Any]) -> str:
        """Which role a request is for."""
        named = {"choose_branch": "decision", "fill_inputs": "inputs", "verdict": "judge"}.get(forced_tool(body) or "")
        if named:
            return named
        return "customer" if body["messages"][0]["content"].startswith("You play a customer") else "message"

    def __call__(self, body: dict[str, Any]) -> Handler:
        role = self.role(body)
        self.seen.setdefault(role, []).append(body)
        replies = self.scripts.get(role)
        if not replies:
            raise AssertionError(f"no scripted reply for {role}")
        chosen = replies.pop(0) if len(replies) > 1 else replies[0]
        return chosen.build(body) if isinstance(chosen, Dynamic) else chosen


def says(prefix: str) -> Dynamic:
    """The agent's message: ``prefix`` and the step it was asked for (read from the prompt)."""

    def reply(body: dict[str, Any]) -> Handler:
        prompt = body["messages"][-1]["content"]
        step = prompt.split("Step '", 1)[1].split("'", 1)[0]
        return text(f"{prefix} ({step})")

    return Dynamic(reply)


def happy_path() -> Roles:
    """The model fills the order id after asking, decides 'happy', and the customer answers in turn."""
    return Roles(
        message=[says("Model says")],
        inputs=[
            tool("fill_inputs", {"question": "What is your order number?"}),
            tool("fill_inputs", {"order_id": "ORD-7"}),
        ],
        decision=[tool("choose_branch", {"branch": "the customer is happy", "reasoning": "they said thanks"})],
        customer=[text("Hi, where is my order?"), text("It is ORD-7."), text("Nothing else, thanks!")],
        judge=[tool("verdict", {"passed": True, "reasoning": "the tracking number was given"})],
    )


def write_desk(root: Path) -> Path:
    """The desk as a workspace folder at ``root``."""
    made = desk()
    documents: list[Document[Any]] = [made.settings, *made.connectors.values(), *made.procedures.values()]
    for document in documents:
        relative = document.path.relative_to(ROOT)
        save_document(Document(document.kind, root / relative, document.model))
    return root


def stateless_roles(verdict: bool = True) -> Roles:
    """Replies that depend only on the request (safe for runs in parallel): the model asks for the order number
    until the conversation holds it; the customer opens, then gives it."""

    def fill(body: dict[str, Any]) -> Handler:
        told = "ORD-7" in body["messages"][-1]["content"]
        return tool("fill_inputs", {"order_id": "ORD-7"} if told else {"question": "What is your order number?"})

    def customer(body: dict[str, Any]) -> Handler:
        asked = "The agent asks:" in body["messages"][-1]["content"]
        return text("It is ORD-7." if asked else "Hi, where is my order?")

    reasoning = "the tracking number TRK-42 was given" if verdict else "no tracking number was given"
    return Roles(
        message=[says("Model says")],
        inputs=[Dynamic(fill)],
        decision=[tool("choose_branch", {"branch": "the customer is happy"})],
        customer=[Dynamic(customer)],
        judge=[tool("verdict", {"passed": verdict, "reasoning": reasoning})],
    )

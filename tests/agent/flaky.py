"""A chat server scripted so that the judge disagrees with itself on one criterion.

Every run's transcript differs (the customer's opening counts the runs), so a judge cache never hides the
disagreement. The steady criterion always passes; the flaky one follows ``flaky_verdicts`` in the order it is
judged (with ``-j 1``: run 1 first)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.agent.chat_server import text, tool
from tests.agent.desk import Dynamic, Roles, stateless_roles
from tests.connectors.server import Handler

STEADY = "the agent is polite"
FLAKY = "the customer gets the tracking number"
SCENARIO = {
    "name": "Where is my order",
    "procedure": "Help",
    "simulation": {"persona": "Ada", "goal": "know where order ORD-7 is", "facts": {"order_id": "ORD-7"}},
    "expect": {"criteria": [STEADY, FLAKY]},
}


def flaky_judge(flaky_verdicts: list[bool]) -> Roles:
    """The desk's stateless roles with a judge that passes :data:`STEADY` always and :data:`FLAKY` as
    ``flaky_verdicts`` say (the last one repeats)."""
    roles = stateless_roles()
    verdicts = list(flaky_verdicts)
    openings = itertools.count(1)

    def judge(body: dict[str, Any]) -> Handler:
        criterion = body["messages"][-1]["content"].split("Criterion: ", 1)[1].split("\n", 1)[0]
        if criterion == FLAKY:
            passed = verdicts.pop(0) if len(verdicts) > 1 else verdicts[0]
            return tool("verdict", {"passed": passed, "reasoning": "TRK-42 given" if passed else "no tracking number"})
        return tool("verdict", {"passed": True, "reasoning": "courteous throughout"})

    customer = roles.scripts["customer"][0]
    assert isinstance(customer, Dynamic)

    def customer_reply(body: dict[str, Any]) -> Handler:
        if "The agent asks:" in body["messages"][-1]["content"]:
            return customer.build(body)
        return text(f"Hi, where is my order? (visit {next(openings)})")

    roles.scripts["judge"] = [Dynamic(judge)]
    roles.scripts["customer"] = [Dynamic(customer_reply)]
    return roles

"""The partial-refund procedure of issue 28's done-when (a code step computing with ``decimal``, two of its
outputs read, one branched on), written into a copy of the support desk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.jsonfile import dumps_pretty

REFUND = """\
from decimal import Decimal, ROUND_HALF_UP
order = inputs["temporary"]["Get orders"]
total = Decimal(str(order["total"]["amount"]))
fee = (total * Decimal("0.15")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
return {
    "amount": str(total - fee),
    "partial": fee > 0,
    "breakdown": {"fee": str(fee), "currency": order["total"]["currency"]},
}
"""


def refund_procedure(code: str = REFUND) -> dict[str, Any]:
    """The procedure as file data, with ``code`` in its code step."""
    return {
        "name": "Partial refund",
        "description": "Offers a refund less a restocking fee.",
        "steps": [
            {"id": "lookup", "type": "instruction", "text": "Look up the order with @call(Get orders)."},
            {"id": "compute", "type": "code", "name": "Refund", "code": code},
            {
                "id": "offer",
                "type": "instruction",
                "text": "Offer @read(Refund > amount) back; the restocking fee is @read(Refund > breakdown > fee).",
            },
            {
                "id": "decide",
                "type": "condition",
                "branches": [
                    {
                        "when": {"attribute": "Refund > partial", "op": "equals", "value": True},
                        "steps": [
                            {"id": "approve", "type": "end", "outcome": "handoff", "message": "An agent approves."}
                        ],
                    }
                ],
                "else": [{"id": "done", "type": "end", "outcome": "resolved"}],
            },
        ],
    }


def write_refund_procedure(desk: Path, code: str = REFUND) -> Path:
    """Write the procedure (with ``code`` in its code step) into the workspace at ``desk``."""
    path = desk / "procedures" / "partial-refund.json"
    path.write_bytes(dumps_pretty(refund_procedure(code)))
    return path

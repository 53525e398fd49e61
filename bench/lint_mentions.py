"""Lint time against the number of mentions in one step: it must grow linearly.

Builds workspaces whose one instruction step holds N mentions of several shapes (unclosed ``@call(``, unknown
``@read(...)``, well-formed ``@read(...)`` of a called connector) and prints, for each shape, the time per
mention at N and at 10 x N and their ratio (linear: about 1; quadratic: about 10).

    python bench/lint_mentions.py [N]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from workbench.lint import lint_models
from workbench.model import Connector, Procedure

CONNECTOR = Connector.model_validate(
    {"name": "Get orders", "request": {"url": "http://127.0.0.1:9/o"}, "response": {"example": {"body": {"a": 1}}}}
)
SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed @call(": lambda count: "@call(" * count,
    "unknown @read(...)": lambda count: "@call(Get orders) " + "@read(Nothing > here) " * count,
    "known @read(...)": lambda count: "@call(Get orders) " + "@read(Get orders > a)\n" * count,
    "known @call(...)": lambda count: "@call(Get orders) " * count,
}


def seconds(text: str) -> float:
    procedure = Procedure.model_validate({"name": "P", "steps": [{"id": "s", "type": "instruction", "text": text}]})
    started = time.perf_counter()
    lint_models({"Get orders": CONNECTOR}, {"P": procedure})
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    for shape, build in SHAPES.items():
        small, large = seconds(build(count)), seconds(build(count * 10))
        per_small, per_large = small / count * 1e6, large / (count * 10) * 1e6
        print(
            f"{shape:22} {count:>7,} mentions {small:7.3f}s ({per_small:6.1f} µs each)   "
            f"{count * 10:>8,} mentions {large:7.3f}s ({per_large:6.1f} µs each)   ratio {per_large / per_small:5.2f}"
        )


if __name__ == "__main__":
    main()

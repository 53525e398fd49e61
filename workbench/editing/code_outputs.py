"""A code step's declared outputs as one line of text (the form's Outputs field): ``amount: number, detail >
cents: integer``; a path without a type is a string; an empty line declares none."""

from __future__ import annotations

from typing import get_args

from workbench.mentions import join_path, split_path
from workbench.model import CodeOutput
from workbench.model.procedure import OutputType

OUTPUT_TYPES: tuple[str, ...] = get_args(OutputType)


def format_outputs(outputs: list[CodeOutput] | None) -> str:
    """The outputs as the field shows them."""
    return ", ".join(f"{output.path}: {output.type}" for output in outputs or [])


def parse_outputs(text: str) -> list[dict[str, str]] | None:
    """The outputs a line declares (``None`` for a blank line: the step declares none).

    Raises ``ValueError`` naming the entry that is not ``path`` or ``path: type`` with a known type.
    """
    if not text.strip():
        return None
    outputs: list[dict[str, str]] = []
    for entry in text.split(","):
        path, _, kind = entry.partition(":")
        path, kind = join_path(split_path(path)) if path.strip() else "", kind.strip() or "string"
        if not path:
            raise ValueError(f"{entry.strip()!r}: name the output's path before the ':'")
        if kind not in OUTPUT_TYPES:
            raise ValueError(f"{entry.strip()!r}: the type is one of {', '.join(OUTPUT_TYPES)}")
        outputs.append({"path": path, "type": kind})
    return outputs

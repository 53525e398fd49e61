"""What the linter reports: one finding of one rule, located in a file, a step and a text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found by a lint rule.

    ``path`` is the file; ``step`` the procedure step id (``None`` for connector-level findings);
    ``field`` the dotted place inside the file's JSON the finding is about (e.g. ``text``,
    ``branches.0.when.code``, ``inputs.1.source``); ``line``/``column`` are 1-based inside that text or
    code, when the finding points into one. ``suggestion`` is a replacement worth offering, if any;
    ``declare`` a ``User`` / ``Company`` / ``Conversation`` attribute path whose declaration in ``workbench.json``
    fixes the finding (see :meth:`workbench.model.WorkspaceSettings.with_attribute`).
    """

    rule: str
    severity: Severity
    path: Path
    message: str
    step: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    suggestion: str | None = None
    declare: str | None = None

    @property
    def location(self) -> str:
        """``path``, then ``step``, then ``line:column``, as far as they are known."""
        parts = [str(self.path)]
        if self.step is not None:
            parts.append(f"step {self.step}")
        if self.line is not None:
            parts.append(f"{self.line}:{self.column}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict with every field, in a stable key order."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": str(self.path),
            "step": self.step,
            "field": self.field,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "suggestion": self.suggestion,
            "declare": self.declare,
        }

"""The errors an evaluation can end with.

Every failure of user code (or of the machinery running it) reaches the caller as one
of these, carrying a readable message and, when known, the 1-based line and column in
the user's own source text.
"""

from __future__ import annotations


class SandboxError(Exception):
    """Base class: the user's code could not be run to a usable result."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


class SandboxCompileError(SandboxError):
    """The code is not valid Python (or is too long or too deeply nested to compile)."""


class SandboxPolicyError(SandboxError):
    """The code uses something the sandbox forbids: an import, a `_` name, `format`, ..."""


class SandboxTimeoutError(SandboxError):
    """The evaluation ran past its wall-clock time limit."""


class SandboxMemoryError(SandboxError):
    """The evaluation tried to use more memory than its limit."""


class SandboxRuntimeError(SandboxError):
    """The user's code raised an exception; the message names its type and text."""


class SandboxResultError(SandboxError):
    """The code returned something that is not JSON-serializable, or is too large."""


class SandboxWorkerError(SandboxError):
    """The worker process failed to start, crashed, or broke the protocol."""


ERROR_CLASSES: dict[str, type[SandboxError]] = {
    cls.__name__: cls
    for cls in (
        SandboxError,
        SandboxCompileError,
        SandboxPolicyError,
        SandboxTimeoutError,
        SandboxMemoryError,
        SandboxRuntimeError,
        SandboxResultError,
        SandboxWorkerError,
    )
}
"""Error classes by name, so an error can cross the process boundary as plain data."""

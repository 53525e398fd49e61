"""How a step fails inside the engine (turned into an ``error`` event by the runner)."""

from __future__ import annotations

from workbench.events import ErrorReason


class StepFailure(Exception):
    """A step could not go on. ``connector`` names the connector that failed; only such failures can be
    handled by an instruction step's ``on_error`` steps."""

    def __init__(
        self, reason: ErrorReason, message: str, *, connector: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.reason: ErrorReason = reason
        self.message = message
        self.connector = connector
        self.status = status

    @property
    def handleable(self) -> bool:
        """Whether the failure is a connector's call failing (so ``on_error`` applies)."""
        return handleable(self.reason, self.connector)


def handleable(reason: ErrorReason, connector: str | None) -> bool:
    """Whether a failure of this reason, naming this connector (or none), runs an instruction's ``on_error``
    steps: the one rule the engine follows and coverage counts by."""
    return connector is not None and reason not in ("input", "procedure")

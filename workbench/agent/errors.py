"""What can go wrong talking to a language model: one typed error per cause, each saying what to do."""

from __future__ import annotations

from workbench.engine.agent import AgentFailure


class ModelError(AgentFailure):
    """A model call failed; the message says why (the run fails with an ``agent`` error)."""


class MissingKey(ModelError):
    """The API key's ``{{secret.NAME}}`` is not set, or the endpoint refused the key (401/403)."""


class ModelUnavailable(ModelError):
    """The endpoint could not be reached, or answered an error status (after the retries, for 429 and 5xx)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ModelTimeout(ModelError):
    """No reply within the per-call timeout, or the run's time budget for the model ran out."""


class ReplyTooLarge(ModelError):
    """The reply was bigger than ``max_response_bytes``."""


class MalformedReply(ModelError):
    """The reply is not a chat-completions response (not JSON, no choice, no message)."""


class ModelRefusal(ModelError):
    """The model refused to answer (a ``refusal`` or a content filter)."""


class MalformedToolCall(ModelError):
    """The model did not call the required tool with arguments that fit its schema."""


class UnknownBranch(ModelError):
    """The model named a branch that the condition step does not have."""

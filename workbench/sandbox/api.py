"""Running user code: code conditions, connector transforms and code steps, sync and async."""

from __future__ import annotations

import asyncio
import atexit
from typing import Any

from .compiler import Kind, Program, compile_program
from .limits import SandboxLimits
from .pool import Ticket, WorkerPool
from .protocol import encode_request

_DEFAULT_LIMITS = SandboxLimits()
_pool = WorkerPool()


def evaluate(expression: str, inputs: dict[str, Any], limits: SandboxLimits | None = None) -> Any:
    """Evaluate a code condition over `inputs` in the sandbox and return its value.

    `inputs` must be JSON-serializable (TypeError otherwise); the code sees a copy.
    Raises a SandboxError subclass when the code does not compile, breaks the policy,
    raises, runs out of time or memory, or returns something unusable.
    """
    return _run(compile_program("condition", expression), {"inputs": inputs}, limits)


def transform(
    code: str,
    response: Any,
    status: int,
    headers: dict[str, Any],
    limits: SandboxLimits | None = None,
) -> Any:
    """Run a connector transform (a function body with `response`, `status` and
    `headers` in scope) and return what it returns. Errors as for `evaluate`."""
    args = {"response": response, "status": status, "headers": headers}
    return _run(compile_program("transform", code), args, limits)


async def evaluate_async(expression: str, inputs: dict[str, Any], limits: SandboxLimits | None = None) -> Any:
    """`evaluate` without blocking the event loop (it waits in a thread); cancelling it kills the evaluation."""
    return await _run_async("condition", expression, {"inputs": inputs}, limits)


async def transform_async(
    code: str,
    response: Any,
    status: int,
    headers: dict[str, Any],
    limits: SandboxLimits | None = None,
) -> Any:
    """`transform` without blocking the event loop (it waits in a thread); cancelling it kills the run."""
    args = {"response": response, "status": status, "headers": headers}
    return await _run_async("transform", code, args, limits)


def run_code(code: str, inputs: dict[str, Any], limits: SandboxLimits | None = None) -> dict[str, Any]:
    """Run a code step's body (a function body with `inputs` in scope, the allowed modules pre-imported) and
    return the dict it returns. Errors as for `evaluate`; anything but a dict is a SandboxResultError."""
    return _run(compile_program("code", code), {"inputs": inputs}, limits)  # type: ignore[no-any-return]


async def run_code_async(code: str, inputs: dict[str, Any], limits: SandboxLimits | None = None) -> dict[str, Any]:
    """`run_code` without blocking the event loop; cancelling it kills the run."""
    return await _run_async("code", code, {"inputs": inputs}, limits)  # type: ignore[no-any-return]


def shutdown() -> None:
    """Stop the worker processes (run at exit too); safe to call twice. A later
    evaluation starts a new worker."""
    _pool.shutdown()


atexit.register(shutdown)


def _run(program: Program, args: dict[str, Any], limits: SandboxLimits | None, ticket: Ticket | None = None) -> Any:
    limits = limits or _DEFAULT_LIMITS
    return _pool.call(encode_request(program.kind, program.source, args, limits), limits, ticket)


async def _run_async(kind: Kind, source: str, args: dict[str, Any], limits: SandboxLimits | None) -> Any:
    ticket = Ticket()

    def compiled_and_run() -> Any:  # compiling, too, stays off the event loop
        return _run(compile_program(kind, source), args, limits, ticket)

    try:
        return await asyncio.to_thread(compiled_and_run)
    except asyncio.CancelledError:
        ticket.cancel()  # the waiting thread then ends at once, its worker gone
        raise

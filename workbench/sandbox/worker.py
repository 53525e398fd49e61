"""The worker process: runs compiled user code under resource limits, one request at a time.

Started by `pool.WorkerProcess` with the request and reply pipes on stdin and stdout.
Each evaluation gets a fresh namespace, an address-space rlimit (memory), a CPU-time
rlimit and an interval timer (time); the parent also kills the worker at its
wall-clock deadline, which covers C-level work no signal can interrupt.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .compiler import CODE_FUNCTION, FILENAME, TRANSFORM_FUNCTION, Program, compile_program
from .errors import (
    SandboxError,
    SandboxMemoryError,
    SandboxPolicyError,
    SandboxResultError,
    SandboxRuntimeError,
    SandboxTimeoutError,
)
from .guards import Guards, PolicyViolation
from .limits import SandboxLimits
from .modules import MODULES
from .positions import traceback_position
from .protocol import READY, decode_request, encode_error, encode_result, read_frame, write_frame

_MIB = 1024 * 1024
RECYCLE_GROWTH = 64 * _MIB
"""A worker whose address space grew this much past its start asks to be replaced."""

_MAX_MESSAGE_CHARS = 500


class TimeLimit(BaseException):
    """Raised into user code when its time is up (a BaseException: `except Exception` cannot catch it)."""


class Runner:
    """Runs programs in this process under limits and turns every outcome into a reply."""

    def __init__(self) -> None:
        self.guards = Guards()
        self._statm = os.open("/proc/self/statm", os.O_RDONLY) if os.path.exists("/proc/self/statm") else None
        self._baseline = self._address_space()
        self._hard_limits = {limit: resource.getrlimit(limit)[1] for limit in (resource.RLIMIT_AS, resource.RLIMIT_CPU)}
        signal.signal(signal.SIGALRM, self._on_alarm)

    def handle(self, request: bytes) -> bytes:
        """Run one request; the reply frame's payload."""
        try:
            kind, source, args, limits = decode_request(request)
            result_json = self.run(compile_program(kind, source), args, limits)
        except SandboxError as error:
            return encode_error(error, self._grown())
        return encode_result(result_json, self._grown())

    def _grown(self) -> bool:
        """Whether this process grew enough to ask for a fresh one."""
        return self._address_space() > self._baseline + RECYCLE_GROWTH

    def run(self, program: Program, args: dict[str, Any], limits: SandboxLimits) -> bytes:
        """The program's result as JSON, or raise the SandboxError its run ended with."""
        self.guards.reset()
        try:
            with self._limits(limits):
                try:
                    result = self._execute(program, args, limits.timeout_s)
                except BaseException as exc:
                    raise self._describe(self.guards.fault or exc, program, limits) from None
                if self.guards.fault is not None:  # a refusal or timeout the code caught and ignored
                    raise self._describe(self.guards.fault, program, limits)
                if program.kind == "code" and not isinstance(result, dict):
                    got = "nothing (no return)" if result is None else f"a {type(result).__name__}"
                    raise SandboxResultError(f"a code step must return a dict (a JSON object), not {got}")
                return _serialize(result, limits)
        except MemoryError:
            raise SandboxMemoryError(f"memory limit of {limits.memory_mb} MiB exceeded") from None
        finally:
            self.guards.reset()

    def _execute(self, program: Program, args: dict[str, Any], timeout_s: float) -> Any:
        namespace: dict[str, Any] = {"__builtins__": self.guards.builtins}
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            if program.kind == "condition":
                return eval(program.code, namespace | args)
            if program.kind == "code":
                namespace.update(MODULES)  # pre-imported, as in Intercom's code block
            exec(program.code, namespace)
            return namespace[TRANSFORM_FUNCTION if program.kind == "transform" else CODE_FUNCTION](**args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        self.guards.fail(TimeLimit())

    def _describe(self, failure: BaseException, program: Program, limits: SandboxLimits) -> SandboxError:
        line, column = traceback_position(failure.__traceback__, FILENAME, program.source)
        if isinstance(failure, PolicyViolation):
            return SandboxPolicyError(str(failure), line, column)
        if isinstance(failure, TimeLimit):
            return SandboxTimeoutError(f"time limit of {limits.timeout_s:g} s exceeded", line, column)
        if isinstance(failure, MemoryError):
            return SandboxMemoryError(f"memory limit of {limits.memory_mb} MiB exceeded", line, column)
        return SandboxRuntimeError(_exception_text(failure), line, column)

    @contextmanager
    def _limits(self, limits: SandboxLimits) -> Iterator[None]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_seconds = math.ceil(usage.ru_utime + usage.ru_stime + limits.timeout_s) + 1
        self._set_soft_limit(resource.RLIMIT_CPU, cpu_seconds)
        if self._statm is not None:
            self._set_soft_limit(resource.RLIMIT_AS, self._address_space() + limits.memory_mb * _MIB)
        try:
            yield
        finally:
            self._set_soft_limit(resource.RLIMIT_AS, None)
            self._set_soft_limit(resource.RLIMIT_CPU, None)

    def _set_soft_limit(self, which: int, value: int | None) -> None:
        """Set a soft rlimit (None: as high as the hard limit allows); hard limits never change."""
        hard = self._hard_limits[which]
        if value is None or (hard != resource.RLIM_INFINITY and value > hard):
            value = hard
        resource.setrlimit(which, (value, hard))

    def _address_space(self) -> int:
        """Bytes of virtual memory this process maps (0 where /proc is missing)."""
        if self._statm is None:
            return 0
        return int(os.pread(self._statm, 64, 0).split()[0]) * resource.getpagesize()


def _serialize(result: Any, limits: SandboxLimits) -> bytes:
    """The result as compact UTF-8 JSON. (The standard library's encoder, because it
    fails cleanly with MemoryError under the address-space limit.)"""
    try:
        payload = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    except RecursionError:
        raise SandboxResultError("the result is nested too deeply") from None
    except (TypeError, ValueError) as exc:
        raise SandboxResultError(f"the result is not JSON-serializable: {exc}") from None
    if len(payload) > limits.max_result_bytes:
        raise SandboxResultError(
            f"the result is too large ({len(payload)} bytes of JSON; the limit is {limits.max_result_bytes})"
        )
    return payload


def _exception_text(exc: BaseException) -> str:
    """`Type: message`, shortened; never raises."""
    try:
        text = str(exc)
    except BaseException:
        text = ""
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[:_MAX_MESSAGE_CHARS] + "..."
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _harden() -> None:
    """Process-wide limits that never change: no core files, no files written, no forks."""
    for which in (resource.RLIMIT_CORE, resource.RLIMIT_FSIZE, resource.RLIMIT_NPROC):
        with contextlib.suppress(ValueError, OSError):  # not supported on this platform
            resource.setrlimit(which, (0, 0))


def main() -> None:
    """Serve requests from stdin until it closes."""
    # Keep the pipes on private descriptors; stray output cannot reach the protocol.
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    _harden()
    runner = Runner()
    write_frame(replies, READY)
    while (request := read_frame(requests)) is not None:
        write_frame(replies, runner.handle(request))

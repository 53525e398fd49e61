"""The sandbox: runs the user Python in procedures (code conditions, connector transforms, code steps).

User code is compiled under a RestrictedPython policy (`policy`, `compiler`) and run
with guarded builtins (`guards`) in warm worker processes (`pool`, `worker`) that have
memory and CPU rlimits and a wall-clock deadline enforced by this process.
"""

from .api import evaluate, evaluate_async, run_code, run_code_async, shutdown, transform, transform_async
from .compiler import check_code, check_expression, check_transform
from .errors import (
    SandboxCompileError,
    SandboxError,
    SandboxMemoryError,
    SandboxPolicyError,
    SandboxResultError,
    SandboxRuntimeError,
    SandboxTimeoutError,
    SandboxWorkerError,
)
from .limits import SandboxLimits
from .modules import MODULE_NAMES

__all__ = [
    "MODULE_NAMES",
    "SandboxCompileError",
    "SandboxError",
    "SandboxLimits",
    "SandboxMemoryError",
    "SandboxPolicyError",
    "SandboxResultError",
    "SandboxRuntimeError",
    "SandboxTimeoutError",
    "SandboxWorkerError",
    "check_code",
    "check_expression",
    "check_transform",
    "evaluate",
    "evaluate_async",
    "run_code",
    "run_code_async",
    "shutdown",
    "transform",
    "transform_async",
]

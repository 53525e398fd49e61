"""Resource limits of one evaluation (configurable per workspace)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.model.workspace import Limits


@dataclass(frozen=True)
class SandboxLimits:
    """How much one evaluation may use.

    timeout_s: wall-clock seconds the user code may run.
    memory_mb: MiB of memory the user code may allocate on top of its inputs
        (enforced with an address-space rlimit, so on Linux only).
    max_result_bytes: largest result, measured as serialized JSON.
    """

    timeout_s: float = 1.0
    memory_mb: int = 256
    max_result_bytes: int = 10 * 1024 * 1024

    def __post_init__(self) -> None:
        if isinstance(self.timeout_s, bool) or not isinstance(self.timeout_s, (int, float)):
            raise TypeError("timeout_s must be a number")
        if not 0 < self.timeout_s <= 3600:
            raise ValueError("timeout_s must be greater than 0 and at most 3600")
        for name in ("memory_mb", "max_result_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an integer")
            if value <= 0:
                raise ValueError(f"{name} must be greater than 0")

    @classmethod
    def of(cls, limits: Limits) -> SandboxLimits:
        """The sandbox limits a workspace's ``limits`` settings ask for (the one place they are mapped)."""
        return cls(
            timeout_s=limits.sandbox_timeout_s,
            memory_mb=limits.sandbox_memory_mb,
            max_result_bytes=limits.max_response_bytes,
        )

"""Warm worker processes: started lazily, reused, killed at their deadline and replaced.

Workers are plain subprocesses of the same interpreter (`python -P`: the current
directory, perhaps a workspace cloned from anywhere, is not on their module path) in
their own session, so that a Ctrl-C in the terminal reaches the parent only. Starting
one never forks the (threaded) parent's Python state: it is a fork+exec of a fresh
interpreter.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .errors import SandboxError, SandboxMemoryError, SandboxTimeoutError, SandboxWorkerError
from .limits import SandboxLimits
from .protocol import READY, FrameTimeout, FrameTooLarge, decode_reply, read_frame, write_frame

GRACE_S = 0.1
"""How long past its time limit the parent waits before killing a worker. Within it, a
pure-Python loop is stopped by the worker's own timer, which can name the line."""

STARTUP_TIMEOUT_S = 30.0
_REPLY_OVERHEAD = 64 * 1024
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv[1]); from workbench.sandbox.worker import main; main()"


class WorkerProcess:
    """One worker process and its pipes; lent to one caller at a time."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-c", _BOOTSTRAP, _PACKAGE_ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._requests = self._process.stdin.fileno()  # type: ignore[union-attr]
        self._replies = self._process.stdout.fileno()  # type: ignore[union-attr]
        self._ready = False

    def call(self, request: bytes, limits: SandboxLimits) -> bytes:
        """Send a request and return the reply's payload.

        If the worker misses its deadline, dies or misbehaves, it is killed and the
        matching SandboxError raised.
        """
        if not self._ready:
            self._await_ready()
        deadline = time.monotonic() + limits.timeout_s + GRACE_S
        try:
            write_frame(self._requests, request)
            reply = read_frame(self._replies, deadline, limits.max_result_bytes + _REPLY_OVERHEAD)
        except FrameTimeout:
            self.kill()
            raise SandboxTimeoutError(f"time limit of {limits.timeout_s:g} s exceeded") from None
        except FrameTooLarge as exc:
            self.kill()
            raise SandboxWorkerError(f"the sandbox worker sent a malformed reply: {exc}") from None
        except BrokenPipeError:
            reply = None
        if reply is None:
            raise self._death(limits)
        return reply

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self._process.poll() is None

    def kill(self) -> None:
        """Stop the process (if still running) and release its pipes; idempotent."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._process.stdin.close()  # type: ignore[union-attr]
        self._process.stdout.close()  # type: ignore[union-attr]

    def _await_ready(self) -> None:
        try:
            frame = read_frame(self._replies, time.monotonic() + STARTUP_TIMEOUT_S)
        except FrameTimeout:
            frame = None
        if frame != READY:
            self.kill()
            raise SandboxWorkerError(
                f"the sandbox worker process failed to start (exit code {self._process.returncode})"
            )
        self._ready = True

    def _death(self, limits: SandboxLimits) -> SandboxError:
        """Reap a worker that stopped answering, and explain how it died."""
        self.kill()
        code = self._process.returncode
        if code == -signal.SIGXCPU:
            return SandboxTimeoutError(f"CPU time limit of {limits.timeout_s:g} s exceeded")
        if code == -signal.SIGKILL:
            return SandboxMemoryError(
                f"the sandbox worker was killed, most likely for using more than {limits.memory_mb} MiB"
            )
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        return SandboxWorkerError(f"the sandbox worker process died ({how})")


class Ticket:
    """One call's claim on a worker: :meth:`cancel` kills the worker serving it (or stops it from starting), so
    code abandoned by a stopped run does not go on using a CPU until its time limit; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker: WorkerProcess | None = None
        self.cancelled = False

    def serve(self, worker: WorkerProcess) -> bool:
        """Hand the call to ``worker``; ``False`` when it was cancelled already."""
        with self._lock:
            self._worker = worker
            return not self.cancelled

    def cancel(self) -> None:
        """Stop the call: kill its worker if it has one."""
        with self._lock:
            self.cancelled = True
            worker = self._worker
        if worker is not None:
            worker.kill()


class WorkerPool:
    """Up to `size` warm workers, each serving one caller at a time; thread-safe.

    Workers start on first need and are kept for reuse; one that timed out, died or
    asked to be recycled is dropped and a new one started when next needed.
    """

    def __init__(self, size: int = 2) -> None:
        self._slots = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._idle: list[WorkerProcess] = []
        self._live: set[WorkerProcess] = set()

    def call(self, request: bytes, limits: SandboxLimits, ticket: Ticket | None = None) -> Any:
        """Run a request on a worker; its result, or raise its SandboxError (``ticket``: to cancel it)."""
        with self._slots:
            worker = self._checkout()
            try:
                if ticket is not None and not ticket.serve(worker):
                    raise SandboxWorkerError("the evaluation was cancelled")
                reply = decode_reply(worker.call(request, limits))
            except BaseException:
                self._retire(worker)
                raise
            if reply.recycle:
                self._retire(worker)
            else:
                self._checkin(worker)
        return reply.unwrap()

    def shutdown(self) -> None:
        """Stop idle workers now and busy ones when their call ends; idempotent.

        The pool stays usable: the next call starts a new worker.
        """
        with self._lock:
            idle, self._idle = self._idle, []
            self._live.clear()
        for worker in idle:
            worker.kill()

    def _checkout(self) -> WorkerProcess:
        while True:
            with self._lock:
                if not self._idle:
                    break
                worker = self._idle.pop()
            if worker.alive:
                return worker
            self._retire(worker)  # died while idle (e.g. killed from outside)
        worker = WorkerProcess()
        with self._lock:
            self._live.add(worker)
        return worker

    def _checkin(self, worker: WorkerProcess) -> None:
        with self._lock:
            if worker in self._live:
                self._idle.append(worker)
                return
        worker.kill()

    def _retire(self, worker: WorkerProcess) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.kill()

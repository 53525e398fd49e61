"""Worker processes: warm reuse, async callers, concurrency, crashes, shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.waiting import wait_until, wait_until_sync
from workbench.sandbox import (
    SandboxLimits,
    SandboxMemoryError,
    SandboxWorkerError,
    evaluate,
    evaluate_async,
    shutdown,
    transform_async,
)
from workbench.sandbox import pool as pool_module
from workbench.sandbox.pool import WorkerPool
from workbench.sandbox.protocol import encode_request

_CHILDREN = sorted(Path("/proc/self/task").glob("*/children"))
needs_proc_children = pytest.mark.skipif(not _CHILDREN, reason="needs /proc/<pid>/task/<tid>/children")

LIMITS = SandboxLimits(timeout_s=5.0)
QUICK = encode_request("condition", "1 + 1", {"inputs": {}}, LIMITS)
FOREVER = encode_request("transform", "while True:\n    pass", {"response": None, "status": 200, "headers": {}}, LIMITS)


def children() -> set[int]:
    """The process ids of this process's children."""
    return {int(pid) for path in Path("/proc/self/task").glob("*/children") for pid in path.read_text().split()}


def _stat(pid: int) -> list[str]:
    """``/proc/PID/stat`` from the state on (the fields after the command's name), or ``[]`` once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def cpu_ticks(pid: int) -> int:
    """CPU time the process has used, in clock ticks (user + system)."""
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0


def alive(pid: int) -> bool:
    """Whether the process still runs (a zombie waiting to be reaped does not)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


@needs_proc_children
def test_workers_are_warm_and_reused() -> None:
    evaluate("1", {})
    before = children()
    for number in range(50):
        assert evaluate(f"{number} + 1", {}) == number + 1
    assert children() == before


async def test_evaluate_async_does_not_block_the_event_loop() -> None:
    """The loop turns (ten ticks of 10 ms) while an evaluation runs; the evaluation is then stopped, not waited out."""
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    endless = asyncio.create_task(transform_async("while True:\n    pass", {}, 200, {}, SandboxLimits(timeout_s=10)))
    await wait_until(lambda: ticks >= 10 or endless.done(), what="ten ticks")
    ticker.cancel()
    assert ticks >= 10 and not endless.done()
    endless.cancel()
    with pytest.raises(asyncio.CancelledError):
        await endless


async def test_a_hanging_caller_does_not_hold_up_another() -> None:
    """Another caller is answered while an evaluation hangs (it is then stopped, not waited out)."""
    await evaluate_async("1", {})
    hang = asyncio.create_task(transform_async("while True:\n    pass", {}, 200, {}, SandboxLimits(timeout_s=10)))
    await asyncio.sleep(0.05)
    assert await evaluate_async("2 + 2", {}) == 4
    assert not hang.done()
    hang.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hang


@needs_proc_children
@pytest.mark.parametrize("code", ["sum(range(10 ** 10)) > 0", "[n for n in range(10 ** 10)] == []"])
async def test_cancelling_an_evaluation_stops_its_worker_at_once(code: str) -> None:
    """A stopped run cancels its evaluation: C-level work (no timer can interrupt it) or a Python loop, the worker
    is killed then, not at the end of a long time limit."""
    await evaluate_async("1", {})  # a warm worker
    before = children()
    evaluation = asyncio.create_task(evaluate_async(code, {}, SandboxLimits(timeout_s=120.0)))
    busy = {pid: cpu_ticks(pid) for pid in before}
    await wait_until(lambda: any(cpu_ticks(pid) >= busy[pid] + 2 for pid in busy), what="the worker busy with it")
    (pid,) = (pid for pid in busy if cpu_ticks(pid) >= busy[pid] + 2)
    evaluation.cancel()
    with pytest.raises(asyncio.CancelledError):
        await evaluation
    await wait_until(lambda: not alive(pid), what="the worker killed")
    assert await evaluate_async("2 + 2", {}) == 4  # and a new one takes its place


async def test_many_concurrent_callers_get_their_own_answers() -> None:
    results = await asyncio.gather(*(evaluate_async("inputs['n'] * 2", {"n": n}) for n in range(12)))
    assert results == [n * 2 for n in range(12)]


@needs_proc_children
@pytest.mark.parametrize(
    ("signum", "error", "message"),
    [
        (signal.SIGSEGV, SandboxWorkerError, r"died \(signal SIGSEGV\)"),
        (signal.SIGKILL, SandboxMemoryError, "killed"),
    ],
)
def test_a_worker_that_dies_mid_call_is_reported_and_replaced(
    signum: int, error: type[Exception], message: str
) -> None:
    pool = WorkerPool(size=1)
    before = children()
    assert pool.call(QUICK, LIMITS) == 2
    (pid,) = children() - before
    with ThreadPoolExecutor(1) as executor:
        idle = cpu_ticks(pid)
        call = executor.submit(pool.call, FOREVER, LIMITS)
        wait_until_sync(lambda: cpu_ticks(pid) >= idle + 2, what="the worker to be busy with the call")
        os.kill(pid, signum)
        with pytest.raises(error, match=message):
            call.result(timeout=10)
    assert pool.call(QUICK, LIMITS) == 2
    pool.shutdown()
    assert children() - before == set()


@needs_proc_children
def test_a_worker_that_died_while_idle_is_replaced_transparently() -> None:
    pool = WorkerPool(size=1)
    before = children()
    assert pool.call(QUICK, LIMITS) == 2
    (pid,) = children() - before
    os.kill(pid, signal.SIGKILL)
    wait_until_sync(lambda: not alive(pid), what="the worker to die")
    assert pool.call(QUICK, LIMITS) == 2
    pool.shutdown()


def test_a_worker_that_cannot_start_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "_BOOTSTRAP", "raise SystemExit(3)")
    with pytest.raises(SandboxWorkerError, match=r"failed to start \(exit code 3\)"):
        WorkerPool(size=1).call(QUICK, LIMITS)


def test_shutdown_is_idempotent_and_evaluation_restarts_after_it() -> None:
    assert evaluate("1", {}) == 1
    shutdown()
    shutdown()
    assert evaluate("1 + 1", {}) == 2

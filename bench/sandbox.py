"""Sandbox benchmark: warm latency, time to stop an infinite loop, concurrent throughput.

Run: python bench/sandbox.py [--runs N]

Figures are printed next to a same-run baseline: the same compiled condition run by
plain in-process `eval` with the same guarded builtins (no process boundary).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from workbench.sandbox import (
    SandboxLimits,
    SandboxTimeoutError,
    check_expression,
    evaluate,
    shutdown,
    transform,
)
from workbench.sandbox.compiler import compile_program
from workbench.sandbox.guards import Guards

CONDITION = (
    'len(inputs["temporary"]["Get orders"]["items"]) >= 4'
    ' and inputs["temporary"]["Get orders"]["items"][3]["quantity"] > 3'
)
INPUTS = {
    "temporary": {
        "Get orders": {
            "order_id": "ORD-1001",
            "status": "processing",
            "items": [
                {"product_id": f"PROD-{n}", "name": f"Item {n}", "quantity": n, "unit_price": 9.99} for n in range(1, 6)
            ],
        }
    },
    "user": {"name": "Ada", "email": "ada@example.com", "plan": "pro"},
    "company": {"name": "Acme"},
    "conversation": {"id": "c-1", "tags": ["refund"]},
}


def timings(call: Callable[[], object], runs: int) -> list[float]:
    """Seconds per call, `runs` times."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    """(median, p99) in microseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e6, ordered[int(len(ordered) * 0.99) - 1] * 1e6


def latency(runs: int) -> None:
    program = compile_program("condition", CONDITION)
    builtins = Guards().builtins
    baseline = timings(lambda: eval(program.code, {"__builtins__": builtins, "inputs": INPUTS}), runs)
    evaluate(CONDITION, INPUTS)  # start the worker
    sandboxed = timings(lambda: evaluate(CONDITION, INPUTS), runs)
    (base_median, base_p99), (median, p99) = summary(baseline), summary(sandboxed)
    print(f"warm condition latency over {runs} runs")
    print(f"  in-process eval : median {base_median:8.1f} us   p99 {base_p99:8.1f} us")
    print(f"  sandbox evaluate: median {median:8.1f} us   p99 {p99:8.1f} us")
    print(f"  ratio (sandbox / in-process): median {median / base_median:.0f}x   p99 {p99 / base_p99:.0f}x")
    cold = timings(lambda: check_expression(CONDITION + f" or {time.perf_counter_ns()} < 0"), 200)
    cached = timings(lambda: check_expression(CONDITION), 2000)
    print(f"  check_expression: new source median {summary(cold)[0]:.1f} us, cached median {summary(cached)[0]:.2f} us")


def stopping() -> None:
    limits = SandboxLimits(timeout_s=1.0)
    print("time from an infinite loop's start to its error (limit 1 s)")
    loops: list[tuple[str, Callable[[], object]]] = [
        ("python loop (worker's own timer)", lambda: transform("while True:\n    pass", {}, 200, {}, limits)),
        ("C-level loop (parent kills worker)", lambda: evaluate("sum(range(10**15))", {}, limits)),
    ]
    for label, run in loops:
        evaluate("1", {})  # a warm worker, so startup is not counted
        started = time.perf_counter()
        try:
            run()
        except SandboxTimeoutError as error:
            elapsed = time.perf_counter() - started
            print(f"  {label:36}: {elapsed:.3f} s  ({error})")
    started = time.perf_counter()
    evaluate("1", {})
    print(f"  next evaluation after a kill (starts a new worker): {time.perf_counter() - started:.3f} s")


def throughput(runs: int) -> None:
    print(f"throughput, {runs} evaluations")
    for callers in (1, 2):
        with ThreadPoolExecutor(callers) as executor:
            list(executor.map(lambda _: evaluate(CONDITION, INPUTS), range(callers * 4)))  # warm every worker
            started = time.perf_counter()
            list(executor.map(lambda _: evaluate(CONDITION, INPUTS), range(runs)))
            elapsed = time.perf_counter() - started
        print(f"  {callers} caller(s): {runs / elapsed:8.0f} evaluations/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000, help="evaluations per latency and throughput figure")
    runs = parser.parse_args().runs
    try:
        latency(runs)
        stopping()
        throughput(runs)
    finally:
        shutdown()


if __name__ == "__main__":
    main()

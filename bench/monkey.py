"""Long monkey walks of the real app (see tests/monkey): actions per second and the failures found.

    python bench/monkey.py --seed S --steps N [--workspace sample|awkward|both] [--walks K] [--roundtrip]
                           [--shrink-budget SECONDS] [--tolerate KIND ...] [--open KIND]

Walk K of seeds S, S+1, ... of N actions each (a walk ends at its first failure), on a fresh copy of the
workspace each. A failure prints its seed, the last actions and, shrunk (delta debugging, within the budget;
0 skips it), a regression test ready to paste. ``--tolerate "unsaved text lost"`` lists such failures (with
the action that met them) and walks on, to get past a known bug. Ends with the totals: walks, actions, actions per second (wall
time, the app's starts included) and the distinct failures. Run it alone: it keeps one core busy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.monkey.actions import OpenFirst  # noqa: E402
from tests.monkey.walk import Failure, Outcome, regression_test, report, shrink, walk  # noqa: E402


async def run(args: argparse.Namespace, scratch: Path) -> int:
    workspaces = ("sample", "awkward") if args.workspace == "both" else (args.workspace,)
    outcomes: list[Outcome] = []
    failures: dict[tuple[str, str], Outcome] = {}
    tolerated: dict[tuple[str, str], tuple[int, Failure]] = {}
    started = time.monotonic()
    for number in range(args.walks):
        seed = args.seed + number
        workspace = workspaces[number % len(workspaces)]
        outcome = await walk(
            scratch / f"walk-{seed}",
            workspace,
            seed=seed,
            steps=args.steps,
            roundtrip=args.roundtrip,
            tolerate=frozenset(args.tolerate),
            opening=[OpenFirst(args.open)] if args.open else [],
            animations=not args.no_animations,
        )
        outcomes.append(outcome)
        verdict = "ok" if outcome.failure is None else f"FAILED: {outcome.failure.kind}"
        print(
            f"seed {seed} {workspace:<7} {len(outcome.actions):5} actions {outcome.seconds:7.1f} s "
            f"{outcome.per_second:5.2f}/s  {verdict}",
            flush=True,
        )
        for met in outcome.tolerated:
            print(f"  tolerated: {met} (the action: {outcome.actions[met.step]!r:.200})", flush=True)
            tolerated.setdefault(met.signature, (seed, met))
        if outcome.failure is None:
            for note in outcome.notes:
                print(f"  {note}", flush=True)
            continue
        print(report(outcome), flush=True)
        if outcome.failure.signature in failures:
            print("(a failure already found in this run: not shrunk again)", flush=True)
            continue
        failures[outcome.failure.signature] = outcome
        if args.shrink_budget > 0:
            shrunk = await shrink(scratch / f"shrink-{seed}", outcome, budget_s=args.shrink_budget)
            print("; ".join(shrunk.notes), flush=True)
            print(regression_test(shrunk, f"test_monkey_seed_{seed}"), flush=True)
    elapsed = time.monotonic() - started
    actions = sum(len(outcome.actions) for outcome in outcomes)
    walking = sum(outcome.seconds for outcome in outcomes)
    print(
        f"\n{len(outcomes)} walks, {actions} actions in {walking:.0f} s of walking ({elapsed:.0f} s in all): "
        f"{actions / walking if walking else 0:.2f} actions/s; {len(failures)} distinct failures"
    )
    for (kind, detail), outcome in failures.items():
        print(f"  seed {outcome.seed} ({outcome.workspace}): {kind}: {detail}")
    for (kind, detail), (seed, met) in tolerated.items():
        print(f"  tolerated, first at seed {seed} action {met.step}: {kind}: {detail}")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--walks", type=int, default=1)
    parser.add_argument("--workspace", choices=("sample", "awkward", "both"), default="sample")
    parser.add_argument("--roundtrip", action="store_true", help="edit, undo everything, save, compare the files")
    parser.add_argument(
        "--no-animations", action="store_true", help="take each animation's end at once, as the suite's walks do"
    )
    parser.add_argument("--tolerate", action="append", default=[], help="a failure kind to list and walk past")
    parser.add_argument("--open", metavar="KIND", help="open the first item of KIND (scenario) before walking")
    parser.add_argument("--shrink-budget", type=float, default=600.0, help="seconds spent shrinking a failure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="monkey-") as folder:
        scratch = Path(folder)
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):  # never the user's settings or state
            os.environ[name] = str(scratch / name.lower())
        os.environ.pop("CI", None)
        sys.exit(asyncio.run(run(args, scratch)))


if __name__ == "__main__":
    main()

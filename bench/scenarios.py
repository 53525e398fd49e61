"""Scenario benchmark: N generated scenarios over the sample support desk (in a temporary copy).

Run: python bench/scenarios.py [--count 1000] [--jobs 8]

Prints the wall time of ``workbench test`` and of ``pytest -n 2`` on the same set, per scenario, next to the
same-run baseline: the engine running those scenarios back to back in one warm process (no loading, no
checking, no reporting), so the overhead each front end adds per scenario shows.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench import sandbox
from workbench.jsonfile import dumps_pretty
from workbench.model import Scenario
from workbench.scenarios import ScenarioRunner
from workbench.store import load_workspace, to_data

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "support-desk"


def generate(root: Path, count: int) -> list[Scenario]:
    """Write ``count`` scenarios into ``root/scenarios``: the samples in turn, each with its own name and ticket."""
    samples = [
        Scenario.model_validate_json(path.read_bytes()) for path in sorted((SAMPLE / "scenarios").glob("*.json"))
    ]
    folder = root / "scenarios"
    shutil.rmtree(folder)
    folder.mkdir()
    scenarios = []
    for index in range(count):
        base = samples[index % len(samples)]
        attributes = {**base.attributes, "Conversation": {**base.attributes.get("Conversation", {}), "ticket": index}}
        scenario = base.model_copy(update={"name": f"{base.name} #{index:04d}", "attributes": attributes})
        (folder / f"generated-{index:04d}.json").write_bytes(dumps_pretty(to_data(scenario)))
        scenarios.append(scenario)
    return scenarios


async def engine_only(root: Path, scenarios: list[Scenario]) -> float:
    """Seconds to play every scenario once, back to back, after one warm-up pass over the samples."""
    runner = ScenarioRunner(load_workspace(root))
    for scenario in scenarios[:30]:
        await runner.play(scenario)
    started = time.perf_counter()
    for scenario in scenarios:
        await runner.play(scenario)
    return time.perf_counter() - started


def wall(command: list[str]) -> float:
    """Seconds a command takes, start to exit; it must succeed."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(
            f"{' '.join(command[:4])} ... failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="how many scenarios (default 1000)")
    parser.add_argument("--jobs", type=int, default=8, help="workbench test -j (default 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(shutil.copytree(SAMPLE, Path(temp) / "support-desk"))
        scenarios = generate(root, args.count)
        baseline = asyncio.run(engine_only(root, scenarios))
        sandbox.shutdown()
        test = wall([sys.executable, "-m", "workbench", "test", str(root), "-j", str(args.jobs)])
        xdist = wall(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2", "--rootdir", temp, str(root)]
        )
    per_run = baseline / args.count
    print(f"{args.count} scenarios over the sample support desk")
    print(f"{'':34}{'wall s':>9}{'ms/scenario':>13}{'x engine':>10}")
    for label, seconds in (
        ("engine, back to back (baseline)", baseline),
        (f"workbench test -j {args.jobs}", test),
        ("pytest -n 2", xdist),
    ):
        per = seconds / args.count
        print(f"{label:<34}{seconds:>9.2f}{per * 1000:>13.2f}{per / per_run:>10.2f}")
    print("(wall times include process start-up and loading the workspace; the baseline does not)")


if __name__ == "__main__":
    main()

"""The pytest plugin, through child pytest processes: scenario files become test items, with xdist too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import SUPPORT_DESK
from tests.scenarios.desk import sample, write

SAMPLE_COUNT = len(list((SUPPORT_DESK / "scenarios").glob("*.json")))


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "FORCE_COLOR"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", ".", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_scenario_files_are_test_items(desk_copy: Path) -> None:
    result = pytest_in(desk_copy.parent, "support-desk", "-v")
    assert result.returncode == 0, result.stdout
    assert "support-desk/scenarios/big-order-ships-in-parts.json::Big order ships in parts PASSED" in result.stdout
    assert f"{SAMPLE_COUNT} passed" in result.stdout


def test_failures_explain_themselves_and_bad_files_do_not_stop_the_rest(desk_copy: Path) -> None:
    data = sample("order-in-transit-shows-tracking")
    data["expect"]["path"] = ["lookup", "big-order", "split", "done"]
    write(desk_copy, "order-in-transit-shows-tracking", data)
    (desk_copy / "scenarios" / "broken.json").write_text('{"name": "Broken", "procedure": "Nope"}')
    result = pytest_in(desk_copy.parent, "support-desk", "-k", "order or broken")
    assert result.returncode == 1
    out = result.stdout
    assert "scenario 'Order in transit shows tracking' (procedure 'Order status') failed:" in out
    assert "path: the paths diverge at step 3: expected 'split', the run went to 'tracking'" in out
    assert "last events before the run went to 'tracking':" in out
    assert "scenario 'Broken' (procedure 'Nope') could not run:" in out
    assert "broken.json:1:20: procedure: unknown procedure 'Nope' (known: Cancel subscription, Loyalty perks," in out
    assert "FAILED support-desk/scenarios/broken.json::Broken" in out
    assert "2 failed, 8 passed" in out


def test_xdist_distributes_scenarios(desk_copy: Path) -> None:
    result = pytest_in(desk_copy.parent, "support-desk", "-n", "2")
    assert result.returncode == 0, result.stdout
    assert "2 workers" in result.stdout and f"{SAMPLE_COUNT} passed" in result.stdout


def test_json_outside_a_workspace_is_not_collected(tmp_path: Path) -> None:
    (tmp_path / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(SUPPORT_DESK / "scenarios" / "big-order-ships-in-parts.json", tmp_path / "data" / "scenarios")
    result = pytest_in(tmp_path, "data")
    assert result.returncode == 5 and "no tests ran" in result.stdout

"""The pytest plugin, through pytest run again in this process (pytester) and in child processes: scenario files
become test items, with xdist too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SUPPORT_DESK
from tests.scenarios.desk import sample, write

SAMPLE_COUNT = len(list((SUPPORT_DESK / "scenarios").glob("*.json")))

UNRELATED_PLUGINS = "-p no:hypothesispytest -p no:textual-snapshot -p no:syrupy -p no:anyio -p no:asyncio"
"""Plugins installed for this suite that have nothing to do with scenarios: a pytest started without them (a child,
an xdist worker) starts in half the time (importing Hypothesis alone costs a second of CPU)."""


def pytest_env() -> dict[str, str]:
    """This process's environment without the outer pytest's variables, the unrelated plugins left out."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "FORCE_COLOR"))}
    return {**env, "PYTEST_ADDOPTS": UNRELATED_PLUGINS}


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest ARGS`` from ``folder`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", ".", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=pytest_env(),
        timeout=120,
        check=False,
    )


def pytest_here(pytester: pytest.Pytester, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``pytest ARGS`` from ``folder`` in this process (quick: no interpreter, pytest or plugin to start), output
    captured as :func:`pytest_in`'s; pytest-xdist's workers (``-n 2``) are still child processes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name in os.environ.keys() - pytest_env().keys():
            patch.delenv(name)
        patch.setenv("PYTEST_ADDOPTS", UNRELATED_PLUGINS)
        # (The plugin's module was imported here before: pytest says it cannot rewrite its asserts; it has none.)
        quiet = ("-W", "ignore::pytest.PytestAssertRewriteWarning")
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *quiet, "--rootdir", ".", *args)
    return subprocess.CompletedProcess(["pytest", *args], int(result.ret), str(result.stdout), str(result.stderr))


def test_scenario_files_are_test_items(desk_copy: Path, pytester: pytest.Pytester) -> None:
    result = pytest_here(pytester, desk_copy.parent, "support-desk", "-v")
    assert result.returncode == 0, result.stdout
    assert "support-desk/scenarios/big-order-ships-in-parts.json::Big order ships in parts PASSED" in result.stdout
    assert f"{SAMPLE_COUNT} passed" in result.stdout


def test_failures_explain_themselves_and_bad_files_do_not_stop_the_rest(
    desk_copy: Path, pytester: pytest.Pytester
) -> None:
    data = sample("order-in-transit-shows-tracking")
    data["expect"]["path"] = ["lookup", "big-order", "split", "done"]
    write(desk_copy, "order-in-transit-shows-tracking", data)
    (desk_copy / "scenarios" / "broken.json").write_text('{"name": "Broken", "procedure": "Nope"}')
    result = pytest_here(pytester, desk_copy.parent, "support-desk", "-k", "order or broken")
    assert result.returncode == 1
    out = result.stdout
    assert "scenario 'Order in transit shows tracking' (procedure 'Order status') failed:" in out
    assert "path: the paths diverge at step 3: expected 'split', the run went to 'tracking'" in out
    assert "last events before the run went to 'tracking':" in out
    assert "scenario 'Broken' (procedure 'Nope') could not run:" in out
    assert "broken.json:1:20: procedure: unknown procedure 'Nope' (known: Cancel subscription, Loyalty perks," in out
    assert "FAILED support-desk/scenarios/broken.json::Broken" in out
    assert "2 failed, 8 passed" in out


def test_xdist_distributes_scenarios(desk_copy: Path, pytester: pytest.Pytester) -> None:
    result = pytest_here(pytester, desk_copy.parent, "support-desk", "-n", "2")
    assert result.returncode == 0, result.stdout
    assert "2 workers" in result.stdout and f"{SAMPLE_COUNT} passed" in result.stdout


def test_json_outside_a_workspace_is_not_collected(tmp_path: Path, pytester: pytest.Pytester) -> None:
    (tmp_path / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(SUPPORT_DESK / "scenarios" / "big-order-ships-in-parts.json", tmp_path / "data" / "scenarios")
    result = pytest_here(pytester, tmp_path, "data")
    assert result.returncode == 5 and "no tests ran" in result.stdout

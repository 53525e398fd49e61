"""``workbench test`` (and ``workbench run --save-scenario``): summary, explanations,
``-k``, JUnit, progress on a terminal, exit codes."""

from __future__ import annotations

import os
import pty
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import SUPPORT_DESK, run_workbench, run_workbench_process
from tests.scenarios.desk import location_of_key, sample, write

SAMPLE_COUNT = len(list((SUPPORT_DESK / "scenarios").glob("*.json")))


def workbench(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``workbench ARGS``, in this process."""
    return run_workbench(*args)


def test_the_sample_desk_passes(tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "junit.xml"
    result = run_workbench_process("test", SUPPORT_DESK, "--junit", junit)  # the smoke test: a child process
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"Support desk: {SAMPLE_COUNT} scenarios"
    assert [line.split()[0] for line in lines[1 : SAMPLE_COUNT + 1]] == ["PASS"] * SAMPLE_COUNT
    assert lines[1].split()[1:3] == ["Already", "cancelled"]  # file order
    assert lines[-1].startswith(f"{SAMPLE_COUNT} passed in ")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == str(SAMPLE_COUNT) and suite.get("failures") == "0"


def test_a_broken_expectation_exits_1_and_shows_the_difference(desk_copy: Path) -> None:
    data = sample("cancel-with-a-reason")
    data["expect"]["outcome"] = "escalated"
    write(desk_copy, "cancel-with-a-reason", data)
    result = workbench("test", desk_copy)
    assert result.returncode == 1
    out = result.stdout
    assert "  FAIL  Cancel with a reason" in out
    assert (
        f"FAIL Cancel with a reason  ({desk_copy / 'scenarios' / 'cancel-with-a-reason.json'}, procedure "
        "'Cancel subscription')" in out
    )
    assert (
        "outcome: the run ended resolved: Your subscription is cancelled.\n    expected: 'escalated'\n"
        "    actual:   'resolved'" in out
    )
    assert out.rstrip().splitlines()[-1].startswith(f"{SAMPLE_COUNT - 1} passed, 1 failed in ")


def test_bad_scenarios_are_located_and_the_others_still_run(desk_copy: Path) -> None:
    data = sample("damaged-parcel-is-refunded")
    data["decisions"] = {"check-stat": True}
    path = write(desk_copy, "damaged-parcel-is-refunded", data)
    (desk_copy / "scenarios" / "zz-broken.json").write_text('{"name": "x",\n "procedure": ]}')
    result = workbench("test", desk_copy)
    assert result.returncode == 1
    line, column = location_of_key(path, "check-stat")
    assert (
        f"{path}:{line}:{column}: decisions: unknown step 'check-stat' (did you mean 'check-status'?)" in result.stdout
    )
    assert f"{desk_copy / 'scenarios' / 'zz-broken.json'}:2:15: invalid JSON" in result.stdout
    assert result.stdout.rstrip().endswith(
        f"{SAMPLE_COUNT - 1} passed, 2 could not run in " + result.stdout.rstrip().rsplit(" in ", 1)[1]
    )


def test_k_selects_scenarios() -> None:
    result = workbench("test", SUPPORT_DESK, "-k", "FREE SHIPPING")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Support desk: 1 scenario"
    assert "Loyal customer gets free shipping" in result.stdout


def test_bad_usage_exits_2_with_one_line(tmp_path: Path, desk_copy: Path) -> None:
    (tmp_path / "empty" / "procedures").mkdir(parents=True)
    (desk_copy / "workbench.json").write_text("{")
    for args, expected in (
        ((tmp_path / "nowhere",), "no such folder"),
        ((tmp_path,), "not a workspace"),
        ((tmp_path / "empty",), "no scenarios to run"),
        ((SUPPORT_DESK, "-k", "zebra"), f"-k 'zebra' selects none of the {SAMPLE_COUNT} scenarios"),
        ((SUPPORT_DESK, "--junit", SUPPORT_DESK), "--junit"),
        ((desk_copy,), "workbench.json:1:2: invalid JSON"),
    ):
        result = workbench("test", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    result = workbench("test", SUPPORT_DESK, "-j", "0")
    assert result.returncode == 2 and "expected a whole number of at least 1" in result.stderr


def test_progress_and_colour_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        result = run_workbench_process("test", SUPPORT_DESK, "-k", "order", stdout=follower)  # on a terminal
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert result.returncode == 0
    text = output.decode()
    assert "\x1b[" in text and "running" in text and "/9" in text and "9 passed in" in text


def test_a_recorded_run_replays_green(desk_copy: Path) -> None:
    recorded = workbench(
        "run",
        desk_copy,
        "Cancel subscription",
        "--answer",
        "reason=Budget",
        "--decide",
        "state=no",
        "--json",
        "--save-scenario",
        "my-cancel",
    )
    assert recorded.returncode == 0, recorded.stderr
    path = desk_copy / "scenarios" / "my-cancel.json"
    assert recorded.stderr == f"workbench: saved scenario 'My cancel' to {path}\n"
    assert all(line.startswith("{") for line in recorded.stdout.splitlines())
    replayed = workbench("test", desk_copy, "-k", "my-cancel")
    assert replayed.returncode == 0, replayed.stdout
    assert "PASS  My cancel" in replayed.stdout


def test_save_scenario_to_an_unwritable_place_exits_2(desk_copy: Path) -> None:
    result = workbench("run", desk_copy, "Order status", "--save-scenario", desk_copy / "workbench.json" / "x.json")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("workbench: --save-scenario ")

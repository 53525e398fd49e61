"""``workbench lint``: exit codes, text and JSON output, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import LINT_EXAMPLES, SUPPORT_DESK, run_workbench, run_workbench_process
from workbench.lint import RULE_NAMES

COLOUR = re.compile(r"\x1b\[(?:\d+;)*3\dm")


def test_clean_workspace_exits_0() -> None:
    result = run_workbench_process("lint", SUPPORT_DESK)  # the smoke test: the real command in a child process
    assert (result.returncode, result.stderr) == (0, "")
    assert re.fullmatch(r"No problems in \d+ files\.\n", result.stdout)


def test_findings_are_grouped_by_file_with_a_summary() -> None:
    result = run_workbench("lint", LINT_EXAMPLES)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")]
    assert headers[:-1] == sorted(set(headers[:-1])) and len(headers) == 16
    assert headers[-1] == "9 errors, 9 warnings in 15 files (19 checked)."
    assert "  lookup text 1:24" in result.stdout and "[unknown-reference]" in result.stdout
    assert "\x1b[" not in result.stdout


def test_json_output_is_stable_and_lists_every_rule() -> None:
    first, second = (
        run_workbench("lint", LINT_EXAMPLES, "--format", "json"),
        run_workbench("lint", LINT_EXAMPLES, "--format", "json"),
    )
    assert first.returncode == 1 and first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert sorted(finding["rule"] for finding in report["findings"]) == sorted(RULE_NAMES)
    assert report["summary"] == {"errors": 9, "warnings": 9, "files_with_findings": 15, "files_checked": 19}
    assert list(report["findings"][0]) == [
        "rule",
        "severity",
        "file",
        "step",
        "field",
        "line",
        "column",
        "message",
        "suggestion",
        "declare",
    ]


def test_warnings_alone_exit_0(desk_copy: Path) -> None:
    path = desk_copy / "procedures" / "loyalty-perks.json"
    path.write_text(
        path.read_text().replace(
            "Check the customer's purchases with @call(Get order history).",
            "Check @call(Get order history) and @call(Get orders).",
        )
    )
    result = run_workbench("lint", desk_copy, "--format", "json")
    assert result.returncode == 0
    assert [finding["rule"] for finding in json.loads(result.stdout)["findings"]] == ["multiple-connectors-in-step"]


def test_corrupted_file_is_reported_with_line_and_column_and_the_rest_is_linted(desk_copy: Path) -> None:
    path = desk_copy / "procedures" / "order-status.json"
    path.write_text(path.read_text().replace('"id": "lookup",', '"id": "lookup"', 1))
    other = desk_copy / "procedures" / "loyalty-perks.json"
    other.write_text(other.read_text().replace("@call(Get order history)", "@call(Get order histroy)"))
    result = run_workbench("lint", desk_copy, "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    located = {(f["rule"], Path(f["file"]).name, f["line"], f["column"]) for f in findings}
    assert {("unknown-reference", "loyalty-perks.json", 1, 37), ("load-error", "order-status.json", 7, 7)} <= located
    [load_error] = [finding for finding in findings if finding["rule"] == "load-error"]
    assert "Expecting ',' delimiter" in load_error["message"]


def test_colour_only_when_asked_and_never_with_no_color() -> None:
    assert COLOUR.search(run_workbench("lint", LINT_EXAMPLES, env={"FORCE_COLOR": "1"}).stdout)
    assert not COLOUR.search(run_workbench("lint", LINT_EXAMPLES, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)


def test_bad_usage_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    for target, message in [
        (tmp_path / "absent", "no such folder"),
        (tmp_path, "not a workspace"),
        (tmp_path / "file.txt", "not a folder"),
    ]:
        result = run_workbench("lint", target)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"workbench: {target}: {message}" + result.stderr.split(message, 1)[1]
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    result = run_workbench("lint", SUPPORT_DESK, "--format", "yaml")
    assert result.returncode == 2 and "invalid choice: 'yaml'" in result.stderr

"""``workbench lint WORKSPACE [--format text|json]``: check a workspace against the best practices.

Exit status: 0 when no error was found (warnings alone are clean), 1 when errors were found, 2 for bad
usage or a folder that is not a workspace.
"""

from __future__ import annotations

import argparse
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.text import Text

from workbench import jsoncodec
from workbench.cli import open_workspace, output
from workbench.lint import Finding, lint_workspace
from workbench.store import Workspace

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` command."""
    parser = subparsers.add_parser(
        "lint",
        help="check a workspace against the best practices",
        description="Check every connector, procedure and scenario of a workspace. "
        "Exit status: 0 clean (warnings only), 1 errors found, 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for scripts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Lint the workspace and print the findings."""
    workspace = open_workspace(args.workspace)
    findings = lint_workspace(workspace)
    summary = summarize(findings, workspace)
    if args.format == "json":
        output.write_json(
            jsoncodec.dumps({"findings": [item.to_dict() for item in findings], "summary": summary}, pretty=True)
        )
    else:
        print_text(findings, summary, output.console())
    return 1 if summary["errors"] else 0


def summarize(findings: list[Finding], workspace: Workspace) -> dict[str, Any]:
    """Counts for the summary line and the JSON output."""
    checked = sum(len(workspace.documents(kind)) for kind in ("connector", "procedure", "scenario"))
    checked += len(workspace.problems) + (workspace.settings.raw is not None)
    errors = sum(item.severity == "error" for item in findings)
    return {
        "errors": errors,
        "warnings": len(findings) - errors,
        "files_with_findings": len({item.path for item in findings}),
        "files_checked": checked,
    }


def _where(finding: Finding) -> str:
    parts = [part for part in (finding.step, finding.field) if part]
    if finding.line is not None:
        parts.append(f"{finding.line}:{finding.column}")
    return " ".join(parts) or "-"


def print_text(findings: list[Finding], summary: dict[str, Any], console: Console) -> None:
    """Findings grouped by file, then a summary line; styled only when the console is a colour terminal."""
    for path, group in groupby(findings, key=lambda item: item.path):
        console.print(Text(str(path), style="bold underline"))
        for finding in group:
            line = Text("  ")
            line.append(f"{_where(finding):<24} ", style="cyan")
            line.append(f"{finding.severity:<8}", style=_SEVERITY_STYLE[finding.severity])
            line.append(finding.message)
            line.append(f"  [{finding.rule}]", style="dim")
            console.print(line)
        console.print()
    errors, warnings = summary["errors"], summary["warnings"]
    if not findings:
        console.print(Text(f"No problems in {summary['files_checked']} files.", style="green"))
        return
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(summary['files_with_findings'], 'file')}"
    console.print(Text(f"{counts} ({summary['files_checked']} checked).", style="bold red" if errors else "yellow"))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"

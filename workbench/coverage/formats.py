"""The coverage report as text (the terminal), Markdown (a CI summary) and JSON (tools)."""

from __future__ import annotations

import re
from typing import Any

from workbench import jsoncodec
from workbench.coverage.report import CoverageReport, Measured, ProcedureCoverage, Ratio
from workbench.coverage.universe import KINDS

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_HEADINGS = {"step": "steps", "arm": "arms", "outcome": "outcomes"}


def clean(text: str) -> str:
    """``text`` with control characters (and what XML cannot hold) written as ``\\xNN`` / ``\\uNNNN``: names and
    code come from files, data that must never control a terminal or break a report's format."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def where(measured: Measured) -> str:
    """``file:line:column`` of an item."""
    item = measured.item
    return clean(f"{item.path}:{item.line}:{item.column}")


def text(report: CoverageReport) -> str:
    """The report for a terminal: a table of procedures, then every item missed and the answer classes."""
    rows = [["procedure", *(_HEADINGS[kind] for kind in KINDS)]]
    rows += [
        [clean(procedure.name), *(str(procedure.ratio(kind)) for kind in KINDS)] for procedure in report.procedures
    ]
    rows.append(["total", *(str(report.ratio(kind)) for kind in KINDS)])
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [f"Procedure coverage over {report.runs} scenario run{'s' * (report.runs != 1)}"]
    lines += [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    missing = [(procedure, measured) for procedure in report.procedures for measured in procedure.missing]
    if missing:
        lines += ["", "Not covered:"]
        lines += [f"  {where(measured)}: {clean(measured.missing)}" for _, measured in missing]
    answers = [(procedure, answered) for procedure in report.procedures for answered in procedure.answers]
    if answers:
        lines += ["", "Distinct answers and decisions:"]
        for _, answered in answers:
            site = answered.site
            shown = ", ".join(clean(value) for value in answered.classes)
            lines.append(
                f"  {clean(str(site.path))}:{site.line}:{site.column}: `{site.step}` ({site.kind}): {len(answered.classes)}"
                + (f" ({shown})" if shown else "")
            )
    return "\n".join(lines) + "\n"


def markdown(report: CoverageReport) -> str:
    """The report as Markdown: a table, then the items missed as a list."""
    lines = [
        f"## Procedure coverage ({report.runs} scenario run{'s' * (report.runs != 1)})",
        "",
        "| procedure | steps | arms | outcomes |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {_cell(procedure.name)} | " + " | ".join(str(procedure.ratio(kind)) for kind in KINDS) + " |"
        for procedure in report.procedures
    ]
    lines.append("| **total** | " + " | ".join(str(report.ratio(kind)) for kind in KINDS) + " |")
    missing = [measured for procedure in report.procedures for measured in procedure.missing]
    if missing:
        lines += ["", "### Not covered", ""]
        lines += [f"- `{where(measured)}`: {_cell(measured.missing)}" for measured in missing]
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return clean(value).replace("|", "\\|")


def to_json(report: CoverageReport) -> bytes:
    """The report as pretty JSON: totals, then per procedure its ratios, items missed and answer classes."""
    data = {
        "runs": report.runs,
        "totals": {_HEADINGS[kind]: _ratio(report.ratio(kind)) for kind in KINDS},
        "procedures": [_procedure(procedure) for procedure in report.procedures],
    }
    return jsoncodec.dumps(data, pretty=True)


def _procedure(procedure: ProcedureCoverage) -> dict[str, Any]:
    return {
        "name": procedure.name,
        "file": str(procedure.path),
        **{_HEADINGS[kind]: _ratio(procedure.ratio(kind)) for kind in KINDS},
        "missing": [
            {
                "kind": measured.item.kind,
                "file": str(measured.item.path),
                "line": measured.item.line,
                "column": measured.item.column,
                "key": list(measured.item.key),
                "description": measured.missing,
            }
            for measured in procedure.missing
        ],
        "answers": [
            {
                "step": answered.site.step,
                "kind": answered.site.kind,
                "file": str(answered.site.path),
                "line": answered.site.line,
                "column": answered.site.column,
                "count": len(answered.classes),
                "classes": answered.classes,
            }
            for answered in procedure.answers
        ],
    }


def _ratio(ratio: Ratio) -> dict[str, Any]:
    return {"covered": ratio.covered, "total": ratio.total, "percent": round(ratio.percent, 2)}

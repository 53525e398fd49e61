"""The coverage as LCOV tracefiles and Cobertura XML, for CI coverage viewers: each step is a line with its hits,
and the arms of a condition are branches on the step's line. An instruction with ``on_error`` steps is a two-way
branch there, as coverage tools expect of a branch point: the run carried on (the step ran and did not take its
error path), or took the error path; the text report counts only the error path as an arm."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from workbench.coverage.formats import clean
from workbench.coverage.report import CoverageReport, ProcedureCoverage
from workbench.coverage.universe import ON_ERROR


@dataclass(frozen=True)
class StepLine:
    """A step's line, how often it ran, and the hits of each arm it owns (none for most steps)."""

    line: int
    hits: int
    arms: list[int]


def step_lines(procedure: ProcedureCoverage) -> list[StepLine]:
    """The procedure's steps as lines, in document order."""
    arms: dict[str, list[int]] = {}
    ran = {measured.item.step: measured.hits for measured in procedure.items if measured.item.kind == "step"}
    for measured in procedure.items:
        if measured.item.kind == "arm":
            step = measured.item.step
            if measured.item.key[1] == ON_ERROR:
                arms.setdefault(step, []).append(max(ran.get(step, 0) - measured.hits, 0))
            arms.setdefault(step, []).append(measured.hits)
    return [
        StepLine(measured.item.line, measured.hits, arms.get(measured.item.step, []))
        for measured in procedure.items
        if measured.item.kind == "step"
    ]


def lcov(report: CoverageReport) -> str:
    """An LCOV tracefile: one record per procedure file (``SF``), ``DA`` per step, ``BRDA`` per arm (``-``: the
    step owning it never ran)."""
    out: list[str] = []
    for procedure in report.procedures:
        lines = step_lines(procedure)
        out += ["TN:", f"SF:{clean(str(procedure.path.resolve()))}"]
        out += [f"DA:{line.line},{line.hits}" for line in lines]
        branches = [
            (line, block, number, hits)
            for block, line in enumerate(owner for owner in lines if owner.arms)
            for number, hits in enumerate(line.arms)
        ]
        out += [
            f"BRDA:{line.line},{block},{number},{hits if line.hits else '-'}" for line, block, number, hits in branches
        ]
        out += [
            f"BRF:{len(branches)}",
            f"BRH:{sum(hits > 0 for *_, hits in branches)}",
            f"LF:{len(lines)}",
            f"LH:{sum(line.hits > 0 for line in lines)}",
            "end_of_record",
        ]
    return "\n".join(out) + "\n"


def cobertura(report: CoverageReport) -> bytes:
    """Cobertura XML (coverage-04.dtd): one package of procedure classes, file names relative to the workspace."""
    procedures = [(procedure, step_lines(procedure)) for procedure in report.procedures]
    every = [line for _, lines in procedures for line in lines]
    root = ET.Element(
        "coverage",
        _rates(every) | {"version": "workbench", "timestamp": str(int(time.time() * 1000)), "complexity": "0"},
    )
    ET.SubElement(ET.SubElement(root, "sources"), "source").text = clean(str(report.root.resolve()))
    package = ET.SubElement(
        ET.SubElement(root, "packages"), "package", _rates(every, totals=False) | {"name": "procedures"}
    )
    package.attrib["complexity"] = "0"
    classes = ET.SubElement(package, "classes")
    for procedure, lines in procedures:
        try:
            filename = procedure.path.resolve().relative_to(report.root.resolve())
        except ValueError:
            filename = procedure.path.resolve()
        element = ET.SubElement(
            classes,
            "class",
            {"name": clean(procedure.name), "filename": clean(str(filename))}
            | _rates(lines, totals=False)
            | {"complexity": "0"},
        )
        ET.SubElement(element, "methods")
        rows = ET.SubElement(element, "lines")
        for line in lines:
            attributes = {"number": str(line.line), "hits": str(line.hits), "branch": "true" if line.arms else "false"}
            if line.arms:
                taken = sum(hits > 0 for hits in line.arms)
                share = f"{100 * taken // len(line.arms)}%"
                attributes["condition-coverage"] = f"{share} ({taken}/{len(line.arms)})"
            row = ET.SubElement(rows, "line", attributes)
            if line.arms:
                conditions = ET.SubElement(row, "conditions")
                ET.SubElement(conditions, "condition", {"number": "0", "type": "jump", "coverage": share})
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    doctype = '<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">'
    return f'<?xml version="1.0" ?>\n{doctype}\n{body}\n'.encode()


def _rates(lines: list[StepLine], *, totals: bool = True) -> dict[str, str]:
    """``line-rate`` and ``branch-rate`` (and with ``totals`` the counts the root element carries)."""
    covered = sum(line.hits > 0 for line in lines)
    arms = [hits for line in lines for hits in line.arms]
    taken = sum(hits > 0 for hits in arms)
    rates = {
        "line-rate": f"{covered / len(lines) if lines else 1:.4f}",
        "branch-rate": f"{taken / len(arms) if arms else 1:.4f}",
    }
    if totals:
        rates |= {
            "lines-covered": str(covered),
            "lines-valid": str(len(lines)),
            "branches-covered": str(taken),
            "branches-valid": str(len(arms)),
        }
    return rates

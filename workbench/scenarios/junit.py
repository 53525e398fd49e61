"""JUnit XML for CI systems: one ``testsuite`` per workspace, one ``testcase`` per scenario."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from workbench.outputs import write_output
from workbench.scenarios.runner import ScenarioReport

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold replaced."""
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(reports: Sequence[ScenarioReport], *, suite: str, duration_s: float) -> bytes:
    """The reports as a JUnit XML document (failures for unmet expectations, errors for bad scenarios)."""
    failures = sum(report.status == "failed" for report in reports)
    errors = sum(report.status == "error" for report in reports)
    counts = {
        "tests": str(len(reports)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": f"{duration_s:.3f}",
    }
    root = ET.Element("testsuites", {"name": "workbench", **counts})
    testsuite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": _clean(suite),
            **counts,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    for report in reports:
        case = ET.SubElement(
            testsuite,
            "testcase",
            {
                "classname": _clean(report.case.procedure or "scenarios"),
                "name": _clean(report.case.name),
                "file": _clean(str(report.case.path)),
                "time": f"{report.duration_s:.3f}",
            },
        )
        if not report.passed:
            tag, kind = ("failure", "ScenarioFailure") if report.status == "failed" else ("error", "ScenarioError")
            element = ET.SubElement(case, tag, {"message": _clean(report.headline), "type": kind})
            element.text = _clean(report.explanation())
    ET.indent(root)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def write_junit(reports: Sequence[ScenarioReport], path: Path, *, suite: str, duration_s: float) -> None:
    """Write :func:`junit_xml` to the output ``path`` (see :func:`~workbench.outputs.write_output`; raises
    ``OSError`` when it cannot)."""
    write_output(path, junit_xml(reports, suite=suite, duration_s=duration_s))

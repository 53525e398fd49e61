"""JUnit XML for CI systems: one ``testsuite`` per workspace, one ``testcase`` per scenario."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from workbench.outputs import write_output
from workbench.scenarios.runner import ScenarioReport

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold replaced."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class JUnitCase:
    """One ``testcase``: ``status`` ``failed`` adds a failure, ``error`` an error (``message`` and ``text`` their
    headline and details); ``properties`` become its ``<properties>``."""

    classname: str
    name: str
    file: str
    duration_s: float
    status: str = "passed"
    message: str = ""
    text: str = ""
    properties: dict[str, str] = field(default_factory=dict)


def junit_document(cases: Sequence[JUnitCase], *, suite: str, duration_s: float) -> bytes:
    """The cases as a JUnit XML document: one ``testsuite`` named ``suite``."""
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(case.status == "failed" for case in cases)),
        "errors": str(sum(case.status == "error" for case in cases)),
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
    for case in cases:
        element = ET.SubElement(
            testsuite,
            "testcase",
            {
                "classname": _clean(case.classname),
                "name": _clean(case.name),
                "file": _clean(case.file),
                "time": f"{case.duration_s:.3f}",
            },
        )
        if case.properties:
            properties = ET.SubElement(element, "properties")
            for name, value in case.properties.items():
                ET.SubElement(properties, "property", {"name": _clean(name), "value": _clean(value)})
        if case.status in ("failed", "error"):
            tag, kind = ("failure", "ScenarioFailure") if case.status == "failed" else ("error", "ScenarioError")
            detail = ET.SubElement(element, tag, {"message": _clean(case.message), "type": kind})
            detail.text = _clean(case.text)
    ET.indent(root)
    return cast(bytes, ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def junit_xml(reports: Sequence[ScenarioReport], *, suite: str, duration_s: float) -> bytes:
    """The reports as a JUnit XML document (failures for unmet expectations, errors for bad scenarios)."""
    cases = [
        JUnitCase(
            report.case.procedure or "scenarios",
            report.case.name,
            str(report.case.path),
            report.duration_s,
            report.status,
            report.headline,
            report.explanation(),
        )
        for report in reports
    ]
    return junit_document(cases, suite=suite, duration_s=duration_s)


def write_junit(reports: Sequence[ScenarioReport], path: Path, *, suite: str, duration_s: float) -> None:
    """Write :func:`junit_xml` to the output ``path`` (see :func:`~workbench.outputs.write_output`; raises
    ``OSError`` when it cannot)."""
    write_output(path, junit_xml(reports, suite=suite, duration_s=duration_s))

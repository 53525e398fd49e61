"""Names and code come from files: every report format shows their control characters escaped, never raw."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.coverage.routes import PROCEDURE, load, routes_workspace, write_files
from workbench.coverage import Hits, exchange, formats, measure


def test_control_characters_in_names_and_code_are_escaped_in_every_format(tmp_path: Path) -> None:
    hostile = "Route\x1b[31m\x07"
    procedure = {**PROCEDURE, "name": hostile, "steps": [*PROCEDURE["steps"]]}
    procedure["steps"][1] = {
        "id": "route",
        "type": "condition",
        "branches": [{"when": {"code": "1 == 2  # \x1b]0;title\x07"}}],
    }
    root = routes_workspace(tmp_path / "routes", scenarios={})
    write_files(root, {"procedures/route.json": procedure})
    report = measure(load(root), Hits())
    shown = {"text": formats.text(report), "markdown": formats.markdown(report), "lcov": exchange.lcov(report)}
    for text in shown.values():
        assert "\x1b" not in text and "\x07" not in text
    assert "Route\\x1b[31m\\x07" in shown["text"] and "Route\\x1b[31m\\x07" in shown["markdown"]
    assert "\\x1b]0;title\\x07" in shown["text"]
    classes = ET.fromstring(exchange.cobertura(report).split(b"\n", 2)[2]).iter("class")
    assert [element.get("name") for element in classes] == ["Route\\x1b[31m\\x07"]
    assert json.loads(formats.to_json(report))["procedures"][0]["name"] == hostile  # JSON escapes it itself

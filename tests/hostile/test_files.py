"""Classes 12 and 13: duplicate JSON keys are located load errors; names equal but for case or Unicode form clash."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.hostile.kit import cli, load_error, unchanged, write_workspace
from workbench.jsonfile import location_of

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = st.text(min_size=1, max_size=8)


def connector(name: str, body: object = None) -> dict[str, object]:
    return {"name": name, "request": {"url": "http://127.0.0.1:9/x"}, "response": {"example": {"body": body}}}


@FAST
@given(
    keys=st.lists(KEYS, min_size=1, max_size=5, unique=True),
    repeat=st.integers(min_value=0, max_value=4),
    depth=st.integers(min_value=0, max_value=3),
    indent=st.sampled_from([None, 2]),
)
def test_a_duplicate_key_is_a_located_load_error(
    capsys: pytest.CaptureFixture[str], keys: list[str], repeat: int, depth: int, indent: int | None
) -> None:
    key = keys[repeat % len(keys)]
    inner = json.dumps({item: number for number, item in enumerate(keys)}, indent=indent)
    duplicated = inner[:-1].rstrip() + f', {json.dumps(key)}: "again"' + inner[-1]
    body: object = "HOLE"
    for _ in range(depth):
        body = {"level": body}
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), connectors=[connector("C")])
        path = root / "connectors" / "item-0.json"
        text = json.dumps(connector("C", body), indent=indent).replace('"HOLE"', duplicated)
        path.write_text(text)
        expected = location_of(text, text.rindex(json.dumps(key) + ': "again"'))
        with unchanged(root):
            lint = cli(capsys, "lint", root, "--format", "json")
    finding = load_error(lint, path)
    assert (finding["line"], finding["column"]) == (expected.line, expected.column)
    assert f"duplicate key {key!r}" in finding["message"]


def variants(name: str) -> list[str]:
    forms = {name.upper(), name.lower(), name.swapcase(), unicodedata.normalize("NFD", name)}
    forms.add("".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in name))  # full width
    return sorted(form for form in forms if form != name)


@FAST
@given(name=st.text(alphabet="abcdeéøABC Ω", min_size=2, max_size=10), choice=st.integers(min_value=0, max_value=9))
def test_names_equal_but_for_case_or_unicode_form_clash(
    capsys: pytest.CaptureFixture[str], name: str, choice: int
) -> None:
    name = name.strip()
    assume(len(name) > 1 and "  " not in name)
    options = variants(name)
    assume(options)
    other = options[choice % len(options)]
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), connectors=[connector(name), connector(other)])
        with unchanged(root):
            lint = cli(capsys, "lint", root, "--format", "json")
    finding = load_error(lint, root / "connectors" / "item-1.json")
    assert f"connector name {other!r} clashes with {name!r}" in finding["message"]
    assert (finding["line"], finding["column"]) == (1, 2)

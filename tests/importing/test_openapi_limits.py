"""Hostile OpenAPI documents: expansion bombs stop within a budget with a located error; ``$ref`` and
``externalValue`` read only files under the spec's folder, with one error for missing and outside."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from workbench.importing import ConversionError, Spec, import_openapi, load_spec


def _spec(response: dict[str, Any], **components: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": response}}}}}},
        "components": components,
    }


ALIAS_BOMB = """openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          content:
            application/json:
              example: &i [&h [&g [&f [&e [&d [&c [&b [&a [x,x,x,x,x,x,x,x,x,x],*a,*a,*a,*a,*a,*a,*a,*a,*a],*b,*b,*b,*b,*b,*b,*b,*b,*b],*c,*c,*c,*c,*c,*c,*c,*c,*c],*d,*d,*d,*d,*d,*d,*d,*d,*d],*e,*e,*e,*e,*e,*e,*e,*e,*e],*f,*f,*f,*f,*f,*f,*f,*f,*f],*g,*g,*g,*g,*g,*g,*g,*g,*g],*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_a_yaml_alias_bomb_example_stops_with_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB) < 1100
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        import_openapi(Spec.load(path))
    assert time.monotonic() - started < 5
    assert caught.value.where == "paths./x.get.responses.200.content.application/json"
    assert "expands to more than" in caught.value.message


def test_a_ref_fan_out_stops_with_a_located_error(tmp_path: Path) -> None:
    schemas = {
        f"L{level}": {
            "type": "object",
            "properties": {f"p{index}": {"$ref": f"#/components/schemas/L{level + 1}"} for index in range(8)},
        }
        for level in range(10)
    }
    schemas["L10"] = {"type": "string"}
    spec = _spec({"schema": {"$ref": "#/components/schemas/L0"}}, schemas=schemas)
    path = tmp_path / "fan.json"
    path.write_bytes(orjson.dumps(spec))
    assert path.stat().st_size < 4096
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        import_openapi(Spec.load(path))
    assert time.monotonic() - started < 10
    assert caught.value.where.startswith("paths./x.get.responses.200.content.application/json.schema")
    assert "expands to more than" in caught.value.message


def test_an_ordinary_large_example_is_within_the_budget(tmp_path: Path) -> None:
    body = [{"id": index, "name": f"item {index}", "tags": ["a", "b"]} for index in range(5000)]
    path = tmp_path / "big.json"
    path.write_bytes(orjson.dumps(_spec({"example": body})))
    assert import_openapi(Spec.load(path)).connectors[0].response.example.body == body


@pytest.mark.parametrize("where", ["outside", "absolute", "missing", "folder"])
def test_refs_resolve_only_under_the_specs_folder_with_one_error(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "spec"
    folder.mkdir()
    (tmp_path / "private.yaml").write_text(yaml.safe_dump({"S": {"type": "string", "example": "private data"}}))
    (folder / "sub").mkdir()
    target = {
        "outside": "../private.yaml#/S",
        "absolute": f"{tmp_path / 'private.yaml'}#/S",
        "missing": "../nothing-here.yaml#/S",
        "folder": "sub#/S",
    }[where]
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(_spec({"schema": {"$ref": target}})))
    with pytest.raises(ConversionError) as caught:
        import_openapi(Spec.load(path))
    reference = target.partition("#")[0]
    assert caught.value.message == (
        f"file {reference!r} is not a file under the spec's folder (only those can be referred to)"
    )
    assert str(tmp_path) not in caught.value.message.replace(reference, "")


def test_a_pasted_spec_refers_to_no_file(tmp_path: Path) -> None:
    text = yaml.safe_dump(_spec({"schema": {"$ref": "common.yaml#/S"}}))
    with pytest.raises(ConversionError, match="a pasted spec cannot refer to files"):
        import_openapi(load_spec(text=text))

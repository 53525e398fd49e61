"""Reading an import's source file: a size cap, then JSON or YAML with the place of any syntax error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import yaml

from workbench.importing.errors import ConversionError

MAX_SOURCE_BYTES = 32 * 1024 * 1024
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _JsonLikeLoader(_Loader):  # type: ignore[misc]
    """YAML loaded as JSON data: mapping keys as strings (``200:`` is ``"200"``), dates left as text."""


def _mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    return {str(loader.construct_object(key)): loader.construct_object(value) for key, value in node.value}


_JsonLikeLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_JsonLikeLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def read_source(path: Path, *, allow_yaml: bool = False) -> Any:
    """The data in a source file; raises :class:`ConversionError` located at ``path[:line:col]``."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ConversionError(str(path), "is a folder, expected a file")
        if size > MAX_SOURCE_BYTES:
            raise ConversionError(
                str(path), f"is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte import limit: split it"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise ConversionError(str(path), f"cannot be read: {error.strerror or error}") from None
    return parse_source(raw, str(path), allow_yaml=allow_yaml)


def parse_json(text: str, where: str) -> Any:
    """JSON data from text; raises :class:`ConversionError` at ``where:line:column``."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        raise ConversionError(f"{where}:{error.lineno}:{error.colno}", f"is not JSON: {error.msg}") from None
    except RecursionError:
        raise ConversionError(where, "is not JSON: nested too deeply") from None


def parse_source(raw: bytes, where: str, *, allow_yaml: bool = False) -> Any:
    """JSON (or, with ``allow_yaml``, YAML) data from bytes; raises :class:`ConversionError`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConversionError(where, f"is not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise ConversionError(where, "is empty")
    if text.lstrip()[:1] in "{[" or not allow_yaml:
        return parse_json(text, where)
    try:
        return yaml.load(text, Loader=_JsonLikeLoader)  # a safe loader (no Python objects)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        raise ConversionError(place, f"invalid YAML: {error.problem}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ConversionError(where, f"invalid YAML: {error}") from None

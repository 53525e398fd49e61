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


def _binary(loader: Any, node: yaml.ScalarNode) -> str:
    """A ``!!binary`` value as the UTF-8 text it encodes (JSON has no bytes); other bytes are a located error."""
    data = yaml.constructor.SafeConstructor.construct_yaml_binary(loader, node)
    try:
        return str(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise yaml.constructor.ConstructorError(
            None, None, "a !!binary value that is not UTF-8 text cannot be JSON", node.start_mark
        ) from None


_JsonLikeLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_JsonLikeLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
_JsonLikeLoader.add_constructor("tag:yaml.org,2002:binary", _binary)


def _load_yaml(text: str) -> Any:
    """YAML text as JSON data; raises ``yaml.MarkedYAMLError`` for a value that contains itself (an alias to
    an enclosing node) or binary data that is not text."""
    loader = _JsonLikeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_cycles(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _refuse_cycles(root: yaml.Node) -> None:
    """Raise when a node contains itself (``&a [*a]``): JSON data cannot. Each node is visited once."""
    done: set[int] = set()
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in done:
            continue
        open_.add(id(node))
        stack.append((node, True))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        for child in children:
            if id(child) in open_:
                raise yaml.MarkedYAMLError(
                    problem="an alias refers to a node that contains it (a value cannot contain itself)",
                    problem_mark=child.start_mark,
                )
            if id(child) not in done:
                stack.append((child, False))


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
    except orjson.JSONDecodeError as error:
        if "surrogate" in error.msg:  # the standard library would accept it: a string that is not text
            raise ConversionError(f"{where}:{error.lineno}:{error.colno}", f"is not JSON text: {error.msg}") from None
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
        return _load_yaml(text)  # a safe loader (no Python objects)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        raise ConversionError(place, f"invalid YAML: {error.problem}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ConversionError(where, f"invalid YAML: {error}") from None

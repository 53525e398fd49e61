"""JSON values in and out, exactly: integers of any width, bounded nesting, one compact and one pretty format.

orjson is fast but reads integers wider than 64 bits as floats and cannot write them, so text holding long
digit runs is read by the standard library, and such integers are written as verbatim fragments. Every
problem (too deep, a number too long to convert, invalid JSON) is a :class:`JsonValueError` with its offset.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

import orjson

MAX_DEPTH = 254
"""Deeper arrays and objects are refused when read (orjson cannot write deeper ones)."""
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300
"""Integers with more digits are refused when read (Python converts them in quadratic time)."""

_LONG_DIGITS = re.compile(rb"\d{19,}")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_INT64 = range(-(2**63), 2**64)
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_DECODER = json.JSONDecoder()


class JsonValueError(ValueError):
    """Text that is not acceptable JSON; ``offset`` is the character where the problem is."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def loads(data: bytes | str) -> Any:
    """The JSON value in ``data`` (UTF-8 bytes or text), integers exact; raises :class:`JsonValueError`."""
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
    if _LONG_DIGITS.search(raw) is None:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            _refuse_surrogate(error)
        else:
            if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and not _fits_orjson(value):
                raise _too_deep(_text(data))
            return value
    value = _stdlib_loads(_text(data))
    if _SURROGATE_ESCAPE.search(raw):
        try:  # orjson refuses lone surrogates and says where; long integers become (long) floats for it
            orjson.loads(_LONG_DIGITS.sub(lambda digits: b"1" * len(digits.group()), raw))
        except orjson.JSONDecodeError as error:
            _refuse_surrogate(error)
    return value


def _refuse_surrogate(error: orjson.JSONDecodeError) -> None:
    """Raise :class:`JsonValueError` when orjson refused a lone surrogate escape (``"\\udfff"``): such a
    string is not text and could never be printed or saved."""
    if "surrogate" in error.msg:
        message = f"{error.msg}: a \\uD800-\\uDFFF escape must be half of a pair (it is not text alone)"
        raise JsonValueError(message, error.pos)


def dumps(
    value: Any, *, pretty: bool = False, sort_keys: bool = False, default: Callable[[Any], Any] | None = None
) -> bytes:
    """``value`` as UTF-8 JSON: compact, or the project's file format (2-space indent, trailing newline).

    Integers of any width are written exactly; raises :class:`JsonValueError` for a value nested deeper than
    :data:`MAX_DEPTH` or an integer too long to write.
    """
    option = orjson.OPT_NON_STR_KEYS
    if pretty:
        option |= orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    if sort_keys:
        option |= orjson.OPT_SORT_KEYS
    try:
        return orjson.dumps(value, option=option, default=default)
    except orjson.JSONEncodeError as error:
        if "Recursion" in str(error):
            raise JsonValueError(f"nested deeper than {MAX_DEPTH} levels") from None
        if "Integer" not in str(error):
            raise
    try:
        return orjson.dumps(_with_fragments(value, 0), option=option, default=default)
    except orjson.JSONEncodeError as error:
        if "Recursion" in str(error):
            raise JsonValueError(f"nested deeper than {MAX_DEPTH} levels") from None
        raise


def _with_fragments(value: Any, depth: int) -> Any:
    """``value`` with integers orjson cannot write replaced by their exact digits."""
    if depth > MAX_DEPTH:
        raise JsonValueError(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value in _INT64:
            return value
        try:
            return orjson.Fragment(str(value))
        except ValueError:
            raise JsonValueError(f"an integer has more than {MAX_INT_DIGITS} digits") from None
    if isinstance(value, dict):
        return {key: _with_fragments(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_with_fragments(item, depth + 1) for item in value]
    return value


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonValueError(f"not UTF-8 text (byte 0x{data[error.start]:02x})", error.start) from None


class _Refused(Exception):
    def __init__(self, message: str, literal: str) -> None:
        self.message = message
        self.literal = literal


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"number with {len(literal.lstrip('-')):,} digits (at most {MAX_INT_DIGITS} are read)", literal)
    return int(literal)


def _parse_float(literal: str) -> float:
    number = float(literal)
    if math.isinf(number):
        raise _Refused("number out of range for a float", literal)
    return number


def _parse_constant(literal: str) -> Any:
    raise _Refused(f"{literal} is not JSON", literal)


def _stdlib_loads(text: str) -> Any:
    """The standard library's parser: exact integers and precise error positions."""
    body = text.lstrip("\ufeff")
    shift = len(text) - len(body)
    try:
        value = json.loads(body, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except json.JSONDecodeError as error:
        raise JsonValueError(f"invalid JSON: {error.msg}", error.pos + shift) from None
    except _Refused as refused:
        raise JsonValueError(refused.message, max(0, text.find(refused.literal))) from None
    except RecursionError:
        raise _too_deep(text) from None
    if _depth(value) > MAX_DEPTH:
        raise _too_deep(text)
    return value


def _fits_orjson(value: Any) -> bool:
    try:
        orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return False
    return True


def _depth(value: Any) -> int:
    """How deeply ``value`` nests arrays and objects (without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            todo.extend((child, depth + 1) for child in item)
    return deepest


def _too_deep(text: str) -> JsonValueError:
    """The error for text nested deeper than :data:`MAX_DEPTH`, at the bracket that goes too deep."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return JsonValueError(f"nested deeper than {MAX_DEPTH} levels", match.start())
        elif token in "]}":
            depth -= 1
    return JsonValueError(f"nested deeper than {MAX_DEPTH} levels")

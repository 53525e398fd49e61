"""Regular expressions that users write (dynamic-mock rules): a linear-time engine, so no pattern can hang a run.

Patterns are compiled by RE2 (``google-re2``), which matches in time linear in the input and refuses what it
cannot do that way (back-references, look-around) and programs over a memory budget.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2  # type: ignore[import-untyped]

MAX_PATTERN_CHARS = 2000
"""Longer patterns are refused before compiling."""
MAX_PROGRAM_BYTES = 1 << 20
"""RE2's memory budget for one compiled pattern; a pattern over it is refused."""


class PatternError(ValueError):
    """A pattern the engine refuses (bad syntax, an unsupported construct, or over the limits)."""


def _options() -> Any:
    options = re2.Options()
    options.max_mem = MAX_PROGRAM_BYTES
    options.log_errors = False
    return options


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """The compiled ``pattern``; raises :class:`PatternError` saying why it is refused."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"is longer than {MAX_PATTERN_CHARS} characters")
    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", errors="replace")
        raise PatternError(
            f"is not supported: {detail} (patterns use RE2 syntax: no back-references or look-around)"
        ) from None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text`` (linear time); raises :class:`PatternError`."""
    return compile_pattern(pattern).search(text) is not None

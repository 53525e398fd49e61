"""Positions in the user's source text: 1-based lines and character columns."""

from __future__ import annotations

import re
from types import TracebackType

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def char_column(source: str, line: int, byte_offset: int) -> int:
    """The 1-based character column of a 0-based UTF-8 byte offset (as `ast` and code
    objects count) on a 1-based line of `source`."""
    lines = _LINE_BREAK.split(source)
    if not 1 <= line <= len(lines):
        return byte_offset + 1
    prefix = lines[line - 1].encode()[:byte_offset]
    return len(prefix.decode(errors="ignore")) + 1


def end_column(source: str, line: int) -> int:
    """The 1-based column just past the end of a 1-based line of `source`."""
    lines = _LINE_BREAK.split(source)
    return len(lines[line - 1]) + 1 if 1 <= line <= len(lines) else 1


def traceback_position(tb: TracebackType | None, filename: str, source: str) -> tuple[int | None, int | None]:
    """Line and column, in `source`, of the innermost traceback entry that ran the
    user's code (compiled under `filename`); (None, None) if none did."""
    innermost = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            innermost = tb
        tb = tb.tb_next
    if innermost is None:
        return None, None
    line, column = innermost.tb_lineno, None
    positions = list(innermost.tb_frame.f_code.co_positions())
    index = innermost.tb_lasti // 2
    if 0 <= index < len(positions):
        start_line, _, start_column, _ = positions[index]
        if start_line is not None:
            line = start_line
            column = None if start_column is None else char_column(source, line, start_column)
    return line, column

"""Everything the CLI prints goes through here: names, files' text, servers' answers and models' words are shown
on the terminal, never obeyed — control characters (ESC and the sequences it starts) are written visibly
(:func:`workbench.visible.visible`), and rich text is never read as markup."""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any, BinaryIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from workbench.visible import literal, visible

_C1_IN_UTF8 = re.compile(rb"\xc2([\x80-\x9f])")
"""A C1 control character (U+0080-U+009F) in UTF-8: JSON leaves it raw; some terminals obey it."""


def say(text: object = "", *, err: bool = False, end: str = "\n", flush: bool = False) -> None:
    """Print ``text`` on standard output (``err``: standard error) with its control characters shown."""
    stream = sys.stderr if err else sys.stdout
    stream.write(visible(text) + end)
    if flush:
        stream.flush()


def write_json(data: bytes) -> None:
    """Write encoded JSON on standard output as it is, but for C1 control characters, written ``\\u0080``…"""
    sys.stdout.buffer.write(_C1_IN_UTF8.sub(lambda match: b"\\u00%02x" % match[1][0], data))
    sys.stdout.flush()


class _ShownConsole(Console):
    """A console that prints every text with its control characters shown (see :func:`console`)."""

    def print(self, *objects: Any, **options: Any) -> None:
        super().print(*(literal(item) if isinstance(item, str | Text) else item for item in objects), **options)


def console(*, stderr: bool = False, file: IO[str] | None = None) -> Console:
    """The console for styled output: no markup, no highlighting, soft-wrapped, control characters shown."""
    return _ShownConsole(highlight=False, soft_wrap=True, markup=False, stderr=stderr, file=file)


def line_stream() -> BinaryIO:
    """Standard output as bytes, for writers whose every line is made visible before it is written (``mock
    serve``'s log lines: :func:`workbench.mockserver.log.format_record`)."""
    return sys.stdout.buffer


def silence_stdout() -> None:
    """Point standard output at the null device (the reader went away: ``workbench run --json | head``)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def progress_bar(console: Console) -> Progress:
    """The progress bar of a suite (description, bar, done/total, time), shown only on a terminal and gone after."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )

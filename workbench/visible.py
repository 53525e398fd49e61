"""Text from files, servers and models made safe to print or draw: shown, never obeyed.

:func:`visible` writes every control character (C0, DEL, C1 — so ESC and the CSI/OSC sequences it starts) and
every lone surrogate as a visible escape (``\\x1b``, ``\\udfff``); :func:`literal` turns any value into a rich
:class:`~rich.text.Text` holding that text, never read as markup. Every CLI printer and every widget of the app
draws content through them.
"""

from __future__ import annotations

import re
from functools import cache

from rich.style import StyleType
from rich.text import Text

KEEP = "\n\t"
"""What :func:`visible` keeps by default: line breaks and tabs, where the place allows several lines."""


@cache
def _unsafe(keep: str) -> re.Pattern[str]:
    """The characters :func:`visible` escapes, less those in ``keep``."""
    ranges = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
    kept = "".join(re.escape(char) for char in keep)
    return re.compile(f"(?![{kept}])[{ranges}]" if kept else f"[{ranges}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, keep: str = KEEP) -> str:
    """``value`` as text with every control character and lone surrogate (but those in ``keep``) escaped."""
    text = value if isinstance(value, str) else str(value)
    return _unsafe(keep).sub(_escape, text)


def literal(value: object, style: StyleType = "", keep: str = KEEP) -> Text:
    """``value`` as rich text to draw or print: never markup, control characters shown (see :func:`visible`).

    A :class:`Text` keeps its styles (each styled run is escaped on its own); anything else is ``str(value)``.
    """
    if not isinstance(value, Text):
        return Text(visible(value, keep), style=style)
    unsafe = _unsafe(keep)
    if unsafe.search(value.plain):
        cuts = sorted({offset for span in value.spans for offset in (span.start, span.end)} - {0, len(value)})
        safe = Text(style=value.style, justify=value.justify, no_wrap=value.no_wrap, end=value.end)
        for run in value.divide(cuts):
            part = Text(unsafe.sub(_escape, run.plain))
            for span in run.spans:  # each covers the whole run: the cuts are at every span's ends
                part.stylize(span.style)
            safe.append_text(part)
    else:
        safe = value.copy()
    if style:
        safe.stylize_before(style)
    return safe

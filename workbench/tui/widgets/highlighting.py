"""Text areas coloured by a small per-line tokenizer, computed only for the lines on screen.

Textual's own highlighting re-queries a tree-sitter tree over the whole document after every edit, which
stalls on multi-megabyte JSON. Here highlights are computed lazily per visible line, so the cost of an edit
does not grow with the document. Tokens are mentions, ``{{templates}}``, JSON and Python basics, plus
"marks": ranges flagged by validation or lint (drawn as errors).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets.text_area import TextAreaTheme

from workbench.connectors.templates import TEMPLATE
from workbench.tui.colours import DEFAULT_PALETTE, Palette, on_theme_change, palette
from workbench.tui.widgets.fields import TextArea

Span = tuple[int, int, str]
"""``(start, end, name)`` in characters of one line; ``name`` is a key of :data:`SYNTAX_ROLES`."""

SYNTAX_ROLES: dict[str, str] = {
    "string": "string",
    "number": "number",
    "keyword": "keyword",
    "comment": "italic muted",
    "json.label": "key",
    "json.null": "keyword",
    "mention.call": "bold mention",
    "mention.read": "bold reference",
    "template": "template",
    "template.secret": "italic secret",
    "problem": "underline error",
}
"""How each kind of token is drawn, as roles of :mod:`workbench.tui.colours`."""


def syntax_theme(colours: Palette) -> TextAreaTheme:
    """The text areas' theme under a palette (the rest of its looks come from the app's CSS)."""
    return TextAreaTheme(
        name="workbench", syntax_styles={token: colours.style(spec) for token, spec in SYNTAX_ROLES.items()}
    )


_MENTION = re.compile(r"(?<![\w.@])@(call|read)\([^()\n]*\)")
_JSON_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<constant>\b(?:true|false|null)\b)"
)
_PY_TOKEN = re.compile(
    r"(?P<string>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|(?P<comment>#.*)"
    r"|(?P<keyword>\b(?:and|or|not|in|is|if|else|for|return|None|True|False|lambda)\b)"
    r"|(?P<number>\b\d+(?:\.\d+)?\b)"
)
_JSON_NAMES = {"key": "json.label", "string": "string", "number": "number", "constant": "json.null"}
_PY_NAMES = {"string": "string", "comment": "comment", "keyword": "keyword", "number": "number"}


def template_spans(line: str) -> list[Span]:
    """``{{...}}`` templates, secrets apart."""
    return [
        (match.start(), match.end(), "template.secret" if match.group(1).startswith("secret.") else "template")
        for match in TEMPLATE.finditer(line)
    ]


def mention_spans(line: str) -> list[Span]:
    """``@call(...)`` and ``@read(...)`` mentions."""
    return [(match.start(), match.end(), f"mention.{match.group(1)}") for match in _MENTION.finditer(line)]


def json_spans(line: str) -> list[Span]:
    """JSON keys, strings, numbers and constants, and templates inside strings."""
    spans = [
        (match.start(), match.end(), _JSON_NAMES[match.lastgroup or "string"]) for match in _JSON_TOKEN.finditer(line)
    ]
    return spans + template_spans(line)


def python_spans(line: str) -> list[Span]:
    """Python strings, comments, keywords and numbers."""
    return [(match.start(), match.end(), _PY_NAMES[match.lastgroup or "string"]) for match in _PY_TOKEN.finditer(line)]


class _LazyHighlights(dict[int, list[tuple[int, int | None, str]]]):
    """Highlights by row, computed when a row is first drawn."""

    def __init__(self, compute: Callable[[int], list[tuple[int, int | None, str]]]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, row: int) -> list[tuple[int, int | None, str]]:
        spans = self._compute(row)
        self[row] = spans
        return spans

    def __bool__(self) -> bool:  # the text area skips highlighting when its map is empty
        return True


class HighlightedTextArea(TextArea):
    """A text area whose lines are coloured by :meth:`line_spans`, plus error marks.

    Subclasses set ``tokenizer``; :meth:`set_marks` flags ranges (e.g. a JSON error or a lint finding).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Leave editor", show=False, id="code.leave")]

    tokenizer: Callable[[str], Iterable[Span]] | None = None

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(text, **kwargs)
        self.marks: dict[int, list[Span]] = {}
        self._highlights = _LazyHighlights(self._row_highlights)
        self._follow_theme(DEFAULT_PALETTE)

    def on_mount(self) -> None:
        self._follow_app_theme()
        on_theme_change(self, self._follow_app_theme)

    def on_resize(self) -> None:
        """Draw every row again once the text is wrapped to the new width: the screen may have drawn rows of the
        old wrap at the new width before the resize reached the text area (cut or doubled letters in a wrapped
        URL after the tree was widened), and the text area redraws only the cursor's row by itself."""
        self.refresh()

    def _follow_app_theme(self) -> None:
        self._follow_theme(palette(self.app))
        self._build_highlight_map()
        self.refresh()

    def _follow_theme(self, colours: Palette) -> None:
        """Draw tokens in ``colours`` (setting the text area's theme, even to the same name, applies it)."""
        self.register_theme(syntax_theme(colours))
        self.theme = "workbench"

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        self._highlights.clear()

    def set_marks(self, marks: dict[int, list[Span]]) -> None:
        """Replace the error marks (by 0-based row) and redraw."""
        if marks == self.marks:
            return
        self.marks = marks
        self._build_highlight_map()
        self.refresh()

    def line_spans(self, line: str) -> Iterable[Span]:
        """The coloured spans of one line."""
        return self.tokenizer(line) if self.tokenizer else ()

    def _row_highlights(self, row: int) -> list[tuple[int, int | None, str]]:
        if row >= self.document.line_count:
            return []
        line = self.document.get_line(row)
        spans = [*self.line_spans(line), *self.marks.get(row, ())]
        if not spans:
            return []
        if line.isascii():
            return [(start, end, name) for start, end, name in spans]
        # The text area expects byte offsets (as tree-sitter reports them).
        return [(len(line[:start].encode()), len(line[:end].encode()), name) for start, end, name in spans]

    def action_leave(self) -> None:
        """Move the focus on, out of the editor."""
        self.screen.focus_next()

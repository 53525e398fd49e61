"""A JSON editor validated as you type: the error's line and column, and a format action.

Texts too long for Textual's text area (see :data:`EDITABLE_LINES`) are shown as a read-only preview that
can be edited in the user's ``$EDITOR`` instead, so that opening them never stalls the app.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from workbench import jsoncodec
from workbench.jsonfile import dumps_pretty, locate, location_of
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import TextArea
from workbench.tui.widgets.highlighting import HighlightedTextArea, json_spans
from workbench.tui.widgets.parts import KeptParts
from workbench.visible import literal

EDITABLE_LINES = 12_000
"""Texts with more lines are shown as a read-only preview (Textual's text area slows down past that)."""
PREVIEW_LINES = 300
_MISSING = object()


@dataclass(frozen=True)
class JsonProblem:
    """Why a JSON text is not accepted, and where (1-based)."""

    line: int
    column: int
    message: str
    parses: bool = False
    """Whether the text is JSON (then a value not in the shape the field takes)."""

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def pretty(value: Any) -> str:
    """A value as the project writes JSON (2-space indent), without the trailing newline."""
    return dumps_pretty(value).decode("utf-8").rstrip("\n")


def check_json(
    text: str, validate: Callable[[Any], Any] | None, allow_empty: bool
) -> tuple[Any, Any, JsonProblem | None]:
    """Parse and validate ``text``: ``(data, converted, None)``, or ``(_MISSING, _MISSING, problem)``.

    ``data`` is the parsed JSON; ``converted`` what ``validate`` made of it (the data itself without one).
    """
    if not text.strip():
        if allow_empty:
            return None, None, None
        return _MISSING, _MISSING, JsonProblem(1, 1, "empty; write a JSON value")
    try:
        data = jsoncodec.loads(text)
    except jsoncodec.JsonValueError as error:
        where = location_of(text, error.offset)
        return _MISSING, _MISSING, JsonProblem(where.line, where.column, error.message.removeprefix("invalid JSON: "))
    if validate is None:
        return data, data, None
    try:
        return data, validate(data), None
    except ValidationError as error:
        first = error.errors()[0]
        where = locate(text, tuple(first["loc"]))
        place = ".".join(str(part) for part in first["loc"])
        message = f"{place}: {first['msg']}" if place else first["msg"]
        return _MISSING, _MISSING, JsonProblem(where.line, where.column, message, parses=True)
    except ValueError as error:
        return _MISSING, _MISSING, JsonProblem(1, 1, str(error), parses=True)


class JsonArea(HighlightedTextArea):
    """The text area of a :class:`JsonField`."""

    tokenizer = staticmethod(json_spans)


class JsonField(Vertical, KeptParts):
    """A JSON editor that reports each valid value with :class:`JsonField.Changed`.

    ``validate`` converts the parsed value (raise ``ValidationError``/``ValueError`` to refuse it, with the
    error located in the text); ``allow_empty`` accepts an empty text as ``None``.
    """

    DEFAULT_CSS = """
    JsonField { height: 1fr; }
    JsonField > JsonArea { height: 1fr; border: none; padding: 0; background: $boost; }
    JsonField > JsonArea:focus { border: none; background: $primary 10%; }
    JsonField > .json-status { height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    JsonField > .json-status.-error { color: $text-error; text-style: bold; }
    JsonField > #external { height: auto; display: none; }
    JsonField.-preview > #external { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+f", "format", "Format JSON", id="json.format")]

    class Changed(Message):
        """The text now holds valid data, different from before; ``value`` is what ``validate`` made of it."""

        def __init__(self, field: JsonField, value: Any) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> JsonField:
            return self.field

    class Drafted(Message):
        """The text changed and is not a value (``problem`` says why), or is a value again (``problem`` is
        ``None``, after a :class:`JsonField.Changed` if the value changed): the editor keeps the text as a draft
        of its item (:mod:`workbench.editing.drafts`)."""

        def __init__(self, field: JsonField, text: str, problem: JsonProblem | None) -> None:
            super().__init__()
            self.field = field
            self.text = text
            self.problem = problem

        @property
        def control(self) -> JsonField:
            return self.field

    def __init__(
        self,
        data: Any = None,
        *,
        validate: Callable[[Any], Any] | None = None,
        allow_empty: bool = False,
        text: str | None = None,
        draft: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``data``: the JSON to show; ``text``: that data already rendered (``""`` with ``data`` ``None``:
        render it later, see :meth:`set_data`); ``draft``: text typed before that is not a value yet, shown
        instead."""
        super().__init__(id=id, classes=classes)
        self._draft = draft
        self._validate = validate
        self._allow_empty = allow_empty
        self._data: Any = data
        self._text = text if text is not None else self._text_of(data)
        self._problem: JsonProblem | None = None
        self._shown: tuple[str, bool] | None = None
        self._waiting = False

    def _text_of(self, data: Any) -> str:
        return "" if data is None and self._allow_empty else pretty(data)

    def compose(self) -> ComposeResult:
        yield JsonArea("", show_line_numbers=True, soft_wrap=False)
        yield Static("", classes="json-status")
        with Horizontal(id="external"):
            yield Button("Edit in external editor", id="edit-external", compact=True)

    def on_mount(self) -> None:
        self.set_data(self._data, self._text, self._draft)

    @property
    def area(self) -> JsonArea:
        """The text area."""
        return self.part("JsonArea", JsonArea)

    @property
    def problem(self) -> JsonProblem | None:
        """Why the current text is not accepted, if it is not."""
        return self._problem

    @property
    def data(self) -> Any:
        """The last valid JSON data."""
        return self._data

    @property
    def is_preview(self) -> bool:
        """Whether the text is too long to edit here and only a preview is shown."""
        return self.has_class("-preview")

    def set_data(self, data: Any, text: str | None = None, draft: str | None = None) -> None:
        """Show JSON ``data`` (or ``text``, already rendered), replacing the text without reporting a change;
        ``draft``: the item's draft of this field, shown instead (with its problem)."""
        self._data = data
        self._problem = None
        self._waiting = False
        self._text = text if text is not None else self._text_of(data)
        shown = draft if draft is not None else self._text
        lines = shown.count("\n") + 1
        preview = lines > EDITABLE_LINES
        self.set_class(preview, "-preview")
        area = self.area
        area.read_only = preview
        if preview:
            area.load_text(cut_lines(shown, PREVIEW_LINES))
        else:
            area.load_text(shown)
        if draft is not None and not preview:
            _, _, self._problem = check_json(draft, self._validate, self._allow_empty)
        self._show(self._problem)

    def show(self, data: Any, draft: str | None = None) -> None:
        """:meth:`set_data`, unless the field shows that already (its text and caret then stay as they are)."""
        if data != self._data or self.area.text != (draft if draft is not None else self._text_of(data)):
            self.set_data(data, draft=draft)

    def show_waiting(self, text: str) -> None:
        """Show ``text`` (``loading…``), read-only and no edit, until :meth:`set_data`."""
        self._waiting = True
        self.area.read_only = True
        self.area.load_text(text)

    def action_format(self) -> None:
        """Re-indent the text when it holds valid JSON."""
        if self.is_preview:
            return
        data, _, problem = check_json(self.area.text, None, self._allow_empty)
        if problem is not None:
            self.notify(f"Cannot format: {problem}", severity="warning")
            return
        text = self._text_of(data)
        if text != self.area.text:
            self.area.replace(text, (0, 0), self.area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.is_preview or self._waiting:
            return
        text = self.area.text
        data, converted, problem = check_json(text, self._validate, self._allow_empty)
        was = self._problem
        self._problem = problem
        self._show(problem)
        if problem is None and data != self._data:
            self._data = data
            self.post_message(self.Changed(self, converted))
        if problem is not None or was is not None:
            self.post_message(self.Drafted(self, text, problem))

    def _status(self, text: str, error: bool) -> None:
        if (text, error) == self._shown:
            return
        self._shown = (text, error)
        status = self.query_one(".json-status", Static)
        status.set_class(error, "-error")
        show_text(status, literal(text), layout=False)

    def _show(self, problem: JsonProblem | None) -> None:
        area = self.area
        if problem is None:
            if self.is_preview:
                size = len(self._text.encode("utf-8"))
                self._status(f"{size / 1_000_000:.1f} MB: too large to edit here; a transform could trim it", False)
            else:
                document = area.document
                blank = document.line_count == 1 and not document.get_line(0).strip()
                self._status("empty" if blank and self._allow_empty else "✓ valid JSON", False)
            area.set_marks({})
            return
        self._status(f"✗ {problem}", True)
        row = max(0, problem.line - 1)
        if row < area.document.line_count:
            line = area.document.get_line(row)
            start = min(max(0, problem.column - 1), max(0, len(line) - 1))
            area.set_marks({row: [(start, max(start + 1, len(line)), "problem")]})

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "edit-external":
            event.stop()
            self.edit_externally()

    def edit_externally(self) -> None:
        """Edit the whole text in ``$VISUAL``/``$EDITOR`` (the app is suspended meanwhile)."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
            handle.write(self._text + "\n")
            path = handle.name
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), path], check=False)
            with open(path, encoding="utf-8") as handle:
                text = handle.read().rstrip("\n")
        except (OSError, ValueError) as error:
            self.notify(f"Could not run the editor {editor!r}: {error}", severity="error")
            return
        finally:
            os.unlink(path)
        data, converted, problem = check_json(text, self._validate, self._allow_empty)
        if problem is not None:
            self.notify(f"Not applied: {problem}", severity="error", timeout=8)
            return
        changed, was = data != self._data, self._problem
        self.set_data(data, text)
        if changed:
            self.post_message(self.Changed(self, converted))
        if was is not None:
            self.post_message(self.Drafted(self, text, None))


def cut_lines(text: str, max_lines: int) -> str:
    """``text`` cut after ``max_lines`` lines, ending with how many more there were (unchanged when shorter)."""
    end = _nth_newline(text, max_lines)
    if end >= len(text):
        return text
    more = text.count("\n", end)  # the newline at ``end`` and every one after it each start a line left out
    return f"{text[:end]}\n… {more:,} more lines"


def _nth_newline(text: str, count: int) -> int:
    """The offset of the ``count``-th newline (or the end of the text)."""
    offset = -1
    for _ in range(count):
        offset = text.find("\n", offset + 1)
        if offset < 0:
            return len(text)
    return offset

"""A table of rows with a form editing the selected row, kept as typed: the base of every row editor (connector
inputs, dynamic rules, grouped values). A row the form refuses (no name, a name taken, a status out of range) stays
in the table as typed, and while one does, the whole table as typed is a draft of the item (issue 22: every
character typed is in a model or in a draft marked unsaved): each edit posts :class:`RowForm.Typed`, and the item's
editor (:meth:`~workbench.tui.widgets.entry_editor.EntryEditor.on_row_form_typed`) takes the rows as values or
keeps them as a draft, which the form is composed from again."""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from contextlib import suppress
from typing import Any, ClassVar, NamedTuple

from textual.containers import Vertical
from textual.message import Message

from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.parts import KeptParts
from workbench.visible import literal


class RowProblem(NamedTuple):
    """Why a row as typed is not one: ``message``, at its ``column`` (1-based, as a draft locates it)."""

    row: int
    column: int
    message: str


class RowForm(Vertical, KeptParts):
    """A table of rows and a form editing the selected one. :attr:`rows` holds the rows as typed (one refused
    included); :meth:`problem` says which is refused first and why. Subclasses call :meth:`typed_edit` after each
    edit of :attr:`rows` and are given the item's draft (``draft``) to compose from."""

    STATUS: ClassVar[str] = ".status"
    """The :class:`ErrorLine` under the form that shows why a row is refused."""

    class Typed(Message):
        """The rows were edited (``typing`` names the row typed in, so that typing there undoes at once; ``None``
        for a row added, removed or moved): every row is a value (:meth:`RowForm.problem` is ``None``), or the
        table as typed is a draft of the item."""

        def __init__(self, form: RowForm, typing: Hashable | None) -> None:
            super().__init__()
            self.form = form
            self.typing = typing

        @property
        def control(self) -> RowForm:
            return self.form

    def __init__(
        self, rows: Sequence[Any], *, draft: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        """``rows``: the item's rows; ``draft``: the item's draft of this table (its rows as typed), shown instead."""
        super().__init__(id=id, classes=classes)
        self.rows: list[Any] = self.rows_shown(rows, draft)
        """The rows as typed (one refused included)."""
        self._row = 0

    def rows_shown(self, rows: Sequence[Any], draft: str | None) -> list[Any]:
        """The rows the form shows for the item's ``rows`` and its ``draft`` of this table: the draft's rows (as
        typed) when it has one of this table, else ``rows``."""
        if draft is not None:
            with suppress(ValueError, TypeError, KeyError, IndexError):  # else not this table's: the item's rows
                return self.rows_of(json.loads(draft))
        return list(rows)

    @property
    def selected(self) -> int:
        """The row the form edits."""
        return self._row

    def rows_of(self, data: list[Any]) -> list[Any]:
        """The rows a draft's JSON data holds (default: as they are)."""
        return list(data)

    def row_data(self, row: Any) -> Any:
        """A row as a draft keeps it: JSON data (default: as it is)."""
        return row

    def draft(self) -> str:
        """The table as typed, as the item's draft keeps it."""
        return json.dumps([self.row_data(row) for row in self.rows], ensure_ascii=False)

    def problem(self) -> RowProblem | None:
        """The first row refused as typed, and why; ``None`` when every row is a value."""
        raise NotImplementedError

    def typed_edit(self, typing: Hashable | None) -> None:
        """Report an edit of :attr:`rows`: why a row is refused shows under the form, the editor takes the rows
        or keeps them as a draft."""
        self.show_problem()
        self.post_message(self.Typed(self, typing))

    def show_problem(self) -> None:
        """Show under the form why a row is refused (nothing when every row is a value)."""
        problem = self.problem()
        status = self.part(self.STATUS, ErrorLine)
        status.update(literal(f"✗ row {problem.row + 1}: {problem.message}") if problem is not None else "")

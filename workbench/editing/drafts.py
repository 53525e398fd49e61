"""Drafts: text typed into a field of an item that is not a value yet (JSON that does not parse, or not in the
shape the field takes; a one-line field's text refused, such as a name another item has). A draft is part of the item as edited: it marks it unsaved, is undone like any edit,
stays when the editor is composed again, and keeps the item from being saved until it is fixed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from workbench.editing.operations import Assign, Change


class Draft(BaseModel):
    """The text of one field and why it is not a value: ``message`` at ``line``:``column`` (1-based; ``0`` for a
    one-line field's text, refused as a whole)."""

    model_config = ConfigDict(frozen=True)

    text: str
    line: int
    column: int
    message: str
    place: str = ""
    """Where inside the field, when it holds several values (``[2]``: its third item)."""

    def describe(self, field: str) -> str:
        """What saving says of it: ``headers: not valid JSON at 3:12 — not saved``, ``expect.path[2]: …``
        (``name: another connector is called 'Get orders' — not saved``: a one-line field's draft has no place)."""
        where = f" at {self.line}:{self.column}" if self.line else ""
        return f"{field}{self.place}: {self.message}{where} — not saved"


class Drafts(BaseModel):
    """The drafts of one item, by field (replaced as a whole by each change, so that undo puts the old back)."""

    texts: dict[str, Draft] = Field(default_factory=dict)

    def problems(self) -> list[str]:
        """Why the item cannot be saved yet, one line per draft."""
        return [draft.describe(field) for field, draft in sorted(self.texts.items())]

    def text(self, field: str) -> str | None:
        """The draft text of a field, if it has one."""
        draft = self.texts.get(field)
        return draft.text if draft is not None else None


def set_draft(drafts: Drafts, field: str, draft: Draft | None) -> Change | None:
    """The change keeping ``draft`` as the text of ``field`` (``None``: the field holds a value again); ``None``
    when there is nothing to change."""
    if drafts.texts.get(field) == draft:
        return None
    texts = {name: kept for name, kept in drafts.texts.items() if name != field}
    if draft is not None:
        texts[field] = draft
    label = f"Edited {field} (not valid yet)" if draft is not None else f"Edited {field}"
    return Change(label, [Assign(drafts, {"texts": texts})])

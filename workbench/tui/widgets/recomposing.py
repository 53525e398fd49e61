"""One recompose at a time: a widget recomposed while an earlier recompose of it still mounts its new widgets.

Textual's ``recompose`` removes the widget's children, then mounts a fresh set. Started again before that set has
mounted, it removes widgets that are still mounting; Textual mounts nothing more into a widget being removed, so
each is left half made, and its Mount handler raises on its own parts, never mounted (a Select's label, a
table, a JSON field's area): the app closes. Widgets that recompose themselves take :class:`SerialRecompose`, listed
after their Textual base (``class Form(VerticalScroll, SerialRecompose)``): Textual takes a widget's default CSS
through its first base only.

Such a widget also keeps the parts of its own that each key typed reaches (:meth:`SerialRecompose.part`): looked up
once per composition, not by a walk of its descendants per key.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual.css.query import NoMatches
from textual.widget import Widget

WidgetT = TypeVar("WidgetT", bound=Widget)


class SerialRecompose(Widget):
    """A widget whose recomposes run one after the other, never overlapping (see the module's docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._composing = asyncio.Lock()
        self._recomposing = 0
        self._parts: dict[str, Widget] = {}

    @property
    def recomposing(self) -> bool:
        """Whether a recompose is under way or waiting (its widgets are not all there)."""
        return self._recomposing > 0

    async def recompose(self) -> None:
        """Compose the widget afresh, after any recompose under way."""
        self._recomposing += 1
        try:
            async with self._composing:
                self._parts.clear()
                await super().recompose()
        finally:
            self._recomposing -= 1

    async def recomposed(self) -> None:
        """Wait until no recompose is under way (the widget may then be removed: nothing of it is mounting)."""
        async with self._composing:
            pass

    def part(self, selector: str, kind: type[WidgetT]) -> WidgetT:
        """The one widget of its own ``selector`` names, looked up once and kept while it stays (a recompose makes
        a new one, looked up again): what each key typed reaches goes through here, not through a walk of the
        widget's descendants."""
        found = self.part_if_any(selector, kind)
        if found is None:
            raise NoMatches(f"no {selector!r} in {self!r}")
        return found

    def part_if_any(self, selector: str, kind: type[WidgetT]) -> WidgetT | None:
        """:meth:`part`, or ``None`` when the widget has no such part now (looked up again next time)."""
        kept = self._parts.get(selector)
        if isinstance(kept, kind) and kept.is_attached:
            return kept
        try:
            kept = self._parts[selector] = self.query_one(selector, kind)
        except NoMatches:
            return None
        return kept

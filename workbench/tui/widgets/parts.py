"""Widgets that keep the parts each key typed reaches, instead of walking their descendants for them per key."""

from __future__ import annotations

from typing import TypeVar

from textual.css.query import NoMatches
from textual.widget import Widget

WidgetT = TypeVar("WidgetT", bound=Widget)


class KeptParts(Widget):
    """A widget that looks up a part of its own once and keeps it while it stays there (one removed, by a
    recompose or a remount, is looked up again). Listed after the widget's Textual base, as every mixed-in widget
    class (see :mod:`.recomposing`)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._parts: dict[str, Widget] = {}

    def part(self, selector: str, kind: type[WidgetT]) -> WidgetT:
        """The part ``selector`` names (the first, as ``query_one`` finds it); ``NoMatches`` when there is none."""
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

    def forget_parts(self) -> None:
        """Look every part up afresh from now on (the widget is composed anew)."""
        self._parts.clear()

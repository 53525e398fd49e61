"""One recompose at a time: a widget recomposed while an earlier recompose of it still mounts its new widgets.

Textual's ``recompose`` removes the widget's children, then mounts a fresh set. Started again before that set has
mounted, it removes widgets that are still mounting; Textual mounts nothing more into a widget being removed, so
each is left half made, and its Mount handler raises on its own parts, never mounted (a Select's label, a
table, a JSON field's area): the app closes. Widgets that recompose themselves take :class:`SerialRecompose`, listed
after their Textual base (``class Form(VerticalScroll, SerialRecompose)``): Textual takes a widget's default CSS
through its first base only.

Such a widget keeps the parts each key typed reaches (:class:`~workbench.tui.widgets.parts.KeptParts`) until its
next recompose.
"""

from __future__ import annotations

import asyncio

from workbench.tui.widgets.parts import KeptParts


class SerialRecompose(KeptParts):
    """A widget whose recomposes run one after the other, never overlapping (see the module's docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._composing = asyncio.Lock()
        self._recomposing = 0

    @property
    def recomposing(self) -> bool:
        """Whether a recompose is under way or waiting (its widgets are not all there)."""
        return self._recomposing > 0

    async def recompose(self) -> None:
        """Compose the widget afresh, after any recompose under way."""
        self._recomposing += 1
        try:
            async with self._composing:
                self.forget_parts()
                await super().recompose()
        finally:
            self._recomposing -= 1

    async def recomposed(self) -> None:
        """Wait until no recompose is under way (the widget may then be removed: nothing of it is mounting)."""
        async with self._composing:
            pass

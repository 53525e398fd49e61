"""The code editor for code conditions: Python colouring and ``inputs[...]`` key completion."""

from __future__ import annotations

from collections.abc import Callable

from workbench.editing.code_keys import KeyContext, key_context
from workbench.editing.completion import Candidate, CandidateIndex
from workbench.tui.widgets.completing_area import CompletingTextArea, Completion
from workbench.tui.widgets.highlighting import python_spans


class CodeArea(CompletingTextArea):
    """Python code over ``inputs``; typing a string subscript of ``inputs`` offers the keys that exist there.

    ``keys`` lists the candidates for a :class:`~workbench.editing.code_keys.KeyContext`.
    """

    tokenizer = staticmethod(python_spans)

    def __init__(
        self, text: str = "", *, keys: Callable[[KeyContext], list[Candidate]] | None = None, **kwargs: object
    ) -> None:
        kwargs.setdefault("soft_wrap", True)
        super().__init__(text, **kwargs)
        self.keys = keys
        self._indexes: dict[tuple[str | int, ...], CandidateIndex] = {}

    def wants_completion_after_edit(self) -> bool:
        return self.keys is not None

    def completion(self) -> Completion | None:
        if self.keys is None:
            return None
        row, column = self.cursor_location
        context = key_context(self.document.get_line(row)[:column])
        if context is None:
            return None
        index = self._indexes.get(context.keys)
        if index is None:
            index = self._indexes[context.keys] = CandidateIndex(self.keys(context))
        if not len(index):
            return None
        title = "inputs" + "".join(f"[{key!r}]" for key in context.keys)
        return Completion((row, column - context.start), context.typed, title, index)

    def close_menu(self) -> None:
        self._indexes.clear()
        super().close_menu()

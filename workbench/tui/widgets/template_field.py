"""A one-line text field with ``{{input}}``, ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates highlighted."""

from __future__ import annotations

from textual import events

from workbench.tui.widgets.highlighting import HighlightedTextArea, template_spans


class TemplateField(HighlightedTextArea):
    """A single line (Enter moves on; pasted newlines are dropped) with templates coloured.

    A line wider than the field wraps onto the rows below (up to 4 rows): a one-row text area that
    scrolled sideways drew its scroll bar over its only row, and a long URL looked blank.
    """

    DEFAULT_CSS = """
    TemplateField {
        height: auto; max-height: 4; border: none; padding: 0 1; background: $boost;
        scrollbar-size-horizontal: 0;
    }
    TemplateField:focus { border: none; background: $primary 20%; }
    """

    tokenizer = staticmethod(template_spans)

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text.replace("\n", " "), soft_wrap=True, **kwargs)

    @property
    def value(self) -> str:
        """The text, on one line."""
        return self.text.replace("\n", " ")

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.focus_next()

    async def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text or "\r" in event.text:
            event.prevent_default()
            event.stop()
            self.replace(" ".join(event.text.split()), *self.selection)

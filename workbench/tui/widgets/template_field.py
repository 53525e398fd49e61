"""A one-line text field with ``{{input}}``, ``{{env.NAME}}`` and ``{{secret.NAME}}`` templates highlighted."""

from __future__ import annotations

from textual import events

from workbench.tui.widgets.highlighting import HighlightedTextArea, template_spans


class TemplateField(HighlightedTextArea):
    """A single line (Enter moves on; pasted newlines are dropped) with templates coloured."""

    DEFAULT_CSS = """
    TemplateField { height: 1; border: none; padding: 0 1; background: $boost; }
    TemplateField:focus { border: none; background: $primary 20%; }
    """

    tokenizer = staticmethod(template_spans)

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text.replace("\n", " "), soft_wrap=False, **kwargs)

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

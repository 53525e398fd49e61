"""F1: what the focused pane is for and every key that works there (grouped by the pane that owns it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static


@dataclass
class HelpSection:
    """One pane's description and keys."""

    title: str
    text: str = ""
    keys: list[tuple[str, str]] = field(default_factory=list)


def _title_of(node: object) -> str:
    name = type(node).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).capitalize()


def help_sections(app: App[object], focused: Widget | None) -> list[HelpSection]:
    """The sections for the focused widget, innermost pane first, the app's keys last."""
    sections: dict[int, HelpSection] = {}
    order: list[int] = []
    chain: list[object] = list(focused.ancestors_with_self) if focused is not None else []
    chain = [node for node in chain if node is not app] + [app]
    for node in chain:
        text = getattr(node, "HELP", "") or ""
        if text or node is app:
            sections[id(node)] = HelpSection(_title_of(node) if node is not app else "Everywhere", text)
            order.append(id(node))
    for active in app.screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue
        owner = next((node for node in chain if node is active.node), None)
        key = id(owner) if owner is not None else id(app)
        if key not in sections:
            sections[key] = HelpSection(_title_of(active.node))
            order.append(key)
        sections[key].keys.append((app.get_key_display(binding), binding.description))
    return [sections[key] for key in order if sections[key].text or sections[key].keys]


class HelpScreen(ModalScreen[None]):
    """Keys and hints for where the focus is; any of Escape, F1 or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90; max-width: 96%; height: 90%; border: thick $primary; background: $surface; }
    HelpScreen .section-title { text-style: bold; color: $accent; margin-top: 1; padding: 0 1; }
    HelpScreen .section-text { padding: 0 1; color: $text-muted; }
    HelpScreen .keys { padding: 0 1 0 3; }
    HelpScreen .footer { dock: bottom; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss(None)", "Close")]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                for section in self.sections:
                    yield Label(section.title, classes="section-title")
                    if section.text:
                        yield Static(section.text, classes="section-text", markup=False)
                    if section.keys:
                        width = max(len(key) for key, _ in section.keys) + 2
                        lines = [f"{key:<{width}}{description}" for key, description in section.keys]
                        yield Static("\n".join(lines), classes="keys", markup=False)
            yield Static("Escape closes · Ctrl+P lists every command", classes="footer")

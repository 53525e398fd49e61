"""F1: what the focused pane is for and every key that works there (grouped by the pane that owns it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from workbench.tui.commands import binding_owner, main_screen, pane_title
from workbench.tui.keys import key_for
from workbench.visible import literal


@dataclass
class HelpSection:
    """One pane's description and keys (those it defines itself first, then those it inherits)."""

    title: str
    text: str = ""
    own_keys: list[tuple[str, str]] = field(default_factory=list)
    other_keys: list[tuple[str, str]] = field(default_factory=list)

    @property
    def keys(self) -> list[tuple[str, str]]:
        """``(key, description)`` pairs."""
        return self.own_keys + self.other_keys


def _own_actions(node: object) -> set[str]:
    """The actions a node's own class binds (not those of the classes it extends)."""
    bindings = type(node).__dict__.get("BINDINGS", ())
    return {binding.action if isinstance(binding, Binding) else binding[1] for binding in bindings}


def help_sections(app: App[Any], focused: Widget | None) -> list[HelpSection]:
    """The sections for the focused widget: its pane first, then the app's keys, then the enclosing panes."""
    sections: dict[int, HelpSection] = {}
    order: list[int] = []
    chain: list[object] = list(focused.ancestors_with_self) if focused is not None else []
    chain = [node for node in chain if binding_owner(app, node) is not app] + [app]
    for node in chain:
        text = getattr(node, "HELP", "") or ""  # key names rendered by :class:`KeyHints`
        if text or node is app:
            sections[id(node)] = HelpSection(pane_title(node) if node is not app else "Everywhere", text)
            order.append(id(node))
    main = main_screen(app)  # its keys are listed with the app's, after them (as they were when the app had them)
    for active in sorted(app.screen.active_bindings.values(), key=lambda active: active.node is main):
        binding: Binding = active.binding
        if not binding.description:
            continue
        owner = binding_owner(app, active.node)
        key = id(owner)
        if key not in sections:
            sections[key] = HelpSection(pane_title(active.node))
            order.append(key)
        own = binding.action in _own_actions(active.node) or owner is not active.node
        keys = sections[key].own_keys if own else sections[key].other_keys
        keys.append((app.get_key_display(binding), binding.description))
    if len(order) > 1:
        order.remove(id(app))
        order.insert(1, id(app))
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
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss(None)", "Close", id="help.close")]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                for section in self.sections:
                    yield Label(literal(section.title), classes="section-title")
                    if section.text:
                        yield Static(literal(section.text), classes="section-text", markup=False)
                    if section.keys:
                        width = max(len(key) for key, _ in section.keys) + 2
                        lines = [f"{key:<{width}}{description}" for key, description in section.keys]
                        yield Static(literal("\n".join(lines)), classes="keys", markup=False)
            close, palette = key_for(self.app, "help.close"), key_for(self.app, "app.command_palette")
            yield Static(literal(f"{close} closes · {palette} lists every command"), classes="footer")

"""A widget set again with what it shows is left alone: Textual lays the whole screen out after each re-set.

The mechanisms: ``Select`` (workbench/tui/widgets/fields.py, the app's only Select) sets options only when they
differ; a ``Static`` or ``Label`` is updated only through :func:`~workbench.tui.widgets.error_line.show_text` (an
AST rule below), which compares what it would draw with what it draws; ``ErrorLine`` compares itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static
from textual.widgets._select import SelectOverlay
from textual.widgets.option_list import Option

from tests.quick_pilot import quick_test
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Select
from workbench.visible import literal


class Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([(literal(name), name) for name in ("Alpha", "Beta")], id="choice")
        yield Static("", id="line")


def offered(select: Select) -> list[Option]:
    overlay = select.query_one(SelectOverlay)
    return [overlay.get_option_at_index(index) for index in range(overlay.option_count)]


async def test_options_offered_again_are_not_set_again_and_the_value_stays() -> None:
    """The run bar offers the workspace's procedures again each time one comes to the front: the same options
    (new objects, equal) keep the overlay's options and the value chosen; Textual rebuilt the list and reset the
    value (then set back by the bar), each a layout of the screen. Other options, or the same words styled
    otherwise, are set."""
    app = Bar()
    async with quick_test(app) as pilot:
        select = app.query_one("#choice", Select)
        select.value = "Beta"
        await pilot.pause()
        before = offered(select)

        select.set_options([(literal(name), name) for name in ("Alpha", "Beta")])
        await pilot.pause()
        assert all(now is then for now, then in zip(offered(select), before, strict=True))
        assert select.value == "Beta"

        select.set_options([(literal(name, "bold"), name) for name in ("Alpha", "Beta")])
        await pilot.pause()
        assert not any(now is then for now, then in zip(offered(select), before, strict=True)), "a new style not drawn"

        select.set_options([(literal(name), name) for name in ("Alpha", "Gamma")])
        await pilot.pause()
        assert [str(option.prompt) for option in offered(select)][1:] == ["Alpha", "Gamma"]


async def test_show_text_updates_a_static_only_to_new_content() -> None:
    """``show_text`` leaves a ``Static`` showing the same text (and style) alone: no layout is asked for."""
    app = Bar()
    async with quick_test(app) as pilot:
        line = app.query_one("#line", Static)
        show_text(line, literal("ready"))
        await pilot.pause()
        asked: list[bool] = []
        refresh = line.refresh

        def counting(*regions: object, layout: bool = False, **kwargs: object) -> object:
            asked.append(layout)
            return refresh(*regions, layout=layout, **kwargs)  # type: ignore[arg-type]

        line.refresh = counting  # type: ignore[assignment, method-assign]
        show_text(line, literal("ready"))
        assert asked == []
        show_text(line, literal("ready", "bold"))
        assert asked == [True]


TUI = Path(__file__).resolve().parents[2] / "workbench" / "tui"
STATICS = frozenset({"Static", "Label", "KeyText"})
"""The text widgets updated only through show_text (``ErrorLine`` compares in its own ``update``)."""
QUERIES = frozenset({"query_one", "part", "part_if_any", "tab_part"})


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _a_static(node: ast.expr) -> bool:
    """Whether ``node`` finds a text widget: ``self.query_one("#line", Static)``, ``self.part(…, Label)``."""
    return (
        isinstance(node, ast.Call)
        and _callee(node) in QUERIES
        and any(isinstance(arg, ast.Name) and arg.id in STATICS for arg in node.args)
    )


def _text(node: ast.expr) -> bool:
    """Whether ``node`` is text: a string, ``literal(…)``, ``Text(…)``, a palette's ``.text(…)``, or a name. (A
    call of a renderer of a whole pane, a ``Group``, is drawn anew: it never equals what is drawn.)"""
    return isinstance(node, ast.Constant | ast.JoinedStr | ast.Name) or (
        isinstance(node, ast.Call) and _callee(node) in {"literal", "visible", "Text", "assemble", "text"}
    )


def static_updates(source: str) -> Iterator[int]:
    """The lines of ``source`` that give text to a text widget found by a query (directly, or through a name bound
    to it in the same function) other than through show_text."""
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        bound = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and _a_static(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
                receiver = node.func.value
                found = _a_static(receiver) or (isinstance(receiver, ast.Name) and receiver.id in bound)
                if found and node.args and _text(node.args[0]):
                    yield node.lineno


def test_text_widgets_are_updated_only_through_show_text() -> None:
    found = [
        f"{path.relative_to(TUI.parents[1])}:{line}"
        for path in sorted(TUI.rglob("*.py"))
        for line in static_updates(path.read_text())
    ]
    assert found == [], "update a Static or Label with show_text(…) (same content: no layout):\n" + "\n".join(found)


def test_the_show_text_rule_finds_a_direct_update() -> None:
    source = (
        "def draw(self):\n"
        "    self.query_one('#status', Static).update(literal(text))\n"
        "    line = self.part('.title', Label)\n"
        "    line.update('ready', layout=False)\n"
        "    show_text(line, 'ready')\n"
        "    self.typed.update(values)\n"  # a dict
        "    self.query_one('#error', ErrorLine).update(literal(text))\n"  # compares itself
        "    self.query_one('#body', Static).update(render_event(event))\n"  # a pane's Group, drawn anew
        "    self.query_one('#hint', Static).update(palette(self.app).text(words, 'dim'))\n"
    )
    assert list(static_updates(source)) == [2, 4, 9]

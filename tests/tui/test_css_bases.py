"""Textual gives a widget the default CSS and type selectors of its first base's line only (the first widget class
in ``__bases__``, then that class's first, and so on). A widget that mixes in a widget class first
(``class Form(SerialRecompose, VerticalScroll)``) silently loses its container's CSS: the step form, laid out wider
than its pane, hid its step's type and half of its hints. This rule walks every widget of the TUI."""

from __future__ import annotations

import importlib
import pkgutil

from textual.dom import DOMNode

import workbench.tui


def _widget_classes() -> set[type[DOMNode]]:
    for module in pkgutil.walk_packages(workbench.tui.__path__, "workbench.tui."):
        importlib.import_module(module.name)
    found: set[type[DOMNode]] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return {cls for cls in found if cls.__module__.startswith("workbench.")}


def _first_base_line(cls: type[DOMNode]) -> list[type]:
    line: list[type] = [cls]
    while bases := [base for base in line[-1].__bases__ if issubclass(base, DOMNode)]:
        line.append(bases[0])
    return line


def _lost_css(cls: type[DOMNode]) -> list[str]:
    line = _first_base_line(cls)
    return [
        base.__qualname__
        for base in cls.__mro__
        if issubclass(base, DOMNode) and base.__dict__.get("DEFAULT_CSS") and base not in line
    ]


def test_no_widget_loses_the_default_css_of_a_base() -> None:
    lost = {cls.__qualname__: names for cls in _widget_classes() if (names := _lost_css(cls))}
    assert lost == {}, "list the Textual base first, mix-ins after it"


def test_the_rule_sees_a_mixin_listed_first() -> None:
    from textual.containers import VerticalScroll

    from workbench.tui.widgets.recomposing import SerialRecompose

    class Wrong(SerialRecompose, VerticalScroll):
        pass

    class Right(VerticalScroll, SerialRecompose):
        pass

    assert "VerticalScroll" in _lost_css(Wrong)
    assert _lost_css(Right) == []

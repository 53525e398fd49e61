"""One renderer for request templates: a rule that fails when code fills a request template another way
(``TEMPLATE.sub`` outside the renderer, or a URL template given to ``TemplateScope.text``/``value``/``pairs``
instead of ``render_url``)."""

from __future__ import annotations

import ast

from tests.source_rules import broken

RENDERERS = {"connectors/templates.py", "connectors/urls.py"}
PATTERN_BUILDERS = {"mockserver/routes.py"}
"""Modules that turn templates into match patterns: they never fill an input value."""
URL_TEMPLATES = {"url", "token_url"}
"""The model fields that hold URL templates."""


def bypasses(module: str, source: str) -> list[str]:
    """Where ``source`` (the module ``module``) fills a request template without the renderer."""
    if module in RENDERERS:
        return []
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, owner = node.func.attr, node.func.value
        if method in ("sub", "subn") and isinstance(owner, ast.Name) and owner.id == "TEMPLATE":
            if module not in PATTERN_BUILDERS:
                found.append(f"{module}:{node.lineno}: TEMPLATE.{method} fills templates outside the renderer")
        elif method in ("text", "value", "pairs") and any(
            isinstance(arg, ast.Attribute) and arg.attr in URL_TEMPLATES for arg in node.args
        ):
            found.append(f"{module}:{node.lineno}: a URL template rendered with .{method}(), not render_url")
    return found


def test_request_templates_are_filled_only_by_the_renderer() -> None:
    assert broken(bypasses) == []


def test_the_rule_finds_a_bypass() -> None:
    source = "url = scope.text(request.url)\nurl = TEMPLATE.sub(fill, token.token_url)\nscope.text(token.value)\n"
    assert bypasses("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:1: a URL template rendered with .text(), not render_url",
        "tui/widgets/x.py:2: TEMPLATE.sub fills templates outside the renderer",
    ]

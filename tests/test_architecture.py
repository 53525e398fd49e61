"""Rules with one home, guarded: each rule fails when code outside the home re-implements it, and each is shown
to find a planted violation.

- Which environment is in use: :meth:`WorkspaceSettings.environment_name` ("default, else the only one, else
  none"); no ``default_environment or …`` or ``next(iter(…environments…))`` elsewhere.
- Template scopes: built by ``TemplateScope.of`` or its factories in ``connectors/templates.py``.
- Layering: only ``workbench/tui`` imports ``workbench.tui``.
- Private Textual names (``textual._…``, ``._keymap``): only today's uses, each with its reason.
- No import circle among the package's modules, counting imports under ``TYPE_CHECKING`` and inside functions.
"""

from __future__ import annotations

import ast

from tests.source_rules import PACKAGE, broken

ENVIRONMENT_HOME = "model/workspace.py"
ENVIRONMENT_FALLBACK_ALLOWED = {
    "importing/plan.py": "an import plan's own environments (the source's first gives the imported base URL) and the "
    "default_environment it writes into workbench.json: choosing a default, not reading the one in use",
}
SCOPE_HOME = "connectors/templates.py"
TUI_IMPORT_ALLOWED = {
    "cli/open.py": "`workbench open` launches the app: the one way from the CLI into the TUI, imported lazily",
}
PRIVATE_TEXTUAL_ALLOWED = {
    ("tui/keys.py", "textual._context"): "NoActiveAppError (no active app yet) has no public import",
    ("tui/keys.py", "_keymap"): "Textual keeps no public copy of the keymap in effect: the key hints read it",
    ("tui/app.py", "_keymap"): "the palette key and set_keymap's change check read the keymap in effect",
}


def _mentions_environments(node: ast.AST) -> bool:
    return any(
        (isinstance(item, ast.Attribute) and item.attr == "environments")
        or (isinstance(item, ast.Name) and item.id == "environments")
        for item in ast.walk(node)
    )


def environment_fallbacks(module: str, source: str) -> list[str]:
    """Where ``source`` picks the environment in use itself instead of asking ``environment_name``."""
    if module == ENVIRONMENT_HOME or module in ENVIRONMENT_FALLBACK_ALLOWED:
        return []
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            if any(isinstance(value, ast.Attribute) and value.attr == "default_environment" for value in node.values):
                found.append(f"{module}:{node.lineno}: `default_environment or …` outside the model")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "next"
            and node.args
            and isinstance(inner := node.args[0], ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id == "iter"
            and _mentions_environments(inner)
        ):
            found.append(f"{module}:{node.lineno}: `next(iter(…environments…))` outside the model")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def scopes_by_hand(module: str, source: str) -> list[str]:
    """Where ``source`` builds a ``TemplateScope`` itself instead of through its factories."""
    if module == SCOPE_HOME:
        return []
    return [
        f"{module}:{node.lineno}: TemplateScope(...) built by hand: use TemplateScope.of or a factory"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "TemplateScope")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "TemplateScope")
        )
    ]


def _imported(node: ast.AST, *, members: bool = True) -> list[str]:
    """The modules an import statement names (``from a import b`` names ``a``, and ``a.b`` with ``members``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names if members)]
    return []


def tui_imports(module: str, source: str) -> list[str]:
    """Where a module outside ``tui/`` imports ``workbench.tui`` (the core never does)."""
    if module.startswith("tui/") or module in TUI_IMPORT_ALLOWED:
        return []
    return [
        f"{module}:{node.lineno}: imports workbench.tui outside workbench/tui"
        for node in ast.walk(ast.parse(source))
        if any(name == "workbench.tui" or name.startswith("workbench.tui.") for name in _imported(node))
    ]


def private_textual(module: str, source: str) -> list[str]:
    """Where ``source`` uses a private Textual name (``textual._…`` modules, ``._keymap``) not allowed yet."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        names = [
            name
            for name in _imported(node, members=False)
            if name.startswith("textual.") and any(part.startswith("_") for part in name.split(".")[1:])
        ]
        if isinstance(node, ast.Attribute) and node.attr == "_keymap":
            names.append("_keymap")
        found.extend(
            f"{module}:{node.lineno}: private Textual name {name}"
            for name in names
            if (module, name) not in PRIVATE_TEXTUAL_ALLOWED
        )
    return found


def test_the_environment_in_use_is_chosen_only_by_the_model() -> None:
    assert broken(environment_fallbacks) == []


def test_the_environment_rule_finds_a_fallback() -> None:
    source = (
        "name = settings.default_environment or next(iter(settings.environments), '')\n"
        "first = next(iter(self.settings.environments.values()))\n"
        "other = next(iter(workspace.procedures))\n"
    )
    assert environment_fallbacks("mockserver/x.py", source) == [
        "mockserver/x.py:1: `default_environment or …` outside the model",
        "mockserver/x.py:1: `next(iter(…environments…))` outside the model",
        "mockserver/x.py:2: `next(iter(…environments…))` outside the model",
    ]
    assert environment_fallbacks(ENVIRONMENT_HOME, source) == []


def test_template_scopes_are_built_only_by_their_module() -> None:
    assert broken(scopes_by_hand) == []


def test_the_scope_rule_finds_one_built_by_hand() -> None:
    source = "a = TemplateScope('C', {}, strict=False)\nb = templates.TemplateScope('C', {})\nc = TemplateScope.mock(x, {})\n"
    assert scopes_by_hand("engine/x.py", source) == [
        "engine/x.py:1: TemplateScope(...) built by hand: use TemplateScope.of or a factory",
        "engine/x.py:2: TemplateScope(...) built by hand: use TemplateScope.of or a factory",
    ]
    assert scopes_by_hand(SCOPE_HOME, source) == []


def test_only_the_tui_imports_the_tui() -> None:
    assert broken(tui_imports) == []


def test_the_layering_rule_finds_a_core_module_importing_the_tui() -> None:
    source = (
        "import workbench.tui.app\n"
        "from workbench.tui.widgets import fields\n"
        "from workbench import tui\n"
        "from workbench.tuition import x\n"
        "def f():\n    from workbench.tui import keys\n"
    )
    assert tui_imports("engine/x.py", source) == [
        "engine/x.py:1: imports workbench.tui outside workbench/tui",
        "engine/x.py:2: imports workbench.tui outside workbench/tui",
        "engine/x.py:3: imports workbench.tui outside workbench/tui",
        "engine/x.py:6: imports workbench.tui outside workbench/tui",
    ]
    assert tui_imports("tui/widgets/x.py", source) == []


def test_private_textual_names_are_only_the_allowed_ones() -> None:
    assert broken(private_textual) == []


def test_the_private_textual_rule_finds_a_new_use() -> None:
    source = (
        "from textual._context import active_app\n"
        "import textual._compositor\n"
        "keys = app._keymap\n"
        "from textual.app import App\n"
        "x = self._other\n"
    )
    assert private_textual("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:1: private Textual name textual._context",
        "tui/widgets/x.py:2: private Textual name textual._compositor",
        "tui/widgets/x.py:3: private Textual name _keymap",
    ]
    assert private_textual("tui/keys.py", "from textual._context import NoActiveAppError\nk = app._keymap\n") == []


def _module(name: str, sources: dict[str, str]) -> str | None:
    """The module of ``sources`` a dotted name is (a package's is its ``__init__``), if any."""
    return next((candidate for candidate in (name, f"{name}.__init__") if candidate in sources), None)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, anywhere in it (``TYPE_CHECKING`` blocks and functions too).

    ``sources`` maps a module's dotted name (``workbench.tui.app``; a package is its ``__init__``'s) to its text;
    ``from a import b`` names the module ``a.b`` when there is one, else ``a``."""
    graph: dict[str, set[str]] = {}
    for module, source in sources.items():
        package = module if module.endswith(".__init__") else module.rsplit(".", 1)[0]
        package = package.removesuffix(".__init__")
        named: set[str] = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                node = ast.ImportFrom(f"{base}.{node.module}" if node.module else base, node.names, 0)
            if isinstance(node, ast.ImportFrom) and node.module:  # `from a import b`: the module a.b, else a
                names = [node.module if _module(f"{node.module}.{alias.name}", sources) is None else
                         f"{node.module}.{alias.name}" for alias in node.names]  # fmt: skip
            else:
                names = _imported(node)
            named.update(found for name in names if (found := _module(name, sources)) not in (None, module))
        graph[module] = named
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a circle (strongly connected, 2 or more)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = []
            while (member := stack.pop()) != module:
                group.append(member)
            if group:
                circles.append(sorted([module, *group]))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return sorted(circles)


def _package_sources() -> dict[str, str]:
    return {
        "workbench." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_of_the_package_is_in_an_import_circle() -> None:
    assert import_circles(import_graph(_package_sources())) == []


def test_the_circle_rule_finds_one_through_type_checking_and_a_function() -> None:
    sources = {
        "workbench.tui.app": "from workbench.tui.glue import Control\n",
        "workbench.tui.glue": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from workbench.tui.app import App\n",
        "workbench.cli.__init__": "",
        "workbench.cli.a": "from workbench.cli import b\n",
        "workbench.cli.b": "def f():\n    from .a import x\n",
        "workbench.cli.c": "from workbench.cli import UsageError\nimport workbench.cli.a\n",
    }
    assert import_circles(import_graph(sources)) == [
        ["workbench.cli.a", "workbench.cli.b"],
        ["workbench.tui.app", "workbench.tui.glue"],
    ]

"""Content is never markup: an AST rule over workbench/tui finds a widget, table, tree, option or title given a
string built from content (an f-string, a variable, an attribute…) other than through
:func:`workbench.visible.literal` — the one way the app turns a user's or a server's text into something drawn.

What may reach a markup-reading place: a string literal (the app's own words), ``literal(…)``, a call of a
function of workbench/tui annotated to return a renderable (its own body is under this rule), a variable that
holds only such values, and ``a if c else b`` of those. ``Text(…)``/``Content(…)`` are built only from literals.
Notifications and titles are drawn as plain, escaped text by :class:`WorkbenchApp` itself (checked below).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from workbench.tui.app import WorkbenchApp

TUI = Path(__file__).resolve().parents[2] / "workbench" / "tui"

# Calls that read markup (or draw a str raw): the positions and keywords that carry what is drawn.
Places = tuple[int | str, ...]
"""Where content goes in a call: positions, keyword names, ``"*"`` for every positional argument."""
CONSTRUCTORS: dict[str, Places] = {
    "Static": (0, "content"),
    "Label": (0, "content"),
    "ErrorLine": (0, "text"),
    "Button": (0, "label"),
    "Checkbox": (0, "label"),
    "RadioButton": (0, "label"),
    "TabPane": (0, "title"),
    "Tab": (0, "label"),
    "Option": (0, "prompt"),
    "Collapsible": ("title",),
    "show_text": (1, "content"),  # a Static's update, skipped when it shows that already
}
METHODS: dict[str, Places] = {
    "update": (0, "content"),
    "add_row": ("*", "label"),
    "update_cell": (2, "value"),
    "add_column": (0, "label"),
    "add_columns": ("*",),
    "add": (0, "label"),  # tree nodes (a set's add or a dict's update is told apart: see _containers)
    "add_leaf": (0, "label"),
    "set_label": (0, "label"),
    "add_option": (0,),
    "set_options": ("options",),
    "write_line": (0,),
    "write_lines": (0,),
}
TEXT_METHODS: dict[str, Places] = {"append": (0, "text"), "append_text": (0,)}  # on a Text being built
OPTIONS = {"Select": (0, "options"), "OptionList": ("*",), "set_options": (0,)}
ATTRIBUTES = {"border_title", "border_subtitle", "label", "tooltip"}
BUILDERS = {"Text", "Content"}
SAFE_CALLS = {"literal", "visible", "pictured"}  # pictured: an edit field's one-for-one drawing
RENDERABLE_RETURNS = ("Text", "Content", "Group", "Table", "RenderableType", "Visual", "Renderable")


def _renderers() -> set[str]:
    """Functions of workbench/tui annotated to return something drawn: their results are safe (their bodies are
    checked by the same rule)."""
    names = set()
    for path in TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
                returned = ast.unparse(node.returns)
                if any(word in returned for word in RENDERABLE_RETURNS) and "str" not in returned.split("|"):
                    names.add(node.name)
    return names


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _containers(tree: ast.AST) -> set[str]:
    """Names (and ``self.`` attributes) a file binds to a dict, set or list: their ``add``/``update``/``append``
    are not drawing."""
    kinds = ast.Dict | ast.Set | ast.DictComp | ast.SetComp | ast.List | ast.ListComp
    names = set()
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        is_container = isinstance(value, kinds) or (
            isinstance(value, ast.Call) and _callee(value) in ("dict", "set", "list", "defaultdict", "Counter")
        )
        if isinstance(node, ast.AnnAssign):
            is_container = is_container or any(
                word in ast.unparse(node.annotation) for word in ("dict[", "set[", "list[")
            )
        if is_container and isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {_name(target) for target in targets}
    return names - {""}


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


class _Checker:
    def __init__(self, renderers: set[str]) -> None:
        self.renderers = renderers
        self.safe_names: set[str] = set()
        self.containers: set[str] = set()
        self.texts: set[str] = set()

    def safe(self, node: ast.expr | None) -> bool:
        """Whether ``node`` can only be literal words of the app or content made drawable by ``literal``."""
        match node:
            case None | ast.Constant():
                return True
            case ast.JoinedStr(values=values):
                return all(isinstance(value, ast.Constant) for value in values)
            case ast.IfExp(body=body, orelse=orelse):
                return self.safe(body) and self.safe(orelse)
            case ast.Starred(value=value):
                return self.safe(value)
            case ast.List(elts=elts) | ast.Tuple(elts=elts):
                return all(self.safe(elt) for elt in elts)
            case ast.ListComp(elt=elt) | ast.GeneratorExp(elt=elt):
                return self.safe(elt)
            case ast.Name(id=name):
                return name in self.safe_names or name.isupper()  # an UPPER_CASE constant: the app's words
            case ast.Subscript(value=ast.Name(id=name)) if name.isupper():
                return True
            case ast.Call(func=ast.Attribute(value=ast.Name() as receiver, attr=method)) if method not in (
                "format",
                "join",
                "replace",
            ) and self.safe(receiver):
                return True  # a method of a safe Text or Content (pad_right, stylize…) gives a safe one
            case ast.BinOp(op=ast.Mult(), left=ast.Constant(value=str())):
                return True  # the app's own text repeated
            case ast.Call():
                name = _callee(node)
                built = name in BUILDERS or name in ("assemble", "from_markup", "styled")  # their parts are checked
                return built or name in SAFE_CALLS or name in self.renderers
            case ast.BinOp(left=left, right=right):  # Text + Text
                return self.safe(left) and self.safe(right)
        return False

    def part_safe(self, node: ast.expr) -> bool:
        """A part of ``Text.assemble``: safe, or ``(safe, style)``."""
        if isinstance(node, ast.Tuple) and node.elts:
            return self.safe(node.elts[0])
        return self.safe(node)

    def unsafe_arguments(self, call: ast.Call, places: Places) -> Iterator[ast.expr]:
        for place in places:
            if place == "*":
                yield from (arg for arg in call.args if not self.safe(arg))
            elif isinstance(place, int):
                if len(call.args) > place and not self.safe(call.args[place]):
                    yield call.args[place]
            else:
                yield from (k.value for k in call.keywords if k.arg == place and not self.safe(k.value))

    def options_unsafe(self, node: ast.expr) -> bool:
        """Options given as ``[(prompt, value), …]``: each prompt must be safe."""
        match node:
            case ast.Tuple(elts=[prompt, *_]):
                return not self.safe(prompt)
            case ast.List(elts=elts):
                return any(self.options_unsafe(elt) for elt in elts)
            case ast.ListComp(elt=elt) | ast.GeneratorExp(elt=elt) | ast.Starred(value=elt):
                return self.options_unsafe(elt)
            case ast.BinOp(left=left, right=right):
                return self.options_unsafe(left) or self.options_unsafe(right)
            case ast.Call(func=ast.Name(id="Option")):
                return False  # checked as a constructor
        return not self.safe(node)

    def check_call(self, call: ast.Call) -> Iterator[str]:
        name = _callee(call)
        func = call.func
        if name in ("from_markup", "assemble", "styled") and isinstance(func, ast.Attribute):
            owner = ast.unparse(func.value)
            if owner in BUILDERS:
                if name == "from_markup":  # the markup itself is the app's; the values put in it are content
                    unsafe = not isinstance(call.args[0], ast.Constant)
                    unsafe |= not all(self.safe(keyword.value) for keyword in call.keywords)
                elif name == "styled":
                    unsafe = not self.safe(call.args[0])
                else:
                    unsafe = not all(self.part_safe(arg) for arg in call.args)
                if unsafe:
                    yield f"{owner}.{name}(…) of content"
            return
        if isinstance(func, ast.Name) and name in BUILDERS:
            if call.args and not self.safe(call.args[0]):
                yield f"{name}(…) of content"
            return
        if name == "notify" and any(k.arg == "markup" and ast.unparse(k.value) != "False" for k in call.keywords):
            yield "notify(markup=…)"
        if name in OPTIONS and isinstance(func, ast.Name | ast.Attribute):
            for place in OPTIONS[name]:
                args = call.args if place == "*" else call.args[place : place + 1] if isinstance(place, int) else []
                args += [k.value for k in call.keywords if k.arg == place]
                if any(self.options_unsafe(arg) for arg in args):
                    yield f"{name}(…) options"
            if name == "Select":
                return
        if isinstance(func, ast.Attribute) and _name(func.value) in self.containers:
            return
        if isinstance(func, ast.Attribute) and name == "add" and len(call.args) + len(call.keywords) < 2:
            return  # a set's add: a tree node's takes a label and its data
        places = CONSTRUCTORS.get(name) if isinstance(func, ast.Name) else METHODS.get(name)
        if isinstance(func, ast.Attribute) and _name(func.value) in self.texts:
            places = TEXT_METHODS.get(name, places)
        if places is not None:
            for _ in self.unsafe_arguments(call, places):
                yield f"{name}(…) of content"

    def check_function(self, body: list[ast.stmt]) -> Iterator[tuple[int, str]]:
        """The offences in one function (or module) body; its local names that hold only safe values are safe."""
        assigned: dict[str, list[ast.expr]] = {}
        for node in _own_nodes(body):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
                assigned.setdefault(node.target.id, []).append(node.value or ast.Constant(None))
            elif isinstance(node, ast.For | ast.comprehension):  # an item of a safe collection is safe
                for item in ast.walk(node.target):
                    if isinstance(item, ast.Name):
                        assigned.setdefault(item.id, []).append(node.iter)
            elif isinstance(node, ast.arguments):
                for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs]:
                    assigned.setdefault(arg.arg, []).append(ast.Name("?"))  # a parameter: anything
        outer, outer_texts = self.safe_names, self.texts
        self.texts = outer_texts | {
            name
            for name, values in assigned.items()
            if any(_callee(v) in BUILDERS | SAFE_CALLS for v in values if isinstance(v, ast.Call))
        }
        # Names built from names (``text = text.stylize(…)``): assume every local name safe, then drop those given
        # an unsafe value until none is left to drop.
        self.safe_names = (set(outer) - set(assigned)) | set(assigned)
        while dropped := {n for n in self.safe_names & set(assigned) if not all(map(self.safe, assigned[n]))}:
            self.safe_names -= dropped
        for node in _own_nodes(body):
            if isinstance(node, ast.Call):
                yield from ((node.lineno, offence) for offence in self.check_call(node))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in ATTRIBUTES and not self.safe(node.value):
                        yield node.lineno, f".{target.attr} = content"
        for node in _own_nodes(body, functions=True):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
                yield from self.check_function([ast.Expr(node.args), *inner])  # type: ignore[arg-type]
        self.safe_names, self.texts = outer, outer_texts


def _own_nodes(body: list[ast.stmt], *, functions: bool = False) -> Iterator[ast.AST]:
    """The nodes of ``body`` outside nested functions (with ``functions``: only those nested functions)."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        nested = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if nested and functions:
            yield node
            continue
        if not nested:
            if not functions:
                yield node
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def offences() -> list[str]:
    checker = _Checker(_renderers())
    found = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        checker.containers = _containers(tree)
        for line, offence in checker.check_function(tree.body):
            found.append(f"{path.relative_to(TUI.parents[1])}:{line}: {offence}")
    return sorted(set(found))


def test_content_reaches_markup_reading_places_only_through_literal() -> None:
    found = offences()
    assert found == [], "draw content with workbench.visible.literal(…):\n" + "\n".join(found)


def test_the_rule_finds_the_ways_content_was_drawn_as_markup() -> None:
    source = """
def f(entry, app, table, tree, error):
    Static(f"✗ {entry.name}")
    Label(entry.name)
    table.add_row("x", entry.name)
    tree.root.add_leaf(entry.name, entry)
    error.update(str(error))
    app.sub_title.border_title = entry.name
    Select([(name, name) for name in app.names])  # the prompt is drawn
    Text(entry.name)
    Text.assemble((entry.name, "bold"))
    Text.from_markup(entry.name)
    message = f"{entry.name}"
    Static(message)
    Static(literal(entry.name))
    Label("Name")
    Select([("a", "a")])
    safe = literal(entry.name)
    table.add_row(safe, literal(entry.name), "x")
"""
    checker = _Checker(set())
    lines = sorted({line for line, _ in checker.check_function(ast.parse(source).body)})
    assert lines == [*range(3, 13), 14]


def test_notifications_and_titles_are_drawn_as_plain_escaped_text() -> None:
    title = WorkbenchApp.format_title(WorkbenchApp.__new__(WorkbenchApp), "[/]\x1b]0;x\x07", "Refund [legacy]")
    assert title.plain == "[/]\\x1b]0;x\\x07 — Refund [legacy]"
    assert "\x1b" not in title.plain


def test_fields_are_the_apps_own_that_draw_control_characters_as_pictures() -> None:
    """An ``Input`` or ``TextArea`` built (or subclassed) in workbench/tui comes from workbench.tui.widgets.fields:
    Textual's own draw a file's ESC raw."""
    found = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        textual = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "textual.widgets"
            for alias in node.names
            if alias.name in ("Input", "TextArea")
        }
        for node in ast.walk(tree):
            used = [node.func] if isinstance(node, ast.Call) else node.bases if isinstance(node, ast.ClassDef) else []
            found += [
                f"{path.relative_to(TUI.parents[1])}:{getattr(node, 'lineno', 0)}"
                for name in used
                if isinstance(name, ast.Name) and name.id in textual
            ]
    assert found == [], "build fields from workbench.tui.widgets.fields:\n" + "\n".join(found)


def test_fields_draw_each_control_character_as_one_picture() -> None:
    from workbench.tui.widgets.fields import pictured

    assert pictured("Get \x1b]0;x\x07 order\x9b\udfff\x7f") == "Get ␛]0;x␇ order\ufffd\ufffd␡"

"""The rule behind row drafts (issue 22): every table of rows with a form editing the selected row is a
:class:`~workbench.tui.widgets.row_form.RowForm`, composed from the item's draft and taken by its editor's
``take_rows``; and every RowForm is tried in tests/tui/test_row_drafts.py. A new row editor that keeps what is typed
only on screen fails here. Each rule is shown to find a planted violation."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import workbench.tui.widgets
from tests.source_rules import broken
from tests.tui.test_row_drafts import ROWS
from workbench.tui.widgets.row_form import RowForm

TABLES = {"DataTable", "FittingTable"}
FIELDS = {"Input", "Select", "Checkbox", "TextArea", "JsonField", "CompletingInput", "TemplateField", "CodeArea"}
"""What composes a table, and a field typed in (a constructor's name)."""
NOT_ROWS = {
    "ScenariosPane": "the debugger's list of scenarios with a filter and a read-only explanation: no item's rows",
}


def _row_forms() -> set[type[RowForm]]:
    """Every RowForm of the widgets (their modules imported)."""
    for module in pkgutil.iter_modules(workbench.tui.widgets.__path__):
        importlib.import_module(f"workbench.tui.widgets.{module.name}")
    found, pending = set(), [RowForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.add(subclass)
            pending.append(subclass)
    return found


def _called(node: ast.AST) -> set[str]:
    """The names of what ``node`` calls (``Input(…)``, ``widgets.Input(…)``)."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else "")
    return names


def tables_with_forms(module: str, source: str) -> list[str]:
    """A class of the TUI composing a table and fields typed in is a RowForm (its rows kept as typed)."""
    if not module.startswith("tui/"):
        return []
    forms = {"RowForm"} | {form.__name__ for form in _row_forms()}
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        called = _called(node)
        bases = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases}
        if called & TABLES and called & FIELDS and not bases & forms and node.name not in NOT_ROWS:
            problems.append(f"{module}:{node.lineno}: {node.name} has a table and a form but is no RowForm")
    return problems


def row_forms_unkept(module: str, source: str) -> list[str]:
    """An editor composing a RowForm gives it the item's draft (``draft=``) and takes its rows (``take_rows``)."""
    if not module.startswith("tui/"):
        return []
    forms = {form.__name__ for form in _row_forms()}
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)}
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in forms:
                where = f"{module}:{call.lineno}: {node.name} composes {call.func.id}"
                if not any(keyword.arg == "draft" for keyword in call.keywords):
                    problems.append(f"{where} without the item's draft")
                if "take_rows" not in methods:
                    problems.append(f"{where} and takes no rows (take_rows)")
    return problems


def test_every_table_with_a_form_keeps_its_rows_as_typed() -> None:
    assert broken(tables_with_forms) == []


def test_every_row_form_is_composed_from_its_draft_and_taken() -> None:
    assert broken(row_forms_unkept) == []


def test_every_row_form_is_tried_with_a_row_it_refuses() -> None:
    tried = {row[0] for row in ROWS}
    assert {form.__name__ for form in _row_forms() - tried} == set()


def test_the_rules_find_a_table_kept_only_on_screen() -> None:
    source = (
        "class Pairs(Vertical):\n"
        "    def compose(self):\n"
        "        yield FittingTable()\n"
        "        yield Input(id='key')\n"
        "class Editor(EntryEditor):\n"
        "    def compose_body(self):\n"
        "        yield GroupedValues([], labels=('a', 'b', 'c'), new_row=('a', 'b', ''))\n"
    )
    assert tables_with_forms("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:1: Pairs has a table and a form but is no RowForm"
    ]
    assert row_forms_unkept("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:7: Editor composes GroupedValues without the item's draft",
        "tui/widgets/x.py:7: Editor composes GroupedValues and takes no rows (take_rows)",
    ]

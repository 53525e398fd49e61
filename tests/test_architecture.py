"""Rules with one home, guarded: each rule fails when code outside the home re-implements it, and each is shown
to find a planted violation.

- Which environment is in use: :meth:`WorkspaceSettings.environment_name` ("default, else the only one, else
  none"); no ``default_environment or …`` or ``next(iter(…environments…))`` elsewhere.
- Template scopes: built by ``TemplateScope.of`` or its factories in ``connectors/templates.py``.
- Sandbox limits: built from a workspace's limits by ``SandboxLimits.of`` (in ``sandbox/``), never by hand.
- Transformed samples: a connector's sample (``Connector.sample``) goes through its transform only in
  ``connectors/samples.py``; ``engine/calls.py`` transforms the responses that arrive in a run.
- Layering: only ``workbench/tui`` imports ``workbench.tui``.
- Private Textual names (``textual._…`` modules, the ``_…`` names Textual defines and the package does not, and
  any ``super()._…`` into Textual): only where Textual has no public way, each with its reason; the suite's pilot
  (``tests/quick_pilot.py``) is held to the same rule.
- Kinds: code that treats step kinds or branch-test kinds differently asks the registries
  (:mod:`workbench.model.kinds`, the engine's performers, the form's builders); ``isinstance`` on a kind's class
  (or a ``case`` pattern, or ``type(…) is``; also through a name bound to kind classes, here or in another module)
  only where allowed.
- Fields: ``Select``, ``Input`` and ``TextArea`` come from ``tui/widgets/fields.py`` (drawing control characters as
  pictures, surviving a removal before mount), never straight from Textual.
- No import circle among the package's modules, counting imports under ``TYPE_CHECKING`` and inside functions.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

import textual

from tests.source_rules import PACKAGE, broken, nodes, package_sources
from workbench.model.kinds import STEP_KINDS, WHEN_KINDS

TEXTUAL = Path(textual.__file__).parent

ENVIRONMENT_HOME = "model/workspace.py"
ENVIRONMENT_FALLBACK_ALLOWED = {
    "importing/plan.py": "an import plan's own environments (the source's first gives the imported base URL) and the "
    "default_environment it writes into workbench.json: choosing a default, not reading the one in use",
}
SCOPE_HOME = "connectors/templates.py"
SANDBOX_HOME = "sandbox/"
TRANSFORM_ALLOWED = {
    "connectors/samples.py": "the one home of transformed samples",
    "engine/calls.py": "a response that arrived in a run (live, mock or scenario), not a sample",
}
TUI_IMPORT_ALLOWED = {
    "cli/open.py": "`workbench open` launches the app: the one way from the CLI into the TUI, imported lazily",
}
PRIVATE_TEXTUAL_ALLOWED = {
    ("tui/app.py", "_handle_exception"): "no public hook runs on an unhandled exception before Textual ends the app: "
    "the unsaved edits and the traceback are kept there first",
    ("tui/focus.py", "_pruning"): "no public flag says a widget is being removed (attached until it is gone; Textual's "
    "own signals read this one): a focus there would be lost",
    ("tui/widgets/fields.py", "_value"): "Input draws its value from this property and has no public hook to draw it "
    "otherwise: the control characters are drawn as pictures there",
    ("tui/widgets/fitting_table.py", "_update_column_widths"): "no public hook or message when DataTable widens a "
    "column, and rows drawn before keep the old width until the caches go",
    ("tui/widgets/fitting_table.py", "_clear_caches"): "no public way to drop DataTable's rendered rows (see above)",
    ("tui/widgets/title_bar.py", "textual.widgets._header"): "Header composes its title from this module's "
    "classes and has no public way to update the title without laying out the whole screen",
    (
        "tui/widgets/highlighting.py",
        "_line_cache",
    ): "TextArea keeps rendered lines with their colours and has no public "
    "way to drop them when the marks (not the text) change",
    **{
        ("tests/quick_pilot.py", name): f"the suite's pilot: {reason}"
        for name, reason in {
            "textual._queue": "a pump's message queue is of this class: its getter's waiters tell a pump waiting for "
            "its next message (idle) from one handling one",
            "_message_queue": "no public way to tell whether a widget has a message queued",
            "_pending_message": "no public way to tell whether a widget is handling a message",
            "_next_callbacks": "no public way to tell whether a widget has callbacks due after its current message",
            "_exception_event": "what Textual's own pilot waits on to stop waiting when the app met an exception",
            "_wait_for_screen": "Textual's pilot waits for the screen here, after a press or a pause and before each "
            "mouse event: overridden to ask only the widgets with work",
            "_on_timer_update": "the screen's refresh (lay out, draw, queue the after-refresh callbacks), called at "
            "once instead of a frame later, as Textual's own pilot calls it after a pause",
            "_animations": "no public way to ask the animator whether it animates without waiting for it",
            "_character_to_key": "Textual's pilot turns a pressed character into its key name with it",
            "_get_unicode_name_from_key": "Textual's pilot finds a pressed key's character with it",
            "_timers": "no public list of a widget's timers, to wait for the one-shot ones due soon",
            "_active": "no public way to tell a paused timer (it never fires) from a running one",
            "_repeat": "no public way to tell a one-shot timer (set_timer) from an interval",
        }.items()
    },
}
HARNESS = ("tests/quick_pilot.py",)
"""Modules of the tests that use Textual's internals too: the private-names rule covers them as the package."""

KIND_CLASSES = frozenset(kind.model.__name__ for registry in (STEP_KINDS, WHEN_KINDS) for kind in registry.values())
"""The classes of the step kinds and the branch-test kinds."""
KIND_ISINSTANCE_ALLOWED = {
    "model/kinds.py": "the registries themselves: as_kind, steps_of, tests_of and branches_of narrow a step or a test "
    "to one kind (given by its class) for the code that needs that kind's fields",
}
FIELDS_HOME = "tui/widgets/fields.py"
FIELDS = frozenset({"Select", "Input", "TextArea"})
FIELDS_ALLOWED = {
    "tui/app.py": "Ctrl+A selects all in any text field, Textual's own (the command palette's) too: isinstance only",
}


def _line(node: ast.AST) -> int:
    """The line of ``node`` (statements and expressions have one; a module does not)."""
    return getattr(node, "lineno", 0)


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
    for node in nodes(source):
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
        for node in nodes(source)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "TemplateScope")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "TemplateScope")
        )
    ]


def _called(node: ast.AST) -> str:
    """The name a call calls (``f(…)``, ``x.f(…)``: ``f``), or ``""``."""
    if not isinstance(node, ast.Call):
        return ""
    return (
        node.func.id
        if isinstance(node.func, ast.Name)
        else node.func.attr
        if isinstance(node.func, ast.Attribute)
        else ""
    )


def samples_by_hand(module: str, source: str) -> list[str]:
    """Where ``source`` builds sandbox limits, runs a transform or picks a connector's sample itself."""
    if module.startswith(SANDBOX_HOME):
        return []
    found: list[str] = []
    for node in nodes(source):
        called = _called(node)
        if called == "SandboxLimits":
            found.append(f"{module}:{_line(node)}: SandboxLimits(...) built by hand: use SandboxLimits.of(limits)")
        elif called in ("transform", "transform_async") and module not in TRANSFORM_ALLOWED:
            found.append(f"{module}:{_line(node)}: a transform run by hand: use connectors.samples")
        elif (
            isinstance(node, ast.BoolOp)
            and any(isinstance(value, ast.Attribute) and value.attr == "example" for value in node.values)
            and any(isinstance(item, ast.Attribute) and item.attr == "rules" for item in ast.walk(node))
        ):
            found.append(f"{module}:{node.lineno}: a connector's sample picked by hand: use Connector.sample()")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


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
        f"{module}:{_line(node)}: imports workbench.tui outside workbench/tui"
        for node in nodes(source)
        if any(name == "workbench.tui" or name.startswith("workbench.tui.") for name in _imported(node))
    ]


def _defined_names(trees: Iterable[Iterable[ast.AST]]) -> frozenset[str]:
    """The private names (``_x``, not ``__x__``) modules define (each given as its nodes): functions, classes,
    attributes and variables they set."""
    names: set[str] = set()
    for tree in trees:
        for node in tree:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return frozenset(name for name in names if name.startswith("_") and not name.endswith("__"))


@functools.cache
def textual_private_names() -> tuple[frozenset[str], frozenset[str]]:
    """Textual's private names, and those the package defines too (a use of one of these may be the package's)."""
    textual_trees = (ast.walk(ast.parse(path.read_text(encoding="utf-8"))) for path in TEXTUAL.rglob("*.py"))
    return _defined_names(textual_trees), _defined_names(nodes(source) for _, source in package_sources())


def _is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def private_textual(module: str, source: str) -> list[str]:
    """Where ``source`` uses a private Textual name not allowed: a ``textual._…`` module, an ``_x`` that Textual
    defines and the package does not, or ``super()._x`` into a Textual class."""
    textuals, own = textual_private_names()
    found: list[str] = []
    for node in nodes(source):
        names = [
            name
            for name in _imported(node, members=False)
            if name.startswith("textual.") and any(part.startswith("_") for part in name.split(".")[1:])
        ]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual."):
            names.extend(alias.name for alias in node.names if alias.name.startswith("_"))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in textuals
            and (node.attr not in own or _is_super(node.value))
            and node.attr not in names
        ):
            names.append(node.attr)
        found.extend(
            f"{module}:{_line(node)}: private Textual name {name}"
            for name in names
            if (module, name) not in PRIVATE_TEXTUAL_ALLOWED
        )
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def _kind_checked(node: ast.AST) -> ast.AST | None:
    """What ``node`` tests a value's class against: ``isinstance(x, C)``, ``case C()``, ``type(x) is C``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "issubclass"):
        return node.args[1] if len(node.args) == 2 else None
    if isinstance(node, ast.MatchClass):
        return node.cls
    if (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Call)
        and isinstance(node.left.func, ast.Name)
        and node.left.func.id == "type"
    ):
        return ast.Tuple(elts=node.comparators)
    return None


_WHOLE_REGISTRIES = (
    frozenset(kind.model.__name__ for kind in STEP_KINDS.values()),
    frozenset(kind.model.__name__ for kind in WHEN_KINDS.values()),
)
"""Every step kind, every branch-test kind: testing against all of them (``AnyStep``) tells no kind apart."""


def _last_name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _kinds_held(node: ast.expr, known: dict[str, frozenset[str]]) -> frozenset[str]:
    """The kind classes a class expression holds: a kind's class, a name bound to some (``known``, by its last
    part: ``KINDS`` or ``kinds.KINDS``), a tuple, list or set of them, a union ``A | B``, ``frozenset((…))``."""
    name = _last_name(node)
    if name is not None:
        return frozenset({name} & KIND_CLASSES) | known.get(name, frozenset())
    if isinstance(node, ast.Starred):
        return _kinds_held(node.value, known)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return frozenset().union(*(_kinds_held(item, known) for item in node.elts))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _kinds_held(node.left, known) | _kinds_held(node.right, known)
    if isinstance(node, ast.Call) and _last_name(node.func) in ("tuple", "frozenset", "set") and len(node.args) == 1:
        return _kinds_held(node.args[0], known)
    return frozenset()


def kind_tuples(source: str, known: dict[str, frozenset[str]] | None = None) -> dict[str, frozenset[str]]:
    """The names ``source`` binds to kind classes (``KINDS = (InstructionStep, CollectStep)``, ``A = B | C``), each
    with the kinds it holds, ``known`` ones included (bound elsewhere); a name bound to every kind of a registry
    (``AnyStep``) tells no kind apart and is left out."""
    found = dict(known or {})
    bindings = [
        (target.id, node.value)
        for node in nodes(source)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    ]
    while True:  # until no binding adds a kind (a name may be bound through another)
        grown = False
        for name, value in bindings:
            held = _kinds_held(value, found) | found.get(name, frozenset())
            if held != found.get(name, frozenset()):
                found[name], grown = held, True
        if not grown:
            return {name: held for name, held in found.items() if held not in _WHOLE_REGISTRIES}


@functools.cache
def _package_kind_tuples() -> dict[str, frozenset[str]]:
    """The names any module of the package binds to kind classes (to find ``kinds.SOME_STEPS`` used elsewhere)."""
    found: dict[str, frozenset[str]] = {}
    for _, source in package_sources():
        found = kind_tuples(source, found)
    return found


def kind_isinstance(module: str, source: str, elsewhere: dict[str, frozenset[str]] | None = None) -> list[str]:
    """Where ``source`` tests a value against a step kind's or branch-test kind's class outside the allowed places,
    directly or through a name bound to kind classes here or in another module (``elsewhere``: the package's)."""
    if module in KIND_ISINSTANCE_ALLOWED:
        return []
    known = kind_tuples(source, _package_kind_tuples() if elsewhere is None else elsewhere)
    found: list[str] = []
    for node in nodes(source):
        checked = _kind_checked(node)
        kinds = sorted(_kinds_held(checked, known)) if isinstance(checked, ast.expr) else []
        if kinds:
            found.append(f"{module}:{_line(node)}: tests the kind {', '.join(kinds)}: ask the kinds registry instead")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def textual_fields(module: str, source: str) -> list[str]:
    """Where a module of the app imports ``Select``, ``Input`` or ``TextArea`` from Textual rather than from
    ``tui/widgets/fields.py``."""
    if not module.startswith("tui/") or module == FIELDS_HOME or module in FIELDS_ALLOWED:
        return []
    found: list[str] = []
    for node in nodes(source):
        if isinstance(node, ast.ImportFrom) and node.module in ("textual.widgets", "textual.widgets._select"):
            found += [
                f"{module}:{node.lineno}: {alias.name} from Textual" for alias in node.names if alias.name in FIELDS
            ]
        elif isinstance(node, ast.Attribute) and node.attr in FIELDS and _names_textual_widgets(node.value):
            found.append(f"{module}:{node.lineno}: {node.attr} from Textual")
    return sorted(found, key=lambda problem: int(problem.split(":")[1]))


def _names_textual_widgets(node: ast.expr) -> bool:
    """Whether ``node`` is ``widgets`` or ``textual.widgets`` (``widgets.Select``, ``textual.widgets.Input``)."""
    if isinstance(node, ast.Name):
        return node.id == "widgets"
    return isinstance(node, ast.Attribute) and node.attr == "widgets" and isinstance(node.value, ast.Name)


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


def test_sandbox_limits_and_transformed_samples_have_one_home() -> None:
    assert broken(samples_by_hand) == []


def test_the_samples_rule_finds_them_by_hand() -> None:
    source = (
        "limits = SandboxLimits(timeout_s=l.sandbox_timeout_s, memory_mb=l.sandbox_memory_mb)\n"
        "sample = response.example or (response.rules[0].response if response.rules else None)\n"
        "payload = transform(code, sample.body, sample.status, dict(sample.headers), limits)\n"
        "later = await sandbox.transform_async(code, body, 200, {}, limits)\n"
        "fine = SandboxLimits.of(settings.limits), connector.sample(), response.example or MockResponse()\n"
    )
    assert samples_by_hand("cli/x.py", source) == [
        "cli/x.py:1: SandboxLimits(...) built by hand: use SandboxLimits.of(limits)",
        "cli/x.py:2: a connector's sample picked by hand: use Connector.sample()",
        "cli/x.py:3: a transform run by hand: use connectors.samples",
        "cli/x.py:4: a transform run by hand: use connectors.samples",
    ]
    assert samples_by_hand("engine/calls.py", source) == [
        "engine/calls.py:1: SandboxLimits(...) built by hand: use SandboxLimits.of(limits)",
        "engine/calls.py:2: a connector's sample picked by hand: use Connector.sample()",
    ]
    assert samples_by_hand("sandbox/api.py", source) == []


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


def _source(module: str) -> str:
    """The text of a module of the package (``tui/app.py``) or of :data:`HARNESS` (``tests/quick_pilot.py``)."""
    return (PACKAGE.parent / module if module in HARNESS else PACKAGE / module).read_text(encoding="utf-8")


def test_private_textual_names_are_only_the_allowed_ones() -> None:
    assert broken(private_textual) == []
    assert [problem for module in HARNESS for problem in private_textual(module, _source(module))] == []
    used = {
        (module, name)
        for module, name in PRIVATE_TEXTUAL_ALLOWED
        if any(f"private Textual name {name}" in problem for problem in private_textual("", _source(module)))
    }
    assert set(PRIVATE_TEXTUAL_ALLOWED) - used == set(), "allowed but no longer used: shrink the allow-list"


def test_the_private_textual_rule_finds_a_new_use() -> None:
    source = (
        "from textual._context import active_app\n"
        "import textual._compositor\n"
        "keys = app._keymap\n"
        "from textual.app import App\n"
        "x = self._other\n"
        "gone = widget._pruning or table._clear_caches()\n"
        "super()._handle_exception(error)\n"
        "own = self._reload()\n"
        "mine = super()._no_such_textual_name()\n"
        "from textual.keys import REPLACED_KEYS, _character_to_key\n"
    )
    assert private_textual("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:1: private Textual name textual._context",
        "tui/widgets/x.py:2: private Textual name textual._compositor",
        "tui/widgets/x.py:3: private Textual name _keymap",
        "tui/widgets/x.py:6: private Textual name _pruning",
        "tui/widgets/x.py:6: private Textual name _clear_caches",
        "tui/widgets/x.py:7: private Textual name _handle_exception",
        "tui/widgets/x.py:10: private Textual name _character_to_key",
    ]
    assert private_textual("tui/focus.py", "gone = widget._pruning\n") == []


def test_kinds_are_told_apart_only_by_the_registries() -> None:
    assert broken(kind_isinstance) == []


def test_the_kind_rule_finds_a_class_test_outside_the_registries() -> None:
    source = (
        "if isinstance(step, CodeStep):\n    pass\n"
        "both = isinstance(when, (model.CodeWhen, AttributeWhen))\n"
        "match step:\n    case EndStep(): pass\n"
        "same = type(step) is ConditionStep\n"
        "fine = isinstance(value, dict) or type(value) is list\n"
    )
    assert kind_isinstance("lint/x.py", source) == [
        "lint/x.py:1: tests the kind CodeStep: ask the kinds registry instead",
        "lint/x.py:3: tests the kind AttributeWhen, CodeWhen: ask the kinds registry instead",
        "lint/x.py:5: tests the kind EndStep: ask the kinds registry instead",
        "lint/x.py:6: tests the kind ConditionStep: ask the kinds registry instead",
    ]
    assert kind_isinstance("model/kinds.py", source) == []


def test_the_kind_rule_finds_a_class_test_through_a_name_bound_to_kinds() -> None:
    """A tuple of kinds in a variable of the module, or of another module read as an attribute, is the same test."""
    elsewhere = kind_tuples("ERROR_PATH_STEPS = frozenset({SubprocedureStep}) | {CodeStep}\nANY = AnyStep\n")
    source = (
        "KINDS = (InstructionStep, CollectStep)\n"
        "MORE = (*KINDS, model.EndStep)\n"
        "if isinstance(step, KINDS):\n    pass\n"
        "stops = isinstance(step, MORE)\n"
        "failing = isinstance(step, kinds.ERROR_PATH_STEPS)\n"
        "fine = isinstance(step, AnyStep) or isinstance(value, (dict, list))\n"
    )
    assert kind_isinstance("engine/x.py", source, elsewhere) == [
        "engine/x.py:3: tests the kind CollectStep, InstructionStep: ask the kinds registry instead",
        "engine/x.py:5: tests the kind CollectStep, EndStep, InstructionStep: ask the kinds registry instead",
        "engine/x.py:6: tests the kind CodeStep, SubprocedureStep: ask the kinds registry instead",
    ]


def test_fields_come_only_from_the_fields_module() -> None:
    assert broken(textual_fields) == []


def test_the_fields_rule_finds_one_from_textual() -> None:
    source = (
        "from textual.widgets import Label, Select\n"
        "from textual.widgets import Input as Box, TextArea\n"
        "from textual import widgets\n"
        "x = widgets.Select([])\n"
        "y = textual.widgets.TextArea()\n"
        "from workbench.tui.widgets.fields import Input, Select\n"
    )
    assert textual_fields("tui/widgets/x.py", source) == [
        "tui/widgets/x.py:1: Select from Textual",
        "tui/widgets/x.py:2: Input from Textual",
        "tui/widgets/x.py:2: TextArea from Textual",
        "tui/widgets/x.py:4: Select from Textual",
        "tui/widgets/x.py:5: TextArea from Textual",
    ]
    assert textual_fields(FIELDS_HOME, source) == []
    assert textual_fields("cli/x.py", source) == []


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
        for node in nodes(source):
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
    return {"workbench." + ".".join(Path(module).with_suffix("").parts): source for module, source in package_sources()}


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

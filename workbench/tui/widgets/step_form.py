"""The selected step's (or branch's) fields: its text with the ``@`` menu, its test, its options, its problems."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from workbench.editing import operations as ops
from workbench.editing.code_keys import KeyContext
from workbench.editing.code_outputs import format_outputs, parse_outputs
from workbench.editing.completion import Candidate, MentionIndexes
from workbench.editing.operations import Change
from workbench.editing.rename import STEP_ID_CHARACTERS, STEP_ID_RULE
from workbench.lint import Finding
from workbench.model import (
    AnyStep,
    AttributeWhen,
    CodeStep,
    CodeWhen,
    CollectStep,
    ConditionStep,
    DescribeWhen,
    EndStep,
    InstructionStep,
    Procedure,
    SubprocedureStep,
)
from workbench.model.kinds import WHEN_KINDS, as_kind, branch_when, branches_of, require_every_kind, when_kind
from workbench.tui.focus import give_focus
from workbench.tui.widgets.code_area import CodeArea
from workbench.tui.widgets.code_try import CodeTry, TrialSources
from workbench.tui.widgets.error_line import ErrorLine, show_text
from workbench.tui.widgets.fields import Input, Select, TextArea
from workbench.tui.widgets.inputs_editor import parse_default
from workbench.tui.widgets.mention_area import MentionArea
from workbench.tui.widgets.recomposing import SerialRecompose
from workbench.tui.widgets.step_outline import OutlineRef
from workbench.visible import literal

OPS = ("equals", "not_equals", "contains", "greater_than", "less_than", "is_set", "is_not_set")


class FormSources:
    """What the form needs from outside: completion candidates and names to choose from, for one procedure."""

    def __init__(
        self,
        mention_indexes: Callable[[str], MentionIndexes],
        code_keys: Callable[[str, KeyContext], list[Candidate]],
        attribute_paths: Callable[[str], list[str]],
        procedure_names: Callable[[], list[str]],
        perform: Callable[[Change, Hashable], str | None],
        rename_step: Callable[[str, str], Change],
        trial: TrialSources | None = None,
        *,
        keep_typed: Callable[[str, str, str | None, Hashable], None],
        shown_text: Callable[[str, str], str],
    ) -> None:
        """Each callable takes the step id it is asked for (except ``procedure_names``). ``perform`` applies a
        field edit (those with the same key undo together) and returns why it was refused; ``rename_step`` is
        the operation renaming a step and every reference to it; ``keep_typed`` and ``shown_text`` keep a
        one-line field's text that is not a value as a draft of the procedure, and show it (see
        :meth:`~workbench.tui.widgets.entry_editor.EntryEditor.keep_typed`)."""
        self.mention_indexes = mention_indexes
        self.code_keys = code_keys
        self.attribute_paths = attribute_paths
        self.procedure_names = procedure_names
        self.perform = perform
        self.rename_step = rename_step
        self.keep_typed = keep_typed
        self.shown_text = shown_text
        self.trial = trial
        """What a code step's Try panel needs (no panel without it)."""


class StepForm(VerticalScroll, SerialRecompose):
    """Edits what the outline has selected: every change is an operation performed through ``sources``."""

    HELP: ClassVar[str] = (
        "The selected step. In instruction text, type @ to call a data connector or read an attribute "
        '(↑↓ choose, Enter/Tab insert, Esc close). In code conditions, typing inputs["temporary"][" '
        "offers the keys that exist there."
    )

    DEFAULT_CSS = """
    StepForm { height: 1fr; padding: 0 1; }
    StepForm .row { height: 1; margin-bottom: 1; }
    StepForm .row > Label { width: 12; }
    StepForm .row > Input { width: 1fr; min-width: 14; }  /* the id stays readable on a narrow terminal */
    StepForm .row > .step-type { width: auto; color: $text-muted; }
    StepForm .row > Select { width: 1fr; }
    StepForm MentionArea { height: 8; min-height: 4; }
    StepForm CodeArea { height: 6; }
    StepForm .hint { color: $text-muted; height: auto; margin-bottom: 1; }
    StepForm .problems { height: auto; }
    StepForm .problems .error { color: $text-error; }
    StepForm .problems .warning { color: $text-warning; }
    """

    class Action(Message):
        """A button asking the outline to act: ``toggle-error``, ``add-branch`` or ``remove-branch``."""

        def __init__(self, form: StepForm, action: str) -> None:
            super().__init__()
            self.form = form
            self.action = action

    def __init__(self, procedure: Procedure, sources: FormSources, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.procedure = procedure
        self.sources = sources
        self.ref: OutlineRef | None = None
        self.findings: Sequence[Finding] = ()
        self._shown_findings: tuple[Widget, list[Finding]] | None = None
        self._held: list[str] | None = None

    # -- composing ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ref = self.ref
        if ref is None or (ref.step_id is None and ref.slot is None):
            yield Static("No step selected. Press a in the outline to add one.", classes="hint")
            return
        if ref.step_id is not None:
            step = self.procedure.step(ref.step_id)
            if step is None:
                return
            yield from self._compose_step(step)
        elif ref.slot is not None:
            yield from self._compose_slot(ref)
        yield ErrorLine(id="form-error")
        yield VerticalScroll(classes="problems")

    def _compose_step(self, step: AnyStep) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Step id")
            restrict = STEP_ID_CHARACTERS if re.fullmatch(STEP_ID_CHARACTERS, step.id) else None
            yield Input(
                self._shown(step.id, "id", step.id), id="step-id", restrict=restrict, refusal=STEP_ID_RULE, compact=True
            )
            yield Label(literal(f" {step.type}"), classes="step-type")
        yield from STEP_FORMS[step.type](self, step)

    def _compose_instruction(self, step: InstructionStep) -> ComposeResult:
        yield Static(
            "What the agent does and says. Type @ to call a data connector or read an attribute.",
            classes="hint",
        )
        yield MentionArea(step.text, id="text", indexes=self._mention_indexes)
        label = "Remove error path" if step.on_error is not None else "Add error path"
        yield Button(label, id="toggle-error", compact=True)

    def _compose_condition(self, step: ConditionStep) -> ComposeResult:
        count = len(step.branches)
        yield Static(
            literal(
                f"{count} branch{'es' if count != 1 else ''}, tried in order, then else. Select a branch in the "
                "outline to edit its test; b adds one."
            ),
            classes="hint",
        )
        yield Button("Add branch", id="add-branch", compact=True)

    def _compose_collect(self, step: CollectStep) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Attribute")
            yield Input(
                self._shown(step.id, "attribute", step.attribute),
                id="collect-attribute",
                compact=True,
                placeholder="Conversation > order_id",
            )
        with Horizontal(classes="row"):
            yield Label("Prompt")
            yield Input(
                self._shown(step.id, "prompt", step.prompt),
                id="collect-prompt",
                compact=True,
                placeholder="What is your order number?",
            )
        with Horizontal(classes="row"):
            yield Label("Value type")
            yield Select(
                [(kind, kind) for kind in ("string", "number", "integer", "boolean")],
                value=step.value_type,
                allow_blank=False,
                id="collect-type",
                compact=True,
            )

    def _compose_subprocedure(self, step: SubprocedureStep) -> ComposeResult:
        names = [name for name in self.sources.procedure_names() if name != self.procedure.name]
        if step.procedure and step.procedure not in names:
            names.append(step.procedure)
        with Horizontal(classes="row"):
            yield Label("Procedure")
            yield Select(
                [(literal(name), name) for name in names],
                value=step.procedure or Select.NULL,
                id="subprocedure",
                compact=True,
                prompt="choose a procedure",
            )
        yield Static("Runs that procedure here; the context is shared both ways.", classes="hint")

    def _compose_end(self, step: EndStep) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Outcome")
            yield Select(
                [(kind, kind) for kind in ("resolved", "handoff", "escalated")],
                value=step.outcome,
                allow_blank=False,
                id="end-outcome",
                compact=True,
            )
        with Horizontal(classes="row"):
            yield Label("Message")
            yield Input(self._shown(step.id, "message", step.message or ""), id="end-message", compact=True)

    def _compose_code(self, step: CodeStep) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Name")
            yield Input(self._shown(step.id, "name", step.name), id="code-name", compact=True, placeholder="Refund")
        yield Static(_code_hint(step), id="code-hint", classes="hint")
        yield CodeArea(step.code, id="code", keys=self._code_keys)
        with Horizontal(classes="row"):
            yield Label("Outputs")
            yield Input(
                self._shown(step.id, "outputs", format_outputs(step.outputs)),
                id="code-outputs",
                compact=True,
                placeholder="optional: amount: number, detail > cents: integer",
            )
        label = "Remove error path" if step.on_error is not None else "Add error path"
        yield Button(label, id="toggle-error", compact=True)
        if self.sources.trial is not None:
            yield CodeTry(step, self.sources.trial, id="code-try")

    def _compose_slot(self, ref: OutlineRef) -> ComposeResult:
        slot = ref.slot
        assert slot is not None and slot.owner is not None
        owner = self.procedure.step(slot.owner)
        when = branch_when(owner, slot.branch) if owner is not None and slot.part == "branch" else None
        if owner is None or when is None:
            text = "Steps run when no branch holds." if slot.part == "else" else "Steps run when a call fails."
            yield Static(literal(f"{text} Press a in the outline to add a step here."), classes="hint")
            return
        yield Static(
            literal(f"Branch {slot.branch + 1} of {owner.id}: its steps run when this test holds."), classes="hint"
        )
        with Horizontal(classes="row"):
            yield Label("Test")
            yield Select(
                [(literal(kind.label), kind.name) for kind in WHEN_KINDS.values()],
                value=when_kind(when).name,
                allow_blank=False,
                id="when-kind",
                compact=True,
            )
        yield from WHEN_FORMS[when_kind(when).name](self, owner.id, when)
        yield Button("Remove branch", id="remove-branch", compact=True, variant="error")

    def _compose_describe_when(self, owner: str, when: DescribeWhen) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Describe")
            yield Input(
                self._shown(owner, self._branch_path("describe") or "", when.describe),
                id="when-describe",
                compact=True,
                placeholder="the customer says the parcel arrived damaged",
            )

    def _compose_code_when(self, owner: str, when: CodeWhen) -> ComposeResult:
        yield Static(
            'Python over inputs, e.g. len(inputs["temporary"]["Get orders"]["items"]) >= 4',
            classes="hint",
            markup=False,
        )
        yield CodeArea(when.code, id="when-code", keys=self._code_keys)

    def _compose_attribute_when(self, owner: str, when: AttributeWhen) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Attribute")
            yield Input(
                self._shown(owner, self._branch_path("attribute") or "", when.attribute),
                id="when-attribute",
                compact=True,
                suggester=SuggestFromList(self.sources.attribute_paths(owner), case_sensitive=False),
            )
        with Horizontal(classes="row"):
            yield Label("Operator")
            yield Select([(op, op) for op in OPS], value=when.op, allow_blank=False, id="when-op", compact=True)
        with Horizontal(classes="row"):
            yield Label("Value")
            value = "" if when.value is None else json.dumps(when.value)
            value = self._shown(owner, self._branch_path("value") or "", value)
            yield Input(value, id="when-value", compact=True, placeholder='JSON, e.g. "cancelled" or 3')

    def _mention_indexes(self) -> MentionIndexes:
        """The ``@`` menu's candidates at the step shown now (asked when the menu opens: the step may have been
        renamed since the form was drawn)."""
        return self.sources.mention_indexes(self.owner_id or "")

    def _code_keys(self, context: KeyContext) -> list[Candidate]:
        """The ``inputs[...]`` keys offered at the step shown now (or the step owning the branch shown)."""
        return self.sources.code_keys(self.owner_id or "", context)

    def _follow_step(self) -> None:
        """After an edit made in the form (which is not redrawn, to keep the caret), bring what it shows about the
        step beside the edited field in line with the model: a code step's hint names its outputs' root, its Try
        panel runs its code as it is now, with a field per attribute that code reads."""
        step = as_kind(self._step(), CodeStep)
        if step is None:
            return
        hint = self.part_if_any("#code-hint", Static)
        if hint is not None:
            show_text(hint, _code_hint(step))
        panel = self.part_if_any("#code-try", CodeTry)
        if panel is not None:
            panel.follow(step)

    # -- showing ---------------------------------------------------------------------------------------

    async def show(self, ref: OutlineRef | None) -> None:
        """Show the fields of a step or nested list."""
        self.ref = ref
        await self.recompose()
        self._show_findings()

    def set_findings(self, findings: Sequence[Finding]) -> None:
        """The lint findings of this procedure (those of the shown step are listed and marked)."""
        self.findings = findings
        self._show_findings()

    def _show_findings(self) -> None:
        step_id = self.owner_id
        mine = [finding for finding in self.findings if step_id is not None and finding.step == step_id]
        problems = self.query(".problems")
        if not problems:
            return
        container = problems.first()
        if (container, mine) == self._shown_findings:
            return  # already listed (re-mounting would cost a layout pass)
        self._shown_findings = (container, mine)
        container.remove_children()
        container.mount_all(
            Static(
                literal(
                    f"{'✗' if f.severity == 'error' else '!'} {f.rule}: {f.message}"
                    + (f"  (try {f.suggestion})" if f.suggestion else "")
                ),
                classes=f.severity,
                markup=False,
            )
            for f in mine
        )
        for area in self.query(MentionArea):
            area.set_marks(_marks(area, [f for f in mine if f.field == "text"]))
        for code_area in self.query(CodeArea):
            field = "code" if code_area.id == "code" else "when.code"
            code_area.set_marks(_marks(code_area, [f for f in mine if (f.field or "").endswith(field)]))

    def hold_keys(self) -> None:
        """Take the focus until :meth:`focus_field` (a step is being added or retyped): what is typed meanwhile
        goes into the field focused then, never to the outline's one-letter commands."""
        self._held = []
        give_focus(self, now=True)  # at once, not later: a screen pushed next gives the focus back to the form

    def release_keys(self) -> None:
        """Stop holding keys (the add was cancelled): what was typed meanwhile is dropped."""
        self._held = None

    def on_key(self, event: events.Key) -> None:
        if self._held is not None and event.is_printable and event.character:
            self._held.append(event.character)
            event.stop()
            event.prevent_default()

    def focus_field(
        self, field: str | None, line: int | None = None, column: int | None = None, *, fresh: bool = False
    ) -> None:
        """Focus the editor of a model field (``text``, ``attribute``, ``branches.0.when``, a finding's field),
        at its line and column when given; the first field when it is not shown. Keys held since
        :meth:`hold_keys` are typed into it. ``fresh``: the step was just made, so a one-line field holds its
        kind's default (a collect step's ``Conversation > answer``), nothing the author typed: it is selected, and
        what is typed replaces it."""
        target = self._field_widget(field or "")
        if target is None:
            self._held = None
            focusable = [widget for widget in self.query("Input, TextArea, Select, Button") if widget.focusable]
            if focusable:
                give_focus(focusable[0])
            return
        give_focus(target)
        if fresh and isinstance(target, Input):
            target.select_all()
        if line is not None and isinstance(target, TextArea):
            target.cursor_location = (line - 1, (column or 1) - 1)
        if self._held is not None:
            # Keys the app already sent to the form (before the focus moved) reach it first: type them after.
            self.app.call_later(self.call_later, self._type_held, target)

    def _type_held(self, target: Widget) -> None:
        held, self._held = "".join(self._held or ()), None
        if held and isinstance(target, TextArea) and target.is_attached:
            target.insert(held)
        elif held and isinstance(target, Input) and target.is_attached:
            target.replace(held, *sorted(target.selection))

    def _field_widget(self, field: str) -> Widget | None:
        if field.startswith("branches.") and ".when" in field and self.ref is not None and self.ref.slot is not None:
            ids = ["#when-code", "#when-describe", "#when-attribute"]
        else:
            ids = [f"#{widget_id}" for model_field, widget_id in _FIELD_WIDGETS if field == model_field]
        for selector in ids:
            found = self.query(selector)
            if found:
                return found.first()
        return None

    # -- applying edits --------------------------------------------------------------------------------

    def _step(self) -> AnyStep | None:
        if self.ref is None or self.ref.step_id is None:
            return None
        return self.procedure.step(self.ref.step_id)

    def _error(self, message: str) -> None:
        error = self.part_if_any("#form-error", ErrorLine)
        if error is not None:
            error.update(literal(message))

    @property
    def owner_id(self) -> str | None:
        """The id of the step shown, or of the step owning the shown branch or list."""
        if self.ref is None:
            return None
        return self.ref.step_id or (self.ref.slot.owner if self.ref.slot else None)

    def _edit(self, path: str, value: Any, *, typed: str | None = None) -> None:
        """Set a field of the shown step (``path`` inside it) as one operation; typing in a field undoes at once.
        ``typed``: the text of the one-line field the value comes from, kept as a draft while it is refused."""
        step_id = self.owner_id
        if step_id is None:
            return
        key = ("field", id(self), step_id, path)
        refused = None
        if ops.value_at(self.procedure.step(step_id), path) != value:
            try:
                change = ops.set_step_field(self.procedure, step_id, path, value)
            except ops.EditError as error:
                refused = str(error)
            else:
                refused = self.sources.perform(change, key)
                self._follow_step()
        self._error(f"✗ {refused}" if refused else "")
        if typed is not None:
            self._keep(step_id, path, typed, refused, key)

    def _branch_path(self, name: str) -> str | None:
        ref = self.ref
        if ref is None or ref.slot is None or ref.slot.part != "branch":
            return None
        return f"branches.{ref.slot.branch}.when" + (f".{name}" if name else "")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in (*_STEP_FIELDS, *_WHEN_FIELDS):
            event.stop()
            self._edit_widget(event.text_area.id or "", event.text_area.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every one-line field: its text becomes the value, or, refused, a draft of the procedure."""
        event.stop()
        step = self._step()
        if event.input.id == "step-id" and step is not None:
            self._rename(step, event.value)
        else:
            self._edit_widget(event.input.id or "", event.value, typed=event.value)

    def _edit_widget(self, widget_id: str, value: Any, *, typed: str | None = None) -> None:
        """Set the field a widget of the form edits (of the shown step, or of the shown branch's test), when the
        step or test shown has it; a value that does not convert is named in the form's error line (and, typed
        in a one-line field, kept as a draft)."""
        if widget_id in _WHEN_FIELDS:
            field, target = _WHEN_FIELDS[widget_id], self._branch()
            path = self._branch_path(field)
            subject: Any = target.when if target is not None else None
        else:
            field, subject = _STEP_FIELDS.get(widget_id, ""), self._step()
            path = field
        if subject is None or path is None or field not in type(subject).model_fields:
            return
        convert = _CONVERSIONS.get(widget_id)
        try:
            converted = convert(value) if convert is not None else value
        except ValueError as error:
            if typed is None:
                self._error(f"✗ {field}: {error}")
            else:
                self._refuse(path, typed, str(error))
            return
        self._edit(path, converted, typed=typed)

    def _shown(self, step_id: str, path: str, value: str) -> str:
        """What a one-line field of a step shows: its draft, else ``value``."""
        return self.sources.shown_text(f"steps.{step_id}.{path}", value)

    def _keep(self, step_id: str, path: str, text: str, problem: str | None, merge: Hashable) -> None:
        self.sources.keep_typed(f"steps.{step_id}.{path}", text, problem, merge)

    def _refuse(self, path: str, text: str, problem: str) -> None:
        """Show why a one-line field's text is not a value, and keep it as a draft of the procedure."""
        step_id = self.owner_id
        self._error(f"✗ {path.split('.')[-1]}: {problem}")
        if step_id is not None:
            self._keep(step_id, path, text, problem, ("field", id(self), step_id, path))

    def _rename(self, step: AnyStep, text: str) -> None:
        """Rename the step and every reference to it; the form stays on it (the outline follows the new id)."""
        new_id, key = text.strip(), ("step-id", id(self))
        refused = None
        if new_id != step.id:
            try:
                change = self.sources.rename_step(step.id, new_id)
            except ops.EditError as error:
                refused = str(error)
            else:
                old_ref = self.ref
                self.ref = OutlineRef(step_id=new_id)
                refused = self.sources.perform(change, key)
                if refused:
                    self.ref = old_ref
                self._follow_step()
        self._error(f"✗ {refused}" if refused else "")
        self._keep(step.id, "id", text, refused, key)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL:
            return
        if event.select.id == "when-kind":
            self._change_when_kind(str(event.value))
        else:
            self._edit_widget(event.select.id or "", event.value)

    def _branch(self) -> Any:
        ref = self.ref
        if ref is None or ref.slot is None or ref.slot.part != "branch" or ref.slot.owner is None:
            return None
        owner = self.procedure.step(ref.slot.owner)
        branches = branches_of(owner) if owner is not None else None
        if branches is None or ref.slot.branch >= len(branches):
            return None
        return branches[ref.slot.branch]

    def _change_when_kind(self, kind: str) -> None:
        """Replace the branch's test by an empty one of another kind (the form redraws; the caret goes to it)."""
        branch, path, new = self._branch(), self._branch_path(""), WHEN_KINDS.get(kind)
        if branch is None or path is None or new is None or when_kind(branch.when).name == kind:
            return
        self._edit(path, new.create())
        self.call_after_refresh(self._redraw_and_focus, path)

    async def _redraw_and_focus(self, field: str) -> None:
        await self.show(self.ref)
        self.focus_field(field)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Action(self, event.button.id or ""))


_FIELD_WIDGETS = (
    ("text", "text"),
    ("attribute", "collect-attribute"),
    ("prompt", "collect-prompt"),
    ("value_type", "collect-type"),
    ("procedure", "subprocedure"),
    ("outcome", "end-outcome"),
    ("message", "end-message"),
    ("id", "step-id"),
    ("code", "code"),
    ("name", "code-name"),
    ("outputs", "code-outputs"),
)
"""Model fields of a step and the ids of the widgets editing them."""
_STEP_FIELDS = {widget_id: model_field for model_field, widget_id in _FIELD_WIDGETS if model_field != "id"}
"""The field of the shown step each widget edits (the id is renamed, not set)."""
_WHEN_FIELDS = {f"when-{name}": name for name in ("describe", "code", "attribute", "op", "value")}
"""The field of the shown branch's test each widget edits."""
_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "code-outputs": parse_outputs,
    "end-message": lambda text: text or None,
    "when-value": parse_default,
}
"""How a widget's value becomes its field's (a ``ValueError`` names what is wrong)."""

STEP_FORMS: dict[str, Callable[[StepForm, Any], ComposeResult]] = {
    "instruction": StepForm._compose_instruction,
    "condition": StepForm._compose_condition,
    "collect": StepForm._compose_collect,
    "subprocedure": StepForm._compose_subprocedure,
    "end": StepForm._compose_end,
    "code": StepForm._compose_code,
}
"""The fields of each kind of step (:data:`~workbench.model.kinds.STEP_KINDS`), below its id."""
require_every_kind("tui.widgets.step_form.STEP_FORMS", STEP_FORMS)
WHEN_FORMS: dict[str, Callable[[StepForm, str, Any], ComposeResult]] = {
    "describe": StepForm._compose_describe_when,
    "code": StepForm._compose_code_when,
    "attribute": StepForm._compose_attribute_when,
}
"""The fields of each kind of branch test (:data:`~workbench.model.kinds.WHEN_KINDS`), given its condition's id."""
require_every_kind("tui.widgets.step_form.WHEN_FORMS", WHEN_FORMS, WHEN_KINDS, "condition")


def _code_hint(step: CodeStep) -> Text:
    """The hint above a code step's code: how later steps read its outputs (under its name)."""
    return literal(
        f"Python over inputs (as in code conditions) returning a dict; later steps read @read({step.name} > key). "
        "Modules: math, decimal, re, datetime, json."
    )


def _marks(area: TextArea, findings: list[Finding]) -> dict[int, list[tuple[int, int, str]]]:
    """Error marks for findings located in a text: from the column to the end of the token there."""
    marks: dict[int, list[tuple[int, int, str]]] = {}
    for finding in findings:
        if finding.line is None or finding.line - 1 >= area.document.line_count:
            continue
        row = finding.line - 1
        line = area.document.get_line(row)
        start = max(0, min((finding.column or 1) - 1, max(0, len(line) - 1)))
        close = line.find(")", start)
        end = close + 1 if close >= 0 else len(line)
        marks.setdefault(row, []).append((start, max(start + 1, end), "problem"))
    return marks

"""The procedure pane: name and description, the step outline, and the selected step's form."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from workbench.editing import operations as ops
from workbench.editing import step_ops
from workbench.editing.code_keys import KeyContext, key_candidates
from workbench.editing.completion import Candidate, MentionIndexes, mention_indexes
from workbench.editing.operations import Change
from workbench.editing.rename import RenameError, plan_rename
from workbench.lint import Finding
from workbench.model import Procedure
from workbench.model.kinds import STEP_KINDS, StepType
from workbench.tui.focus import give_focus
from workbench.tui.keys import KeyHints, key_for
from workbench.tui.messages import StepSelected
from workbench.tui.screens.pickers import ConfirmScreen, StepTypeScreen
from workbench.tui.widgets.code_try import TrialSources
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.fields import Input
from workbench.tui.widgets.step_form import FormSources, StepForm
from workbench.tui.widgets.step_outline import OutlineRef, StepOutline
from workbench.visible import literal


class ProcedureEditor(EntryEditor):
    """Edit a procedure: the outline on the left, the selected step on the right."""

    HELP = KeyHints(
        "A procedure: steps the agent follows. The outline shows them (conditions nest their branches); the "
        "form edits the selected one. In instruction text, @ calls a connector or reads an attribute. "
        "{editor.undo} undoes an edit, {editor.redo} redoes it."
    )

    DEFAULT_CSS = """
    ProcedureEditor .row { height: 1; margin: 0 1; }
    ProcedureEditor .row > Label { width: 12; }
    ProcedureEditor .row > Input { width: 1fr; }
    ProcedureEditor #procedure-error { margin: 0 1; }
    ProcedureEditor #procedure-split { height: 1fr; }
    ProcedureEditor StepOutline { width: 45%; min-width: 20; border-right: vkey $foreground 20%; }
    """

    def compose_body(self) -> ComposeResult:
        model: Procedure = self.entry.model
        with Horizontal(classes="row"):
            yield Label("Name")
            yield Input(self.shown_text("name", model.name), id="procedure-name", compact=True)
        with Horizontal(classes="row"):
            yield Label("Description")
            yield Input(self.shown_text("description", model.description), id="procedure-description", compact=True)
        yield ErrorLine(id="procedure-error")
        with Horizontal(id="procedure-split"):
            yield StepOutline(model, self.perform, fill=self._fill, id="outline")
            yield StepForm(model, self._sources(), id="step-form")

    def _sources(self) -> FormSources:
        session = self.session

        def indexes(step_id: str) -> MentionIndexes:
            return mention_indexes(session.catalog(), self.entry.name, step_id)

        def keys(step_id: str, context: KeyContext) -> list[Candidate]:
            return key_candidates(context, session.catalog(), self.entry.name, step_id)

        def paths(step_id: str) -> list[str]:
            return [attribute.path for attribute in session.catalog().available_at(self.entry.name, step_id).available]

        return FormSources(
            indexes,
            keys,
            paths,
            lambda: sorted(session.procedures(), key=str.lower),
            lambda change, merge: self.perform(change, merge, redraw_form=False),
            self._rename_step,
            TrialSources(session.catalog, session.sandbox_limits, session.remember_trial),
            keep_typed=self.keep_typed,
            shown_text=self.shown_text,
        )

    def _rename_step(self, old: str, new: str) -> Change:
        """Renaming a step from its id field: the procedure and every scenario naming the step."""
        try:
            plan = plan_rename(self.session.items(), "step", old, new, self.entry.name)
        except RenameError as problem:
            raise ops.EditError(str(problem)) from None
        return plan.change(select=new, breakpoints=self.session.breakpoints)

    @property
    def outline(self) -> StepOutline:
        """The step outline (the debugger marks breakpoints and the current step on it)."""
        return self.part("#outline", StepOutline)

    @property
    def form(self) -> StepForm:
        """The selected step's form."""
        return self.part("#step-form", StepForm)

    def default_control(self) -> Widget | None:
        return self.outline

    # -- selection -------------------------------------------------------------------------------------

    async def on_step_outline_highlighted(self, event: StepOutline.Highlighted) -> None:
        event.stop()
        if event.ref == self.form.ref or event.ref != self.outline.current:
            return  # shown already, or the cursor has moved on since (a rebuild, then a branch selected)
        await self.form.show(event.ref)
        self.post_message(StepSelected(self.entry, event.ref.step_id))

    async def on_step_outline_opened(self, event: StepOutline.Opened) -> None:
        event.stop()
        if event.ref != self.form.ref:
            await self.form.show(event.ref)
        step = self.entry.model.step(event.ref.step_id) if event.ref.step_id else None
        slot = event.ref.slot
        if step is not None:
            self.form.focus_field(STEP_KINDS[step.type].first_field)
        elif slot is not None and slot.part == "branch":
            self.form.focus_field(f"branches.{slot.branch}.when")

    async def select_step(self, step_id: str) -> None:
        """Select a step in the outline and show it in the form."""
        ref = OutlineRef(step_id=step_id)
        self.outline.select_ref(ref)
        if self.form.ref != ref:
            await self.form.show(ref)

    # -- edits -----------------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id not in ("procedure-name", "procedure-description"):
            return
        event.stop()
        model: Procedure = self.entry.model
        field = "name" if event.input.id == "procedure-name" else "description"
        value = event.value.strip() if field == "name" else event.value
        error = self.part("#procedure-error", ErrorLine)
        key = ("field", id(self), field)
        twin = self.session.same_name("procedure", value) if field == "name" else None
        refused = None
        if twin is not None and twin is not self.entry and value != model.name:
            refused = f"another procedure is called {twin.name!r}"
        elif value != getattr(model, field):
            refused = self.perform(ops.set_procedure_field(model, field, value), key, redraw_form=False)
        error.update(literal(f"✗ {field}: {refused}" if refused else ""))
        self.keep_typed(field, event.value, refused, key)

    # -- operations ------------------------------------------------------------------------------------

    def perform(self, change: Change, merge: Hashable | None = None, *, redraw_form: bool = True) -> str | None:
        """Apply an operation through the item's history and redraw from the model; returns why it was refused.

        ``redraw_form`` is false for edits made in the form itself (its fields already show them).
        """
        try:
            self.entry.history.do(change, merge)
        except ops.EditError as problem:
            return str(problem)
        self._drop_orphan_drafts()
        self._redraw(change.select, redraw_form=redraw_form)
        self.report(change)
        return None

    def _drop_orphan_drafts(self) -> None:
        """The drafts of a step the last operation removed (or renamed) go with it, undone together: no field is
        left that could fix them, and they would keep the procedure from being saved."""
        drafts = self.entry.drafts
        ids = {step.id for step in self.entry.model.all_steps()}
        kept = {
            field: draft
            for field, draft in drafts.texts.items()
            if not field.startswith("steps.") or any(field.startswith(f"steps.{step_id}.") for step_id in ids)
        }
        if len(kept) != len(drafts.texts):
            self.entry.history.undo_stack[-1].assigns.append(ops.Assign(drafts, {"texts": drafts.texts}))
            drafts.texts = kept

    def _redraw(self, select: str | None, *, redraw_form: bool) -> None:
        """Bring the outline (and the form) in line with the model."""
        model: Procedure = self.entry.model
        outline = self.outline
        if select is not None and model.step(select) is None:
            select = None
        if not outline.shows_model() or redraw_form:
            if not redraw_form and select is not None:
                self.form.ref = OutlineRef(step_id=select)  # the form already shows it: no redraw on highlight
            outline.rebuild(select)
        else:
            outline.refresh_labels()
        if redraw_form:
            self.call_later(self._show_current)

    async def _show_current(self, focus: str | None = None, *, fresh: bool = False) -> None:
        """Show the outline's selection in the form; focus ``focus`` there (``fresh``: of a step just made, see
        :meth:`StepForm.focus_field`), else keep the focus somewhere."""
        ref = self.outline.current
        if focus is not None and focus.startswith("branches.") and ref is not None and ref.step_id is not None:
            ref = OutlineRef(slot=step_ops.Slot(ref.step_id, "branch", int(focus.split(".")[1])))
            self.outline.select_ref(ref)  # a branch's test is edited on the branch
            self.form.ref = ref
        await self.form.show(ref)
        if ref is not None:
            self.post_message(StepSelected(self.entry, ref.step_id))
        if focus is not None:
            self.form.focus_field(focus, fresh=fresh)
        elif self.app.focused is None or not self.app.focused.is_attached:
            give_focus(self.outline)

    async def redraw_after(self, change: Change) -> None:
        """Redraw the outline and the form from the model, keeping the focus on the field it was in."""
        focused = self.app.focused
        field = focused.id if focused is not None and self.form in focused.ancestors else None
        self.query_one("#procedure-name", Input).value = self.shown_text("name", self.entry.model.name)
        self.query_one("#procedure-description", Input).value = self.shown_text(
            "description", self.entry.model.description
        )
        self._redraw(change.select, redraw_form=False)
        await self._show_current()
        if field is not None and self.form.query(f"#{field}"):
            give_focus(self.form.query_one(f"#{field}"))
        elif self.app.focused is None or not self.app.focused.is_attached:
            give_focus(self.outline)

    def on_step_form_action(self, event: StepForm.Action) -> None:
        event.stop()
        outline = self.outline
        if event.action == "toggle-error":
            outline.action_toggle_error_path()
        elif event.action == "add-branch":
            outline.action_add_branch()
        elif event.action == "remove-branch":
            outline.action_remove()

    def on_step_outline_ask_step_type(self, event: StepOutline.AskStepType) -> None:
        event.stop()
        outline, ref, purpose = event.outline, event.ref, event.purpose

        async def chosen(step_type: StepType | None) -> None:
            if step_type is None:
                self._cancel_fill()
                return
            if purpose == "add":
                await self._apply_and_fill(outline.add_step_change(ref, step_type), step_type)
                return
            step_id = ref.step_id or ""
            step = self.entry.model.step(step_id)
            nested = step_ops.nested_count(step) if step is not None else 0
            if not nested:
                await self._apply_and_fill(ops.retype_step(self.entry.model, step_id, step_type), step_type)
                return

            async def confirmed(ok: bool | None) -> None:
                if ok:
                    await self._apply_and_fill(ops.retype_step(self.entry.model, step_id, step_type), step_type)
                else:
                    self._cancel_fill()

            self.app.push_screen(
                ConfirmScreen(f"Change {step_id!r} to {step_type}? Its {nested} nested step(s) will be dropped."),
                confirmed,
            )

        current = None
        if purpose == "retype" and ref.step_id is not None:
            step = self.entry.model.step(ref.step_id)
            current = step.type if step is not None else None
        title = "Add a step" if purpose == "add" else f"Change the type of {ref.step_id!r}"
        self.form.hold_keys()  # focus comes back to the form: what is typed at once goes into the new step
        self.app.push_screen(StepTypeScreen(title, current), chosen)

    def _fill(self, field: str) -> None:
        """The caret goes to ``field`` of what the outline has selected (a branch just added: its test); keys typed
        before it gets there are held for it."""
        self.form.hold_keys()
        self.call_later(self._show_current, field)

    def _cancel_fill(self) -> None:
        """No step was added or retyped after all: back to the outline."""
        self.form.release_keys()
        give_focus(self.outline)

    async def _apply_and_fill(self, change: Change, step_type: StepType) -> None:
        """Apply an add or retype, show the step and put the caret in the field the author fills next."""
        problem = self.perform(change, redraw_form=False)
        if problem is not None:
            self._cancel_fill()
            self.notify(f"✗ {problem}", severity="error")
            return
        await self._show_current(STEP_KINDS[step_type].first_field, fresh=True)
        self.notify(f"{change.label} — {key_for(self.app, 'editor.undo')} undoes", timeout=3)

    def on_step_outline_ask_remove(self, event: StepOutline.AskRemove) -> None:
        event.stop()
        outline, step_id = event.outline, event.step_id

        def confirmed(ok: bool | None) -> None:
            if ok:
                outline.remove_step(step_id)

        self.app.push_screen(ConfirmScreen(f"Remove {step_id!r} and the {event.nested} step(s) it nests?"), confirmed)

    # -- lint findings ---------------------------------------------------------------------------------

    def show_findings(self, findings: Iterable[Finding]) -> None:
        mine = list(findings)
        badges: dict[str, str] = {}
        for finding in mine:
            if finding.step is not None and badges.get(finding.step) != "✗":
                badges[finding.step] = "✗" if finding.severity == "error" else "!"
        self.outline.set_problems(badges)
        self.form.set_findings(mine)

    async def jump_to(self, finding: Finding) -> None:
        """Select the finding's step (and branch) and focus its text at the line and column."""
        field = finding.field or ""
        if finding.step is None:
            give_focus(self.query_one("#procedure-name", Input))
            return
        parts = field.split(".")
        if len(parts) >= 2 and parts[0] == "branches" and parts[1].isdigit():
            ref = OutlineRef(slot=step_ops.Slot(finding.step, "branch", int(parts[1])))
        else:
            ref = OutlineRef(step_id=finding.step)
        self.outline.select_ref(ref)
        await self.form.show(ref)
        self.form.focus_field(field, finding.line, finding.column)

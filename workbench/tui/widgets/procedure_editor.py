"""The procedure pane: name and description, the step outline, and the selected step's form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from workbench.lint import Finding
from workbench.model import Procedure
from workbench.tui import step_ops
from workbench.tui.code_keys import KeyContext, key_candidates
from workbench.tui.completion import Candidate, MentionIndexes, mention_indexes
from workbench.tui.messages import StepSelected
from workbench.tui.screens.pickers import ConfirmScreen, StepTypeScreen
from workbench.tui.widgets.entry_editor import EntryEditor
from workbench.tui.widgets.error_line import ErrorLine
from workbench.tui.widgets.step_form import FormSources, StepForm
from workbench.tui.widgets.step_outline import OutlineRef, StepOutline


class ProcedureEditor(EntryEditor):
    """Edit a procedure: the outline on the left, the selected step on the right."""

    HELP: ClassVar[str] = (
        "A procedure: steps the agent follows. The outline shows them (conditions nest their branches); the "
        "form edits the selected one. In instruction text, @ calls a connector or reads an attribute."
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
            yield Input(model.name, id="procedure-name", compact=True)
        with Horizontal(classes="row"):
            yield Label("Description")
            yield Input(model.description, id="procedure-description", compact=True)
        yield ErrorLine(id="procedure-error")
        with Horizontal(id="procedure-split"):
            yield StepOutline(model, id="outline")
            yield StepForm(model, self._sources(), id="step-form")

    def _sources(self) -> FormSources:
        session = self.session

        def indexes(step_id: str) -> MentionIndexes:
            return mention_indexes(session.catalog(), self.entry.name, step_id)

        def keys(step_id: str, context: KeyContext) -> list[Candidate]:
            return key_candidates(context, session.catalog(), self.entry.name, step_id)

        def paths(step_id: str) -> list[str]:
            return [attribute.path for attribute in session.catalog().available_at(self.entry.name, step_id).available]

        return FormSources(indexes, keys, paths, lambda: sorted(session.procedures(), key=str.lower))

    @property
    def outline(self) -> StepOutline:
        """The step outline (the debugger marks breakpoints and the current step on it)."""
        return self.query_one(StepOutline)

    @property
    def form(self) -> StepForm:
        """The selected step's form."""
        return self.query_one(StepForm)

    def focus_default(self) -> None:
        self.outline.focus()

    # -- selection -------------------------------------------------------------------------------------

    async def on_step_outline_highlighted(self, event: StepOutline.Highlighted) -> None:
        event.stop()
        if event.ref == self.form.ref:
            return
        await self.form.show(event.ref)
        self.post_message(StepSelected(self.entry, event.ref.step_id))

    async def on_step_outline_opened(self, event: StepOutline.Opened) -> None:
        event.stop()
        if event.ref != self.form.ref:
            await self.form.show(event.ref)
        self.form.focus_field("text" if event.ref.step_id else "branches.0.when.code")

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
        error = self.query_one("#procedure-error", ErrorLine)
        if event.input.id == "procedure-description":
            if event.value != model.description:
                model.description = event.value
                self.edited()
            return
        name = event.value.strip()
        if name == model.name:
            error.update("")
            return
        twin = self.session.find("procedure", name)
        if twin is not None and twin is not self.entry:
            error.update(f"✗ name: another procedure is called {name!r}")
            return
        try:
            model.name = name
        except ValidationError as problem:
            error.update(f"✗ name: {problem.errors()[0]['msg']}")
            return
        error.update("")
        self.edited(renamed=True)

    async def on_step_outline_changed(self, event: StepOutline.Changed) -> None:
        event.stop()
        self.edited()
        ref = self.outline.current
        await self.form.show(ref)
        if ref is not None:
            self.post_message(StepSelected(self.entry, ref.step_id))

    def on_step_form_edited(self, event: StepForm.Edited) -> None:
        event.stop()
        if event.reshape:
            self.outline.rebuild(event.step_id)
        else:
            self.outline.refresh_labels()
        self.edited()

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

        async def chosen(step_type: step_ops.StepType | None) -> None:
            if step_type is None:
                return
            if purpose == "add":
                step_id = outline.add_step(ref, step_type)
                if step_type == "instruction":
                    self.form.focus_field("text")
                self.notify(f"Added {step_type} step {step_id!r}", timeout=2)
                return
            step = self.entry.model.step(ref.step_id or "")
            nested = step_ops.nested_count(step) if step is not None else 0
            if not nested:
                outline.retype(ref.step_id or "", step_type)
                return

            def confirmed(ok: bool | None) -> None:
                if ok:
                    outline.retype(ref.step_id or "", step_type)

            self.app.push_screen(
                ConfirmScreen(f"Change {ref.step_id!r} to {step_type}? Its {nested} nested step(s) will be dropped."),
                confirmed,
            )

        current = None
        if purpose == "retype" and ref.step_id is not None:
            step = self.entry.model.step(ref.step_id)
            current = step.type if step is not None else None
        title = "Add a step" if purpose == "add" else f"Change the type of {ref.step_id!r}"
        self.app.push_screen(StepTypeScreen(title, current), chosen)

    def on_step_outline_ask_remove(self, event: StepOutline.AskRemove) -> None:
        event.stop()
        outline, step_id = event.outline, event.step_id

        def confirmed(ok: bool | None) -> None:
            if ok:
                outline.remove(step_id)

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
            self.query_one("#procedure-name", Input).focus()
            return
        parts = field.split(".")
        if len(parts) >= 2 and parts[0] == "branches" and parts[1].isdigit():
            ref = OutlineRef(slot=step_ops.Slot(finding.step, "branch", int(parts[1])))
        else:
            ref = OutlineRef(step_id=finding.step)
        self.outline.select_ref(ref)
        await self.form.show(ref)
        self.form.focus_field(field, finding.line, finding.column)

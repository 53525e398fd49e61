"""What every editor of a workspace file shares: its entry, a title line, edits reported to the app."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from workbench.editing.breakpoints import Breakpoints
from workbench.editing.drafts import Draft, set_draft
from workbench.editing.edit_session import EditSession, Entry, SaveRefused
from workbench.editing.operations import Change, EditError
from workbench.editing.rename import RenamePlan, plan_rename
from workbench.lint import Finding
from workbench.tui.debug.messages import BreakpointsChanged
from workbench.tui.focus import dead_end, give_focus
from workbench.tui.keys import key_for
from workbench.tui.messages import DocumentEdited
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input, TextArea
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.recomposing import SerialRecompose
from workbench.tui.widgets.row_form import RowForm, RowProblem
from workbench.visible import literal


class EntryEditor(Vertical, SerialRecompose):
    """The editor of one entry; subclasses compose the body and apply field changes to ``entry.model``."""

    HELP: ClassVar[str] = ""
    """What this editor is for, shown by F1."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", priority=True, show=False, id="editor.undo"),
        Binding("ctrl+shift+z,ctrl+y", "redo", "Redo", priority=True, show=False, id="editor.redo"),
        Binding("f7", "rename", "Rename…", priority=True, show=False, id="editor.rename"),  # over a text area's F7
    ]

    DEFAULT_CSS = """
    EntryEditor { height: 1fr; }
    EntryEditor > .editor-title { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, entry: Entry, session: EditSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry = entry
        self.session = session
        self.scenario_badge = ""
        """The procedure's scenarios at a glance (``✓``, ``✗2``, ``…``), shown in the title."""
        self._shown_title = self._title()
        self.trap_focus()  # Tab and Shift+Tab go round the editor's controls; F2, F4 and F6 go to the other panes

    @property
    def whole(self) -> bool:
        """Whether every widget the editor composes is there: mounted, attached and not being recomposed.

        Code reaching into an editor from outside its own handlers (the app, the debugger, workers' results)
        finds only whole editors: :class:`~workbench.tui.widgets.editor_stack.EditorStack` hands out no other.
        """
        return self.is_mounted and self.is_attached and not self.recomposing

    def from_worker(self, show: Callable[[], object]) -> None:
        """Run ``show``, which reaches the editor's widgets, on the UI thread once a worker has its result; left
        out when the editor is not :attr:`whole` by then (recomposed afresh from the model, or closed)."""

        def run() -> None:
            if self.whole:
                show()

        self.app.call_from_thread(run)

    def compose(self) -> ComposeResult:
        yield Static(literal(self._shown_title), classes="editor-title", markup=False)
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The editor's own widgets."""
        yield from ()

    def _title(self) -> str:
        try:
            where = self.entry.path.relative_to(self.session.root)
        except ValueError:
            where = self.entry.path
        dirty = "  ● unsaved" if self.entry.dirty else ""
        tested = f"  scenarios {self.scenario_badge}" if self.scenario_badge else ""
        return f"{self.entry.kind.capitalize()}: {self.entry.name}   {where}{dirty}{tested}"

    def refresh_title(self) -> None:
        """Redraw the title line (name, file, unsaved marker)."""
        title = self._title()
        if title != self._shown_title:
            self._shown_title = title
            show_text(self.part(".editor-title", Static), literal(title), layout=False)

    def focus_default(self) -> None:
        """Put the focus where editing this kind of item usually starts."""
        control = self.default_control()
        if control is not None:
            give_focus(control)

    def default_control(self) -> Widget | None:
        """The control editing this kind of item usually starts in (it takes the focus back from a dead end): the
        first text field shown (not one on a hidden tab, which focusing would bring back), else the first control."""
        shown = [widget for widget in self.query("*") if widget.focusable and dead_end(widget, self.app) is None]
        return next((widget for widget in shown if isinstance(widget, Input | TextArea)), shown[0] if shown else None)

    def edited(self, *, renamed: bool = False) -> None:
        """Report that the entry's model changed."""
        self.entry.touch()
        self.refresh_title()
        self.post_message(DocumentEdited(self.entry, renamed=renamed, origin=self))

    # -- undo, redo, rename ----------------------------------------------------------------------------

    async def action_undo(self) -> None:
        """Undo the item's last operation."""
        await self._undo_or_redo(redo=False)

    async def action_redo(self) -> None:
        """Redo the last undone operation."""
        await self._undo_or_redo(redo=True)

    async def _undo_or_redo(self, *, redo: bool) -> None:
        history = self.entry.history
        if not (history.redo_stack if redo else history.undo_stack):
            # Never a text area's own undo: every change of a field's text is an operation of the item.
            self.notify("Nothing to redo" if redo else "Nothing to undo", timeout=2)
            return
        change = history.redo() if redo else history.undo()
        assert change is not None
        self.report(change)
        problem = self.write_set(change)
        if problem is not None:
            back = history.undo() if redo else history.redo()
            assert back is not None
            self.report(back)
            self.notify(problem, title=f"Could not {'redo' if redo else 'undo'}", severity="error", timeout=10)
        await self.redraw_after(change)
        if problem is None:
            self.notify(f"{'Redid' if redo else 'Undid'}: {change.label}", timeout=3)

    async def redraw_after(self, change: Change) -> None:
        """Show the model again after an undo, a redo or a rename (default: compose the editor afresh)."""
        await self.recompose()
        self.focus_default()

    def perform(self, change: Change, merge: Hashable | None = None) -> str | None:
        """Apply an operation through the item's history (those with the same ``merge`` key, typing in one
        field, undo together); returns why it was refused."""
        try:
            self.entry.history.do(change, merge)
        except EditError as problem:
            return str(problem)
        self.report(change)
        return None

    def report(self, change: Change) -> None:
        """Mark this item edited, and every other item the change touched (their editors redraw)."""
        renamed = change.label.startswith("Renamed") or any(name == "name" for _, name in change.fields())
        for model in change.models():
            if isinstance(model, Breakpoints):
                for procedure, steps in model.steps.items():
                    self.post_message(BreakpointsChanged(procedure, steps))
            other = self.session.entry_of(model)
            if other is not None and other is not self.entry:
                other.touch()
                self.post_message(DocumentEdited(other, renamed=renamed, origin=self))
        self.edited(renamed=renamed)

    def action_rename(self) -> None:
        """Rename this connector or procedure and every reference to it, after a preview of the changes."""
        from workbench.tui.screens.rename import RenameScreen

        kind = self.entry.kind
        if kind not in ("connector", "procedure"):
            self.notify("Only connectors, procedures and steps are renamed with their references", timeout=3)
            return
        old = self.entry.name

        def plan(new: str) -> RenamePlan:
            return plan_rename(self.session.items(), kind, old, new)  # type: ignore[arg-type]

        async def chosen(result: RenamePlan | None) -> None:
            if result is not None:
                await self.apply_rename(result)

        self.app.push_screen(RenameScreen(f"Rename {kind} {old!r}", old, plan), chosen)

    async def apply_rename(self, plan: RenamePlan) -> None:
        """Apply a planned rename as one undoable operation of this item, its files written as a set (a failure
        leaves every file, and every model, as it was); breakpoints follow a renamed procedure or step."""
        change = plan.change(breakpoints=self.session.breakpoints)
        change.saved = True
        self.entry.history.do(change)
        self.report(change)
        problem = self.write_set(change)
        if problem is not None:
            undone = self.entry.history.undo()
            assert undone is not None
            self.entry.history.redo_stack.pop()
            self.report(undone)
            self.notify(problem, title="Rename not done", severity="error", timeout=10)
        await self.redraw_after(change)
        if problem is None:
            undo = key_for(self.app, "editor.undo")
            self.notify(f"{change.label}: {len(plan.edits)} file(s) saved — {undo} undoes", timeout=4)

    def write_set(self, change: Change) -> str | None:
        """Write the files of a change saved as a set (:attr:`Change.saved`); returns why they could not be."""
        if not change.saved:
            return None
        entries = [entry for entry in map(self.session.entry_of, change.models()) if entry is not None]
        try:
            self.session.save_set(entries)
        except (SaveRefused, OSError) as error:
            return f"{error}; no file was changed"
        return None

    # -- drafts: text typed that is not a value yet -----------------------------------------------------

    def json_merge(self, field: str) -> Hashable:
        """The merge key of typing in a JSON field: its values and its drafts undo together."""
        return ("json", id(self), field)

    def draft_text(self, field: str) -> str | None:
        """The item's draft of a field (shown instead of the value when the field is composed)."""
        return self.entry.drafts.text(field)

    def on_json_field_drafted(self, event: JsonField.Drafted) -> None:
        """Keep a JSON field's text that is not a value as a draft of the item, an operation like any edit (the
        item is unsaved; saving names it); a value again, the draft goes."""
        event.stop()
        field = self.draft_name(event.field)
        if field is None:
            return
        problem = event.problem
        draft = None
        if problem is not None:
            message = problem.message if problem.parses else "not valid JSON"
            draft = Draft(text=event.text, line=problem.line, column=problem.column, message=message)
        change = set_draft(self.entry.drafts, field, draft)
        if change is not None:
            self.perform(change, self.json_merge(field))

    def keep_typed(self, field: str, text: str, problem: str | None, merge: Hashable) -> None:
        """Keep a one-line field's ``text`` that is not a value (``problem`` says why: a name another item has,
        a number that is not one) as a draft of the item, undone with the typing it came from (``merge``); the
        text a value again (``problem`` ``None``), the draft goes. Every such field calls this on each change, and
        is composed with :meth:`shown_text`: what is typed is in the model or in a draft, never only on screen."""
        draft = None if problem is None else Draft(text=text, line=0, column=0, message=problem)
        change = set_draft(self.entry.drafts, field, draft)
        if change is not None:
            EntryEditor.perform(self, change, merge)  # a draft changes no model shown: nothing to redraw

    def shown_text(self, field: str, value: str) -> str:
        """What a one-line field shows: its draft (see :meth:`keep_typed`), else ``value``."""
        draft = self.draft_text(field)
        return value if draft is None else draft

    def on_row_form_typed(self, event: RowForm.Typed) -> None:
        """A row editor's rows as typed (see :class:`RowForm`): the item's values when every row is one
        (:meth:`take_rows`), else the table as typed is a draft of the item (``inputs[2]: …`` by save, shown again
        when the editor is composed), undone with the typing in that row."""
        event.stop()
        form = event.form
        name = form.id or "rows"
        merge = None if event.typing is None else ("rows", id(self), name, event.typing)
        problem = form.problem()
        if problem is None:
            refused = self.take_rows(form, merge)
            if refused is None:
                self.keep_rows(name, None, merge)
                return
            problem = RowProblem(form.selected, 1, refused)
        draft = Draft(
            text=form.draft(),
            line=problem.row + 1,
            column=problem.column,
            message=problem.message,
            place=f"[{problem.row}]",
        )
        self.keep_rows(name, draft, merge)

    def keep_rows(self, name: str, draft: Draft | None, merge: Hashable | None) -> None:
        """Keep (``None``: drop) the draft of the table ``name``, undone with the typing it came from."""
        change = set_draft(self.entry.drafts, name, draft)
        if change is not None:
            EntryEditor.perform(self, change, merge)

    def take_rows(self, form: RowForm, merge: Hashable | None) -> str | None:
        """Make a row editor's rows (every one a value) the item's, one operation (``merge``: the typing it came
        from, ``None`` for a row added, removed or moved); returns why they are not taken (the table is then kept
        as a draft). Every editor composing a :class:`RowForm` takes its rows here."""
        return f"{form.id}: not editable here"

    def pending_problems(self) -> list[str]:
        """Invalid text of fields that keep no draft (a scenario's mock body with no mock chosen): saving would
        drop it. (A field of a :class:`RowForm` is its row's: the table's draft holds it.)"""
        drafted = self.entry.drafts.texts
        return [
            f"{name}: {field.problem}"
            for field in self.query(JsonField)
            if field.problem
            and not any(isinstance(node, RowForm) for node in field.ancestors)
            and (name := self.draft_name(field)) is not None
            and name not in drafted
        ]

    def draft_name(self, field: JsonField) -> str | None:
        """The name a JSON field's draft is kept under, what saving names (default: its id; an editor showing one
        field for several values names the value shown); ``None``: not the item's."""
        return field.id or "JSON"

    def show_findings(self, findings: Iterable[Finding]) -> None:
        """Show the lint findings of this entry where they belong."""

    async def jump_to(self, finding: Finding) -> None:
        """Bring the place a finding points at into view and focus."""

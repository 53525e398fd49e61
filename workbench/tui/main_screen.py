"""The main screen: workspace tree | editor over problems | run panel, their layout, and the controls that work
on them (the debugger, the mock server, import, coverage, Intercom); its keys work wherever the focus is.

Regions (ids): ``#tree`` (:class:`WorkspaceTree`), ``#editors`` (:class:`EditorStack`), ``#problems``
(:class:`ProblemsPanel`), ``#debug`` (:class:`DebugPanel`: the debugger's run bar and tabs). The app owns the
workspace (session, findings, breakpoints: :class:`~workbench.tui.ports.WorkspaceOwner`); the screen draws it.
Its controls see it through :class:`~workbench.tui.ports.Workbench`; their key actions and message handlers are
theirs (:class:`~workbench.tui.handled.HandledBy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from workbench.quick_index import quick_index
from workbench.tui.commands import Command, binding_commands
from workbench.tui.coverage_glue import CoverageGlue
from workbench.tui.debug.app_glue import DEBUG_BINDINGS, DebugControl
from workbench.tui.debug.mock_server import MockServerControl
from workbench.tui.focus import give_focus
from workbench.tui.handled import HandledBy
from workbench.tui.import_glue import Importer
from workbench.tui.intercom_glue import IntercomSync
from workbench.tui.keys import key_for
from workbench.tui.layout import fit
from workbench.tui.messages import EntryShown, FixFinding, JumpToFinding, OpenEntry
from workbench.tui.widgets.debug_panel import DebugPanel
from workbench.tui.widgets.editor_stack import EditorStack
from workbench.tui.widgets.key_footer import KeyFooter
from workbench.tui.widgets.problems import ProblemsPanel
from workbench.tui.widgets.splitter import Splitter
from workbench.tui.widgets.title_bar import TitleBar
from workbench.tui.widgets.workspace_tree import WorkspaceTree

if TYPE_CHECKING:
    from workbench.editing.edit_session import EditSession, Entry
    from workbench.lint import Finding
    from workbench.settings.user_config import PaneSizes
    from workbench.store import Workspace
    from workbench.tui.debug.view import DebugView
    from workbench.tui.ports import WorkspaceOwner
    from workbench.tui.widgets.completing_area import CompletingTextArea
    from workbench.tui.widgets.entry_editor import EntryEditor

WIDE = 140
"""From this terminal width on, the run panel shows unless hidden."""


class _Panes(NamedTuple):
    """The main screen's panes, made with it."""

    tree: WorkspaceTree
    editors: EditorStack
    problems: ProblemsPanel
    debug: DebugPanel


class MainScreen(Screen[None]):
    """The panes of one workspace and what works on them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "focus_pane('editors')", "Editor", show=False, id="app.focus_editor"),
        Binding("f4", "focus_pane('problems')", "Problems", show=False, id="app.focus_problems"),
        Binding("ctrl+b", "toggle('tree')", "Toggle tree", show=False, id="app.toggle_tree"),
        Binding("ctrl+o", "toggle('debug')", "Toggle run panel", show=False, id="app.toggle_run_panel"),
        Binding("ctrl+g", "toggle('problems')", "Toggle problems", show=False, id="app.toggle_problems"),
        Binding("f8", "next_problem(1)", "Next problem", show=False, id="app.next_problem"),
        Binding("shift+f8", "next_problem(-1)", "Previous problem", show=False, id="app.previous_problem"),
        Binding("alt+left", "resize('tree', -4)", "Narrow the tree", show=False, id="app.narrow_tree"),
        Binding("alt+right", "resize('tree', 4)", "Widen the tree", show=False, id="app.widen_tree"),
        Binding("alt+up", "resize('problems', 2)", "Taller problems", show=False, id="app.taller_problems"),
        Binding("alt+down", "resize('problems', -2)", "Shorter problems", show=False, id="app.shorter_problems"),
        Binding("alt+shift+left", "resize('debug', 4)", "Widen the run panel", show=False, id="app.widen_run_panel"),
        Binding(
            "alt+shift+right", "resize('debug', -4)", "Narrow the run panel", show=False, id="app.narrow_run_panel"
        ),
        *DEBUG_BINDINGS,
    ]

    # F2 (shown in the footer) is bound by the app, so that it keeps its place after the app's keys

    def __init__(self, owner: WorkspaceOwner) -> None:
        super().__init__()
        self._owner = owner
        self._sizes: dict[str, int] = {}
        self._shown: dict[str, bool | None] = {"tree": True, "problems": True, "debug": None}
        self._prefer = "tree"  # the side pane the author last showed or resized: it keeps its room first
        self.debug_control = DebugControl(self)
        """The debugger's keys, the outline markers, test requests, recording, the Scenarios tab's requests."""
        self.mock_server = MockServerControl(self)
        """The workspace's mock server, started from the palette."""
        self.coverage = CoverageGlue(self)
        """The Scenarios tab's latest coverage, marked in the outlines and listed in the palette."""
        self.importer = Importer(self)
        """The Import dialog, "Import from curl" and "Copy as curl"."""
        self.intercom = IntercomSync(self)
        """The palette's Intercom status, pull and push."""
        self._panes = _Panes(
            WorkspaceTree(id="tree"),
            EditorStack(id="editors"),
            ProblemsPanel(id="problems"),
            DebugPanel(self.workspace, self.debug_control.breakpoints, id="debug"),
        )
        """The panes, made once and kept: each key typed reaches several of them (no DOM query each time)."""

    # the controls' keys and messages, handled where they live
    action_debug_run = HandledBy("debug_control")
    action_debug_step = HandledBy("debug_control")
    action_debug_stop = HandledBy("debug_control")
    action_debug_tab = HandledBy("debug_control")
    action_debug_breakpoint = HandledBy("debug_control")
    action_test_request = HandledBy("debug_control")
    action_record_run = HandledBy("debug_control")
    on_step_reached = HandledBy("debug_control")
    on_path_taken = HandledBy("debug_control")
    on_breakpoints_changed = HandledBy("debug_control")
    on_procedure_selected = HandledBy("debug_control")
    on_debug_view_ready = HandledBy("debug_control")
    on_scenarios_pane_badges = HandledBy("debug_control")
    on_scenarios_pane_show_step = HandledBy("debug_control")
    on_scenarios_pane_accept_run = HandledBy("debug_control")
    on_scenarios_pane_covered = HandledBy("coverage")
    action_mock_server_start = HandledBy("mock_server")
    action_mock_server_stop = HandledBy("mock_server")
    on_mock_server_logged = HandledBy("mock_server")
    action_import = HandledBy("importer", "open_dialog")
    action_copy_as_curl = HandledBy("importer")
    on_curl_pasted = HandledBy("importer")
    take_in = HandledBy("_owner")  # files the controls wrote: the app's disk watch takes them in

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="main"):
            yield self._panes.tree
            yield Splitter("tree", +1, id="tree-splitter")
            with Vertical(id="center"):
                yield self._panes.editors
                yield self._panes.problems
            yield Splitter("debug", -1, id="debug-splitter")
            yield self._panes.debug
        yield KeyFooter()

    def on_mount(self) -> None:
        self.apply_layout()
        try:
            self.tree.show_index(quick_index(self._owner.root))
        except OSError as error:
            self.notify(f"Cannot read {self._owner.root}: {error}", severity="error")
        give_focus(self.tree)

    # -- the ports' side -------------------------------------------------------------------------------

    @property
    def session(self) -> EditSession | None:
        """The edit session (``None`` while loading)."""
        return self._owner.session

    def schedule_lint(self) -> None:
        """Lint once typing pauses."""
        self._owner.schedule_lint()

    def workspace(self) -> Workspace | None:
        """The models the debugger runs: as they are in the app, unsaved edits included."""
        session = self._owner.session
        return session.workspace() if session is not None else None

    def environment(self) -> str | None:
        """The environment chosen in the run bar (the workspace's default until the run panel has loaded)."""
        return self.debug_control.environment()

    def mock_log(self, line: str) -> None:
        """Add a line to the run panel's "Mock server" tab."""
        self.debug_control.mock_log(line)

    def debug_view(self) -> DebugView | None:
        """The debug view, once the run panel has loaded it."""
        return self.debug_panel.view

    def load_debug_view(self) -> None:
        """Build the debug view if it is not yet (the run panel builds it when it first shows)."""
        self.debug_panel.load()

    def panes_up(self) -> bool:
        """Whether the panes are there (not while the app closes)."""
        return self.is_attached and bool(self.query(WorkspaceTree))

    @property
    def tree(self) -> WorkspaceTree:  # type: ignore[override]  # the workspace tree, not Rich's tree of the DOM
        """The workspace tree (left)."""
        return self._panes.tree

    @property
    def editors(self) -> EditorStack:
        """The editors (middle)."""
        return self._panes.editors

    @property
    def problems(self) -> ProblemsPanel:
        """The problems list (under the editor)."""
        return self._panes.problems

    @property
    def debug_panel(self) -> DebugPanel:
        """The run panel (right)."""
        return self._panes.debug

    @property
    def debugger(self) -> DebugView:
        """The debug view in the run panel (run bar, run log, context, conversation, scenarios)."""
        view = self.debug_view()
        if view is None:
            raise NoMatches("the run panel has not loaded its debug view")
        return view

    @property
    def current_editor(self) -> EntryEditor | None:
        """The editor in front."""
        return self.editors.current_editor

    def focus_fallback(self) -> Widget | None:
        """Where the keys go when the focus is lost: the editor in front, else the tree."""
        editor = self.current_editor
        control = editor.default_control() if editor is not None else None
        return control or self.tree

    # -- layout ----------------------------------------------------------------------------------------

    def use_sizes(self, panes: PaneSizes) -> None:
        """Take the pane sizes of the user's settings."""
        self._sizes.update({name: cells for name, cells in panes if cells is not None})
        self.apply_layout()

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size)  # ``self.size`` catches up only after the resize settles

    def apply_layout(self, size: Size | None = None) -> None:
        """Fit the panes shown to the terminal (the problems list is short while there are none)."""
        if not self.is_mounted:
            return
        width, height = size or self.app.size
        self._sizes.setdefault("tree", 24 if width < 120 else 30)
        self._sizes.setdefault("debug", 44 if width < 180 else 60)
        self._sizes.setdefault("problems", 8)
        wanted = {name: shown if shown is not None else width >= WIDE for name, shown in self._shown.items()}
        sizes = {**self._sizes, "problems": self._sizes["problems"] if self._owner.findings else 3}
        fitted = fit(width, height, wanted, sizes, prefer=self._prefer)
        panes: dict[str, Widget] = {"tree": self.tree, "problems": self.problems, "debug": self.debug_panel}
        for name, cells in fitted.items():
            widget = panes[name]
            if widget.display != (cells is not None):
                widget.display = cells is not None
                if name != "problems":
                    self.query_one(f"#{name}-splitter").display = cells is not None
            rule = widget.styles.height if name == "problems" else widget.styles.width
            if cells is not None and (rule is None or rule.value != cells):  # restyling costs a layout pass
                if name == "problems":
                    widget.styles.height = cells
                else:
                    widget.styles.width = cells
        self._focus_out_of_hidden_panes()

    def _focus_out_of_hidden_panes(self) -> None:
        """Keys never go to a pane that was just hidden (a narrower terminal, a toggle): the editor takes them, or,
        with no editor open, the first pane still shown."""
        focused = self.focused
        if focused is None or all(node.display for node in focused.ancestors_with_self if isinstance(node, Widget)):
            return
        editor = self.current_editor
        if editor is not None:
            editor.focus_default()
            return
        shown = [pane for pane in (self.tree, self.query_one("#problems")) if pane.display]
        if shown:
            give_focus(shown[0])

    def action_toggle(self, name: str) -> None:  # type: ignore[override]  # a pane, not a DOM attribute
        """Show or hide a pane (``tree``, ``problems`` or ``debug``)."""
        self._shown[name] = not self.query_one(f"#{name}").display
        self._prefer = name if name != "problems" and self._shown[name] else self._prefer
        self.apply_layout()

    def show_run_panel(self) -> None:
        """Show the run panel if it is hidden."""
        if not self.query_one("#debug").display:
            self.action_toggle("debug")

    def action_focus_pane(self, name: str) -> None:
        """Move the focus to the tree, the editor or the problems list (showing it if hidden)."""
        if name in self._shown and not self.query_one(f"#{name}").display:
            self.action_toggle(name)
        if name == "editors":
            editor = self.current_editor
            if editor is not None:
                editor.focus_default()
            return
        give_focus(self.query_one(f"#{name}"))

    def on_splitter_dragged(self, message: Splitter.Dragged) -> None:
        self.action_resize(message.pane, message.delta)

    def action_resize(self, name: str, delta: int) -> None:
        """Grow or shrink a pane by ``delta`` cells (and show it)."""
        widget = self.query_one(f"#{name}")
        rule = widget.styles.height if name == "problems" else widget.styles.width
        shown = rule.value if widget.display and rule is not None else self._sizes[name]  # from what is on screen
        size = self.app.size
        low, high = (3, max(4, size.height - 8)) if name == "problems" else (12, max(13, size.width - 40))
        self._sizes[name] = max(low, min(high, int(shown) + delta))
        self._shown[name] = True
        self._prefer = name if name != "problems" else self._prefer
        self.apply_layout()

    # -- opening, problems -----------------------------------------------------------------------------

    async def open_entry(self, entry: Entry, *, focus: bool = False) -> None:
        """Bring ``entry``'s editor to the front, its findings shown (``focus``: and give it the keys)."""
        editor = await self.editors.show(entry)
        if editor is None:
            return
        self.show_findings(editor)
        if focus:
            editor.call_after_refresh(editor.focus_default)

    async def on_open_entry(self, message: OpenEntry) -> None:
        message.stop()  # the screen opens it: the app need not hear of it
        await self.open_entry(message.entry, focus=message.focus)

    def on_entry_shown(self, message: EntryShown) -> None:
        """An editor came to the front: the app names it; the debugger's and coverage's marks, and the findings,
        go on it. (Handled here, not by the app: one a screen's handler brought to the front stops here.)"""
        entry = message.entry
        self._owner.entry_shown(entry)
        self.debug_control.mark_outlines()
        self.coverage.mark_outlines()
        editor = self.editors.editor_for(entry) if entry is not None else None
        if editor is not None:  # a reopened editor (a reload, an edit from elsewhere) shows the findings too
            self.show_findings(editor)

    def show_findings(self, editor: EntryEditor) -> None:
        """Show an editor the findings about its item."""
        editor.show_findings([finding for finding in self._owner.findings if finding.path == editor.entry.path])

    def on_workspace_tree_show_problem(self, message: WorkspaceTree.ShowProblem) -> None:
        self.notify(
            f"{message.problem}\nFix the file in a text editor; it reloads by itself.",
            title="This file did not load",
            severity="error",
            timeout=10,
        )

    async def on_jump_to_finding(self, message: JumpToFinding) -> None:
        await self.jump_to(message.finding)

    async def jump_to(self, finding: Finding) -> None:
        """Open the item a finding is about and show its place."""
        entry = self.session.by_path(finding.path) if self.session else None
        if entry is None:
            self.notify(f"{finding.location}: {finding.message}", title="Not loaded", severity="error")
            return
        editor = await self.editors.show(entry)
        if editor is None:
            return
        self.show_findings(editor)
        await editor.jump_to(finding)

    async def on_fix_finding(self, message: FixFinding) -> None:
        """Declare the attribute a finding names in ``workbench.json`` (with an empty sample value)."""
        from workbench.tui.messages import DocumentEdited

        path = message.finding.declare
        if self.session is None or path is None:
            return
        settings = self.session.settings
        try:
            settings.replace_model(settings.model.with_attribute(path))
        except ValueError as error:
            self.notify(str(error), title="Not declared", severity="error")
            return
        if self.editors.editor_for(settings) is not None:
            await self.editors.reopen(settings)
        self.post_message(DocumentEdited(settings))
        save = key_for(self.app, "app.save")
        self.notify(f"Declared {path} in workbench.json: give it a sample value in Settings; {save} saves.")

    async def on_completing_text_area_open_transform(self, message: CompletingTextArea.OpenTransform) -> None:
        """Open a connector on its Transform tab (asked from the hint under one of its arrays in the ``@`` menu)."""
        from workbench.tui.widgets.connector_editor import ConnectorEditor

        entry = self.session.find("connector", message.connector) if self.session else None
        if entry is None:
            return
        editor = await self.editors.show(entry)
        if isinstance(editor, ConnectorEditor):
            await editor.show_transform()

    async def action_next_problem(self, delta: int) -> None:
        """Go to the next (or previous) problem."""
        self._shown["problems"] = True
        self.apply_layout()
        finding = self.problems.step_to(delta)
        if finding is not None:
            await self.jump_to(finding)

    # -- the palette -----------------------------------------------------------------------------------

    def _mock_server_command(self) -> tuple[str, str, Any]:
        server = self.mock_server
        if server.running:
            return "Stop mock server", f"stop serving on {server.url}", server.action_mock_server_stop
        return (
            "Start mock server",
            "serve the connectors' mocks over HTTP (log in the run panel)",
            server.action_mock_server_start,
        )

    def palette_commands(self, screen: Screen[Any]) -> list[Command]:
        """Every command for the palette: the keys active where the focus is, items to open, app actions."""
        app = self.app
        commands = binding_commands(app, screen)
        extra = [
            ("Save all", f"{key_for(app, 'app.save')}: save every unsaved item", lambda: app.run_action("save")),
            ("Reload from disk", "drop the unsaved edits of the item in front", lambda: app.run_action("reload")),
            ("Lint now", "check the workspace against the best practices", lambda: app.run_action("lint")),
            ("New connector", "create a data connector", lambda: app.run_action("new_item('connector')")),
            ("New procedure", "create a procedure", lambda: app.run_action("new_item('procedure')")),
            ("New scenario", "create a test scenario", lambda: app.run_action("new_item('scenario')")),
            ("Toggle workspace tree", key_for(app, "app.toggle_tree"), lambda: self.action_toggle("tree")),
            ("Toggle problems", key_for(app, "app.toggle_problems"), lambda: self.action_toggle("problems")),
            ("Toggle run panel", key_for(app, "app.toggle_run_panel"), lambda: self.action_toggle("debug")),
            self._mock_server_command(),
        ]
        commands.extend(
            Command(title, help_text, run)
            for title, help_text, run in extra
            if title not in {command.title for command in commands}
        )
        commands.extend(self.importer.commands())
        commands.extend(self.intercom.commands())
        commands.extend(self.coverage.commands())
        if self.session is not None:
            for entry in [*self.session.entries, self.session.settings]:
                label = "settings (workbench.json)" if entry.kind == "workspace" else f"{entry.kind} {entry.name}"
                commands.append(
                    Command(
                        f"Open {label}",
                        self.session.relative(entry.path),
                        lambda entry=entry: self.post_message(OpenEntry(entry)),  # type: ignore[misc]
                    )
                )
        return commands

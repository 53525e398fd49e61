# mypy: disable-error-code="misc"
# (a mixin: its methods declare ``self: WorkbenchApp``, which mypy checks them against but cannot prove)
"""Importing and exporting in the app (mixed into :class:`~workbench.tui.app.WorkbenchApp`): the Import dialog,
"Import from curl" and "Copy as curl". The work is :mod:`workbench.importing`'s; this module draws and dispatches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from workbench.tui.messages import CurlPasted, DocumentEdited, OpenEntry

if TYPE_CHECKING:  # the app imports this module before the models have loaded
    from workbench.importing import Plan
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.commands import Command


class ImportActions:
    """Mixed into the app. Expects ``session``, ``editors``, ``current_editor``, ``tree``, ``schedule_lint``."""

    def action_import(self: WorkbenchApp, format_: str = "openapi", text: str = "") -> None:
        """Open the Import dialog; what it creates is written as one set, opened and linted."""
        from workbench.tui.screens.import_dialog import ImportScreen

        if self.session is None:
            return

        def chosen(plan: Plan | None) -> None:
            if plan is not None:
                self._write_import(plan)

        self.push_screen(ImportScreen(self.session.workspace(), format_, text), chosen)

    @work(thread=True, group="import", exit_on_error=False)
    def _write_import(self: WorkbenchApp, plan: Plan) -> None:
        from workbench.importing import ConversionError, write_plan

        try:
            written = write_plan(plan)
        except ConversionError as error:
            self.call_from_thread(self.notify, str(error), title="Nothing imported", severity="error", timeout=10)
            return
        self.call_from_thread(self._show_imported, plan, written)  # type: ignore[arg-type]  # Textual types the callback as never-returning

    async def _show_imported(self: WorkbenchApp, plan: Plan, written: list[Path]) -> None:
        from workbench.editing.session import Entry

        session = self.session
        if session is None:
            return
        opened: list[Entry] = []
        for path in written:
            entry = session.by_path(path)
            if entry is not None:
                session.reload(entry)
                await self.editors.reopen(entry)
            else:
                loaded = session.load_new(path)
                entry = loaded if isinstance(loaded, Entry) else None
            if entry is not None:
                opened.append(entry)
        if not opened:
            return
        self.tree.rebuild(session, opened[0])
        await self.on_open_entry(OpenEntry(opened[0]))
        self.schedule_lint()
        count = f"{len(opened)} connector{'s' if len(opened) != 1 else ''}"
        secrets = f" Set {', '.join(plan.secrets)} before live calls." if plan.secrets else ""
        self.notify(f"Imported {count}.{secrets}", title="Import", timeout=8)

    async def on_curl_pasted(self: WorkbenchApp, message: CurlPasted) -> None:
        """A curl line pasted into a connector's URL field: the connector takes its request and inputs."""
        from workbench.importing import ConversionError, import_curl

        entry = message.entry
        try:
            connector, secrets = import_curl(message.line, name=entry.name)
        except ConversionError as error:
            self.notify(str(error), title="Not a usable curl line", severity="error", timeout=8)
            return
        model = entry.model
        model.kind, model.request, model.inputs = connector.kind, connector.request, connector.inputs
        entry.touch()
        await self.editors.reopen(entry)
        self.post_message(DocumentEdited(entry))
        needed = f" Set {', '.join(secrets.needed)} before live calls." if secrets.needed else ""
        self.notify(f"{entry.name} now sends the curl line's request.{needed}", timeout=6)

    def action_copy_as_curl(self: WorkbenchApp) -> None:
        """Copy the connector in front as a curl line (secrets and unset inputs as shell variables)."""
        from workbench.importing import ConversionError, export_curl

        editor = self.current_editor
        if editor is None or editor.entry.kind != "connector" or self.session is None:
            self.notify("Open a connector to copy it as curl.", timeout=4)
            return
        settings = self.session.workspace_settings
        name = self.debugger.run_bar.environment
        try:
            environment = settings.environment(name)
        except KeyError:
            environment = {}
        try:
            connector = editor.entry.model
            line, variables = export_curl(
                connector,
                {},
                environment=environment,
                environment_name=name,
                unset_as_variables=True,
                token=settings.tokens.get(connector.auth or ""),
            )
        except ConversionError as error:
            self.notify(str(error), title="Cannot copy as curl", severity="error", timeout=8)
            return
        self.copy_to_clipboard(line)
        reads = f" It reads {', '.join('$' + item for item in variables)} from the shell." if variables else ""
        self.notify(f"Copied the curl line of {editor.entry.name}.{reads}", timeout=6)

    def import_commands(self: WorkbenchApp) -> list[Command]:
        """The palette's import and export commands."""
        from workbench.tui.commands import Command

        return [
            Command("Import connectors…", "from OpenAPI, Postman, HAR, Intercom or curl", self.action_import),
            Command("Import from curl", "paste a curl line: a new connector", lambda: self.action_import("curl")),
            Command("Copy as curl", "the connector in front as a runnable curl line", self.action_copy_as_curl),
        ]

"""Importing and exporting in the app (:class:`Importer`, owned by the main screen): the Import dialog, "Import
from curl" and "Copy as curl". The work is :mod:`workbench.importing`'s; this module draws and dispatches."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.tui.messages import CurlPasted, DocumentEdited

if TYPE_CHECKING:  # the app imports this module before the models have loaded
    from workbench.importing import Plan
    from workbench.tui.commands import Command
    from workbench.tui.ports import Workbench


class Importer:
    """Imports into the app's workspace and exports from it; the app owns one and calls it from its actions."""

    def __init__(self, host: Workbench) -> None:
        self._host = host

    def open_dialog(self, format_: str = "openapi", text: str = "") -> None:
        """Open the Import dialog (on ``format_``, with ``text``); what it creates is written as one set in a worker,
        then opened and linted."""
        from workbench.tui.screens.import_dialog import ImportScreen

        host = self._host
        if host.session is None:
            return

        def chosen(plan: Plan | None) -> None:
            if plan is not None:
                host.app.run_worker(
                    lambda: self._write(plan), name="import", group="import", thread=True, exit_on_error=False
                )

        host.app.push_screen(ImportScreen(host.session.workspace(), format_, text), chosen)

    def _write(self, plan: Plan) -> None:
        from workbench.importing import ConversionError, write_plan

        host = self._host
        session = host.session
        unsaved = session is not None and session.settings.dirty
        to_write = replace(plan, settings=None) if unsaved else plan  # unsaved settings take the environments instead
        try:
            written = write_plan(to_write)
        except ConversionError as error:
            host.app.call_from_thread(host.notify, str(error), title="Nothing imported", severity="error", timeout=10)
            return
        host.app.call_from_thread(self._show_imported, plan, written, unsaved)  # type: ignore[arg-type]  # Textual types the callback as never-returning

    async def _show_imported(self, plan: Plan, written: list[Path], unsaved_settings: bool) -> None:
        host = self._host
        session = host.session
        if session is None:
            return
        taken = list(written)
        if plan.settings is not None and unsaved_settings:  # added to the settings being edited: saved with them
            model, planned = session.settings.model, plan.settings.settings
            added = {name: planned.environments[name] for name in plan.settings.added}
            model.environments = {**added, **model.environments}
            if model.default_environment is None and planned.default_environment in model.environments:
                model.default_environment = planned.default_environment
            session.settings.touch()
        elif plan.settings is not None:
            taken.append(plan.settings.path)
        await host.take_in(taken)
        opened = [entry for entry in map(session.by_path, written) if entry is not None]
        if not opened:
            return
        host.tree.rebuild(session, opened[0])
        await host.open_entry(opened[0])
        count = f"{len(opened)} connector{'s' if len(opened) != 1 else ''}"
        secrets = f" Set {', '.join(plan.secrets)} before live calls." if plan.secrets else ""
        skipped = f" Skipped {', '.join(plan.clashes)}: they exist." if plan.clashes else ""
        host.notify(f"Imported {count}.{secrets}{skipped}", title="Import", timeout=8)

    async def on_curl_pasted(self, message: CurlPasted) -> None:
        """A curl line pasted into a connector's URL field: the connector takes its request and inputs."""
        entry, line = message.entry, message.line
        from workbench.importing import ConversionError, import_curl

        host = self._host
        try:
            connector, secrets = import_curl(line, name=entry.name)
        except ConversionError as error:
            host.notify(str(error), title="Not a usable curl line", severity="error", timeout=8)
            return
        model = entry.model
        model.kind, model.request, model.inputs = connector.kind, connector.request, connector.inputs
        entry.touch()
        await host.editors.reopen(entry)
        host.post_message(DocumentEdited(entry))
        needed = f" Set {', '.join(secrets.needed)} before live calls." if secrets.needed else ""
        host.notify(f"{entry.name} now sends the curl line's request.{needed}", timeout=6)

    def action_copy_as_curl(self) -> None:
        """Put the connector in front on the clipboard as a curl line (secrets, unset inputs as shell variables)."""
        from workbench.importing import ConversionError, export_curl

        host = self._host
        editor = host.current_editor
        if editor is None or editor.entry.kind != "connector" or host.session is None:
            host.notify("Open a connector to copy it as curl.", timeout=4)
            return
        settings = host.session.workspace_settings
        name = host.environment()
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
            host.notify(str(error), title="Cannot copy as curl", severity="error", timeout=8)
            return
        host.app.copy_to_clipboard(line)
        reads = f" It reads {', '.join('$' + item for item in variables)} from the shell." if variables else ""
        host.notify(f"Copied the curl line of {editor.entry.name}.{reads}", timeout=6)

    def commands(self) -> list[Command]:
        """The palette's import and export commands."""
        from workbench.tui.commands import Command

        return [
            Command("Import connectors…", "from OpenAPI, Postman, HAR, Intercom or curl", self.open_dialog),
            Command("Import from curl", "paste a curl line: a new connector", lambda: self.open_dialog("curl")),
            Command("Copy as curl", "the connector in front as a runnable curl line", self.action_copy_as_curl),
        ]

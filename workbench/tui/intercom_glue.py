"""Intercom in the app: palette commands for status, pull and push, each showing its diff before anything is
written or sent. The work is :mod:`workbench.intercom`'s, off the UI thread; this module draws and dispatches.

The token is ``INTERCOM_TOKEN`` (the environment or the workspace's ``.env``); ``INTERCOM_REGION`` and
``INTERCOM_BASE_URL`` choose the API root as ``--region`` and ``--base-url`` do on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from workbench.visible import visible

if TYPE_CHECKING:
    from workbench.intercom.client import IntercomClient
    from workbench.store import Workspace
    from workbench.tui.commands import Command
    from workbench.tui.ports import Workbench

Action = Literal["status", "pull", "push"]
_TITLES = {"status": "Intercom status", "pull": "Pull from Intercom", "push": "Push to Intercom"}


class IntercomSync:
    """The palette's Intercom commands; the main screen owns one."""

    def __init__(self, host: Workbench) -> None:
        self._host = host

    def commands(self) -> list[Command]:
        """Intercom status, pull and push."""
        from workbench.tui.commands import Command

        return [
            Command("Intercom: status", "each connector against Intercom, with the fields that differ",
                    lambda: self.start("status")),
            Command("Intercom: pull", "Intercom's connectors into the workspace (the changes shown first)",
                    lambda: self.start("pull")),
            Command("Intercom: push", "the connectors changed here to Intercom (the diff shown first)",
                    lambda: self.start("push")),
        ]  # fmt: skip

    def start(self, action: Action) -> None:
        """Compare with Intercom in a worker, then show the result (and, for pull and push, ask before acting)."""
        host = self._host
        session = host.session
        if session is None:
            return
        if action != "status" and session.dirty_entries():
            host.notify("Save your edits first: pull and push work from the files.", title=_TITLES[action], timeout=6)
            return
        environment = host.environment()
        root = session.root
        host.app.run_worker(
            lambda: self._prepare(action, root, environment),
            name=f"intercom-{action}",
            group="intercom",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _prepare(self, action: Action, root: Path, environment: str | None) -> None:
        from workbench.intercom.sync import compare, plan_pull, run_push

        def work(workspace: Workspace, client: IntercomClient) -> tuple[list[str], Any]:
            entries = compare(workspace, client, environment)
            if action == "status":
                return [entry.line() for entry in entries], None
            if action == "pull":
                plan = plan_pull(workspace, entries, client, environment)
                return plan.lines + [f"note: {note}" for note in plan.notes], plan if plan.writes else None
            preview = run_push(entries, client, root, dry_run=True)
            wanted = [entry for entry in entries if entry.state in ("only here", "changed here")]
            return preview.lines, entries if wanted and not preview.failed else None

        outcome = self._with_client(root, work)
        if outcome is not None:
            lines, payload = outcome
            self._host.app.call_from_thread(self._show, action, root, environment, lines, payload)

    def _with_client(self, root: Path, work: Any) -> Any:
        """``work(workspace, client)`` with the workspace on disk and a client; a failure is one notification."""
        from workbench.connectors.dotenv import EnvFileError, run_secrets
        from workbench.importing.errors import ConversionError
        from workbench.intercom.client import TOKEN_VARIABLE, IntercomClient, IntercomError, base_url_for
        from workbench.store import load_workspace

        try:
            secrets = run_secrets(root)
            url = base_url_for(secrets.get("INTERCOM_REGION") or "us", secrets.get("INTERCOM_BASE_URL"))
            with IntercomClient(secrets.get(TOKEN_VARIABLE, ""), url) as client:
                return work(load_workspace(root), client)
        except (IntercomError, ConversionError, EnvFileError, OSError) as error:
            self._host.app.call_from_thread(
                self._host.notify, visible(str(error)), title="Intercom", severity="error", timeout=10
            )
            return None

    def _show(self, action: Action, root: Path, environment: str | None, lines: list[str], payload: Any) -> None:
        from workbench.tui.screens.pickers import ChoiceScreen

        if payload is None:
            nothing = {"status": "", "pull": "Nothing to pull.", "push": "Nothing to push."}[action]
            text = "\n".join([*lines, nothing]).strip() or "No connectors here or in Intercom."
            self._host.app.push_screen(ChoiceScreen(_TITLES[action], visible(text), [("close", "Close")]))
            return
        verb = "Pull" if action == "pull" else "Push"

        def chosen(choice: str | None) -> None:
            if choice == "go":
                self._host.app.run_worker(
                    lambda: self._act(action, root, environment, payload),
                    name=f"intercom-{action}-write",
                    group="intercom",
                    thread=True,
                    exit_on_error=False,
                )

        screen = ChoiceScreen(_TITLES[action], visible("\n".join(lines)), [("go", verb), ("cancel", "Cancel")])
        self._host.app.push_screen(screen, chosen)

    def _act(self, action: Action, root: Path, environment: str | None, payload: Any) -> None:
        from workbench.editing.writes import write_set
        from workbench.intercom.sync import run_push

        def work(_: Workspace, client: IntercomClient) -> list[Path]:
            if action == "pull":
                write_set(payload.writes, root, "intercom pull")
                return [write.path for write in payload.writes]
            return [write.path for write in run_push(payload, client, root).writes]

        written = self._with_client(root, work)
        if written is not None:
            self._host.app.call_from_thread(self._written, action, written)  # type: ignore[arg-type]  # Textual types the callback as never-returning

    async def _written(self, action: Action, written: list[Path]) -> None:
        host = self._host
        await host.take_in(written)
        done = "Pulled" if action == "pull" else "Pushed"
        host.notify(f"{done}: {len(written)} file{'s' if len(written) != 1 else ''} updated.", title="Intercom")

"""``workbench rename WORKSPACE connector|procedure|step OLD NEW [--procedure P] [--dry-run]``: rename an item
and rewrite every reference to it.

Every changed file is written as a set: all of them, or (when one cannot be written) none. Exit status: 0
renamed (or, with ``--dry-run``, listed), 1 the files could not be written (each left as it was), 2 bad
usage, an unknown or taken name, or a workspace with files that do not load.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli import UsageError, open_workspace, output
from workbench.editing.rename import RENAME_KINDS, RenameError, RenamePlan, plan_rename
from workbench.editing.writes import FileWrite, WriteSetError, write_set
from workbench.jsonfile import dumps_pretty
from workbench.store import Kind, Workspace, named_path, to_data


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rename`` command."""
    parser = subparsers.add_parser(
        "rename",
        help="rename a connector, procedure or step and update every reference",
        description="Rename a connector, a procedure or a step id and rewrite every reference to it (mentions, "
        "attribute paths, code conditions, sub-procedure steps, scenarios). The files are written as a set. "
        "Exit status: 0 done, 1 files could not be written (none changed), 2 bad usage.",
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument("kind", choices=RENAME_KINDS, help="what to rename")
    parser.add_argument("old", metavar="OLD", help="its current name (a step's id)")
    parser.add_argument("new", metavar="NEW", help="its new name")
    parser.add_argument("--procedure", metavar="P", help="the procedure holding the step (for a step)")
    parser.add_argument("--dry-run", action="store_true", help="list the files and changes, write nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Plan the rename, print it, and write the files unless it is a dry run."""
    workspace = open_workspace(args.workspace)
    if workspace.problems:
        listed = "\n  ".join(str(problem) for problem in workspace.problems)
        raise UsageError(f"fix the files that do not load first (their references could not be updated):\n  {listed}")
    items = {kind: {name: doc.model for name, doc in workspace.documents(kind).items()} for kind in _KINDS}
    try:
        plan = plan_rename(items, args.kind, args.old, args.new, args.procedure)
    except RenameError as error:
        raise UsageError(str(error)) from None
    writes = file_writes(workspace, plan)
    for write in writes:
        moved = f" → {_shown(write.path, workspace.root)}" if write.replaces and write.replaces != write.path else ""
        output.say(f"{_shown(write.replaces or write.path, workspace.root)}{moved}")
        for line in write.changes:
            output.say(f"  {line}")
    for note in plan.notes:
        output.say(f"note: {note}")
    files = f"{len(writes)} file{'s' if len(writes) != 1 else ''}"
    if args.dry_run:
        output.say(f"{plan.label}: {files} would change (dry run, nothing written).")
        return 0
    try:
        write_set(writes, workspace.root, plan.label)
    except WriteSetError as error:
        output.say(f"workbench: {error}; no file was changed")
        return 1
    output.say(f"{plan.label}: {files} changed.")
    return 0


_KINDS: tuple[Kind, ...] = ("connector", "procedure", "scenario")


def file_writes(workspace: Workspace, plan: RenamePlan) -> list[FileWrite]:
    """The files a plan changes: new bytes, and a new file name for a renamed connector or procedure."""
    writes: list[FileWrite] = []
    for edit in plan.edits:
        document = workspace.documents(edit.kind)[edit.name]
        renamed = edit.kind == plan.kind and edit.name == plan.old
        path = named_path(document, edit.after) if renamed else document.path
        writes.append(FileWrite(path, dumps_pretty(to_data(edit.after)), document.path, edit.changes))
    return writes


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)

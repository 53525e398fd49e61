"""What an import will create, shown before anything is written, then written as one set.

Every importer returns an :class:`Imported`; :func:`plan_import` places its connectors in a workspace (file
paths, name clashes) and :func:`write_plan` writes all the files or none of them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.importing.credentials import Secrets
from workbench.importing.errors import ConversionError
from workbench.importing.naming import unique
from workbench.jsonfile import atomic_write
from workbench.model import Connector
from workbench.store import FOLDERS, Workspace, name_key, serialize, slugify


@dataclass
class Imported:
    """The connectors read from one source, the secrets they need and notes for the user."""

    connectors: list[Connector] = field(default_factory=list)
    secrets: Secrets = field(default_factory=Secrets)
    notes: list[str] = field(default_factory=list)
    _names: set[str] = field(default_factory=set, init=False, repr=False)

    def add(self, connector: Connector) -> Connector:
        """Add a connector, renamed ``Name 2``… if the source already gave that name.

        Every field with a value is marked as set, so that the file written shows them all.
        """
        data = connector.model_dump(mode="json", by_alias=True, exclude_none=True)
        if len(self._names) != len(self.connectors):  # the list was built directly
            self._names = {name_key(item.name) for item in self.connectors}
        name = unique(connector.name, self._names)
        if name != connector.name:
            self.notes.append(f"{connector.name!r} appears twice in the source: the second is {name!r}")
            data["name"] = name
        connector = Connector.model_validate(data)
        self.connectors.append(connector)
        self._names.add(name_key(name))
        return connector


@dataclass(frozen=True)
class PlannedFile:
    """One connector file to write; ``replaces`` when it overwrites the connector of the same name."""

    path: Path
    connector: Connector
    replaces: bool = False


@dataclass
class Plan:
    """The files an import writes, the secrets to set, notes, and the names that clash (nothing is written then)."""

    files: list[PlannedFile]
    secrets: dict[str, str]
    notes: list[str]
    clashes: list[str]

    def lines(self, root: Path) -> list[str]:
        """The preview, one line per file, then the secrets to set and the notes."""
        lines = []
        for item in self.files:
            verb = "replace" if item.replaces else "create"
            inputs = ", ".join(f"{i.name}: {i.type}{'' if i.required else '?'}" for i in item.connector.inputs)
            request = item.connector.request
            lines.append(
                f"{verb} {item.path.relative_to(root)}  {item.connector.name!r}  {request.method} {request.url}"
                + (f"  inputs: {inputs}" if inputs else "")
            )
        for name in self.clashes:
            lines.append(f"exists  {name!r}: a connector of that name exists (--replace overwrites it)")
        for name, hint in self.secrets.items():
            lines.append(f"secret  set {name} to {hint}")
        lines.extend(f"note    {note}" for note in self.notes)
        return lines


def plan_import(workspace: Workspace, imported: Imported, *, replace: bool = False) -> Plan:
    """Where each imported connector goes in ``workspace``; existing names are clashes unless ``replace``."""
    folder = workspace.root / FOLDERS["connector"]
    taken = {path.name.lower() for path in folder.glob("*.json")} if folder.is_dir() else set()
    taken |= {document.path.name.lower() for document in workspace.connectors.values()}  # unsaved ones too
    existing_by_key = {name_key(name): document for name, document in workspace.connectors.items()}
    files: list[PlannedFile] = []
    clashes: list[str] = []
    for connector in imported.connectors:
        existing = existing_by_key.get(name_key(connector.name))
        if existing is not None:
            if replace:
                files.append(PlannedFile(existing.path, connector, replaces=True))
            else:
                clashes.append(connector.name)
            continue
        stem = slugify(connector.name)
        file_name, counter = f"{stem}.json", 2
        while file_name.lower() in taken:
            file_name, counter = f"{stem}-{counter}.json", counter + 1
        taken.add(file_name.lower())
        files.append(PlannedFile(folder / file_name, connector))
    return Plan(files, dict(imported.secrets.needed), list(imported.notes), clashes)


def write_plan(plan: Plan) -> list[Path]:
    """Write every planned file, or none: each is staged beside its target, then all are moved in place.

    Raises :class:`ConversionError` when the plan has clashes or a file cannot be written; files replaced
    before a failure get their old content back.
    """
    if plan.clashes:
        names = ", ".join(repr(name) for name in plan.clashes)
        raise ConversionError("workspace", f"connectors {names} exist already: pass --replace to overwrite them")
    staged: list[tuple[str, PlannedFile]] = []
    try:
        for item in plan.files:
            item.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{item.path.name}.", suffix=".tmp", dir=item.path.parent)
            staged.append((temp, item))
            with os.fdopen(fd, "wb") as handle:
                handle.write(serialize(item.connector))
                handle.flush()
                os.fsync(handle.fileno())
        _move_all(staged)
    except OSError as error:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
        raise ConversionError("workspace", f"cannot write the connectors: {error.strerror or error}") from None
    return [item.path for item in plan.files]


def _move_all(staged: list[tuple[str, PlannedFile]]) -> None:
    """Move staged files in place; on failure, undo the moves already made."""
    done: list[tuple[PlannedFile, bytes | None]] = []
    try:
        for temp, item in staged:
            previous = item.path.read_bytes() if item.path.exists() else None
            os.replace(temp, item.path)
            done.append((item, previous))
    except OSError:
        for item, previous in reversed(done):
            if previous is None:
                item.path.unlink(missing_ok=True)
            else:
                atomic_write(item.path, previous)
        raise

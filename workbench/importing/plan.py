"""What an import will create, shown before anything is written, then written as one set.

Every importer returns an :class:`Imported`; :func:`plan_import` places its connectors in a workspace (file
paths, name clashes: skipped unless replaced; environments added to ``workbench.json``; every secret the
connectors send, whether the import made the template or the source wrote it) and :func:`write_plan` writes
all the files or none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench import jsoncodec
from workbench.connectors.templates import TEMPLATE
from workbench.editing.writes import FileWrite, write_set
from workbench.importing.credentials import Secrets, scrub, secret_references
from workbench.importing.errors import ConversionError
from workbench.importing.naming import unique
from workbench.model import Connector, McpServer, WorkspaceSettings
from workbench.store import (
    FOLDERS,
    SETTINGS_FILE,
    DocumentError,
    Workspace,
    load_document,
    name_key,
    name_problem,
    serialize,
    slugify,
    to_data,
)


@dataclass
class Imported:
    """The connectors read from one source, the secrets they need, notes for the user, the environments the
    source names (``{name: {"base_url": url}}``, the first the default) and the MCP servers its connectors call."""

    connectors: list[Connector] = field(default_factory=list)
    secrets: Secrets = field(default_factory=Secrets)
    notes: list[str] = field(default_factory=list)
    environments: dict[str, dict[str, str]] = field(default_factory=dict)
    mcp_servers: dict[str, McpServer] = field(default_factory=dict)
    _names: set[str] = field(default_factory=set, init=False, repr=False)

    def add(self, connector: Connector) -> Connector:
        """Add a connector, its credentials templated (:func:`scrub`), renamed ``Name 2``… if the source already
        gave that name.

        Every field with a value is marked as set, so that the file written shows them all.
        """
        base_url = next(iter(self.environments.values()), {}).get("base_url", "")
        connector = scrub(connector, self.secrets, base_url)
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


@dataclass(frozen=True)
class PlannedSettings:
    """``workbench.json`` with the environments the import adds (``added``, by name) and its MCP servers
    (``servers``: their URL or command line, by name)."""

    path: Path
    settings: WorkspaceSettings
    added: dict[str, str]
    servers: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """The files an import writes, the secrets its connectors send (``{NAME: what it is}``), notes, the names
    that clash (skipped unless replaced) and the environments it adds."""

    files: list[PlannedFile]
    secrets: dict[str, str]
    notes: list[str]
    clashes: list[str]
    root: Path
    """The workspace folder the files go to."""
    settings: PlannedSettings | None = None

    def lines(self, root: Path) -> list[str]:
        """The preview, one line per file, then the environments, the secrets to set and the notes."""
        lines = []
        for item in self.files:
            verb = "replace" if item.replaces else "create"
            inputs = ", ".join(f"{i.name}: {i.type}{'' if i.required else '?'}" for i in item.connector.inputs)
            request, mcp = item.connector.request, item.connector.mcp
            target = f"tool {mcp.tool} of {mcp.server}" if mcp is not None else f"{request.method} {request.url}"
            lines.append(
                f"{verb} {item.path.relative_to(root)}  {item.connector.name!r}  {target}"
                + (f"  inputs: {inputs}" if inputs else "")
            )
        for name in self.clashes:
            lines.append(f"skip    {name!r}: a connector of that name exists (--replace overwrites it)")
        if self.settings is not None:
            for name, url in self.settings.added.items():
                lines.append(f"env     {name}: base_url {url} (in {SETTINGS_FILE})")
            for name, where in self.settings.servers.items():
                lines.append(f"mcp     {name}: {where} (in {SETTINGS_FILE} mcp_servers)")
        for name, hint in self.secrets.items():
            lines.append(f"secret  {name}: {hint}")
        lines.extend(f"note    {note}" for note in self.notes)
        return lines

    @property
    def empty(self) -> bool:
        """Whether the plan writes nothing (every connector clashes)."""
        return not self.files and self.settings is None


def plan_import(workspace: Workspace, imported: Imported, *, replace: bool = False) -> Plan:
    """Where each imported connector goes in ``workspace``; existing names are skipped unless ``replace``."""
    folder = workspace.root / FOLDERS["connector"]
    taken = {path.name.lower() for path in folder.glob("*.json")} if folder.is_dir() else set()
    taken |= {document.path.name.lower() for document in workspace.connectors.values()}  # unsaved ones too
    existing_by_key = {name_key(name): document for name, document in workspace.connectors.items()}
    files: list[PlannedFile] = []
    clashes: list[str] = []
    for connector in imported.connectors:
        problem = name_problem("connector", connector.name)
        if problem:
            raise ConversionError("", problem)
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
    notes = list(imported.notes)
    settings = _planned_settings(workspace.root, imported, notes) if files else None
    return Plan(files, _secrets(files, imported), notes, clashes, workspace.root, settings)


def _secrets(files: list[PlannedFile], imported: Imported) -> dict[str, str]:
    """Every secret the written connectors (and their MCP servers) send: those the import templated, then those
    the source wrote."""
    made = imported.secrets
    found: dict[str, str] = {}
    for name in _server_secrets(imported.mcp_servers.values()):
        found.setdefault(name, f"set it to {made.needed[name]}" if name in made.needed else "written by the source")
    for item in files:
        if item.connector.mcp is not None:
            continue
        host = item.connector.request.url.split("://", 1)[-1].split("/", 1)[0] or "its URL"
        for name in secret_references(item.connector):
            if name in made.needed:
                found.setdefault(name, f"set it to {made.needed[name]}")
            else:
                found.setdefault(name, f"written by the source: {item.connector.name!r} sends it to {host}")
    return found


def _server_secrets(servers: Iterable[McpServer]) -> list[str]:
    """The ``{{secret.NAME}}`` names MCP server definitions send, in order."""
    text = jsoncodec.dumps([to_data(server) for server in servers]).decode()
    return [match[len("secret.") :] for match in TEMPLATE.findall(text) if match.startswith("secret.")]


def _planned_settings(root: Path, imported: Imported, notes: list[str]) -> PlannedSettings | None:
    """``workbench.json`` with the source's environments and MCP servers added (existing ones of the same name
    left alone)."""
    environments = imported.environments
    if not environments and not imported.mcp_servers:
        return None
    path = root / SETTINGS_FILE
    settings = WorkspaceSettings()
    if path.exists():
        try:
            settings = load_document(path, "workspace").model
        except DocumentError as error:
            notes.append(f"{SETTINGS_FILE} cannot be read ({error.problem.message}): add the environments by hand")
            return None
    added = {name: values["base_url"] for name, values in environments.items() if name not in settings.environments}
    for name in environments:
        if name not in added:
            notes.append(f"environment {name!r} exists in {SETTINGS_FILE}: left as it is")
    servers = {name: server for name, server in imported.mcp_servers.items() if name not in settings.mcp_servers}
    for name, server in imported.mcp_servers.items():
        if name not in servers and settings.mcp_servers[name] != server:
            notes.append(f"MCP server {name!r} exists in {SETTINGS_FILE}: left as it is")
    if not added and not servers:
        return None
    data = settings.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if added:
        data["environments"] = {**settings.environments, **{name: environments[name] for name in added}}
        if settings.default_environment is None:  # the one in use so far stays in use; else the source's first
            data["default_environment"] = next(iter(settings.environments), next(iter(added)))
    if servers:
        written = {name: server.model_dump(mode="json", exclude_unset=True) for name, server in servers.items()}
        data["mcp_servers"] = {**data.get("mcp_servers", {}), **written}
    labels = {name: server.label for name, server in servers.items()}
    return PlannedSettings(path, WorkspaceSettings.model_validate(data), added, labels)


def write_plan(plan: Plan) -> list[Path]:
    """Write every planned file (clashes are skipped) and the settings, or none, as one journaled set (see
    :func:`~workbench.editing.writes.write_set`). Returns the connector files written.

    Raises :class:`ConversionError` when a file cannot be written; files replaced before a failure get their
    old content back.
    """
    writes = [FileWrite(item.path, serialize(item.connector)) for item in plan.files]
    if plan.settings is not None:
        writes.append(FileWrite(plan.settings.path, serialize(plan.settings.settings)))
    count = f"{len(plan.files)} connector{'s' if len(plan.files) != 1 else ''}"
    try:
        for item in writes:
            item.path.parent.mkdir(parents=True, exist_ok=True)
        write_set(writes, plan.root, f"import of {count}")
    except OSError as error:  # a WriteSetError, or a folder that cannot be made
        raise ConversionError("workspace", f"cannot write the connectors: {error.strerror or error}") from None
    return [item.path for item in plan.files]

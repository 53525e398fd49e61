"""The edit session: the workspace's documents, their in-memory models, dirtiness, saves, disk changes.

Editors change an entry's model in place (replacing lists and dicts rather than mutating them, so that a
worker thread reading the models never sees one half-changed); :meth:`Entry.touch` marks it edited at once
and :meth:`Entry.refresh_dirty` (run off the UI thread) settles whether it really differs from the file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workbench.attributes import Attribute, AttributeCatalog, code_steps
from workbench.code_trial import CodeSamples, sample_payloads
from workbench.connectors.samples import TransformedSamples
from workbench.editing.breakpoints import Breakpoints
from workbench.editing.drafts import Drafts
from workbench.editing.operations import History
from workbench.editing.writes import FileWrite, write_set
from workbench.jsonfile import dumps_pretty, read_regular
from workbench.model import (
    CodeStep,
    Connector,
    InstructionStep,
    MockResponse,
    Procedure,
    Request,
    ResponseConfig,
    Scenario,
    WorkspaceSettings,
)
from workbench.sandbox import SandboxLimits
from workbench.store import (
    FOLDERS,
    KINDS,
    SETTINGS_FILE,
    Document,
    DocumentError,
    Kind,
    LoadProblem,
    Workspace,
    load_document,
    load_workspace,
    name_key,
    named_path,
    new_document,
    to_data,
)

Signature = tuple[int, int]
"""A file's ``(mtime_ns, size)``: cheap to compare when watching for changes on disk."""


def signature(path: Path) -> Signature | None:
    """The file's signature, or ``None`` when it does not exist."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class SaveRefused(Exception):
    """A save that would overwrite a file the session did not load."""


@dataclass(eq=False)
class Entry:
    """One document being edited: what is on disk and the model as the user has it now."""

    document: Document[Any]
    disk: Signature | None = None
    dirty: bool = False
    history: History = field(default_factory=History)
    """The item's undo and redo stacks (emptied when its model is replaced as a whole)."""
    drafts: Drafts = field(default_factory=Drafts)
    """Text typed into its fields that is not a value yet: unsaved, and saving waits until it is fixed."""

    def __repr__(self) -> str:
        return f"Entry({self.kind} {self.name!r} at {self.path}{', unsaved' if self.dirty else ''})"

    @property
    def model(self) -> Any:
        """The in-memory model (edited in place)."""
        return self.document.model

    @property
    def kind(self) -> str:
        """``connector``, ``procedure``, ``scenario`` or ``workspace``."""
        return self.document.kind

    @property
    def path(self) -> Path:
        """The file the entry is saved to."""
        return self.document.path

    @property
    def name(self) -> str:
        """The model's user-facing name."""
        return self.document.name

    def replace_model(self, model: Any) -> None:
        """Swap in a whole new model (e.g. from a JSON editor of the file), keeping what is on disk."""
        self.document = replace(self.document, model=model)
        self.history.clear()
        self.dirty = True

    def touch(self) -> None:
        """Mark the entry edited (what :meth:`refresh_dirty` later confirms or clears)."""
        self.dirty = True

    def differs_from_disk(self) -> bool:
        """Whether the model differs from the file, or a draft waits (slow for big models: call it off the UI
        thread)."""
        if self.drafts.texts:
            return True
        if self.document.raw is None:
            return self.kind != "workspace" or bool(to_data(self.model))
        return self.document.is_modified()

    def refresh_dirty(self) -> bool:
        """Settle :attr:`dirty` by comparing the model with the file."""
        self.dirty = self.differs_from_disk()
        return self.dirty


class _SharedFlattening(AttributeCatalog):
    """A catalog that reuses the flattened attributes of responses that did not change since the last one.

    Every edit makes a new catalog (the flow of a procedure may have changed); re-flattening a big example
    each time would stall the ``@`` menu, so results are kept per connector while its payload is the same
    object (edits replace payloads, never change them in place).
    """

    def __init__(self, flattened: dict[str, tuple[Any, list[Attribute]]], *args: Any) -> None:
        super().__init__(*args)
        self._flattened = flattened

    def flattened(self, connector: str) -> list[Attribute]:
        payload = self.payload(connector)
        kept = self._flattened.get(connector)
        if kept is not None and kept[0] is payload:
            return kept[1]
        attributes = super().flattened(connector)
        self._flattened[connector] = (payload, attributes)
        return attributes


@dataclass(frozen=True)
class DiskChanges:
    """Files that changed on disk since they were loaded or saved."""

    changed: list[Entry] = field(default_factory=list)
    added: list[Path] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    broken: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.broken)


class EditSession:
    """All the documents of one workspace folder, as the app edits them (the app's ``session``; a run of a
    procedure is the engine's :class:`~workbench.engine.Run`, and the app's debugger drives one as a debug run)."""

    def __init__(self, workspace: Workspace) -> None:
        self.root = workspace.root
        self.settings = Entry(workspace.settings, signature(workspace.settings.path))
        self.entries: list[Entry] = []
        for kind in KINDS:
            for document in workspace.documents(kind).values():
                self.entries.append(Entry(document, signature(document.path)))
        self.problems: dict[Path, LoadProblem] = {}
        self.recovered = list(workspace.recovered)
        """What loading did to finish writes a killed process left half done (the app says so at start)."""
        self.breakpoints = Breakpoints()
        """The debugger's breakpoints (renames carry them along, undo brings them back)."""
        self.version = 0
        self.payloads: dict[str, Any] = {}
        """What connectors with a transform return for their sample response, and code steps that declare no
        outputs return on the samples (see :meth:`transformed_payloads`)."""
        self._samples = TransformedSamples()
        self._code_samples = CodeSamples()
        self._trials: dict[str, tuple[str, dict[str, Any]]] = {}
        self._catalog: tuple[int, AttributeCatalog] | None = None
        self._flattened: dict[str, tuple[Any, list[Attribute]]] = {}
        self._broken: dict[Path, Signature | None] = {}
        for problem in workspace.problems:
            self._mark_broken(problem)

    @classmethod
    def load(cls, root: Path | str) -> EditSession:
        """Load every file of the workspace folder (raises ``WorkspaceNotFound`` for a missing folder)."""
        return cls(load_workspace(Path(root)))

    def of_kind(self, kind: str) -> list[Entry]:
        """The entries of one kind, by name."""
        return sorted((entry for entry in self.entries if entry.kind == kind), key=lambda entry: name_key(entry.name))

    def find(self, kind: str, name: str) -> Entry | None:
        """The entry of a kind with this name."""
        return next((entry for entry in self.entries if entry.kind == kind and entry.name == name), None)

    def same_name(self, kind: str, name: str) -> Entry | None:
        """The entry of a kind whose name is the same name as ``name`` for the loader (:func:`name_key`)."""
        key = name_key(name)
        return next((entry for entry in self.entries if entry.kind == kind and name_key(entry.name) == key), None)

    def by_path(self, path: Path) -> Entry | None:
        """The entry saved to ``path`` (the settings entry for ``workbench.json``)."""
        if path == self.settings.path:
            return self.settings
        return next((entry for entry in self.entries if entry.path == path), None)

    def entry_of(self, model: object) -> Entry | None:
        """The entry whose model is ``model`` (the very object)."""
        return next((entry for entry in self.all_entries() if entry.model is model), None)

    def relative(self, path: Path) -> str:
        """``path`` as messages name it: inside the workspace folder relative to it, else whole."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def all_entries(self) -> Iterator[Entry]:
        """The settings entry, then every document entry."""
        yield self.settings
        yield from self.entries

    def dirty_entries(self) -> list[Entry]:
        """Entries with unsaved changes."""
        return [entry for entry in self.all_entries() if entry.dirty]

    def connectors(self) -> dict[str, Connector]:
        """The in-memory connectors by name."""
        return {entry.name: entry.model for entry in self.entries if entry.kind == "connector"}

    def procedures(self) -> dict[str, Procedure]:
        """The in-memory procedures by name."""
        return {entry.name: entry.model for entry in self.entries if entry.kind == "procedure"}

    def items(self) -> dict[Kind, dict[str, BaseModel]]:
        """The in-memory connectors, procedures and scenarios: kind -> name -> model (what renames plan over)."""
        return {kind: {entry.name: entry.model for entry in self.of_kind(kind)} for kind in KINDS}

    def scenarios(self) -> dict[str, Scenario]:
        """The in-memory scenarios by name."""
        return {entry.name: entry.model for entry in self.entries if entry.kind == "scenario"}

    @property
    def workspace_settings(self) -> WorkspaceSettings:
        """The in-memory ``workbench.json`` settings."""
        settings: WorkspaceSettings = self.settings.model
        return settings

    def changed(self) -> None:
        """Note that some model changed (what was derived from the models is stale)."""
        self.version += 1

    def catalog(self) -> AttributeCatalog:
        """An attribute catalog over the models as they are now (rebuilt after :meth:`changed`)."""
        if self._catalog is None or self._catalog[0] != self.version:
            catalog = _SharedFlattening(
                self._flattened, self.connectors(), self.procedures(), self.workspace_settings, self.payloads
            )
            self._catalog = (self.version, catalog)
        return self._catalog[1]

    def sandbox_limits(self) -> SandboxLimits:
        """The workspace's limits for running user code."""
        return SandboxLimits.of(self.workspace_settings.limits)

    def transformed_payloads(self) -> dict[str, Any]:
        """What connectors with a transform return for their sample response, and code steps without declared
        outputs on the samples (see :func:`~workbench.code_trial.sample_payloads`), or in their last trial
        (:meth:`remember_trial`). Slow: call it off the UI thread."""
        payloads = sample_payloads(
            self.connectors(),
            self.procedures(),
            self.workspace_settings,
            self.sandbox_limits(),
            self._samples,
            self._code_samples,
        )
        steps = code_steps(self.procedures())
        trials = {
            name: outputs
            for name, (code, outputs) in self._trials.items()
            if name in steps and steps[name].code == code
        }
        return {**payloads, **trials}

    def take_payloads(self, payloads: dict[str, Any]) -> bool:
        """Keep ``payloads`` (what :meth:`transformed_payloads` computed off the UI thread) as the session's;
        returns whether they changed (what was derived from them is stale then)."""
        if payloads == self.payloads:
            return False
        self.payloads = payloads
        self.changed()
        return True

    def remember_trial(self, step: CodeStep, outputs: dict[str, Any]) -> None:
        """What a code step returned in its Try panel: its outputs stand for it (the ``@`` menu, the live lint)
        over a run on the samples, while its code stays as it was."""
        self._trials[step.name] = (step.code, outputs)
        self.payloads = {**self.payloads, step.name: outputs}
        self.changed()

    def workspace(self) -> Workspace:
        """A :class:`Workspace` view of the in-memory models (for the linter)."""
        workspace = Workspace(self.root, self.settings.document, problems=list(self.problems.values()))
        for entry in self.entries:
            workspace.documents(entry.kind).setdefault(entry.name, entry.document)  # type: ignore[arg-type]
        return workspace

    def create(self, kind: Kind, model: BaseModel) -> Entry:
        """A new, unsaved entry for ``model`` at a free file name of its kind."""
        entry = Entry(new_document(self.workspace(), kind, model), None, True)
        self.entries.append(entry)
        self.changed()
        return entry

    def taken_names(self) -> dict[str, set[str]]:
        """The names in use, by kind (a new item takes another)."""
        return {kind: {entry.name for entry in self.of_kind(kind)} for kind in KINDS}

    def create_starter(self, kind: Kind, name: str) -> Entry:
        """A new, unsaved item of ``kind`` called ``name``, as :func:`starter_model` makes it."""
        return self.create(kind, starter_model(kind, name, sorted(self.procedures())))

    def remove(self, entry: Entry) -> None:
        """Forget an entry (its file is left alone)."""
        self.entries = [other for other in self.entries if other is not entry]
        self.changed()

    def save(self, entry: Entry) -> None:
        """Write the entry atomically, renaming its file when its name changed (the new file and the old one's
        removal are one set: :meth:`save_set`).

        Raises :class:`SaveRefused` rather than overwrite a file this session did not load or save an item with
        drafts (naming each), and ``OSError``.
        """
        if entry.drafts.texts:
            raise SaveRefused("; ".join(entry.drafts.problems()))
        self.save_set([entry])

    def save_set(self, entries: list[Entry]) -> None:
        """Write several entries atomically as a set (the files of a rename), each renamed with its name.

        Raises :class:`SaveRefused` (nothing written) and :class:`~workbench.editing.writes.WriteSetError`
        (an ``OSError``: every file was left as it was).
        """
        planned: list[tuple[Entry, FileWrite, dict[str, Any]]] = []
        for entry in entries:
            if entry.document.raw is None and entry.path.exists():
                raise SaveRefused(f"{entry.path} exists and was not loaded (see its problem); not overwritten")
            data = to_data(entry.model)
            path = named_path(entry.document, entry.model)
            if data != entry.document.baseline or path != entry.path or entry.document.raw is None:
                planned.append((entry, FileWrite(path, dumps_pretty(data), entry.path), data))
        write_set([write for _, write, _ in planned], self.root)
        for entry, write, data in planned:
            entry.document = Document(entry.document.kind, write.path, entry.model, write.data, data)
        for entry in entries:
            entry.disk = signature(entry.path)
            entry.dirty = bool(entry.drafts.texts)  # a draft elsewhere in a renamed item is still not saved

    def reload(self, entry: Entry) -> LoadProblem | None:
        """Replace the entry's model by the file's content; returns the problem when the file no longer loads."""
        try:
            document = load_document(entry.path, entry.kind)  # type: ignore[arg-type]
        except DocumentError as error:
            self.problems[entry.path] = error.problem
            entry.disk = signature(entry.path)
            return error.problem
        self.problems.pop(entry.path, None)
        entry.document = document
        entry.history.clear()
        entry.drafts.texts = {}
        entry.disk = signature(entry.path)
        entry.dirty = False
        self.changed()
        return None

    def load_new(self, path: Path) -> Entry | LoadProblem:
        """Load a file that appeared on disk (or a broken one that was fixed) as a new entry."""
        kind = self._kind_of(path)
        try:
            document = load_document(path, kind)  # type: ignore[arg-type]
        except DocumentError as error:
            self._mark_broken(error.problem)
            return error.problem
        if kind == "workspace":
            self.problems.pop(path, None)
            self._broken.pop(path, None)
            self.settings = Entry(document, signature(path))
            self.changed()
            return self.settings
        twin = self.same_name(kind, document.name)
        if twin is not None:
            problem = LoadProblem(path, 1, 1, f"{kind} name {document.name!r} is already used by {twin.path}")
            self._mark_broken(problem)
            return problem
        self.problems.pop(path, None)
        self._broken.pop(path, None)
        entry = Entry(document, signature(path))
        self.entries.append(entry)
        self.changed()
        return entry

    def scan_disk(self, only: Collection[Path] | None = None) -> DiskChanges:
        """Compare the folder (or only its files at the paths ``only``) with what was loaded or saved (reads only
        files whose signature moved)."""
        changes = DiskChanges()
        known: set[Path] = set()
        for entry in self.all_entries():
            known.add(entry.path)
            if only is not None and entry.path not in only:
                continue
            now = signature(entry.path)
            if now == entry.disk:
                continue
            if now is None:
                if entry.document.raw is not None:
                    changes.removed.append(entry)
                continue
            if not _same_bytes(entry.path, entry.document.raw):
                changes.changed.append(entry)
            else:
                entry.disk = now
        for path in self._files():
            if path in known or (only is not None and path not in only):
                continue
            if path in self._broken:
                now = signature(path)
                if now != self._broken[path]:
                    self._broken[path] = now
                    changes.broken.append(path)
                continue
            changes.added.append(path)
        return changes

    def _files(self) -> Iterator[Path]:
        settings = self.root / SETTINGS_FILE
        if settings.is_file():
            yield settings
        for kind in KINDS:
            folder = self.root / FOLDERS[kind]
            if folder.is_dir():
                yield from sorted(folder.glob("*.json"))

    def _kind_of(self, path: Path) -> str:
        if path.name == SETTINGS_FILE and path.parent == self.root:
            return "workspace"
        return next((kind for kind in KINDS if path.parent.name == FOLDERS[kind]), "connector")

    def _mark_broken(self, problem: LoadProblem) -> None:
        self.problems[problem.path] = problem
        self._broken[problem.path] = signature(problem.path)


def starter_model(kind: Kind, name: str, procedures: list[str]) -> BaseModel:
    """A new item's model: a connector with an empty example, a procedure with one step, a scenario of the
    first of ``procedures``."""
    if kind == "connector":
        return Connector(
            name=name,
            request=Request(method="GET", url="{{env.base_url}}/"),
            response=ResponseConfig(mode="example", example=MockResponse(status=200, body={})),
        )
    if kind == "procedure":
        return Procedure(name=name, description="", steps=[InstructionStep(id="start", text="")])
    return Scenario(name=name, procedure=procedures[0] if procedures else "")


def _same_bytes(path: Path, raw: bytes | None) -> bool:
    try:
        return raw is not None and read_regular(path, len(raw)) == raw
    except OSError:
        return False

"""A workspace folder <-> models: tolerant loading with located problems, atomic byte-stable saves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from workbench.editing.writes import finish_interrupted_sets
from workbench.folders import FOLDERS as FOLDERS
from workbench.folders import KINDS as KINDS
from workbench.folders import SETTINGS_FILE as SETTINGS_FILE
from workbench.folders import Kind as Kind
from workbench.folders import is_workspace as is_workspace
from workbench.folders import name_key as name_key
from workbench.jsonfile import (
    JsonFileError,
    atomic_write,
    dumps_pretty,
    locate,
    read_json,
    remove_stale_temporaries,
)
from workbench.model import Connector, Procedure, Scenario, WorkspaceSettings

SchemaKind = Literal["workspace", "connector", "procedure", "scenario"]
MODELS: dict[SchemaKind, type[BaseModel]] = {
    "workspace": WorkspaceSettings,
    "connector": Connector,
    "procedure": Procedure,
    "scenario": Scenario,
}
M = TypeVar("M", bound=BaseModel)


class WorkspaceNotFound(Exception):
    """The path is not a folder that can hold a workspace."""


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be loaded, and where its problem is."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Document(Generic[M]):
    """A model together with the file it lives in and what that file held when loaded."""

    kind: SchemaKind
    path: Path
    model: M
    raw: bytes | None = None
    baseline: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        """The user-facing name of the model (the workspace's own name for ``workbench.json``)."""
        return str(getattr(self.model, "name", ""))

    def is_modified(self, model: BaseModel | None = None) -> bool:
        """Whether ``model`` (default: this document's model) differs from what is on disk."""
        return to_data(model if model is not None else self.model) != self.baseline


@dataclass
class Workspace:
    """Everything loaded from one workspace folder, plus the problems of the files that did not load."""

    root: Path
    settings: Document[WorkspaceSettings]
    connectors: dict[str, Document[Connector]] = field(default_factory=dict)
    procedures: dict[str, Document[Procedure]] = field(default_factory=dict)
    scenarios: dict[str, Document[Scenario]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    """What loading did to finish writes that a killed process left half done (one message each)."""

    def documents(self, kind: Kind) -> dict[str, Document[Any]]:
        """The loaded documents of one kind, by name."""
        documents: dict[str, dict[str, Document[Any]]] = {
            "connector": self.connectors,
            "procedure": self.procedures,
            "scenario": self.scenarios,
        }
        return documents[kind]

    def connector(self, name: str) -> Connector | None:
        """The connector called ``name``, if loaded."""
        document = self.connectors.get(name)
        return document.model if document else None

    def procedure(self, name: str) -> Procedure | None:
        """The procedure called ``name``, if loaded."""
        document = self.procedures.get(name)
        return document.model if document else None

    def connector_models(self) -> dict[str, Connector]:
        """All loaded connectors by name."""
        return {name: document.model for name, document in self.connectors.items()}

    def procedure_models(self) -> dict[str, Procedure]:
        """All loaded procedures by name."""
        return {name: document.model for name, document in self.procedures.items()}

    def put(self, document: Document[Any]) -> None:
        """Register a (new or saved) document under its current name, dropping any entry for its path."""
        documents = self.documents(document.kind)  # type: ignore[arg-type]
        for name, existing in list(documents.items()):
            if existing.path == document.path:
                del documents[name]
        documents[document.name] = document


def to_data(model: BaseModel) -> dict[str, Any]:
    """A model as the JSON data written to its file: known keys in field order, then unknown keys."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def serialize(model: BaseModel) -> bytes:
    """A model in the project's file format."""
    return dumps_pretty(to_data(model))


def slugify(name: str) -> str:
    """A file-name slug of a user-facing name: ``"Get orders"`` -> ``"get-orders"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "untitled"


MAX_FILE_NAME_BYTES = 200
"""The longest file name (in bytes) a new name may make: file systems allow 255, less room for the temporary
names of atomic saves (``.NAME.PID.RANDOM.set.tmp``) and a ``-N`` suffix."""
RESERVED_STEMS = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{digit}" for digit in range(10)), *(f"lpt{digit}" for digit in range(10))}
)
"""File names Windows reserves for devices, whatever their extension."""


def name_problem(kind: str, name: str) -> str | None:
    """Why ``name`` cannot be the name of a new or renamed connector, procedure or scenario, judged by the
    file it is saved to (too long, a reserved device name); None when it can. Rename, import and creation
    all ask here."""
    stem = slugify(name)
    size = len(f"{stem}.json".encode())
    if size > MAX_FILE_NAME_BYTES:
        shown = name if len(name) <= 40 else name[:40] + "…"
        return (
            f"{kind} name {shown!r} is too long: its file name would be {size} bytes, "
            f"at most {MAX_FILE_NAME_BYTES} are allowed"
        )
    if stem in RESERVED_STEMS:
        return f"{kind} name {name!r} would be saved as {stem}.json, a device name reserved on Windows: choose another"
    return None


def load_document(path: Path, kind: SchemaKind) -> Document[Any]:
    """Load and validate one file; raises :class:`DocumentError` with the located problem."""
    try:
        data, text, raw = read_json(path)
    except JsonFileError as error:
        raise DocumentError(LoadProblem(path, error.location.line, error.location.column, error.message)) from None
    if not isinstance(data, dict):
        raise DocumentError(LoadProblem(path, 1, 1, f"expected a JSON object, found {type(data).__name__}"))
    try:
        model = MODELS[kind].model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = locate(text, tuple(first["loc"]))
        raise DocumentError(
            LoadProblem(path, where.line, where.column, _describe(first, len(error.errors())))
        ) from None
    return Document(kind, path, model, raw, to_data(model))


class DocumentError(Exception):
    """A file failed to load; carries its :class:`LoadProblem`."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _describe(error: Any, count: int) -> str:
    path = ".".join(str(part) for part in error["loc"])
    message = error["msg"]
    if error["type"] == "missing":
        message = "required key is missing"
    more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
    return f"{path}: {message}{more}" if path else f"{message}{more}"


def load_workspace(root: Path | str) -> Workspace:
    """Load every file of a workspace; broken files become :attr:`Workspace.problems`, never exceptions."""
    root = Path(root)
    if not root.is_dir():
        raise WorkspaceNotFound(f"{root}: not a folder")
    recovered = finish_interrupted_sets(root, [root / folder for folder in FOLDERS.values()])
    problems: list[LoadProblem] = []
    settings_path = root / SETTINGS_FILE
    settings = Document("workspace", settings_path, WorkspaceSettings(), None, None)
    if settings_path.exists():
        try:
            settings = load_document(settings_path, "workspace")
        except DocumentError as error:
            problems.append(error.problem)
    workspace = Workspace(root, settings, problems=problems, recovered=recovered)
    remove_stale_temporaries(root)
    for kind in KINDS:
        folder = root / FOLDERS[kind]
        if not folder.is_dir():
            continue
        remove_stale_temporaries(folder)
        documents = workspace.documents(kind)
        folded: dict[str, Document[Any]] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                document = load_document(path, kind)
            except DocumentError as error:
                problems.append(error.problem)
                continue
            first = folded.get(name_key(document.name))
            if first is not None:
                problems.append(_name_clash(kind, document, first))
                continue
            folded[name_key(document.name)] = documents[document.name] = document
    return workspace


def _name_clash(kind: Kind, document: Document[Any], first: Document[Any]) -> LoadProblem:
    where = locate((document.raw or b"").decode("utf-8", errors="replace"), ("name",))
    if document.name == first.name:
        message = f"{kind} name {document.name!r} is already used by {first.path}"
    else:
        message = (
            f"{kind} name {document.name!r} clashes with {first.name!r} of {first.path}: "
            "names must differ by more than case or Unicode form"
        )
    return LoadProblem(document.path, where.line, where.column, message)


def save_document(document: Document[M], model: M | None = None, *, rename: bool = False) -> Document[M]:
    """Write ``model`` (default: the document's own) to the document's file, atomically.

    An unchanged model leaves the file's bytes exactly as they are. With ``rename``, a file whose name no
    longer matches the model's name moves to the new slug (when that name is free).
    """
    model = model if model is not None else document.model
    data = to_data(model)
    path = named_path(document, model) if rename else document.path
    if data == document.baseline and path == document.path and document.raw is not None:
        return replace(document, model=model)
    raw = dumps_pretty(data)
    atomic_write(path, raw)
    if path != document.path:
        document.path.unlink(missing_ok=True)
    return Document(document.kind, path, model, raw, data)


def named_path(document: Document[Any], model: BaseModel) -> Path:
    """Where ``model`` is saved: the document's file, or a file named after the model's new name (when free and
    a file can have that name)."""
    path = document.path
    name = str(getattr(model, "name", ""))
    if document.kind == "workspace" or name_problem(document.kind, name):
        return path  # a name that cannot name a file keeps the file it has
    wanted = path.with_name(slugify(name) + ".json")
    return wanted if wanted != path and not wanted.exists() else path


def new_document(workspace: Workspace, kind: Kind, model: M) -> Document[M]:
    """A document for a model not yet on disk, at a free slug path in the kind's folder (not written; named
    after its kind when its name cannot name a file)."""
    folder = workspace.root / FOLDERS[kind]
    name = str(getattr(model, "name", ""))
    stem = kind if name_problem(kind, name) else slugify(name)
    path = folder / f"{stem}.json"
    counter = 2
    while path.exists():
        path = folder / f"{stem}-{counter}.json"
        counter += 1
    return Document(kind, path, model, None, None)


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema of a file kind, for editors to validate against."""
    schema = MODELS[kind].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema

"""One entry point for every source format, from a file or from pasted text (the CLI and the app use it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.importing.curl import import_curl
from workbench.importing.errors import ConversionError
from workbench.importing.har import import_har
from workbench.importing.intercom import import_intercom
from workbench.importing.openapi import Spec, import_openapi
from workbench.importing.plan import Imported
from workbench.importing.postman import import_postman
from workbench.importing.request import InputMark
from workbench.importing.sources import parse_source, read_source

FORMATS: dict[str, str] = {
    "curl": "a curl command line",
    "openapi": "an OpenAPI 3.0/3.1 document (JSON or YAML)",
    "postman": "a Postman collection (v2.1)",
    "har": "a HAR file (a browser's network capture)",
    "intercom": "Intercom data connectors (from 'workbench export intercom')",
}
PASTED = "pasted text"


def load_spec(*, text: str = "", path: Path | None = None) -> Spec:
    """The OpenAPI spec in a file or in pasted text."""
    if path is not None:
        return Spec.load(path)
    return Spec.from_data(parse_source(text.encode(), PASTED, allow_yaml=True), PASTED)


def import_from(
    format_: str,
    *,
    text: str = "",
    path: Path | None = None,
    name: str | None = None,
    marks: Sequence[InputMark] = (),
    operations: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Imported:
    """The connectors in a source given as a file ``path`` or as ``text``; raises :class:`ConversionError`."""
    if format_ not in FORMATS:
        raise ConversionError("format", f"{format_!r} is not one of {', '.join(FORMATS)}")
    if path is None and not text.strip():
        raise ConversionError(format_, "nothing to import: paste the source or give a file path")
    if format_ == "curl":
        line = path.read_text("utf-8", errors="replace") if path is not None else text
        connector, secrets = import_curl(line, name=name, marks=marks)
        return Imported([connector], secrets)
    if format_ == "openapi":
        return import_openapi(load_spec(text=text, path=path), operations=operations, tags=tags)
    data = read_source(path) if path is not None else parse_source(text.encode(), PASTED)
    where = str(path) if path is not None else PASTED
    importer = {"postman": import_postman, "har": import_har, "intercom": import_intercom}[format_]
    return importer(data, where)

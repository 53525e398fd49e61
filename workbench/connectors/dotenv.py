"""Secrets from ``.env`` files, read without touching the process environment.

A line is ``NAME=value`` (optionally ``export NAME=value``); ``#`` starts a comment (inside an unquoted value,
only after a space); values may be ``"double quoted"`` (escapes ``\\n \\t \\" \\\\``, may span lines) or
``'single quoted'`` (literal). A bad line is an :class:`EnvFileError` naming ``path:line:column``.

Where ``{{secret.NAME}}`` finds its value (:func:`run_secrets`): the ``--env-file`` given for the run, else the
process environment, else the workspace's ``.env``.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from pathlib import Path

from workbench.jsonfile import SpecialFile, read_regular

WORKSPACE_ENV_FILE = ".env"
MAX_ENV_BYTES = 1024 * 1024
"""Larger ``.env`` files are refused unread."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


class EnvFileError(Exception):
    """A ``.env`` file that cannot be read, located at ``path:line:column``."""

    def __init__(self, path: Path | str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = Path(path), line, column, message


class _Scanner:
    """Walks the text keeping line and column, for located errors."""

    def __init__(self, text: str, path: Path | str) -> None:
        self.text, self.path, self.pos = text, path, 0

    def where(self, pos: int | None = None) -> tuple[int, int]:
        pos = self.pos if pos is None else pos
        line = self.text.count("\n", 0, pos) + 1
        return line, pos - (self.text.rfind("\n", 0, pos) + 1) + 1

    def fail(self, message: str, pos: int | None = None) -> EnvFileError:
        return EnvFileError(self.path, *self.where(pos), message)

    def rest_of_line(self) -> str:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end
        chunk, self.pos = self.text[self.pos : end], end + 1
        return chunk


def parse_env(text: str, path: Path | str = WORKSPACE_ENV_FILE) -> dict[str, str]:
    """The ``NAME: value`` pairs of a ``.env`` text (a later line wins); raises :class:`EnvFileError`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # any line ends
    scanner = _Scanner(text, path)
    values: dict[str, str] = {}
    while scanner.pos < len(scanner.text):
        start = scanner.pos
        line = scanner.text[start : (scanner.text.find("\n", start) + 1 or len(scanner.text) + 1) - 1]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            scanner.rest_of_line()
            continue
        offset = start + len(line) - len(line.lstrip())
        if stripped.startswith("export ") or stripped.startswith("export\t"):
            offset += 6 + len(stripped[6:]) - len(stripped[6:].lstrip())
        name_match = _NAME.match(scanner.text, offset)
        if name_match is None:
            raise scanner.fail(
                "expected NAME=value (a name is letters, digits and _, not starting with a digit)", offset
            )
        name = name_match.group()
        scanner.pos = name_match.end()
        while scanner.pos < len(scanner.text) and scanner.text[scanner.pos] in " \t":
            scanner.pos += 1
        if scanner.pos >= len(scanner.text) or scanner.text[scanner.pos] != "=":
            raise scanner.fail(f"expected '=' after {name!r} (NAME=value)")
        scanner.pos += 1
        values[name] = _value(scanner)
    return values


def _value(scanner: _Scanner) -> str:
    text = scanner.text
    while scanner.pos < len(text) and text[scanner.pos] in " \t":
        scanner.pos += 1
    quote = text[scanner.pos] if scanner.pos < len(text) else ""
    if quote not in ("'", '"'):
        raw = scanner.rest_of_line()
        comment = re.search(r"\s#", raw)
        return (raw[: comment.start()] if comment else raw).strip()
    opened = scanner.pos
    scanner.pos += 1
    chars: list[str] = []
    while True:
        if scanner.pos >= len(text):
            raise scanner.fail(f"the value opened with {quote} here is never closed", opened)
        char = text[scanner.pos]
        scanner.pos += 1
        if char == quote:
            break
        if char == "\\" and quote == '"' and scanner.pos < len(text):
            escaped = text[scanner.pos]
            scanner.pos += 1
            chars.append(_ESCAPES.get(escaped, "\\" + escaped))
            continue
        chars.append(char)
    after = scanner.pos
    trailing = scanner.rest_of_line()
    if trailing.strip() and not trailing.strip().startswith("#"):
        raise scanner.fail("unexpected text after the closing quote", after + len(trailing) - len(trailing.lstrip()))
    return "".join(chars)


def read_env_file(path: Path | str) -> dict[str, str]:
    """The values of a ``.env`` file; raises :class:`EnvFileError` (located) when it is missing or bad."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_ENV_BYTES, "a .env file")
    except SpecialFile as error:
        raise EnvFileError(path, 1, 1, str(error)) from None
    except OSError as error:
        raise EnvFileError(path, 1, 1, f"cannot read it: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise EnvFileError(path, line, column, "not UTF-8 text") from None
    return parse_env(text, path)


def workspace_env_values(root: Path | str) -> dict[str, str]:
    """The workspace's ``.env`` values (none when it has no ``.env``); raises :class:`EnvFileError`."""
    path = Path(root) / WORKSPACE_ENV_FILE
    return read_env_file(path) if path.exists() else {}


def run_secrets(root: Path | str, env_file: Path | str | None = None) -> Mapping[str, str]:
    """Where a run's ``{{secret.NAME}}`` values come from: ``env_file`` first, then the process environment,
    then the workspace's ``.env``. Nothing is copied into ``os.environ``; raises :class:`EnvFileError`."""
    given = read_env_file(env_file) if env_file is not None else {}
    return ChainMap(given, os.environ, workspace_env_values(root))


def secrets_or_environment(root: Path | str) -> Mapping[str, str]:
    """:func:`run_secrets` without an ``--env-file``; the process environment alone when the ``.env`` is bad."""
    try:
        return run_secrets(root)
    except EnvFileError:
        return os.environ


def secret_sources(root: Path | str, names: list[str], env_file: Path | str | None = None) -> dict[str, str | None]:
    """Where each named secret would come from for a run: ``--env-file``, ``environment`` or ``.env``, or ``None``
    when it is missing (a bad file counts as holding nothing)."""
    layers: list[tuple[str, Mapping[str, str]]] = []
    if env_file is not None:
        layers.append(("--env-file", _quietly(lambda: read_env_file(env_file))))
    layers.append(("environment", os.environ))
    layers.append((".env", _quietly(lambda: workspace_env_values(root))))
    return {name: next((label for label, values in layers if values.get(name)), None) for name in names}


def _quietly(read: Callable[[], dict[str, str]]) -> dict[str, str]:
    try:
        return read()
    except EnvFileError:
        return {}

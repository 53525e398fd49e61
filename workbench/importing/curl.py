"""curl command lines: read one into a connector (shlex words, curl's options), and write a connector as one.

Only JSON bodies are supported (a connector sends its body as JSON): form data (``-F``, ``a=b`` data
without ``-G``) and bodies read from files (``-d @file``) are refused with a clear message.
"""

from __future__ import annotations

import re
import secrets as random_tokens
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from workbench.connectors.errors import ConnectorError
from workbench.connectors.templates import TemplateScope, render_request
from workbench.engine.values import coerce
from workbench.importing.credentials import Secrets
from workbench.importing.errors import ConversionError
from workbench.importing.naming import connector_name
from workbench.importing.plan import Imported
from workbench.importing.request import InputMark, RawRequest, build_connector
from workbench.importing.sources import parse_json
from workbench.model import Connector
from workbench.model.auth import AnyToken, TextToken

_WITH_VALUE = {
    "-X": "method",
    "--request": "method",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-ascii": "data",
    "--data-binary": "data",
    "--data-raw": "data_raw",
    "--data-urlencode": "data_urlencode",
    "--json": "json",
    "-u": "user",
    "--user": "user",
    "--oauth2-bearer": "bearer",
    "--url": "url",
    "-b": "cookie",
    "--cookie": "cookie",
    "-m": "max_time",
    "--max-time": "max_time",
    "-F": "form",
    "--form": "form",
    "--form-string": "form",
    "-T": "upload",
    "--upload-file": "upload",
    # accepted and ignored: they change how curl runs, not the request a connector sends
    "-A": "ignore",
    "--user-agent": "ignore",
    "-e": "ignore",
    "--referer": "ignore",
    "--connect-timeout": "ignore",
    "-o": "ignore",
    "--output": "ignore",
    "-w": "ignore",
    "--write-out": "ignore",
    "--retry": "ignore",
    "--retry-delay": "ignore",
    "--retry-max-time": "ignore",
    "--max-redirs": "ignore",
    "--cacert": "ignore",
    "-x": "ignore",
    "--proxy": "ignore",
    "--resolve": "ignore",
}
_FLAGS = {
    "-G": "get",
    "--get": "get",
    "-I": "head",
    "--head": "head",
    **dict.fromkeys(
        (
            "-s",
            "--silent",
            "-S",
            "--show-error",
            "-L",
            "--location",
            "-k",
            "--insecure",
            "-i",
            "--include",
            "-v",
            "--verbose",
            "--compressed",
            "-f",
            "--fail",
            "--fail-with-body",
            "-N",
            "--no-buffer",
            "-g",
            "--globoff",
            "--http1.1",
            "--http2",
            "-#",
            "--progress-bar",
            "--location-trusted",
        ),
        "ignore",
    ),
}
_CONTINUATION = re.compile(r"\\\r?\n")


@dataclass
class _Parsed:
    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[tuple[str, str]] = field(default_factory=list)  # (option, value)
    get: bool = False
    timeout_s: float | None = None


def parse_curl(line: str) -> RawRequest:
    """The request a curl command line sends; raises :class:`ConversionError` naming the bad word."""
    text = _CONTINUATION.sub(" ", line.strip())
    text = text.removeprefix("$ ").strip()
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise ConversionError("curl line", f"cannot split into words: {error} (unbalanced quotes?)") from None
    if not words or words[0] != "curl":
        raise ConversionError("curl line", "expected a command starting with 'curl'")
    parsed = _Parsed()
    index = 1
    while index < len(words):
        index = _option(words, index, parsed)
    if parsed.url is None:
        raise ConversionError("curl line", "no URL")
    return _request(parsed)


def _option(words: list[str], index: int, parsed: _Parsed) -> int:
    """Apply the option (or URL) at ``words[index]``; returns the index of the next word."""
    word = words[index]
    where = f"curl word {index} ({word})"
    if not word.startswith("-") or word == "-":
        if parsed.url is not None:
            raise ConversionError(where, f"a second URL (already have {parsed.url!r}): import one request at a time")
        parsed.url = word
        return index + 1
    if word.startswith("--") or len(word) == 2:
        if word in _FLAGS:
            _apply(_FLAGS[word], "", parsed, where)
            return index + 1
        if word in _WITH_VALUE:
            if index + 1 >= len(words):
                raise ConversionError(where, "is missing its value")
            _apply(_WITH_VALUE[word], words[index + 1], parsed, where, option=word)
            return index + 2
        raise ConversionError(where, "unknown curl option")
    # a cluster of short options: -sSL, -XPOST, -HAccept:x
    for position, char in enumerate(word[1:], start=1):
        flag = "-" + char
        if flag in _FLAGS:
            _apply(_FLAGS[flag], "", parsed, where)
            continue
        if flag in _WITH_VALUE:
            rest = word[position + 1 :]
            if rest:
                _apply(_WITH_VALUE[flag], rest, parsed, where, option=flag)
                return index + 1
            if index + 1 >= len(words):
                raise ConversionError(where, f"{flag} is missing its value")
            _apply(_WITH_VALUE[flag], words[index + 1], parsed, where, option=flag)
            return index + 2
        raise ConversionError(where, f"unknown curl option {flag}")
    return index + 1


def _apply(action: str, value: str, parsed: _Parsed, where: str, option: str = "") -> None:
    if action == "method":
        parsed.method = value.upper()
    elif action == "header":
        name, sep, header_value = value.partition(":")
        if not sep or not name.strip():
            raise ConversionError(where, f"header {value!r} is not 'Name: value'")
        parsed.headers.append((name.strip(), header_value.strip()))
    elif action in ("data", "data_raw", "data_urlencode", "json"):
        if action == "data" and value.startswith("@"):
            raise ConversionError(where, f"reads the body from a file ({value}): paste the body itself")
        parsed.data.append((action, value))
    elif action == "user":
        # sent as ``Basic base64(user:password)``: the header becomes a secret, its value never kept
        parsed.headers.append(("Authorization", "Basic <user:password>"))
    elif action == "bearer":
        parsed.headers.append(("Authorization", f"Bearer {value}"))
    elif action == "cookie":
        if "=" not in value:
            raise ConversionError(where, "reads cookies from a file: paste the cookie itself ('name=value')")
        parsed.headers.append(("Cookie", value))
    elif action == "url":
        parsed.url = value
    elif action == "max_time":
        try:
            parsed.timeout_s = float(value)
        except ValueError:
            raise ConversionError(where, f"{value!r} is not a number of seconds") from None
    elif action == "get":
        parsed.get = True
    elif action == "head":
        raise ConversionError(where, "HEAD requests are not supported: connectors read a response body")
    elif action == "form":
        raise ConversionError(where, "multipart form data (-F) is not supported: connectors send JSON bodies")
    elif action == "upload":
        raise ConversionError(where, "uploading a file (-T) is not supported: connectors send JSON bodies")


def _request(parsed: _Parsed) -> RawRequest:
    assert parsed.url is not None
    url = parsed.url if "://" in parsed.url else f"https://{parsed.url}"
    headers = list(parsed.headers)
    body: Any = None
    query: list[tuple[str, str]] = []
    if parsed.get:
        for _, value in parsed.data:
            query.extend(parse_qsl(value, keep_blank_values=True) or [(value, "")])
    elif parsed.data:
        body = _json_body(parsed.data)
        if any(option == "json" for option, _ in parsed.data):
            present = {name.lower() for name, _ in headers}
            if "content-type" not in present:
                headers.append(("Content-Type", "application/json"))
            if "accept" not in present:
                headers.append(("Accept", "application/json"))
    method = parsed.method or ("POST" if body is not None else "GET")
    return RawRequest(method, url, headers, query, body, parsed.timeout_s)


def _json_body(data: list[tuple[str, str]]) -> Any:
    if any(option == "data_urlencode" for option, _ in data):
        raise ConversionError(
            "--data-urlencode", "sends a form body: connectors send JSON (use -G to send it as query)"
        )
    joiner = "" if all(option == "json" for option, _ in data) else "&"
    text = joiner.join(value for _, value in data)
    try:
        return parse_json(text, "curl body")
    except ConversionError as error:
        raise ConversionError(
            error.where,
            f"{error.message}: connectors send JSON bodies; form data ('a=b&c=d') must be rewritten as JSON, "
            "or sent as query with -G",
        ) from None


def import_curl(line: str, *, name: str | None = None, marks: Sequence[InputMark] = ()) -> tuple[Connector, Secrets]:
    """The connector a curl line describes, and the secrets its file refers to instead of their values."""
    raw = parse_curl(line)
    secrets = Secrets()
    path = raw.url.split("://", 1)[-1].split("?", 1)[0].partition("/")[2]
    path = "/" + path.split("#", 1)[0]
    for mark in marks:
        path = "/".join("{" + mark.name + "}" if part == mark.value else part for part in path.split("/"))
    title = connector_name(name or f"{raw.method} {path}")
    imported = Imported(secrets=secrets)
    connector = imported.add(build_connector(title, raw, secrets, where="curl line", marks=marks))
    return connector, secrets


class _Variables:
    """Placeholders for shell variables, marked with a random nonce of this export: text in the connector or
    the inputs that looks like one (``__wb_var_NAME__``) stays literal text."""

    def __init__(self) -> None:
        nonce = random_tokens.token_hex(8)
        self.prefix = f"__wb_var_{nonce}_"
        self.pattern = re.compile(rf"{self.prefix}([A-Za-z0-9_]+?)__")

    def placeholder(self, name: str) -> str:
        """Text standing for the shell variable ``name`` until the line is quoted."""
        return f"{self.prefix}{name}__"

    def shell_word(self, word: str) -> str:
        """``word`` quoted for a POSIX shell, with placeholders as ``"$NAME"`` (expanded by the shell)."""
        pieces: list[str] = []
        position = 0
        for match in self.pattern.finditer(word):
            if match.start() > position:
                pieces.append(shlex.quote(word[position : match.start()]))
            pieces.append(f'"${match.group(1)}"')
            position = match.end()
        if position < len(word) or not pieces:
            pieces.append(shlex.quote(word[position:]))
        return "".join(pieces)


class _SecretPlaceholders(dict[str, str]):
    """Every secret renders as a placeholder the shell writer turns into ``"$NAME"``."""

    def __init__(self, variables: _Variables) -> None:
        super().__init__()
        self.variables = variables

    def get(self, key: str, default: Any = None) -> str:
        if not key.isidentifier():
            raise ConnectorError("request_configuration", f"secret {key!r} is not a valid shell variable name")
        return self.variables.placeholder(key)


def export_curl(
    connector: Connector,
    inputs: Mapping[str, str],
    *,
    environment: Mapping[str, str] | None = None,
    environment_name: str | None = None,
    unset_as_variables: bool = False,
    token: AnyToken | None = None,
) -> tuple[str, list[str]]:
    """A runnable curl line for ``connector`` and the shell variables it reads (its secrets).

    ``inputs`` are texts converted to each input's type; a required input without a value raises
    :class:`ConversionError`, or with ``unset_as_variables`` is read from a shell variable of its name.
    ``token`` is the connector's ``auth`` token: a text token's header is written with its secrets as
    variables; a fetched token (request, OAuth) is read from the variable ``NAME_TOKEN``.
    """
    variables = _Variables()
    values: dict[str, Any] = {}
    for item in connector.inputs:
        if item.name in inputs:
            try:
                values[item.name] = coerce(inputs[item.name], item.type)
            except ValueError as error:
                raise ConversionError(f"--input {item.name}", str(error)) from None
        elif item.default is not None:
            values[item.name] = item.default
        elif item.required and unset_as_variables:
            values[item.name] = variables.placeholder(item.name)
        elif item.required:
            raise ConversionError(f"--input {item.name}", "is required: pass --input NAME=VALUE")
    unknown = sorted(set(inputs) - {item.name for item in connector.inputs})
    if unknown:
        raise ConversionError(f"--input {unknown[0]}", f"connector {connector.name!r} has no such input")
    scope = TemplateScope.resolved(
        connector, values, environment or {}, environment_name, secrets=_SecretPlaceholders(variables)
    )
    try:
        rendered = render_request(connector, scope)
    except ConnectorError as error:
        raise ConversionError(connector.name, error.message) from None
    words = ["curl"]
    if rendered.method != "GET":
        words += ["-X", rendered.method]
    words.append(rendered.display_url)
    headers = dict(rendered.headers)
    if token is not None and connector.auth:
        fetched = variables.placeholder(f"{connector.auth.upper()}_TOKEN")
        value = scope.value(token.value) if isinstance(token, TextToken) else fetched
        headers[token.header] = f"{token.prefix}{value}"
    for key, value in headers.items():
        words += ["-H", f"{key}: {value}"]
    if rendered.body is not None:
        if not any(key.lower() == "content-type" for key in rendered.headers):
            words += ["-H", "Content-Type: application/json"]
        words += ["--data-raw", orjson.dumps(rendered.body).decode()]
    words += ["--max-time", f"{rendered.timeout_s:g}"]
    line = " ".join(variables.shell_word(word) for word in words)
    return line, sorted(set(variables.pattern.findall(" ".join(words))))

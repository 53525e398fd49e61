"""Rendering a connector's URL so that inputs fill values, never structure.

What is a placeholder is decided from the template text alone: a value is data, whatever it holds (``{{`` too).
An input can never change the scheme, host, port or the number of path segments: in the path or the query it is
percent-encoded (``/``, ``?``, ``#``, ``&`` and the like cannot pass), a path segment it would turn into ``.`` or
``..`` is refused, in the host it may only hold the letters, digits and ``-`` of one DNS label, and it may not
go into the port at all. As a last guard the rendered URL's structure is compared with the template's filled
with harmless values. A live URL must also have a valid port (an environment value may spell one).
"""

from __future__ import annotations

import re
from typing import Any, Protocol
from urllib.parse import SplitResult, quote, urlsplit

from workbench.connectors.errors import ConnectorError
from workbench.connectors.placeholders import TEMPLATE, format_value

_PATH_SAFE = "@:+,;=!$'()*~"
_QUERY_SAFE = "@:,;!$'()*~/?"
_LABEL = re.compile(r"[A-Za-z0-9-]+")
_MARK = re.compile("\ue000(\\d+)\ue001")
_DOT_SEGMENTS = (".", "..")
_HARMLESS = "x"


class UrlScope(Protocol):
    """What rendering a URL asks of its :class:`~workbench.connectors.templates.TemplateScope`."""

    connector: str
    strict: bool

    def unresolved(self, name: str) -> bool:
        """Whether ``name`` stays as written (a lenient scope without its value)."""
        ...

    def lookup(self, name: str) -> Any:
        """The value of ``name``."""
        ...


def render_url(template: str, scope: UrlScope) -> str:
    """``template`` with environment values and secrets filled as written and inputs filled as plain values.

    Raises :class:`ConnectorError` (``request_configuration``) for an input value that would change the URL's
    structure, and (strict scopes) for a URL whose port is not a number from 0 to 65535.
    """
    values: list[tuple[str, str]] = []

    def mark(match: re.Match[str]) -> str:
        name = match.group(1)
        if scope.unresolved(name):
            return match.group()
        rendered = format_value(scope.lookup(name))
        if name.startswith(("env.", "secret.")):
            return rendered
        values.append((name, rendered))
        return f"\ue000{len(values) - 1}\ue001"

    marked = TEMPLATE.sub(mark, template)
    url = _fill(marked, values, scope.connector) if values else marked
    if scope.strict:
        _check_port(url, scope.connector)
    return url


def _fill(marked: str, values: list[tuple[str, str]], connector: str) -> str:
    """``marked`` with each input's mark replaced by its value, encoded for its place."""
    host_end, path_end = _component_ends(marked, connector)
    port_start = _port_start(marked, host_end)

    def fill(match: re.Match[str], harmless: bool = False) -> str:
        name, value = values[int(match.group(1))]
        if port_start <= match.start() < host_end:
            raise _refused(connector, name, value, "an input cannot go into the port")
        if match.start() < host_end:
            if not _LABEL.fullmatch(value):
                raise _refused(connector, name, value, "in the host it may only hold letters, digits and '-'")
            return value
        return _HARMLESS if harmless else quote(value, safe=_PATH_SAFE if match.start() < path_end else _QUERY_SAFE)

    url = _MARK.sub(fill, marked)
    _check_segments(marked, values, connector, host_end, path_end)
    if _structure(url) != _structure(_MARK.sub(lambda match: fill(match, harmless=True), marked)):
        name, value = values[0]
        raise _refused(connector, name, value, "it would change the URL's scheme, host, port or path")
    return url


def _split(url: str, connector: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError as error:
        raise ConnectorError("request_configuration", f"invalid URL in connector {connector!r}: {error}") from None


def _component_ends(marked: str, connector: str) -> tuple[int, int]:
    """Offsets in ``marked`` where the scheme+authority ends and where the path ends."""
    parts = _split(marked, connector)
    host_end = 0
    if parts.netloc:
        host_end = marked.index("//") + 2 + len(parts.netloc)
    elif parts.scheme:
        host_end = len(parts.scheme) + 1
    path_end = host_end + len(parts.path)
    return host_end, path_end


def _port_start(marked: str, host_end: int) -> int:
    """Where the port's digits start in ``marked`` (``host_end`` when the authority has no port)."""
    start = marked.find("//")
    if start < 0 or start >= host_end:
        return host_end
    authority = marked[start + 2 : host_end]
    host = authority.rpartition("@")[2]
    colon = host.rfind(":")
    if colon < 0 or "]" in host[colon:]:
        return host_end
    return host_end - len(host) + colon + 1


def _structure(url: str) -> tuple[str, str, str, int]:
    """What an input may not change: scheme, host, port (as written) and the number of path segments."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ("", "\0invalid", "", 0)
    host, colon, port = parts.netloc.rpartition("@")[2].rpartition(":")
    if not colon or "]" in port:
        host, port = parts.netloc.rpartition("@")[2], ""
    return parts.scheme.lower(), host.lower(), port, parts.path.count("/")


def _check_port(url: str, connector: str) -> None:
    """A clear error for a port that is not a number from 0 to 65535 (sockets would raise ``OverflowError``)."""
    parts = _split(url, connector)
    try:
        parts.port  # noqa: B018 (reading the port checks it)
    except ValueError as error:
        raise ConnectorError("request_configuration", f"invalid URL in connector {connector!r}: {error}") from None


def _check_segments(marked: str, values: list[tuple[str, str]], connector: str, host_end: int, path_end: int) -> None:
    """Refuse an input that makes a path segment ``.`` or ``..`` (clients and servers resolve those)."""
    for segment in marked[host_end:path_end].split("/"):
        names = [values[int(number)] for number in _MARK.findall(segment)]
        if not names:
            continue
        filled = _MARK.sub(lambda match: values[int(match.group(1))][1], segment)
        if filled in _DOT_SEGMENTS:
            name, value = names[0]
            raise _refused(connector, name, value, "it would make a path segment of '.' or '..'")


def _refused(connector: str, name: str, value: str, why: str) -> ConnectorError:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return ConnectorError(
        "request_configuration",
        f"input {name!r} of {connector!r} cannot go into the URL as {shown!r}: {why}",
    )

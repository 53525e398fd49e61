"""Rendering a connector's URL so that inputs fill values, never structure.

An input can never change the scheme, host, port or the number of path segments: in the path or the query it is
percent-encoded (``/``, ``?``, ``#``, ``&`` and the like cannot pass), a path segment it would turn into ``.`` or
``..`` is refused, and in the host it may only hold the letters, digits and ``-`` of one DNS label.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from workbench.connectors.errors import ConnectorError

if TYPE_CHECKING:
    from workbench.connectors.templates import TemplateScope

_PATH_SAFE = "@:+,;=!$'()*~"
_QUERY_SAFE = "@:,;!$'()*~/?"
_LABEL = re.compile(r"[A-Za-z0-9-]+")
_MARK = re.compile("\ue000(\\d+)\ue001")
_DOT_SEGMENTS = (".", "..")


def render_url(template: str, scope: TemplateScope) -> str:
    """``template`` with environment values and secrets filled as written and inputs filled as plain values.

    Raises :class:`ConnectorError` (``request_configuration``) for an input value that would change the URL's
    structure.
    """
    from workbench.connectors.templates import TEMPLATE, format_value

    values: list[tuple[str, str]] = []

    def mark(match: re.Match[str]) -> str:
        name = match.group(1)
        rendered = format_value(scope.lookup(name))
        if name.startswith(("env.", "secret.")) or "{{" in rendered:
            return rendered
        values.append((name, rendered))
        return f"\ue000{len(values) - 1}\ue001"

    marked = TEMPLATE.sub(mark, template)
    if not values:
        return marked
    host_end, path_end = _component_ends(marked, scope.connector)

    def fill(match: re.Match[str]) -> str:
        name, value = values[int(match.group(1))]
        if match.start() < host_end:
            if not _LABEL.fullmatch(value):
                raise _refused(scope.connector, name, value, "in the host it may only hold letters, digits and '-'")
            return value
        return quote(value, safe=_PATH_SAFE if match.start() < path_end else _QUERY_SAFE)

    url = _MARK.sub(fill, marked)
    _check_segments(marked, values, scope.connector, host_end, path_end)
    return url


def _component_ends(marked: str, connector: str) -> tuple[int, int]:
    """Offsets in ``marked`` where the scheme+authority ends and where the path ends."""
    try:
        parts = urlsplit(marked)
    except ValueError as error:
        raise ConnectorError("request_configuration", f"invalid URL in connector {connector!r}: {error}") from None
    host_end = 0
    if parts.netloc:
        host_end = marked.index("//") + 2 + len(parts.netloc)
    elif parts.scheme:
        host_end = len(parts.scheme) + 1
    path_end = host_end + len(parts.path)
    return host_end, path_end


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

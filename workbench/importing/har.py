"""HAR captures (a browser's network log): each JSON call becomes a connector, its response the example."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from workbench.importing.errors import ConversionError, as_object
from workbench.importing.naming import connector_name
from workbench.importing.plan import Imported
from workbench.importing.request import RawRequest, build_connector, example_status
from workbench.importing.sources import parse_json
from workbench.model import MockResponse


def import_har(data: Any, where: str) -> Imported:
    """Connectors for the capture's calls that answered JSON (one per method and URL path)."""
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise ConversionError(where, "is not a HAR file (no log.entries list)")
    imported = Imported()
    seen: set[tuple[str, str]] = set()
    skipped = 0
    for index, entry in enumerate(entries):
        place = f"{where}: log.entries.{index}"
        request, response = _parts(entry, place)
        content = as_object(response.get("content") or {}, f"{place}.response.content")
        if "json" not in str(content.get("mimeType", "")).lower():
            skipped += 1
            continue
        method = str(request.get("method", "GET")).upper()
        url = str(request.get("url", ""))
        key = (method, url.split("?")[0])
        if key in seen:
            continue
        seen.add(key)
        raw = RawRequest(
            method,
            url,
            headers=_pairs(request.get("headers"), f"{place}.request.headers"),
            body=_request_body(request.get("postData"), f"{place}.request.postData", imported),
        )
        example = MockResponse(
            status=example_status(response.get("status")),
            headers={"content-type": "application/json"},
            body=_json_text(content, f"{place}.response.content"),
        )
        name = connector_name(f"{method} {urlsplit(url).path or '/'}")
        imported.add(build_connector(name, raw, imported.secrets, where=place, example=example))
    if skipped:
        imported.notes.append(f"{skipped} entr{'y' if skipped == 1 else 'ies'} without a JSON response skipped")
    if not imported.connectors:
        raise ConversionError(where, "has no call that answered JSON")
    return imported


def _parts(entry: Any, place: str) -> tuple[dict[str, Any], dict[str, Any]]:
    request = entry.get("request") if isinstance(entry, dict) else None
    response = entry.get("response") if isinstance(entry, dict) else None
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise ConversionError(place, "is not a HAR entry (needs request and response objects)")
    return request, response


def _pairs(items: Any, place: str) -> list[tuple[str, str]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ConversionError(place, "is not a list")
    return [
        (str(item["name"]), str(item.get("value", "")))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]


def _request_body(post: Any, place: str, imported: Imported) -> Any:
    if not isinstance(post, dict) or not post.get("text"):
        return None
    if "json" not in str(post.get("mimeType", "")).lower():
        imported.notes.append(f"{place}: a {post.get('mimeType') or 'non-JSON'} body is not imported")
        return None
    return _json_text(post, place)


def _json_text(content: dict[str, Any], place: str) -> Any:
    """The JSON in a HAR content object (text, possibly base64); raises :class:`ConversionError` if not JSON."""
    text = content.get("text")
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise ConversionError(f"{place}.text", "is not text")
    if content.get("encoding") == "base64":
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ConversionError(f"{place}.text", "is marked base64 but does not decode to UTF-8 text") from None
    return parse_json(text, f"{place}.text")

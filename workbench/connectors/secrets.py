"""Masking secret values (``{{secret.NAME}}``) wherever they could surface: text, URLs, JSON data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import orjson

MASK = "***"


class Masker:
    """Replaces every known secret value, in its raw, URL-encoded and JSON-escaped spellings, with ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._forms: list[str] = []

    def __bool__(self) -> bool:
        return bool(self._forms)

    def add(self, secrets: Iterable[str]) -> None:
        """Remember more secret values (empty and already known ones are ignored: runs add them on every call)."""
        new = {secret for secret in secrets if secret and secret not in self._secrets}
        if not new:
            return
        self._secrets |= new
        forms = set(self._forms)
        for secret in new:
            forms.update((secret, quote(secret, safe=""), quote(secret), orjson.dumps(secret).decode()[1:-1]))
        self._forms = sorted(forms, key=len, reverse=True)

    def text(self, value: str) -> str:
        """``value`` with every secret replaced."""
        for form in self._forms:
            if form in value:
                value = value.replace(form, MASK)
        return value

    def found_in(self, raw: bytes) -> bool:
        """Whether any secret appears in raw bytes (a cheap test before masking a large body)."""
        return any(form.encode() in raw for form in self._forms)

    def mask(self, data: Any) -> Any:
        """A copy of JSON-like ``data`` with secrets masked in every string and key; ``data`` itself when clean."""
        if not self._forms:
            return data
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            masked = {self.text(key) if isinstance(key, str) else key: self.mask(value) for key, value in data.items()}
            return data if _same(masked.values(), data.values()) and list(masked) == list(data) else masked
        if isinstance(data, (list, tuple)):
            items = [self.mask(item) for item in data]
            return data if _same(items, data) else items
        return data


def _same(left: Iterable[Any], right: Iterable[Any]) -> bool:
    return all(a is b for a, b in zip(left, right, strict=True))

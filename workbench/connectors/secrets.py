"""Masking secret values (``{{secret.NAME}}``) wherever they could surface: text, URLs, JSON data."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_HEAD = 4
"""A secret's head of this many characters or more, cut short by an ellipsis, is masked too."""
MIN_BASE64 = 6
_PERCENT = re.compile(r"%[0-9A-F]{2}")
_CUT = re.compile(r"(?s)(.*?)(…|\.\.\.)")


def spellings(secret: str) -> set[str]:
    """Every way ``secret`` can be spelled in text it reaches: as is, percent-encoded (``%20`` or ``+`` for
    spaces, upper- or lower-case hex), JSON-escaped, and base64 (alone, or inside ``user:secret`` at any
    alignment, standard and URL-safe alphabets)."""
    forms = {secret, secret.replace(" ", "+"), secret.replace(" ", "%20")}
    forms.update((json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]))
    for encoded in (quote(secret, safe=""), quote(secret), quote_plus(secret), quote_plus(secret, safe="")):
        forms.update((encoded, _PERCENT.sub(lambda match: match.group().lower(), encoded)))
    raw = secret.encode("utf-8", errors="surrogatepass")
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * offset + raw).decode("ascii")
            start, end = -(-8 * offset // 6), 8 * (offset + len(raw)) // 6
            if end - start >= MIN_BASE64:
                forms.add(text[start:end])
        forms.add(base64.b64encode(raw).decode("ascii"))
    return {form for form in forms if form}


class Masker:
    """Replaces every known secret value, in each of its :func:`spellings`, with ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._forms: list[str] = []
        self._heads: list[str] = []
        self._head_tails: set[str] = set()

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
            forms.update(spellings(secret))
        self._forms = sorted(forms, key=len, reverse=True)
        self._heads = [form for form in self._forms if len(form) > MIN_HEAD]
        self._head_tails = {form[end - MIN_HEAD : end] for form in self._heads for end in range(MIN_HEAD, len(form))}

    def text(self, value: str) -> str:
        """``value`` with every secret replaced, and the head of one cut short by an ellipsis (``…``, ``...``)."""
        for form in self._forms:
            if form in value:
                value = value.replace(form, MASK)
        if self._heads and ("…" in value or "..." in value):
            value = _CUT.sub(self._masked_head, value)
        return value

    def _masked_head(self, match: re.Match[str]) -> str:
        """A piece of text that ends with an ellipsis, with the head of a secret just before the ellipsis masked."""
        piece, ellipsis = match.group(1), match.group(2)
        if piece[-MIN_HEAD:] not in self._head_tails:
            return match.group()
        for form in self._heads:
            for size in range(min(len(form) - 1, len(piece)), MIN_HEAD - 1, -1):
                if piece.endswith(form[:size]):
                    return piece[:-size] + MASK + ellipsis
        return match.group()

    def found_in(self, raw: bytes) -> bool:
        """Whether a secret may appear in raw JSON bytes once parsed (a cheap test before masking a large body).

        Any escape sequence counts: a server may spell any character of a secret as one.
        """
        return bool(self._forms) and (b"\\" in raw or any(form.encode() in raw for form in self._forms))

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

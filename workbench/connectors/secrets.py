"""Masking secret values (``{{secret.NAME}}``) wherever they could surface: text, URLs, JSON data."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET_CHARS = 4
"""Shorter secret values are not hunted in text: a one-letter secret would mask that letter everywhere. The run
warns about them instead (see :func:`workbench.connectors.masking.short_secrets`)."""
MIN_HEAD = 4
"""A secret's head of this many characters or more, cut short by an ellipsis, is masked too."""
MIN_BASE64 = 6
_PERCENT = re.compile(r"%[0-9A-F]{2}")
_CREDENTIAL_FIELD = re.compile(
    r"""(?ix)
    ( ["']? \b [\w-]* (?:token|secret|password|passwd|api[_-]?key|apikey|session) [\w-]* ["']? )  # a credential's name
    ( \s* (?: = | : \s* ["']? ) )                                                               # = or : "
    ( [^\s"'&,;}]+ )                                                                            # its value
    """
)
_CUT = re.compile(r"(?s)(.*?)(…|\.\.\.)")


def spellings(secret: str) -> set[str]:
    """Every way ``secret`` can be spelled in text it reaches: as is, percent-encoded once or twice (``%20`` or
    ``+`` for spaces, upper- or lower-case hex), JSON-escaped, HTML-escaped, as a Python literal (``\\x01``), as
    hex, and base64 (alone, or inside ``user:secret`` at any alignment, standard and URL-safe alphabets)."""
    raw = secret.encode("utf-8", errors="surrogatepass")
    forms = {secret, secret.replace(" ", "+"), secret.replace(" ", "%20"), raw.hex(), raw.hex().upper()}
    forms.update((json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]))
    forms.update((html.escape(secret), html.escape(secret, quote=False), repr(secret)[1:-1], repr(raw)[2:-1]))
    for encoded in (quote(secret, safe=""), quote(secret), quote_plus(secret), quote_plus(secret, safe="")):
        for twice in (encoded, quote(encoded, safe=""), quote_plus(encoded, safe="")):
            forms.update((twice, _PERCENT.sub(lambda match: match.group().lower(), twice)))
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * offset + raw).decode("ascii")
            start, end = -(-8 * offset // 6), 8 * (offset + len(raw)) // 6
            if end - start >= MIN_BASE64:
                forms.add(text[start:end])
        forms.add(base64.b64encode(raw).decode("ascii"))
    return {form for form in forms if form}


_NOT_CREDENTIALS = frozenset({"token_type", "token_path", "expires_in_path"})


def mask_credential_fields(text: str) -> str:
    """``text`` with the value of every field whose name says it is a credential (``access_token=…``,
    ``"client_secret": "…"``) masked: for bodies quoted in errors, whose secrets may not be known yet."""
    return _CREDENTIAL_FIELD.sub(_masked_field, text)


def _masked_field(match: re.Match[str]) -> str:
    if match.group(1).strip("\"' ").lower() in _NOT_CREDENTIALS:
        return match.group()
    return match.group(1) + match.group(2) + MASK


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
        """Remember more secret values (already known ones are ignored: runs add them on every call; those shorter
        than :data:`MIN_SECRET_CHARS` too)."""
        new = {secret for secret in secrets if len(secret) >= MIN_SECRET_CHARS and secret not in self._secrets}
        if not new:
            return
        self._secrets |= new
        forms = set(self._forms)
        for secret in new:
            forms.update(spellings(secret))
        self._forms = sorted(forms, key=len, reverse=True)
        self._heads = [form for form in self._forms if len(form) > MIN_HEAD]
        self._head_tails = {form[end - MIN_HEAD : end] for form in self._heads for end in range(MIN_HEAD, len(form))}

    def absorb(self, other: Masker) -> None:
        """Know every secret ``other`` knows too."""
        self.add(other._secrets)

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

"""``@call(Connector)`` and ``@read(Connector > path)`` mentions inside instruction text."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from workbench.folders import name_key

MentionKind = Literal["call", "read"]
PATH_SEPARATOR = " > "

# ``@`` glued to a word or dot before it is part of an e-mail address or similar, not a mention.
_MENTION = re.compile(r"(?<![\w.@])@(call|read)\(")


@dataclass(frozen=True)
class Mention:
    """One mention: its kind, the normalized name, and its span in the text (``end`` exclusive)."""

    kind: MentionKind
    name: str
    start: int
    end: int

    @property
    def segments(self) -> tuple[str, ...]:
        """The name split into path segments."""
        return split_path(self.name)

    @property
    def token(self) -> str:
        """The mention written back in its canonical form."""
        return format_mention(self.kind, self.name)


@dataclass(frozen=True)
class MentionSyntaxError:
    """A mention that is started but not well-formed, with its offset in the text."""

    start: int
    end: int
    message: str


@dataclass(frozen=True)
class ParsedText:
    """The mentions of a text and the malformed ones."""

    mentions: tuple[Mention, ...]
    errors: tuple[MentionSyntaxError, ...]

    def calls(self) -> list[Mention]:
        """The ``@call`` mentions, in order."""
        return list(self._by_kind["call"])

    def reads(self) -> list[Mention]:
        """The ``@read`` mentions, in order."""
        return list(self._by_kind["read"])

    @functools.cached_property
    def _by_kind(self) -> dict[MentionKind, tuple[Mention, ...]]:
        """The mentions split by kind, once (a text may hold many thousands)."""
        return {kind: tuple(mention for mention in self.mentions if mention.kind == kind) for kind in ("call", "read")}


def split_path(path: str) -> tuple[str, ...]:
    """``"Get orders >  status"`` -> ``("Get orders", "status")``; blank segments are kept as ``""``."""
    return tuple(" ".join(part.split()) for part in path.split(">"))


def join_path(segments: Iterable[str]) -> str:
    """Segments joined with the canonical separator."""
    return PATH_SEPARATOR.join(segments)


def normalize_path(path: str) -> str:
    """The canonical spelling of an attribute path or name (single spaces, ``" > "`` separators)."""
    return join_path(split_path(path))


def format_mention(kind: MentionKind, name: str) -> str:
    """The token that mentions ``name``: ``@call(Get orders)`` or ``@read(Get orders > status)``."""
    return f"@{kind}({normalize_path(name)})"


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> ParsedText:
    """Find every mention in ``text``; malformed ones are reported, never raised (cached: the result is immutable)."""
    mentions: list[Mention] = []
    errors: list[MentionSyntaxError] = []
    for match in _MENTION.finditer(text):
        kind: MentionKind = match.group(1)  # type: ignore[assignment]
        open_at = match.end()
        close_at = _closing_paren(text, open_at)
        if close_at is None:
            errors.append(MentionSyntaxError(match.start(), match.end(), f"@{kind}( is not closed with ')'"))
            continue
        name = normalize_path(text[open_at:close_at])
        if not name or "" in split_path(name):
            errors.append(MentionSyntaxError(match.start(), close_at + 1, f"@{kind}() names nothing"))
            continue
        if kind == "call" and ">" in name:
            errors.append(MentionSyntaxError(match.start(), close_at + 1, "@call takes a connector name, not a path"))
            continue
        mentions.append(Mention(kind, name, match.start(), close_at + 1))
    return ParsedText(tuple(mentions), tuple(errors))


def _closing_paren(text: str, start: int) -> int | None:
    """The index of the ``)`` that closes a mention opened before ``start``; a ``(`` or a newline ends it."""
    for index in range(start, len(text)):
        char = text[index]
        if char == ")":
            return index
        if char in "(\n":
            return None
    return None


def render(text: str, value_of: Callable[[Mention], str]) -> str:
    """``text`` with every well-formed mention replaced by ``value_of(mention)``."""
    parsed = parse(text)
    pieces: list[str] = []
    cursor = 0
    for mention in parsed.mentions:
        pieces.append(text[cursor : mention.start])
        pieces.append(value_of(mention))
        cursor = mention.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, compared case-insensitively, if any is close enough."""
    return _suggest(name, tuple(candidates))


@functools.lru_cache(maxsize=1024)
def _suggest(name: str, candidates: tuple[str, ...]) -> str | None:
    """:func:`suggest`, remembered: the same misspelling is often repeated many times."""
    by_folded = {name_key(candidate): candidate for candidate in candidates}
    folded = name_key(name)
    if folded in by_folded:
        return by_folded[folded]
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None

"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

TRICKY = (
    "aZ09 _-.,:;'\"`\\/<>(){}[]@#$%*+=|~"  # ASCII, punctuation the code under test gives meaning to
    "\t\n\r\x00\x1f\x7f"  # whitespace and control characters
    "éßΩЖ漢字\u00a0\u200b\u0301\u2028\ufeff"  # letters of other scripts, odd spaces, a combining accent
    "😀\U0001f1f3"  # outside the Basic Multilingual Plane
)
"""A narrow alphabet standing for the whole Unicode table: building Hypothesis' table of every character on
first use takes seconds on a fresh clone, and these characters are the ones that behave differently."""


def tricky_text(exclude: str = "", *, min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Strings over :data:`TRICKY`, without the characters in ``exclude``."""
    return st.text(alphabet=[char for char in TRICKY if char not in exclude], min_size=min_size, max_size=max_size)

"""What content draws, to compare: a widget is set again only when what it would draw changes.

Textual lays the whole screen out again after a widget is re-set (a ``Static`` updated, a ``Select`` given its
options, a tree cleared and refilled) even with what it already shows: some 25-60 ms each. The widgets that are
re-set from a model (on each lint, run event or item brought to the front) compare what they would draw with
what they draw, through :func:`drawn`.
"""

from __future__ import annotations

from rich.text import Text


def drawn(content: object) -> object:
    """``content`` as compared: a ``Text`` by its characters, their styles and its own style (Rich's ``==`` leaves
    out the last), anything else as it is."""
    if isinstance(content, Text):
        return (content.plain, tuple(content.spans), str(content.style))
    return content

"""Colours by meaning, taken from the active Textual theme.

Widgets name a *role* ("error", "success", "muted"…) and never a colour; :data:`ROLES` says which theme variable
each role reads. The ``text-*`` variables are the theme's colours tinted to be readable on its background, so
a role reads well on light and dark themes alike. A style spec is words: roles plus Rich attributes, e.g.
``"bold error"`` or ``"italic muted"``.

Rich text holds concrete colours, fixed when the text is built: a widget that builds it from a palette rebuilds
it when the theme changes (:func:`on_theme_change`). Where CSS can say it (backgrounds, borders, component
classes), widgets use the theme's variables directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.color import Color as RichColor
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.color import Color, ColorParseError
from textual.dom import DOMNode
from textual.theme import BUILTIN_THEMES, Theme

from workbench.visible import literal

ROLES: dict[str, str] = {
    "error": "text-error",
    "success": "text-success",
    "warning": "text-warning",
    "accent": "text-accent",
    "primary": "text-primary",
    "secondary": "text-secondary",
    "muted": "text-muted",
    "secret": "text-error",
    "mention": "text-primary",
    "reference": "text-secondary",
    "template": "text-accent",
    "string": "text-success",
    "number": "text-accent",
    "keyword": "text-primary",
    "key": "text-secondary",
}
"""Each role and the theme variable it takes its colour from."""

ATTRIBUTES = frozenset({"bold", "dim", "italic", "underline", "reverse", "strike"})
"""Words of a style spec that are Rich attributes rather than roles."""

MIN_CONTRAST = 4.5
"""The least contrast of a role's colour with the theme's surface (WCAG's ratio for body text)..."""
MUTED_CONTRAST = 3.0
"""...and of muted text, which is meant to recede."""


class Palette:
    """The roles' colours under one theme's variables (``App.get_css_variables()``)."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        self.background = _opaque(variables.get("surface", "")) or _opaque(variables.get("background", ""))
        """The colour text is drawn on (``None`` in the ANSI themes: the terminal's own)."""
        self._styles: dict[str, Style] = {}

    def colour(self, role: str) -> Color | None:
        """The colour of ``role`` on the theme's surface, made readable; ``None``: the terminal's own colour."""
        name, _, percent = self.variables.get(ROLES[role], "").partition(" ")
        alpha = float(percent.rstrip("%")) / 100 if percent else 1.0
        background = self.background
        try:
            colour = background.get_contrast_text(alpha) if name == "auto" and background else Color.parse(name)
        except ColorParseError:  # e.g. ``ansi_default 50%`` in the ANSI themes
            return None
        if colour.ansi is not None or background is None:
            return None if colour.ansi == -1 else colour
        return readable(background + colour.multiply_alpha(alpha), background, _least_contrast(role))

    def style(self, spec: str) -> Style:
        """The Rich style of a spec such as ``"bold error"`` (unknown words raise ``KeyError``)."""
        style = self._styles.get(spec)
        if style is None:
            style = self._styles[spec] = self._resolve(spec)
        return style

    def text(self, text: str, spec: str) -> Text:
        """``text`` styled by ``spec``."""
        return literal(text, self.style(spec))

    def _resolve(self, spec: str) -> Style:
        words = spec.split()
        attributes: dict[str, Any] = {word: True for word in words if word in ATTRIBUTES}
        colour: RichColor | None = None
        for word in words:
            if word not in ATTRIBUTES:
                resolved = self.colour(word)
                colour = None if resolved is None else resolved.rich_color
                if resolved is None and word == "muted":  # the terminal's colour cannot be faded: dim it
                    attributes["dim"] = True
        return Style(color=colour, **attributes)


def _least_contrast(role: str) -> float:
    return MUTED_CONTRAST if role == "muted" else MIN_CONTRAST


def contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 (same luminance) to 21 (black on white)."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            value_1 = value / 255
            return value_1 / 12.92 if value_1 <= 0.03928 else ((value_1 + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour: Color, background: Color, least: float) -> Color:
    """``colour`` moved towards black or white (whichever contrasts with ``background``) until it reaches a
    contrast of ``least`` with it."""
    target = background.get_contrast_text(1.0)
    for _ in range(20):
        if contrast(colour, background) >= least:
            break
        colour = colour.blend(target, 0.1)
    return colour


def _opaque(value: str) -> Color | None:
    try:
        colour = Color.parse(value)
    except ColorParseError:
        return None
    return None if colour.ansi is not None or colour.a < 1 else colour


_PALETTES: dict[int, tuple[Theme, Palette]] = {}
"""Palettes by theme (by identity: a theme registered again under its name gets a new palette)."""


def palette(app: App[Any]) -> Palette:
    """The palette of ``app``'s current theme."""
    theme = app.current_theme
    cached = _PALETTES.get(id(theme))
    if cached is None or cached[0] is not theme:
        cached = _PALETTES[id(theme)] = (theme, Palette(app.get_css_variables()))
    return cached[1]


DEFAULT_PALETTE = Palette(BUILTIN_THEMES["textual-dark"].to_color_system().generate())
"""The palette of Textual's default theme, for text rendered away from an app (e.g. in tests)."""


def on_theme_change(node: DOMNode, callback: Callable[[], object]) -> None:
    """Call ``callback`` (to redraw) whenever the app's theme changes; ``node`` must be mounted."""
    node.app.theme_changed_signal.subscribe(node, lambda _theme: callback())

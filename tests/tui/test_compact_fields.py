"""A compact field (every one-line field of the forms) is made compact as if made with that class, styled when it
is mounted: Textual's own ``Input`` set ``compact`` through its reactive, which styled the field against the whole
stylesheet again as it was made, not even mounted (half a millisecond per field; the settings editor makes 27)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.dom import DOMNode

from tests.quick_pilot import quick_test
from workbench.tui.widgets.fields import Input


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Input("before", compact=True)


async def test_a_compact_field_is_styled_when_mounted_not_when_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Made while the app runs, a compact field is styled no more than a plain one (Textual styles a field given a
    value once, for its validity); mounted, it is drawn compact (one line, no border), and the plain one is not."""
    app = _Host()
    async with quick_test(app) as pilot:
        styled: list[DOMNode] = []
        with monkeypatch.context() as patched:
            patched.setattr(app, "update_styles", lambda node, animate=True: styled.append(node))
            plain = Input("plain")
            styled_plain = len(styled)
            compact = Input("compact", compact=True)
        assert len(styled) - styled_plain == styled_plain
        await app.screen.mount(compact, plain)
        await pilot.pause()
        assert compact.compact and compact.has_class("-textual-compact") and compact.region.height == 1
        assert not plain.compact and not plain.has_class("-textual-compact") and plain.region.height == 3

"""The run panel's "Mock server" tab: the mock server's log lines."""

from __future__ import annotations

from textual.widgets import Log

from workbench.visible import visible

MOCK_LOG_LINES = 2000
"""The app keeps the last lines of the mock server's log only."""


class MockServerLog(Log):
    """The "Mock server" tab: the server's log lines (those written before it is mounted are kept)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=MOCK_LOG_LINES, id=id)
        self._pending: list[str] = []

    def add(self, line: str) -> None:
        """Append one line."""
        if self.is_mounted:
            self.write_line(visible(line))
        else:
            self._pending.append(line)

    def on_mount(self) -> None:
        self.write_lines([visible(line) for line in self._pending])
        self._pending.clear()

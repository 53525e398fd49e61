"""Whether a secret or redacted value shows in a run's output, read the way a person reads it."""

from __future__ import annotations

import re


def shows(value: str, text: str) -> bool:
    """Whether ``value`` shows in ``text``. A value of digits alone (a card's last four) shows only as a number of
    its own: inside a longer number (a timestamp ``0.004242``) it is another number, not the value leaked."""
    if value.isdigit():
        return re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text) is not None
    return value in text

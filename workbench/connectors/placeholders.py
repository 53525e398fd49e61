"""Template placeholders (``{{input}}``, ``{{env.NAME}}``, ``{{secret.NAME}}``) and how a value reads as template
text; the scope that fills them is :class:`~workbench.connectors.templates.TemplateScope`."""

from __future__ import annotations

import re
from typing import Any

from workbench import jsoncodec

TEMPLATE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


class _Omitted:
    """An optional input that has no value: its template renders empty, or drops the key it fills."""


OMITTED = _Omitted()


def format_value(value: Any) -> str:
    """A value as template text: strings as they are, ``None`` as nothing, the rest as compact JSON."""
    if isinstance(value, str):
        return value
    if value is None or value is OMITTED:
        return ""
    return jsoncodec.dumps(value).decode()

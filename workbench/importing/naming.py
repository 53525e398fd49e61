"""Names for what an import creates: connector names, input names and secret variable names."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from workbench.store import name_key

_NOT_IN_NAME = re.compile(r"[()>]+")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_GENERIC_LABELS = frozenset({"api", "www", "app", "rest", "gateway", "localhost"})


def connector_name(text: str, fallback: str = "Imported connector") -> str:
    """A valid connector name from free text: no ``( ) >``, single spaces, not empty."""
    name = " ".join(_NOT_IN_NAME.sub(" ", text).split())
    return name or fallback


def humanize(identifier: str) -> str:
    """``getOrderById`` / ``get_order_by_id`` -> ``Get order by id``."""
    words = [word.lower() for word in _WORDS.findall(identifier)]
    return " ".join(words).capitalize() if words else identifier


def input_name(text: str) -> str:
    """A valid input name (``[A-Za-z_][A-Za-z0-9_]*``) from a parameter name: ``order-id`` -> ``order_id``."""
    name = _NOT_IDENTIFIER.sub("_", text).strip("_") or "value"
    return f"_{name}" if name[0].isdigit() else name


def env_name(*parts: str) -> str:
    """An environment variable name: ``("shop", "X-Api-Key")`` -> ``SHOP_X_API_KEY``."""
    words = [word for part in parts for word in _NOT_IDENTIFIER.sub("_", part).split("_") if word]
    # camelCase parts split into words too: ``bearerAuth`` -> ``BEARER_AUTH``
    spelled = [piece for word in words for piece in (_WORDS.findall(word) or [word])]
    name = "_".join(spelled).upper() or "API_SECRET"
    return f"_{name}" if name[0].isdigit() else name


def service_name(url: str) -> str:
    """A short name of the service a URL belongs to: ``https://api.shop.example.com/x`` -> ``shop``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # not a URL: the caller reports it
        host = ""
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return "api"
    labels = host.split(".")
    if len(labels) > 1:
        labels = labels[:-1]  # the top-level domain
    meaningful = [label for label in labels if label not in _GENERIC_LABELS]
    return meaningful[-1] if len(meaningful) == 1 else (meaningful[0] if meaningful else "api")


def unique(name: str, taken: Collection[str]) -> str:
    """``name``, or ``name 2``, ``name 3``… whichever is not in ``taken`` (name keys, :func:`name_key`)."""
    candidate, counter = name, 2
    while name_key(candidate) in taken:
        candidate = f"{name} {counter}"
        counter += 1
    return candidate

"""Finding secrets in a concrete request and replacing them with ``{{secret.NAME}}`` templates.

A secret's value never leaves this module: callers get the templated text and the variable's name, with a
hint on what to set it to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.connectors.templates import TEMPLATE
from workbench.importing.naming import env_name

_SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
    }
)
_SECRET_WORDS = re.compile(
    r"(token|secret|passw|api[-_]?key|apikey|auth(?!or)|signature|session|credential)", re.IGNORECASE
)
_SECRET_QUERY = frozenset({"key", "sig", "access_token", "client_secret"})
_SCHEMES = {"bearer": "TOKEN", "basic": "BASIC_AUTH", "token": "TOKEN", "digest": "DIGEST"}


@dataclass
class Secrets:
    """The secret variables an import needs: ``{NAME: what to set it to}``, in the order found."""

    needed: dict[str, str] = field(default_factory=dict)

    def template(self, name: str, hint: str) -> str:
        """Record ``name`` as needed and return its template."""
        self.needed.setdefault(name, hint)
        return "{{secret." + name + "}}"

    def header(self, service: str, header: str, value: str) -> str:
        """The header's value with its secret part templated (``Bearer {{secret.SHOP_TOKEN}}``), or as given."""
        if not is_secret_header(header) or _is_template(value):
            return value
        scheme, _, rest = value.partition(" ")
        kind = _SCHEMES.get(scheme.lower())
        if kind and rest.strip() and not _is_template(rest.strip()):
            hint = "user:password in base64" if kind == "BASIC_AUTH" else f"the {scheme} credential"
            return f"{scheme} " + self.template(env_name(service, kind), hint)
        return self.template(env_name(service, header), f"the value of the {header} header")

    def query(self, service: str, key: str, value: str) -> str:
        """A query value, templated when its name says it is a credential."""
        if not is_secret_query(key) or _is_template(value) or not value:
            return value
        return self.template(env_name(service, key), f"the {key} query parameter")


def is_secret_header(name: str) -> bool:
    """Whether a header (by name) carries a credential."""
    lowered = name.lower()
    return lowered in _SECRET_HEADERS or bool(_SECRET_WORDS.search(lowered))


def is_secret_query(name: str) -> bool:
    """Whether a query parameter (by name) carries a credential."""
    lowered = name.lower()
    return lowered in _SECRET_QUERY or bool(_SECRET_WORDS.search(lowered))


def _is_template(text: str) -> bool:
    return bool(TEMPLATE.fullmatch(text.strip()))

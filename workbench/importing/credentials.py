"""The one credential detector of every import: secrets in a connector become ``{{secret.NAME}}`` templates.

:func:`scrub` is applied to every connector an importer produces (through :meth:`Imported.add
<workbench.importing.plan.Imported.add>`): it looks at header and query names, value shapes (bearer and basic
credentials, JWTs, well-known key formats), URL userinfo, JSON request bodies (``password``,
``client_secret``…), input defaults and response examples (``access_token``… become a placeholder). A
secret's value never leaves this module: callers get the templated text and the variable's name, with a hint
on what to set it to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from workbench.connectors.templates import TEMPLATE
from workbench.importing.naming import env_name, service_name
from workbench.model import Connector, MockResponse

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
        "set-cookie",
    }
)
_SECRET_WORDS = re.compile(
    r"(token|secret|passw|pwd|api[-_]?key|apikey|auth(?!or)|signature|session|credential|private[-_]?key"
    r"|access[-_]?key)",
    re.IGNORECASE,
)
_KEY_HEADER = re.compile(r"[-_]key$", re.IGNORECASE)  # X-Functions-Key, DD-APPLICATION-KEY (not a body's "key")
_NOT_SECRET = re.compile(r"(idempotency|[-_]type$|expires|[-_]at$|[-_]url$|[-_]count$|^authored)", re.IGNORECASE)
_SECRET_QUERY = frozenset({"key", "sig", "access_token", "client_secret"})
_SCHEMES = {"bearer": "TOKEN", "basic": "BASIC_AUTH", "token": "TOKEN", "digest": "DIGEST"}
_SHAPES = re.compile(
    r"^(?:eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"  # a JWT
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"  # GitHub
    r"|[sr]k_(?:live|test)_[A-Za-z0-9]{10,}"  # Stripe
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"  # AWS, Google
    r"|(?:Bearer|Basic|Token)\s+\S{8,})$"
)
PLACEHOLDER = "<redacted>"


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
        if _is_template(value) or not value.strip() or not (is_secret_header(header) or looks_secret(value)):
            return value
        scheme, _, rest = value.partition(" ")
        kind = _SCHEMES.get(scheme.lower())
        if kind and rest.strip() and not _is_template(rest.strip()):
            hint = "user:password in base64" if kind == "BASIC_AUTH" else f"the {scheme} credential"
            return f"{scheme} " + self.template(env_name(service, kind), hint)
        return self.template(env_name(service, header), f"the value of the {header} header")

    def query(self, service: str, key: str, value: str) -> str:
        """A query value, templated when its name or its shape says it is a credential."""
        if _is_template(value) or not value or not (is_secret_query(key) or looks_secret(value)):
            return value
        return self.template(env_name(service, key), f"the {key} query parameter")

    def variable(self, service: str, name: str, value: str) -> str:
        """An environment variable's value (a stdio MCP server's), templated when its name or shape says it is
        a credential."""
        if _is_template(value) or not value or not (_secret_name(name) or looks_secret(value)):
            return value
        return self.template(env_name(service, name), f"the {name} variable of the server's environment")

    def body(self, service: str, data: Any, path: str = "") -> Any:
        """A JSON request body with secret-named and secret-looking string values templated."""
        if isinstance(data, dict):
            return {key: self._body_value(service, key, item, f"{path}_{key}") for key, item in data.items()}
        if isinstance(data, list):
            return [self.body(service, item, path) for item in data]
        return data

    def _body_value(self, service: str, key: str, value: Any, path: str) -> Any:
        if isinstance(value, str) and value and not _is_template(value) and (_secret_name(key) or looks_secret(value)):
            return self.template(env_name(service, path.strip("_")), f"the {key} sent in the body")
        return self.body(service, value, path)

    def url(self, service: str, url: str, headers: dict[str, str]) -> str:
        """``url`` without its userinfo (``user:password@``); the credential moves to an Authorization header."""
        bare = without_userinfo(url)
        if bare != url and not any(name.lower() == "authorization" for name in headers):
            headers["Authorization"] = "Basic " + self.template(
                env_name(service, "BASIC_AUTH"), "user:password in base64 (it was in the URL)"
            )
        return bare


def without_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, parts.fragment))


def redact(data: Any) -> Any:
    """Response data with secret-named and secret-looking string values replaced by a placeholder."""
    if isinstance(data, dict):
        return {
            key: PLACEHOLDER if isinstance(item, str) and item and _secret_name(key) else redact(item)
            for key, item in data.items()
        }
    if isinstance(data, list):
        return [redact(item) for item in data]
    return PLACEHOLDER if isinstance(data, str) and looks_secret(data) else data


def scrub(connector: Connector, secrets: Secrets, base_url: str = "") -> Connector:
    """``connector`` with every credential the detector finds templated (the request) or replaced (examples);
    ``base_url`` names the service of a URL starting with ``{{env.base_url}}``."""
    request = connector.request
    service = service_name(request.url.replace("{{env.base_url}}", base_url, 1))
    headers = {key: secrets.header(service, key, value) for key, value in request.headers.items()}
    url = secrets.url(service, request.url, headers)
    query = {key: secrets.query(service, key, value) for key, value in request.query.items()}
    body = secrets.body(service, request.body)
    update: dict[str, Any] = {
        "request": request.model_copy(update={"url": url, "headers": headers, "query": query, "body": body}),
        "inputs": [  # a credential as an input's default is dropped: the value would be sent
            item.model_copy(update={"default": None}) if _secret_default(item.name, item.default) else item
            for item in connector.inputs
        ],
    }
    response = connector.response
    if response.example is not None or response.rules:
        update["response"] = response.model_copy(
            update={
                "example": _redacted_response(response.example) if response.example is not None else None,
                "rules": [
                    rule.model_copy(update={"response": _redacted_response(rule.response)}) for rule in response.rules
                ],
            }
        )
    return connector.model_copy(update=update)


def _redacted_response(response: MockResponse) -> MockResponse:
    return response.model_copy(
        update={
            "body": redact(response.body),
            "headers": {
                key: PLACEHOLDER if is_secret_header(key) else value for key, value in response.headers.items()
            },
            "then": [_redacted_response(item) for item in response.then],
        }
    )


def secret_references(connector: Connector) -> Iterator[str]:
    """The names of every ``{{secret.NAME}}`` the connector's request sends, in order."""
    request = connector.request
    texts: list[Any] = [request.url, *request.headers.values(), *request.query.values(), request.body]
    while texts:
        item = texts.pop(0)
        if isinstance(item, dict):
            texts[:0] = list(item.values())
        elif isinstance(item, list):
            texts[:0] = item
        elif isinstance(item, str):
            for match in TEMPLATE.finditer(item):
                scope, _, name = match.group(1).partition(".")
                if scope == "secret" and name:
                    yield name


def is_secret_header(name: str) -> bool:
    """Whether a header (by name) carries a credential."""
    lowered = name.lower()
    return (
        lowered in _SECRET_HEADERS
        or _secret_name(lowered)
        or (bool(_KEY_HEADER.search(lowered)) and not _NOT_SECRET.search(lowered))
    )


def is_secret_query(name: str) -> bool:
    """Whether a query parameter (by name) carries a credential."""
    return name.lower() in _SECRET_QUERY or _secret_name(name)


def looks_secret(value: str) -> bool:
    """Whether a value has the shape of a credential (a bearer or basic credential, a JWT, a known key format)."""
    return bool(_SHAPES.match(value.strip()))


def _secret_default(name: str, default: Any) -> bool:
    return isinstance(default, str) and bool(default) and (_secret_name(name) or looks_secret(default))


def _secret_name(name: str) -> bool:
    return bool(_SECRET_WORDS.search(name)) and not _NOT_SECRET.search(name)


def _is_template(text: str) -> bool:
    """Whether ``text`` holds a template already (a secret the source wrote is listed by the plan, not re-made)."""
    return bool(TEMPLATE.search(text))

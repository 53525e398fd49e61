"""Authentication tokens (``workbench.json`` ``tokens``): a static text token, a token fetched with an HTTP
request, or an OAuth 2.0 client-credentials grant (RFC 6749 §4.4). A connector names one in its ``auth``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from workbench.mentions import split_path
from workbench.model.base import FileModel
from workbench.model.connector import Request


class TokenBase(FileModel):
    """Where every token goes on a connector's request: ``header: prefix + value``."""

    header: str = Field(default="Authorization", min_length=1, pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
    prefix: str = "Bearer "


class TextToken(TokenBase):
    """A static token; ``value`` is a template, normally ``{{secret.NAME}}``."""

    type: Literal["text"] = "text"
    value: str = Field(min_length=1)


class RequestToken(TokenBase):
    """A token fetched once per run with ``request`` (templates: ``{{env.X}}``, ``{{secret.X}}``), read from the
    JSON response at ``token_path`` (segments joined by ``' > '``); ``expires_in_path`` names the lifetime in
    seconds, when the endpoint says it. A call answered 401 refreshes the token and is retried once."""

    type: Literal["request"] = "request"
    request: Request
    token_path: str = Field(default="access_token", min_length=1)
    expires_in_path: str | None = None

    @model_validator(mode="after")
    def _separate_paths(self) -> RequestToken:
        if self.expires_in_path is not None:
            token, expires = split_path(self.token_path), split_path(self.expires_in_path)
            shorter = min(len(token), len(expires))
            if token[:shorter] == expires[:shorter]:
                raise ValueError(
                    f"token_path {self.token_path!r} and expires_in_path {self.expires_in_path!r} overlap: one "
                    "response field cannot hold both the token and its lifetime"
                )
        return self


class OAuthClientCredentialsToken(TokenBase):
    """An OAuth 2.0 client-credentials grant (RFC 6749 §4.4): ``grant_type=client_credentials`` posted to
    ``token_url`` as a form (the standard) or JSON; the client authenticates with HTTP Basic (``client_auth:
    basic``, RFC 6749 §2.3.1) or with ``client_id``/``client_secret`` in the body (``body``). ``audience`` is
    the extension some providers ask for. Refreshed on 401 like a request token."""

    type: Literal["oauth_client_credentials"] = "oauth_client_credentials"
    token_url: str = Field(min_length=1)
    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1)
    scope: str | None = None
    audience: str | None = None
    request_format: Literal["form", "json"] = "form"
    client_auth: Literal["basic", "body"] = "basic"
    timeout_s: int | float = Field(default=10, gt=0, le=600)


Token = Annotated[TextToken | RequestToken | OAuthClientCredentialsToken, Field(discriminator="type")]
AnyToken = TextToken | RequestToken | OAuthClientCredentialsToken

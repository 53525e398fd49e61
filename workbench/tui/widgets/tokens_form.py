"""The tokens of ``workbench.json`` as a form: a table of them (name, type, header), Add and Remove, and the fields
of the one selected by its type (text, a token fetched with a request, an OAuth client-credentials grant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label

from workbench.tui.widgets.fields import Input, Select
from workbench.tui.widgets.fitting_table import FittingTable
from workbench.tui.widgets.json_field import JsonField
from workbench.tui.widgets.recomposing import SerialRecompose
from workbench.tui.widgets.setting_fields import Setting, setting_rows, show_settings, value_at
from workbench.visible import literal

TOKEN_TYPES = ("text", "request", "oauth_client_credentials")
COMMON = (
    Setting("header", "Header", placeholder="Authorization"),
    Setting("prefix", "Prefix", "raw", "(none)"),
)
BY_TYPE = {
    "text": (Setting("value", "Token variable", "secret", "environment variable holding it, e.g. SHOP_TOKEN"),),
    "request": (
        Setting("request.method", "Method", "choice", options=("GET", "POST", "PUT", "PATCH", "DELETE")),
        Setting("request.url", "URL", placeholder="{{env.base_url}}/auth/token"),
        Setting("request.timeout_s", "Timeout (s)", "number", "10"),
        Setting("token_path", "Token path", placeholder="access_token"),
        Setting("expires_in_path", "Expires-in path", placeholder="optional, e.g. expires_in"),
    ),
    "oauth_client_credentials": (
        Setting("token_url", "Token URL", placeholder="{{env.base_url}}/oauth/token"),
        Setting("client_id", "Client id", placeholder="{{secret.CLIENT_ID}}, or the id itself"),
        Setting("client_secret", "Secret variable", "secret", "environment variable holding the client secret"),
        Setting("scope", "Scope", placeholder="optional"),
        Setting("audience", "Audience", placeholder="optional"),
        Setting("request_format", "Request format", "choice", options=("form", "json")),
        Setting("client_auth", "Client auth", "choice", options=("basic", "body")),
        Setting("timeout_s", "Timeout (s)", "number", "10"),
    ),
}
NEW_TOKEN: dict[str, dict[str, Any]] = {
    "text": {"type": "text", "value": "{{secret.API_TOKEN}}"},
    "request": {"type": "request", "request": {"method": "POST", "url": "{{env.base_url}}/auth/token"}},
    "oauth_client_credentials": {
        "type": "oauth_client_credentials",
        "token_url": "{{env.base_url}}/oauth/token",
        "client_id": "{{secret.CLIENT_ID}}",
        "client_secret": "{{secret.CLIENT_SECRET}}",
    },
}
"""What a token added, or given another type, starts as (its secrets named, never written out)."""
REQUEST_JSON = {"token-headers": "request.headers", "token-body": "request.body"}
"""The request token's JSON fields (by widget id) and their keys."""
_HEADERS: TypeAdapter[dict[str, str]] = TypeAdapter(dict[str, str])


def token_settings(token: dict[str, Any]) -> tuple[Setting, ...]:
    """The fields of a token (its data as in the file) by its type."""
    return COMMON + BY_TYPE.get(str(token.get("type", "text")), ())


class TokenFields(Vertical, SerialRecompose):
    """The fields of the selected token, composed afresh when its type (the fields it has) changes, else set in
    place (:meth:`show`)."""

    def __init__(
        self,
        tokens: dict[str, Any],
        selected: str | None,
        draft: Callable[[str, str], str],
        json_draft: Callable[[str], str | None],
    ) -> None:
        super().__init__(id="token-fields")
        self.tokens = tokens
        self.selected = selected
        self._draft = draft
        self._json_draft = json_draft
        self._composed: str | None = None
        """The type of the token whose fields are composed (``None``: none are)."""

    def _token(self) -> dict[str, Any] | None:
        token = self.tokens.get(self.selected) if self.selected is not None else None
        return token if isinstance(token, dict) else None

    def _kind(self) -> str | None:
        """The selected token's type, which decides its fields (``None``: no token, no fields)."""
        token = self._token()
        return None if token is None else str(token.get("type", "text"))

    async def show(self) -> None:
        """Show the selected token: its fields set in place when they are those composed (a token of the same type),
        no change reported; else composed afresh."""
        async with self._composing:  # (never into fields a recompose under way is still mounting)
            if self._kind() == self._composed:
                token = self._token()
                if token is not None:
                    self._show_values(token)
                return
        await self.recompose()

    def _show_values(self, token: dict[str, Any]) -> None:
        where = f"tokens.{self.selected}"
        self.part("#token-name", Input).show_value(self._draft(f"{where}.name", str(self.selected)))
        show_settings(self, token_settings(token), token, "token", self._draft, where)
        if token.get("type") == "request":
            for widget_id, key in REQUEST_JSON.items():
                self.part(f"#{widget_id}", JsonField).show(_json_value(token, key), self._json_draft(f"{where}.{key}"))

    def compose(self) -> ComposeResult:
        self._composed = self._kind()
        token = self._token()
        if token is None or self.selected is None:
            return
        where = f"tokens.{self.selected}"
        with Horizontal(classes="row"):
            yield Label("Name")
            yield Input(self._draft(f"{where}.name", self.selected), id="token-name", compact=True)
        with Horizontal(classes="row"):
            yield Label("Type")
            kind = str(token.get("type", "text"))
            yield Select(
                [(literal(kind), kind) for kind in TOKEN_TYPES],
                value=kind if kind in TOKEN_TYPES else Select.NULL,
                id="token-type",
                compact=True,
            )
        yield from setting_rows(token_settings(token), token, "token", self._draft, where)
        if token.get("type") == "request":
            for widget_id, key in REQUEST_JSON.items():
                yield Label(literal(f"Request {key.split('.')[-1]} (JSON; {{{{secret.NAME}}}} for secrets)"))
                yield JsonField(
                    _json_value(token, key),
                    validate=_HEADERS.validate_python if key.endswith("headers") else None,
                    allow_empty=key.endswith("body"),
                    draft=self._json_draft(f"{where}.{key}"),
                    id=widget_id,
                    classes="token-json",
                )


def _json_value(token: dict[str, Any], key: str) -> Any:
    """What a request token's JSON field shows: its headers (none: ``{}``) or its body."""
    return value_at(token, key) or ({} if key.endswith("headers") else None)


class TokensForm(Vertical):
    """The table of tokens, Add and Remove, and :class:`TokenFields`."""

    DEFAULT_CSS = """
    TokensForm { height: auto; margin-bottom: 1; }
    TokensForm > DataTable { height: auto; max-height: 8; }
    TokensForm > .form-row { height: 1; margin: 1 0; }
    TokensForm > .form-row > Button { width: auto; min-width: 0; margin-right: 1; }
    TokensForm TokenFields { height: auto; }
    TokensForm .token-json { height: 8; }
    """

    def __init__(self, fields: TokenFields) -> None:
        super().__init__(id="tokens")
        self.fields = fields
        self._listed: list[tuple[str, str, str]] | None = None
        """The rows the table lists."""

    def compose(self) -> ComposeResult:
        yield FittingTable(cursor_type="row", zebra_stripes=True, id="tokens-table")
        with Horizontal(classes="form-row"):
            yield Button("Add token", id="token-add", compact=True)
            yield Button("Remove token", id="token-remove", compact=True, variant="error")
        yield self.fields

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Token", "Type", "Header")
        self.fill_table()

    @property
    def names(self) -> list[str]:
        """The tokens' names, in the file's order."""
        return list(self.fields.tokens)

    def fill_table(self) -> None:
        """List the tokens again (unless listed as they are), the cursor on the selected one."""
        table = self.query_one(DataTable)
        rows = [
            (name, str(token.get("type", "text")), str(token.get("header", "Authorization")))
            if isinstance(token, dict)
            else (name, "?", "")
            for name, token in self.fields.tokens.items()
        ]
        if rows != self._listed:
            self._listed = rows
            table.clear()
            for row in rows:
                table.add_row(*(literal(cell) for cell in row))
        if self.fields.selected in self.fields.tokens:
            table.move_cursor(row=self.names.index(self.fields.selected))
        self.query_one("#token-remove", Button).disabled = not self.fields.tokens

    async def show(self, tokens: dict[str, Any], selected: str | None, *, fields: bool = True) -> None:
        """Show ``tokens`` with ``selected`` (its fields too unless ``fields`` is false: see :meth:`TokenFields.show`)."""
        self.fields.tokens, self.fields.selected = tokens, selected
        self.fill_table()
        if fields:
            await self.fields.show()

"""The run's one masker: every spelling of a secret, no masking of letters by a too-short secret, and a rule that
no module makes a masker of its own."""

from __future__ import annotations

import ast
import html
from urllib.parse import quote, quote_plus

import pytest

from tests.source_rules import broken, nodes
from workbench.connectors.masking import masker_of, run_masker, short_secrets
from workbench.connectors.secrets import MASK, MIN_SECRET_CHARS, mask_credential_fields
from workbench.model import Connector, WorkspaceSettings

SECRET = "p@ss<w0rd>&\"quote' 100%/é"
FORMS = {
    "html": html.escape(SECRET),
    "html-unquoted": html.escape(SECRET, quote=False),
    "hex": SECRET.encode().hex(),
    "HEX": SECRET.encode().hex().upper(),
    "double-percent": quote(quote(SECRET, safe=""), safe=""),
    "double-plus": quote_plus(quote_plus(SECRET)),
    "python-literal": repr(SECRET.encode())[2:-1],
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_spelling_of_a_secret_is_masked(form: str) -> None:
    assert masker_of([SECRET]).text(f"seen: {FORMS[form]} end") == f"seen: {MASK} end"


def test_a_secret_shorter_than_the_minimum_masks_nothing_and_is_named() -> None:
    assert MIN_SECRET_CHARS == 4
    assert masker_of(["a", "xyz"]).text("a banana, xyz") == "a banana, xyz"
    assert masker_of(["wxyz"]).text("a wxyz") == f"a {MASK}"
    connector = Connector.model_validate(
        {"name": "C", "request": {"url": "http://h/{{secret.ONE}}/{{secret.LONG}}/{{secret.UNSET}}"}}
    )
    settings = WorkspaceSettings()
    assert short_secrets({"C": connector}, settings, {"ONE": "a", "LONG": "long-enough"}) == ["ONE"]


def test_the_run_masker_knows_tokens_their_request_secrets_and_the_api_key() -> None:
    settings = WorkspaceSettings.model_validate(
        {
            "tokens": {
                "text": {"type": "text", "value": "{{secret.TEXT_TOKEN}}"},
                "fetched": {
                    "type": "request",
                    "request": {"method": "POST", "url": "http://h/auth", "body": {"key": "{{secret.BODY_KEY}}"}},
                    "token_path": "access_token",
                },
            },
            "agent": {"model": "m", "api_key": "{{secret.MODEL_KEY}}"},
        }
    )
    secrets = {"TEXT_TOKEN": "text-token-1", "BODY_KEY": "body-key-2", "MODEL_KEY": "sk-model-3", "OTHER": "8080"}
    masker = run_masker({}, settings, secrets)
    assert masker.text("text-token-1 body-key-2 sk-model-3 port 8080") == "*** *** *** port 8080"


def test_credential_fields_of_a_quoted_body_are_masked() -> None:
    assert mask_credential_fields("access_token=gho_x1&token_type=bearer") == "access_token=***&token_type=bearer"
    assert mask_credential_fields('{"refresh_token": "r-9", "id": 3}') == '{"refresh_token": "***", "id": 3}'


MASKER_MAKERS = {"connectors/masking.py"}


def makers(module: str, source: str) -> list[str]:
    """Where ``source`` makes a ``Masker`` of its own instead of taking the run's (or one from ``masking``)."""
    return [
        f"{module}:{node.lineno}: makes a Masker"
        for node in nodes(source)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == "Masker" or getattr(node.func, "attr", None) == "Masker")
        and module not in MASKER_MAKERS
    ]


def test_no_module_makes_a_masker_of_its_own() -> None:
    assert broken(makers) == []


def test_the_masker_rule_finds_a_new_one() -> None:
    assert makers("scenarios/junit.py", "masker = Masker()\nother = secrets.Masker()\n") == [
        "scenarios/junit.py:1: makes a Masker",
        "scenarios/junit.py:2: makes a Masker",
    ]

"""Request rendering and secret masking."""

from __future__ import annotations

import pytest

from workbench.connectors import ConnectorError, Masker, TemplateScope, render_request
from workbench.model import Connector


def connector(**request: object) -> Connector:
    return Connector.model_validate(
        {
            "name": "Get orders",
            "request": {"url": "{{env.base_url}}/customers/{{email}}/orders", **request},
            "inputs": [{"name": "email", "required": True}, {"name": "limit", "type": "integer"}, {"name": "cursor"}],
        }
    )


def live_scope(inputs: dict[str, object], **overrides: object) -> TemplateScope:
    values: dict[str, object] = {
        "connector": "Get orders",
        "inputs": inputs,
        "declared": ["email", "limit", "cursor"],
        "environment": {"base_url": "http://127.0.0.1:8787"},
        "environment_name": "local",
        "secrets": {"SHOP_TOKEN": "s3cr3t/+"},
        "strict": True,
    }
    values.update(overrides)
    return TemplateScope(**values)  # type: ignore[arg-type]


def test_inputs_env_and_secrets_are_filled() -> None:
    model = connector(
        headers={"Authorization": "Bearer {{secret.SHOP_TOKEN}}", "X-Cursor": "{{cursor}}"},
        query={"limit": "{{limit}}", "cursor": "{{ cursor }}"},
        body={"email": "{{email}}", "limit": "{{limit}}", "note": "for {{email}}", "cursor": "{{cursor}}"},
        method="POST",
    )
    request = render_request(model, live_scope({"email": "a/b@example.com", "limit": 5}))
    assert request.url == "http://127.0.0.1:8787/customers/a%2Fb@example.com/orders"
    assert request.headers == {"Authorization": "Bearer s3cr3t/+"}
    assert request.query == {"limit": "5"}
    assert request.body == {"email": "a/b@example.com", "limit": 5, "note": "for a/b@example.com"}
    assert request.secrets == frozenset({"s3cr3t/+"})
    assert request.display_url.endswith("/orders?limit=5")


def test_missing_environment_value_names_it() -> None:
    with pytest.raises(ConnectorError) as caught:
        render_request(connector(), live_scope({"email": "a"}, environment={}))
    assert caught.value.reason == "request_configuration"
    assert "environment 'local' has no value 'base_url'" in caught.value.message
    with pytest.raises(ConnectorError) as caught:
        render_request(connector(), live_scope({"email": "a"}, environment={}, environment_name=None))
    assert "none is selected" in caught.value.message


def test_missing_secret_names_the_variable_not_a_value() -> None:
    model = connector(headers={"Authorization": "Bearer {{secret.SHOP_TOKEN}}"})
    with pytest.raises(ConnectorError) as caught:
        render_request(model, live_scope({"email": "a"}, secrets={}))
    assert caught.value.reason == "request_configuration"
    assert "environment variable SHOP_TOKEN" in caught.value.message


def test_unknown_template_name_is_an_error_when_live() -> None:
    with pytest.raises(ConnectorError) as caught:
        render_request(connector(query={"q": "{{order}}"}), live_scope({"email": "a"}))
    assert "{{order}} names no input" in caught.value.message


def test_mocked_calls_render_leniently_without_reading_secrets() -> None:
    model = connector(headers={"Authorization": "Bearer {{secret.SHOP_TOKEN}}"}, query={"q": "{{order}}"})
    scope = live_scope({"email": "a"}, environment={}, secrets=None, strict=False)
    request = render_request(model, scope)
    assert request.url == "{{env.base_url}}/customers/a/orders"
    assert request.headers == {"Authorization": "Bearer ***"}
    assert request.query == {"q": "{{order}}"} and not request.secrets


def test_masker_masks_every_spelling_and_keeps_clean_data() -> None:
    masker = Masker()
    assert not masker and masker.mask({"a": 1}) == {"a": 1}
    masker.add(["s3cr3t/+", ""])
    data = {"url": "http://h/x?token=s3cr3t%2F%2B", "nested": [{"echo": "Bearer s3cr3t/+"}], "n": 1}
    assert masker.mask(data) == {"url": "http://h/x?token=***", "nested": [{"echo": "Bearer ***"}], "n": 1}
    clean = {"a": ["b", {"c": "d"}]}
    assert masker.mask(clean) is clean
    assert masker.found_in(b'{"x": "s3cr3t/+"}') and not masker.found_in(b"{}")

"""The one filter between a run and a model: redacted attributes withheld, secrets and their values masked."""

from __future__ import annotations

from types import SimpleNamespace

from tests.engine.build import connector
from workbench.agent.redaction import REDACTED, Redactor, redacted_paths
from workbench.connectors.masking import masker_of
from workbench.engine import ProcedureContext
from workbench.engine.context import StoredCall
from workbench.model import Connector


def test_redacted_paths_from_declared_fields() -> None:
    data = connector("Get user", {"profile": {"ssn": "x"}})
    data["response"]["fields"] = [
        {"path": "profile > ssn", "redacted": True},
        {"path": "Get user > card", "redacted": True},
        {"path": "profile.birthday", "redacted": True},
        {"path": "name", "redacted": False},
        {"path": " ", "redacted": True},
    ]
    plain = Connector.model_validate(connector("Other", {}))
    paths = redacted_paths({"Get user": Connector.model_validate(data), "Other": plain})
    assert paths == {"Get user > profile > ssn", "Get user > card", "Get user > profile > birthday"}


def test_redacted_paths_from_typed_fields() -> None:
    typed = SimpleNamespace(
        name="Typed",
        response=SimpleNamespace(fields=[SimpleNamespace(path="token", redacted=True)], model_extra={}),
    )
    assert redacted_paths({"Typed": typed}) == {"Typed > token"}  # type: ignore[dict-item]


def test_attributes_withhold_redacted_values_at_any_depth() -> None:
    redactor = Redactor(masker_of(["s3cret-value"]), ["Get user > profile > ssn"])
    shown = redactor.attributes(
        {
            "Get user > profile": {"ssn": "123-45-6789", "city": "Oslo"},
            "Get user > profile > ssn": "123-45-6789",
            "Get user > note": "key s3cret-value inside",
            "Get user > count": 3,
        }
    )
    assert shown == {
        "Get user > profile": {"ssn": REDACTED, "city": "Oslo"},
        "Get user > profile > ssn": REDACTED,
        "Get user > note": "key *** inside",
        "Get user > count": 3,
    }
    assert redactor({"text": "your ssn is 123-45-6789"}) == {"text": "your ssn is ***"}


def test_values_of_redacted_attributes_are_masked_from_the_context() -> None:
    context = ProcedureContext()
    context.store("Get user", b"{}", StoredCall(None, {"card": {"number": "4111 1111", "cvc": 123}}))  # type: ignore[arg-type]
    redactor = Redactor(masker_of(), ["Get user > card"])
    redactor.context = context
    assert redactor(["paid with 4111 1111 (cvc 123)"]) == ["paid with *** (cvc 123)"]  # short values stay

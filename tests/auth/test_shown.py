"""The leak check of the auth tests tells a redacted number from the digits of another number."""

from __future__ import annotations

import pytest

from tests.auth.shown import shows


@pytest.mark.parametrize(
    "text", ['{"last4": "4242"}', '{"last4":4242}', "card ending 4242.", "4242", '"4242-x"', "[4242]"]
)
def test_a_redacted_number_shows_wherever_it_stands_as_a_number_of_its_own(text: str) -> None:
    assert shows("4242", text)


@pytest.mark.parametrize("text", ['{"t":0.004242}', '{"seq":14242}', '{"ms":42420}', '{"t":3.4242}'])
def test_digits_inside_a_longer_number_are_not_the_redacted_number(text: str) -> None:
    """A run's timestamps and counters hold every short digit string sooner or later (seen: ``"t":0.004242``)."""
    assert not shows("4242", text)


def test_a_secret_of_letters_shows_anywhere_in_the_text() -> None:
    assert shows("shop-Tq4x", "Bearer shop-Tq4x") and shows("pay/s3cret:+", "a=pay/s3cret:+b")
    assert not shows("shop-Tq4x", "Bearer shop-Tq4y")

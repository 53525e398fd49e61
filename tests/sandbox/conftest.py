"""Fixtures of the sandbox tests: realistic inputs, small limits, the survival check."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from workbench.sandbox import SandboxLimits, evaluate

_ORDER = {
    "order_id": "ORD-1001",
    "status": "processing",
    "created_at": "2025-01-12T14:23:00Z",
    "items": [
        {"product_id": "PROD-200", "name": "Wireless Mouse", "quantity": 1, "unit_price": 24.99},
        {"product_id": "PROD-122", "name": "Laptop Stand", "quantity": 1, "unit_price": 39.99},
        {"product_id": "PROD-310", "name": "USB-C Hub", "quantity": 2, "unit_price": 18.5},
        {"product_id": "PROD-404", "name": "Desk Mat", "quantity": 4, "unit_price": 12.0},
    ],
}


def _make_inputs() -> dict[str, Any]:
    return {
        "temporary": {"Get orders": copy.deepcopy(_ORDER)},
        "user": {"name": "Ada", "email": "Ada@Example.com", "plan": "pro", "tags": ["vip"]},
        "company": {"name": "Acme", "seats": 12},
        "conversation": {"id": "c-1", "tags": ["refund", "shipping"], "channel": "chat"},
    }


@pytest.fixture
def inputs() -> dict[str, Any]:
    """What a procedure's code condition sees after calling "Get orders"."""
    return _make_inputs()


@pytest.fixture
def order() -> dict[str, Any]:
    """A "Get orders" response body, as a transform sees it."""
    return copy.deepcopy(_ORDER)


@pytest.fixture
def abuse_limits() -> SandboxLimits:
    """Small limits, so that abuse hits them fast."""
    return SandboxLimits(timeout_s=0.5, memory_mb=128, max_result_bytes=64 * 1024)


@pytest.fixture
def assert_still_works() -> Callable[[dict[str, Any]], None]:
    """After anything: the caller's inputs are untouched and the next evaluation works."""

    def check(inputs: dict[str, Any]) -> None:
        assert inputs == _make_inputs()
        assert evaluate('len(inputs["temporary"]["Get orders"]["items"]) >= 4', inputs) is True

    return check

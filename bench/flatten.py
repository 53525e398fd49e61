"""Flattening a large response into attributes, against parsing the same bytes with ``orjson.loads``.

Two ~10 MB payloads built here: a realistic one (a customer's order history: mostly arrays, which
flattening never enters) and an object-heavy worst case (orders keyed by id: deep objects, hundreds of
thousands of keys). Prints each time and the ratio flatten / parse (target: at most 1.5x), as the program
runs them, and with the garbage collector off for both (pure CPU; flatten itself pauses the collector).

    python bench/flatten.py
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import orjson

from workbench.attributes import flatten

TARGET_BYTES = 10 * 1024 * 1024
ROUNDS = 5


def order(index: int) -> dict[str, Any]:
    """One order as a shop's API returns it."""
    return {
        "order_id": f"ORD-{100000 + index}",
        "status": ("processing", "shipped", "delivered", "returned")[index % 4],
        "created_at": f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}T10:{index % 60:02d}:00Z",
        "total": {"amount": round(19.99 + index % 300, 2), "currency": "USD", "tax": round(1.6 + index % 24, 2)},
        "customer": {"id": f"cus_{index % 5000}", "email": f"user{index % 5000}@example.com", "vip": index % 9 == 0},
        "shipping": {
            "carrier": ("DHL", "UPS", "FedEx")[index % 3],
            "tracking_number": f"JD{index:018d}",
            "address": {
                "line1": f"{index % 900 + 1} Main Street",
                "city": "Arlington",
                "postcode": "22201",
                "country": "US",
                "geo": {"lat": 38.88, "lng": -77.1},
            },
        },
        "items": [
            {
                "product_id": f"PROD-{(index + item) % 700}",
                "name": "Wireless Mouse",
                "quantity": 1 + item % 3,
                "unit_price": 24.99,
                "attributes": {"colour": "black", "size": None},
            }
            for item in range(1 + index % 4)
        ],
        "payment": {"method": "card", "brand": "visa", "last4": f"{index % 10000:04d}", "captured": True},
        "notes": None,
    }


def build(shape: Callable[[list[dict[str, Any]]], Any]) -> bytes:
    """Serialized payload of about TARGET_BYTES, from as many orders as it takes."""
    sample = len(orjson.dumps(shape([order(index) for index in range(200)])))
    count = TARGET_BYTES * 200 // sample
    return orjson.dumps(shape([order(index) for index in range(count)]))


def history(orders: list[dict[str, Any]]) -> Any:
    """Realistic: the order list is an array."""
    return {
        "customer": {"id": "cus_1", "email": "ada@example.com"},
        "orders": orders,
        "pagination": {"page": 1, "per_page": len(orders), "next": None},
    }


def keyed(orders: list[dict[str, Any]]) -> Any:
    """Worst case: every order is an object member, so every nested field becomes an attribute."""
    return {"orders_by_id": {item["order_id"]: item for item in orders}, "count": len(orders)}


def best(function: Callable[[], Any]) -> float:
    """The fastest of a few runs, in seconds."""
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def measure(name: str, raw: bytes) -> float:
    """Print parse and flatten times as they run (garbage collector on), and with the collector off for both."""
    payload = orjson.loads(raw)
    parse = best(lambda: orjson.loads(raw))
    flat = best(lambda: flatten("Connector", payload))
    gc.disable()
    try:
        parse_cpu, flat_cpu = best(lambda: orjson.loads(raw)), best(lambda: flatten("Connector", payload))
    finally:
        gc.enable()
    ratio = flat / parse
    print(
        f"{name:<11} {len(raw) / 1e6:4.1f} MB {len(flatten('Connector', payload)):>8,} attributes | "
        f"orjson.loads {parse * 1000:6.1f} ms, flatten {flat * 1000:6.1f} ms: {ratio:4.2f}x | "
        f"GC off for both: {parse_cpu * 1000:6.1f} ms, {flat_cpu * 1000:6.1f} ms: {flat_cpu / parse_cpu:4.2f}x"
    )
    return ratio


def main() -> None:
    ratios = [measure("realistic", build(history)), measure("worst case", build(keyed))]
    verdict = "within" if max(ratios) <= 1.5 else "ABOVE"
    print(f"worst ratio {max(ratios):.2f}x: {verdict} the 1.5x target")


if __name__ == "__main__":
    main()

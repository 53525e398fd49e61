"""The runtime guards, in-process."""

from __future__ import annotations

import pytest

from workbench.sandbox.guards import BUILTIN_NAMES, Guards, PolicyViolation

SPEC_BUILTINS = {
    "len", "min", "max", "sum", "any", "all", "sorted", "abs", "round", "str", "int", "float", "bool", "list",
    "dict", "set", "tuple", "range", "enumerate", "zip", "isinstance",
}  # fmt: skip
EXCEPTIONS = {
    "Exception", "ArithmeticError", "IndexError", "KeyError", "LookupError", "TypeError", "ValueError",
    "ZeroDivisionError",
}  # fmt: skip


def test_the_builtins_are_those_of_the_spec_plus_catchable_exceptions() -> None:
    assert BUILTIN_NAMES == SPEC_BUILTINS | EXCEPTIONS


def test_the_attribute_guard_is_not_plain_getattr() -> None:
    guards = Guards()
    assert guards.builtins["_getattr_"] is not getattr
    assert guards.getattr("abc", "upper")() == "ABC"
    with pytest.raises(PolicyViolation):
        guards.getattr("{0.__class__}", "format")
    with pytest.raises(PolicyViolation):
        guards.getattr(str, "join")


def test_a_refusal_is_remembered_even_if_caught_and_the_first_one_wins() -> None:
    guards = Guards()
    with pytest.raises(PolicyViolation) as first:
        guards.getattr({}.keys(), "isdisjoint")
    with pytest.raises(PolicyViolation):
        guards.write(len)
    assert guards.fault is first.value
    guards.reset()
    assert guards.fault is None


def test_exceptions_expose_only_their_args() -> None:
    guards = Guards()
    error = AttributeError("x", name="y", obj=object())
    assert guards.getattr(error, "args") == ("x",)
    with pytest.raises(PolicyViolation):
        guards.getattr(error, "obj")


def test_iteration_is_limited_to_known_types() -> None:
    guards = Guards()
    assert list(guards.iterate([1, 2])) == [1, 2]
    with pytest.raises(PolicyViolation):
        guards.iterate(iter([1]))
    with pytest.raises(TypeError):
        guards.iterate(5)


def test_container_builtins_iterate_through_the_guard_and_keep_isinstance() -> None:
    guards = Guards()
    builtins = guards.builtins
    assert builtins["list"](x for x in [1, 2]) == [1, 2]
    assert builtins["dict"]({"a": 1}, b=2) == {"a": 1, "b": 2}
    assert isinstance([], builtins["list"]) and isinstance({}, (int, builtins["dict"]))
    with pytest.raises(PolicyViolation):
        builtins["tuple"](iter([1]))
    with pytest.raises(PolicyViolation):
        builtins["sorted"](iter([2, 1]))
    with pytest.raises(PolicyViolation):
        guards.write(builtins["list"])

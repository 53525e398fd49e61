"""Runtime guards: the helpers and builtins sandboxed code runs with.

RestrictedPython rewrites every attribute read, subscript, iteration, unpacking and
write in user code into a call to one of the `_name_` helpers built here. The sandbox's
safety rests on one property they keep: user code only ever holds plain data (what JSON
decodes to, plus tuples, sets, ranges, dict views and generators made from it), the
functions it defines itself, and the builtins below. Attribute access is therefore an
allowlist per type; every other type has no reachable attributes at all.

A guard that refuses raises `PolicyViolation`, a `BaseException` so that
`except Exception` in user code does not catch it, and records it as the evaluation's
fault so that even a bare `except:` cannot hide it.
"""

from __future__ import annotations

import importlib
import operator
import types
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, cast

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

from .modules import CLASS_ATTRIBUTES, INTERNAL_IMPORTS, MODULES, SUBSCRIPTABLE, VALUE_ATTRIBUTES, SafeModule


class PolicyViolation(BaseException):
    """User code tried something the sandbox forbids (reported as a policy error)."""


_READ_ONLY_SET_METHODS = frozenset(
    {
        "copy",
        "difference",
        "intersection",
        "isdisjoint",
        "issubset",
        "issuperset",
        "symmetric_difference",
        "union",
    }
)

SAFE_ATTRIBUTES: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            "capitalize",
            "casefold",
            "center",
            "count",
            "endswith",
            "find",
            "index",
            "isalnum",
            "isalpha",
            "isascii",
            "isdecimal",
            "isdigit",
            "islower",
            "isnumeric",
            "isspace",
            "istitle",
            "isupper",
            "join",
            "ljust",
            "lower",
            "lstrip",
            "partition",
            "removeprefix",
            "removesuffix",
            "replace",
            "rfind",
            "rindex",
            "rjust",
            "rpartition",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "upper",
            "zfill",
        }
    ),
    dict: frozenset({"clear", "copy", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"}),
    list: frozenset(
        {"append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"}
    ),
    tuple: frozenset({"count", "index"}),
    set: _READ_ONLY_SET_METHODS
    | {
        "add",
        "clear",
        "difference_update",
        "discard",
        "intersection_update",
        "pop",
        "remove",
        "symmetric_difference_update",
        "update",
    },
    frozenset: _READ_ONLY_SET_METHODS,
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
    **VALUE_ATTRIBUTES,
}
"""Attributes user code may read, by exact type (the values of code steps' modules included). Types not listed
have none; a class has those of :data:`~workbench.sandbox.modules.CLASS_ATTRIBUTES`, a module its members."""

EXCEPTION_ATTRIBUTES = frozenset({"args"})
"""Attributes user code may read on a caught exception."""

ATTRIBUTE_NAMES = frozenset().union(
    EXCEPTION_ATTRIBUTES,
    *SAFE_ATTRIBUTES.values(),
    *CLASS_ATTRIBUTES.values(),
    *(module.members for module in MODULES.values()),
)
"""Every attribute name that can be allowed on some object: anything else is refused at compile time."""

_DATA_TYPES = frozenset({dict, list, tuple, str, int, float, bool, type(None), set, frozenset})
_SUBSCRIPTABLE = frozenset({dict, list, tuple, str, range}) | SUBSCRIPTABLE
_ITERABLE = frozenset(
    {
        dict,
        list,
        tuple,
        str,
        set,
        frozenset,
        range,
        type({}.keys()),
        type({}.values()),
        type({}.items()),
        types.GeneratorType,
        enumerate,
        zip,
    }
)

_INPLACE_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
    "@=": operator.imatmul,
}

_EXCEPTIONS: tuple[type[Exception], ...] = (
    Exception,
    ArithmeticError,
    IndexError,
    KeyError,
    LookupError,
    TypeError,
    ValueError,
    ZeroDivisionError,
)


def _type_name(obj: object) -> str:
    return type(obj).__name__


def _inplace(op: str, target: Any, value: Any) -> Any:
    return _INPLACE_OPERATORS[op](target, value)


def _apply(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def _members_of(obj: Any) -> frozenset[str] | None:
    """What may be read on an object that is not plain data: a module's members, a class's constructors and
    constants, a caught exception's ``args``."""
    if isinstance(obj, SafeModule):
        return obj.members
    if isinstance(obj, type):
        return CLASS_ATTRIBUTES.get(obj)
    if isinstance(obj, BaseException):
        return EXCEPTION_ATTRIBUTES
    return None


class GuardedType:
    """A container type for user code: building one iterates its argument through the
    guard, and `isinstance(x, list)` keeps working."""

    def __init__(self, container: type, iterate: Callable[[Any], Iterable[Any]]) -> None:
        self._type = container
        self._iterate = iterate

    def __call__(self, iterable: Any = (), /, **kwargs: Any) -> Any:
        return self._type(self._iterate(iterable), **kwargs)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self._type)

    def __repr__(self) -> str:
        return repr(self._type)


class Guards:
    """The guard helpers and builtins of one process, plus the current evaluation's fault.

    Not thread-safe: a worker runs one evaluation at a time.
    """

    def __init__(self) -> None:
        self.fault: BaseException | None = None
        self.builtins: dict[str, Any] = self._make_builtins()

    def reset(self) -> None:
        """Forget the previous evaluation's fault."""
        self.fault = None

    def fail(self, exc: BaseException) -> NoReturn:
        """Record `exc` as the evaluation's fault (the first one wins) and raise it."""
        if self.fault is None:
            self.fault = exc
        raise exc

    def getattr(self, obj: Any, name: str) -> Any:
        """`obj.name`: only the allowlisted attributes of plain data types."""
        allowed = SAFE_ATTRIBUTES.get(type(obj))
        if allowed is None:
            allowed = _members_of(obj)
        if allowed is not None and name in allowed:
            return getattr(obj, name)
        if not hasattr(obj, name):
            raise AttributeError(f"'{_type_name(obj)}' object has no attribute '{name}'")
        self.fail(PolicyViolation(f"'{_type_name(obj)}.{name}' is not available in the sandbox"))

    def import_module(
        self, name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> SafeModule:
        """``import name``: only the modules code steps may use (the policy refuses the others at compile time),
        and those the allowed modules' own C code imports (``date.today()`` imports ``time``)."""
        if not level and name in INTERNAL_IMPORTS:
            return importlib.import_module(name)  # type: ignore[return-value]
        module = MODULES.get(name)
        if module is None or level:
            self.fail(PolicyViolation(f"module {name!r} is not available in the sandbox"))
        return module

    def getitem(self, obj: Any, key: Any) -> Any:
        """`obj[key]` on plain data (ranges included)."""
        if type(obj) in _SUBSCRIPTABLE:
            return obj[key]
        raise TypeError(f"'{_type_name(obj)}' object is not subscriptable")

    def iterate(self, obj: Any) -> Any:
        """The iterable of a `for`, a comprehension, an unpacking or an iterating builtin."""
        if type(obj) in _ITERABLE:
            return obj
        if hasattr(type(obj), "__iter__"):
            self.fail(PolicyViolation(f"iterating over a '{_type_name(obj)}' is not allowed in the sandbox"))
        raise TypeError(f"'{_type_name(obj)}' object is not iterable")

    def write(self, obj: Any) -> Any:
        """The target of `obj[key] = value`, `del obj[key]` or `obj.name = value`."""
        if type(obj) in _DATA_TYPES:
            return obj
        self.fail(PolicyViolation(f"changing a '{_type_name(obj)}' is not allowed in the sandbox"))

    def _values(self, args: tuple[Any, ...]) -> Any:
        return self.iterate(args[0]) if len(args) == 1 else args

    def min(self, *args: Any, **kwargs: Any) -> Any:
        """`min(iterable)` or `min(a, b, ...)`, with `key` and `default`."""
        return min(self._values(args), **kwargs)

    def max(self, *args: Any, **kwargs: Any) -> Any:
        """`max(iterable)` or `max(a, b, ...)`, with `key` and `default`."""
        return max(self._values(args), **kwargs)

    def sum(self, iterable: Any, /, start: Any = 0) -> Any:
        """`sum(iterable, start=0)`."""
        return sum(self.iterate(iterable), start)

    def any(self, iterable: Any, /) -> bool:
        """`any(iterable)`."""
        return any(self.iterate(iterable))

    def all(self, iterable: Any, /) -> bool:
        """`all(iterable)`."""
        return all(self.iterate(iterable))

    def sorted(self, iterable: Any, /, *, key: Any = None, reverse: bool = False) -> list[Any]:
        """`sorted(iterable, key=None, reverse=False)`."""
        return sorted(self.iterate(iterable), key=key, reverse=reverse)

    def enumerate(self, iterable: Any, start: int = 0) -> enumerate[Any]:
        """`enumerate(iterable, start=0)`."""
        return enumerate(self.iterate(iterable), start)

    def zip(self, *iterables: Any, strict: bool = False) -> zip[Any]:
        """`zip(*iterables, strict=False)`."""
        return zip(*map(self.iterate, iterables), strict=strict)

    def _make_builtins(self) -> dict[str, Any]:
        helpers = {
            "_getattr_": self.getattr,
            "_getitem_": self.getitem,
            "_getiter_": self.iterate,
            "_write_": self.write,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
            "_inplacevar_": _inplace,
            "_apply_": _apply,
            "__import__": self.import_module,
        }
        plain: dict[str, Any] = {
            function.__name__: function
            for function in cast(
                "tuple[Callable[..., Any], ...]",
                (len, abs, round, str, int, float, bool, range, isinstance, *_EXCEPTIONS),
            )
        }
        iterating = {
            function.__name__: function
            for function in (
                self.min,
                self.max,
                self.sum,
                self.any,
                self.all,
                self.sorted,
                self.enumerate,
                self.zip,
            )
        }
        containers = {kind.__name__: GuardedType(kind, self.iterate) for kind in (list, dict, set, tuple)}
        return helpers | plain | iterating | containers


BUILTIN_NAMES = frozenset(name for name in Guards().builtins if not name.startswith("_"))
"""The builtin names user code may use."""

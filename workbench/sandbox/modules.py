"""The standard-library modules code steps may use, and what of them is reachable.

Intercom's code block pre-imports a fixed list of modules (its documentation lists ``math``, ``decimal`` and
``re`` first; the issue names ``datetime`` and ``json`` too): code steps here get those five, pre-imported
under their own names and importable with ``import`` / ``from ... import``. Each module is a
:class:`SafeModule` carrying only the members listed below, and the values those members make (a ``Decimal``,
a ``datetime``, a regular expression match) have an attribute allowlist of their own, so the sandbox's
property holds: user code only reaches plain data, its own functions and these vetted callables.

Left out on purpose: anything that changes process-wide state (``decimal.getcontext``/``setcontext``,
``re.purge``), reads the system (``datetime``'s ``fromtimestamp`` is fine, but nothing of ``time`` or ``os``),
and iterators of types the guards do not know (``re.finditer``).
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
from types import MappingProxyType
from typing import Any


class SafeModule:
    """A module as user code sees it: only its allowed members, as attributes (so ``from m import x`` works);
    the guards refuse every other attribute, and writes."""

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        self.__dict__.update(members)
        self._sandbox_members = frozenset(members)
        self._sandbox_name = name

    def __repr__(self) -> str:
        return f"<module {self._sandbox_name!r}>"

    @property
    def members(self) -> frozenset[str]:
        """The names user code may read (``_`` names never: the policy refuses them at compile time)."""
        return self._sandbox_members


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _members(module: Any, names: str) -> dict[str, Any]:
    return {name: getattr(module, name) for name in names.split()}


_ROUNDING = "ROUND_CEILING ROUND_DOWN ROUND_FLOOR ROUND_HALF_DOWN ROUND_HALF_EVEN ROUND_HALF_UP ROUND_UP ROUND_05UP"

MODULES: MappingProxyType[str, SafeModule] = MappingProxyType(
    {
        "math": SafeModule(
            "math",
            _members(
                math,
                "ceil floor trunc sqrt pow fabs isclose isfinite isinf isnan log log10 log2 exp fsum prod gcd lcm "
                "comb perm factorial copysign fmod modf hypot degrees radians sin cos tan asin acos atan atan2 "
                "pi e tau inf nan",
            ),
        ),
        "decimal": SafeModule(
            "decimal",
            _members(decimal, f"Decimal InvalidOperation DivisionByZero DecimalException {_ROUNDING}"),
        ),
        "re": SafeModule(
            "re",
            _members(
                re,
                "compile match search fullmatch findall sub subn split escape error "
                "IGNORECASE I MULTILINE M DOTALL S VERBOSE X ASCII A",
            ),
        ),
        "datetime": SafeModule("datetime", _members(datetime, "date datetime time timedelta timezone MINYEAR MAXYEAR")),
        "json": SafeModule("json", _members(json, "loads dumps JSONDecodeError")),
    }
)
"""The modules code steps may use, by name."""

MODULE_NAMES: frozenset[str] = frozenset(MODULES)

_DATE = "year month day weekday isoweekday isoformat strftime replace toordinal"
_TIME = "hour minute second microsecond tzinfo"

VALUE_ATTRIBUTES: dict[type, frozenset[str]] = {
    decimal.Decimal: _names(
        "quantize normalize to_integral_value to_integral copy_abs copy_negate is_signed is_zero is_finite "
        "is_nan sqrt compare max min adjusted to_eng_string"
    ),
    datetime.date: _names(_DATE),
    datetime.datetime: _names(f"{_DATE} {_TIME} date time timestamp astimezone utcoffset timetz"),
    datetime.time: _names(f"{_TIME} isoformat strftime replace utcoffset"),
    datetime.timedelta: _names("days seconds microseconds total_seconds"),
    re.Pattern: _names("match search fullmatch findall sub subn split pattern flags groups"),
    re.Match: _names("group groups groupdict start end span lastindex lastgroup string"),
}
"""Attributes user code may read on the values these modules make, by exact type."""

CLASS_ATTRIBUTES: dict[type, frozenset[str]] = {
    datetime.date: _names("today fromisoformat fromordinal"),
    datetime.datetime: _names("now today fromisoformat strptime combine fromtimestamp"),
    datetime.time: frozenset({"fromisoformat"}),
    datetime.timezone: frozenset({"utc"}),
}
"""Attributes user code may read on the classes these modules offer (constructors and constants)."""

INTERNAL_IMPORTS = frozenset({"time", "_strptime"})
"""Modules the allowed modules' C code imports through the running code's ``__import__`` while user code runs
(``date.today()``, ``datetime.strptime()``). User code itself cannot name them: the policy refuses ``import time``
and every ``_`` name at compile time."""

SUBSCRIPTABLE: frozenset[type] = frozenset({re.Match})
"""Types of these modules user code may index (``match[1]``)."""

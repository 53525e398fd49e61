"""Code steps in the sandbox: a function body over ``inputs`` with the allowed modules, returning a dict."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.sandbox import (
    MODULE_NAMES,
    SandboxCompileError,
    SandboxError,
    SandboxPolicyError,
    SandboxResultError,
    SandboxRuntimeError,
    SandboxTimeoutError,
    check_code,
    check_expression,
    check_transform,
    run_code,
)
from workbench.sandbox.limits import SandboxLimits

REFUND = """\
from decimal import Decimal, ROUND_HALF_UP
total = Decimal(str(inputs["temporary"]["Get orders"]["items"][0]["unit_price"]))
refund = (total * Decimal("0.5")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
return {"refund": str(refund), "detail": {"cents": int(refund * 100), "full": refund == total}}
"""


def test_the_allowed_modules_are_those_documented() -> None:
    assert {"math", "decimal", "re", "datetime", "json"} == MODULE_NAMES


def test_a_code_step_returns_its_dict(inputs: dict[str, Any]) -> None:
    assert run_code(REFUND, inputs) == {"refund": "12.50", "detail": {"cents": 1250, "full": False}}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("return {'v': math.floor(3.7) + math.ceil(2.1)}", {"v": 6}),
        ("import math as m\nreturn {'v': m.sqrt(16)}", {"v": 4.0}),
        ("return {'v': re.match(r'(\\d{4})-(\\d+)', '2024-7')[2]}", {"v": "7"}),
        ("p = re.compile('a+', re.I)\nreturn {'v': p.findall('AaBaa')}", {"v": ["Aa", "aa"]}),
        (
            "d = datetime.date.fromisoformat('2024-01-31') + datetime.timedelta(days=30)\n"
            "return {'v': d.isoformat(), 'w': d.weekday()}",
            {"v": "2024-03-01", "w": 4},
        ),
        (
            "from datetime import datetime\n"
            "return {'v': datetime.strptime('02/01/2024', '%d/%m/%Y').strftime('%Y-%m-%d')}",
            {"v": "2024-01-02"},
        ),
        ("return {'v': len(str(datetime.date.today()))}", {"v": 10}),
        ("return json.loads('{\"a\": [1, 2]}')", {"a": [1, 2]}),
        ("return {'v': json.dumps({'b': 1, 'a': 2}, sort_keys=True)}", {"v": '{"a": 2, "b": 1}'}),
        ("return {'user': inputs['user']['email'].lower()}", {"user": "ada@example.com"}),
    ],
)
def test_the_allowed_modules_work(code: str, expected: dict[str, Any], inputs: dict[str, Any]) -> None:
    assert check_code(code) == []
    assert run_code(code, inputs) == expected


@pytest.mark.parametrize(
    ("code", "line", "column", "words"),
    [
        ("import os\nreturn {}", 1, 1, "module 'os' is not available in the sandbox (allowed: datetime"),
        ("x = 1\nfrom subprocess import run\nreturn {}", 2, 1, "module 'subprocess'"),
        ("from decimal import getcontext\nreturn {}", 1, 1, "'decimal.getcontext' is not available"),
        ("from . import x\nreturn {}", 1, 1, "module '.' is not available"),
        ("return {'c': decimal.getcontext()}", 1, 22, "attribute 'getcontext' is not available"),
        ("return {'c': math.__dict__}", 1, 19, "starts with"),
        ("return {'c': os.getcwd()}", 1, 14, "module 'os' is not available"),
        ("return {'c': open('f')}", 1, 14, "'open' is not available"),
    ],
)
def test_disallowed_imports_and_names_are_refused_with_their_place(
    code: str, line: int, column: int, words: str
) -> None:
    problems = check_code(code)
    assert problems, code
    first = problems[0]
    assert isinstance(first, SandboxPolicyError)
    assert (first.line, first.column) == (line, column)
    assert words in first.message
    with pytest.raises(SandboxPolicyError):
        run_code(code, {})


def test_conditions_and_transforms_still_import_nothing() -> None:
    assert "imports are not allowed" in check_transform("import math\nreturn response")[0].message
    assert "module 'math' is not available" in check_expression("math.floor(1)")[0].message


def test_what_the_modules_make_has_only_its_allowlisted_attributes() -> None:
    for code in (
        "return {'v': decimal.Decimal('1').as_integer_ratio()}",
        "return {'v': datetime.date.today().ctime()}",
        "return {'v': re.compile('a').scanner('a')}",
    ):
        with pytest.raises(SandboxPolicyError):
            run_code(code, {})


def test_the_modules_cannot_be_changed() -> None:
    with pytest.raises(SandboxPolicyError, match="changing a 'SafeModule'"):
        run_code("math.floor = 1\nreturn {}", {})
    assert run_code("return {'v': math.floor(1.5)}", {}) == {"v": 1}


@pytest.mark.parametrize(
    ("code", "error", "words", "line"),
    [
        ("return [1]", SandboxResultError, "must return a dict (a JSON object), not a list", None),
        ("x = 1", SandboxResultError, "not nothing (no return)", None),
        ("return {'v': decimal.Decimal('1')}", SandboxResultError, "not JSON-serializable", None),
        ("x = 1\ny = x / 0\nreturn {}", SandboxRuntimeError, "ZeroDivisionError", 2),
        ("return {'v': Decimal('1')}", SandboxCompileError, "name 'Decimal' is not defined", 1),
    ],
)
def test_failures_say_what_and_where(code: str, error: type[SandboxError], words: str, line: int | None) -> None:
    with pytest.raises(error) as raised:
        run_code(code, {})
    assert words in raised.value.message
    assert raised.value.line == line


def test_a_code_step_has_the_same_time_limit() -> None:
    with pytest.raises(SandboxTimeoutError) as raised:
        run_code("x = 0\nwhile True:\n    x += 1", {}, SandboxLimits(timeout_s=0.2))
    assert raised.value.line in (2, 3)

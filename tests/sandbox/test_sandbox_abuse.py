"""The abuse corpus: hostile or broken user code, each with its precise outcome.

Every case is either blocked at compile time (found by `check_*` alone, in-process),
or fails at run time with a clear error, or hits a limit within its bound. After each,
the caller's data is unchanged and the next evaluation still works.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from workbench.sandbox import (
    SandboxCompileError,
    SandboxError,
    SandboxLimits,
    SandboxMemoryError,
    SandboxPolicyError,
    SandboxResultError,
    SandboxRuntimeError,
    SandboxTimeoutError,
    check_expression,
    check_transform,
    evaluate,
    transform,
)

SLACK_S = 1.0
"""How far past its time limit an evaluation may end on a slow, loaded machine."""

MEMORY_BOUND = SandboxLimits(timeout_s=5.0, memory_mb=128)
"""For memory abuse: time enough that even a loaded machine meets the memory limit first."""
TIME_BOUND = SandboxLimits(timeout_s=0.2, memory_mb=128, max_result_bytes=64 * 1024)
"""For time abuse: code that never ends meets the limit whatever it is, so it is short (the worker's own timer
still names the line: the parent waits a grace past it)."""


@dataclass(frozen=True)
class Abuse:
    """A piece of user code and how it must fail."""

    name: str
    kind: str  # "condition" or "transform"
    source: str
    error: type[SandboxError] | tuple[type[SandboxError], ...]
    message: str  # a fragment of the error's message
    line: int | None = None  # the line it must name, when it can name one
    limits: SandboxLimits | None = None  # instead of the small abuse limits


def _run(case: Abuse, inputs: dict[str, Any], limits: SandboxLimits) -> Any:
    if case.kind == "condition":
        return evaluate(case.source, inputs, limits)
    return transform(case.source, inputs, 200, {"content-type": "application/json"}, limits)


def _check(case: Abuse) -> list[SandboxError]:
    return (check_expression if case.kind == "condition" else check_transform)(case.source)


def _cases(*cases: Abuse) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=[case.name for case in cases])


BLOCKED_AT_COMPILE_TIME = _cases(
    # Imports and modules.
    Abuse("import", "transform", "import os\nreturn os.getcwd()", SandboxPolicyError, "imports are not allowed", 1),
    Abuse("from-import", "transform", "from os import system", SandboxPolicyError, "imports are not allowed", 1),
    Abuse("import-in-condition", "condition", "import os", SandboxCompileError, "invalid syntax", 1),
    Abuse("dunder-import", "condition", '__import__("os").system("true")', SandboxPolicyError, '"__import__"', 1),
    Abuse("random-seed", "condition", "random.seed(1)", SandboxPolicyError, "module 'random'", 1),
    Abuse(
        "string-formatter", "condition", 'string.Formatter().format("{0}", 1)', SandboxPolicyError, "module 'string'", 1
    ),
    # Underscore names and attributes.
    Abuse(
        "dunder-attribute",
        "condition",
        "inputs.__class__.__mro__[-1].__subclasses__()",
        SandboxPolicyError,
        "__class__",
        1,
    ),
    Abuse("dunder-in-f-string", "condition", 'f"{inputs.__class__}"', SandboxPolicyError, "__class__", 1),
    Abuse(
        "dunder-globals", "transform", "def f():\n    pass\nreturn f.__globals__", SandboxPolicyError, "__globals__", 3
    ),
    # The format family.
    Abuse(
        "str-format",
        "condition",
        '"{0.__class__}".format(inputs)',
        SandboxPolicyError,
        "'format' is not available in the sandbox; use an f-string",
        1,
    ),
    Abuse("format-map", "condition", '"{user}".format_map(inputs)', SandboxPolicyError, "'format_map'", 1),
    # Generators and frames.
    Abuse("generator-throw", "condition", "(x for x in []).throw(SystemExit(3))", SandboxPolicyError, "'throw'", 1),
    Abuse(
        "generator-frame-walk",
        "condition",
        "(x for x in [1]).gi_frame.f_back.f_globals",
        SandboxPolicyError,
        "gi_frame",
        1,
    ),
    Abuse(
        "traceback-frame-walk",
        "transform",
        "try:\n    1 / 0\nexcept ZeroDivisionError as error:\n    return error.__traceback__.tb_frame.f_globals",
        SandboxPolicyError,
        "__traceback__",
        4,
    ),
    Abuse(
        "traceback-frame-walk-plain",
        "transform",
        "try:\n    1 / 0\nexcept ZeroDivisionError as error:\n    return error.args.tb_frame",
        SandboxPolicyError,
        "tb_frame",
        4,
    ),
    Abuse(
        "attribute-error-obj",
        "transform",
        "try:\n    response['missing']\nexcept Exception as error:\n    return error.obj",
        SandboxPolicyError,
        "'obj'",
        4,
    ),
    # Shadowing the guards.
    Abuse("walrus-shadow", "condition", "(_getattr_ := len) and inputs", SandboxPolicyError, '"_getattr_"', 1),
    Abuse("comprehension-shadow", "condition", "[inputs for _getiter_ in [1]]", SandboxPolicyError, '"_getiter_"', 1),
    Abuse(
        "positional-only-default-shadow",
        "transform",
        "def peek(_getattr_=None, /):\n    return _getattr_\nreturn peek()",
        SandboxPolicyError,
        '"_getattr_"',
        1,
    ),
    Abuse(
        "lambda-default-shadow", "condition", "(lambda _getitem_=None, /: 1)()", SandboxPolicyError, '"_getitem_"', 1
    ),
    Abuse(
        "except-name-shadow",
        "transform",
        "try:\n    pass\nexcept Exception as _write_:\n    pass",
        SandboxPolicyError,
        '"_write_"',
        3,
    ),
    Abuse(
        "except-star", "transform", "try:\n    pass\nexcept* ValueError:\n    pass", SandboxPolicyError, "'except*'", 1
    ),
    # Statements the sandbox has no use for.
    Abuse("class", "transform", "class Evil:\n    pass", SandboxPolicyError, "class definitions", 1),
    Abuse("global", "transform", "global inputs", SandboxPolicyError, "'global'", 1),
    Abuse("generator-function", "transform", "def gen():\n    yield 1\nreturn 1", SandboxPolicyError, "'yield'", 2),
    Abuse("async", "transform", "async def f():\n    pass", SandboxPolicyError, "AsyncFunctionDef", 1),
    Abuse("raise-system-exit", "transform", "raise SystemExit(3)", SandboxPolicyError, "'SystemExit'", 1),
    Abuse("unknown-attribute", "condition", "inputs.nope", SandboxPolicyError, "'nope'", 1),
    # Not Python, or not a usable program.
    Abuse(
        "unclosed-paren",
        "condition",
        'len(inputs["temporary"]["Get orders"]["items"] >= 4',
        SandboxCompileError,
        "'(' was never closed",
        1,
    ),
    Abuse(
        "bad-indent",
        "transform",
        "total = 0\nfor item in response['items']:\ntotal += 1",
        SandboxCompileError,
        "indented block",
        3,
    ),
    Abuse("break-outside-loop", "transform", "x = 1\nbreak", SandboxCompileError, "'break' outside loop", 2),
    Abuse("undefined-name", "condition", 'inptus["user"]', SandboxCompileError, "name 'inptus' is not defined", 1),
    Abuse("empty", "condition", "  ", SandboxCompileError, "empty"),
    Abuse("too-long", "condition", "1 + " * 30_000 + "1", SandboxCompileError, "too long"),
    Abuse("too-deep", "condition", "-" * 50_000 + "1", SandboxCompileError, "nested too deeply"),
    Abuse("too-deep-sum", "condition", "1+" * 20_000 + "1", SandboxCompileError, "nested too deeply"),
    Abuse("too-deep-lambda", "transform", "f = " + "lambda: " * 12_000 + "1", SandboxCompileError, "nested too deeply"),
    Abuse("nul-byte", "condition", "1\x00", SandboxCompileError, "null bytes"),
)

FORBIDDEN_BUILTINS = [
    "open", "getattr", "setattr", "hasattr", "type", "object", "super", "globals", "locals", "vars", "dir",
    "compile", "breakpoint", "exit", "quit", "print", "input", "help", "iter", "next", "pow", "id", "hash",
    "memoryview", "bytes", "bytearray", "reversed", "map", "filter", "repr", "chr", "AttributeError",
    "BaseException", "MemoryError",
]  # fmt: skip


@BLOCKED_AT_COMPILE_TIME
def test_blocked_at_compile_time(
    case: Abuse, inputs: dict[str, Any], abuse_limits: SandboxLimits, assert_still_works: Any
) -> None:
    problems = _check(case)
    assert problems, "check_* must find the problem without running anything"
    first = problems[0]
    assert isinstance(first, case.error)
    assert case.message in first.message
    assert first.line == case.line
    with pytest.raises(case.error) as raised:
        _run(case, inputs, abuse_limits)
    assert (raised.value.message, raised.value.line, raised.value.column) == (first.message, first.line, first.column)
    assert_still_works(inputs)


@pytest.mark.parametrize("name", FORBIDDEN_BUILTINS)
def test_forbidden_builtins_are_refused_at_compile_time(
    name: str, inputs: dict[str, Any], assert_still_works: Any
) -> None:
    problems = check_expression(f"{name}(inputs)")
    assert [(type(p), p.message, p.line, p.column) for p in problems] == [
        (SandboxPolicyError, f"'{name}' is not available in the sandbox", 1, 1)
    ]
    with pytest.raises(SandboxPolicyError):
        evaluate(f"{name}(inputs)", inputs)
    assert_still_works(inputs)


@pytest.mark.parametrize("name", ["eval", "exec"])
def test_eval_and_exec_are_refused(name: str) -> None:
    (problem,) = check_expression(f'{name}("1")')
    assert isinstance(problem, SandboxPolicyError)
    assert "not allowed" in problem.message


FAILS_AT_RUN_TIME = _cases(
    # Time.
    Abuse(
        "infinite-loop",
        "transform",
        "while True:\n    pass",
        SandboxTimeoutError,
        "time limit of 0.2 s",
        limits=TIME_BOUND,
    ),
    Abuse(
        "infinite-generator",
        "condition",
        "all(x >= 0 for x in range(10**18))",
        SandboxTimeoutError,
        "time limit of 0.2 s",
        1,
        TIME_BOUND,
    ),
    Abuse(
        "c-level-sum", "condition", "sum(range(10**15))", SandboxTimeoutError, "time limit of 0.2 s", limits=TIME_BOUND
    ),
    Abuse(
        "huge-power",
        "condition",
        "10**10**10",
        (SandboxTimeoutError, SandboxMemoryError),
        "limit of",
        limits=TIME_BOUND,
    ),
    Abuse(
        "big-power",
        "condition",
        "10 ** (10**8)",
        (SandboxTimeoutError, SandboxMemoryError),
        "limit of",
        limits=TIME_BOUND,
    ),
    Abuse(
        "swallowed-timeout",
        "transform",
        "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass",
        SandboxTimeoutError,
        "time limit of 0.2 s",
        limits=TIME_BOUND,
    ),
    Abuse(
        "swallowed-timeout-return",
        "transform",
        "try:\n    while True:\n        pass\nexcept:\n    return 'escaped'",
        SandboxTimeoutError,
        "time limit of 0.2 s",
        limits=TIME_BOUND,
    ),
    # Memory.
    Abuse(
        "string-multiply", "condition", "'a' * 10**10", SandboxMemoryError, "memory limit of 128 MiB", 1, MEMORY_BOUND
    ),
    Abuse("list-multiply", "condition", "[0] * 10**9", SandboxMemoryError, "memory limit of 128 MiB", 1, MEMORY_BOUND),
    Abuse("percent-padding", "condition", '"%0*d" % (10**9, 1)', SandboxMemoryError, "memory limit", 1, MEMORY_BOUND),
    Abuse(
        "doubling-list",
        "transform",
        "data = [1]\nwhile True:\n    data = data + data",
        SandboxMemoryError,
        "memory limit of 128 MiB",
        3,
        MEMORY_BOUND,
    ),
    # User code raising.
    Abuse(
        "recursion",
        "transform",
        "def down(n):\n    return down(n + 1)\nreturn down(0)",
        SandboxRuntimeError,
        "RecursionError: maximum recursion depth exceeded",
        2,
    ),
    Abuse(
        "missing-key",
        "condition",
        'inputs["temporary"]["Get order"]["items"]',
        SandboxRuntimeError,
        "KeyError: 'Get order'",
        1,
    ),
    Abuse(
        "index-out-of-range",
        "condition",
        'inputs["temporary"]["Get orders"]["items"][4]["quantity"] > 3',
        SandboxRuntimeError,
        "IndexError: list index out of range",
        1,
    ),
    Abuse(
        "zero-division",
        "transform",
        "count = 0\nreturn 10 / count",
        SandboxRuntimeError,
        "ZeroDivisionError: division by zero",
        2,
    ),
    Abuse("raise", "transform", "raise ValueError('no orders')", SandboxRuntimeError, "ValueError: no orders", 1),
    Abuse("len-of-int", "condition", "len(5)", SandboxRuntimeError, "TypeError: object of type 'int' has no len()", 1),
    Abuse("iterate-builtin", "condition", "[x for x in len]", SandboxRuntimeError, "is not iterable", 1),
    Abuse("subscript-builtin", "condition", "len[0]", SandboxRuntimeError, "is not subscriptable", 1),
    Abuse("int-digits", "condition", "int('9' * 5000)", SandboxRuntimeError, "ValueError: Exceeds the limit", 1),
    # Refusals only a running program can meet.
    Abuse(
        "view-method",
        "condition",
        "inputs.keys().isdisjoint([])",
        SandboxPolicyError,
        "'dict_keys.isdisjoint' is not available",
        1,
    ),
    Abuse(
        "swallowed-refusal",
        "transform",
        "try:\n    response.keys().isdisjoint([])\nexcept:\n    pass\nreturn 'escaped'",
        SandboxPolicyError,
        "'dict_keys.isdisjoint'",
        2,
    ),
    Abuse(
        "function-attribute-write",
        "transform",
        "def f():\n    pass\nf.copy = 1",
        SandboxPolicyError,
        "changing a 'function'",
        3,
    ),
    Abuse("builtin-attribute-write", "transform", "list.copy = 1", SandboxPolicyError, "changing a", 1),
    # Unusable results.
    Abuse("set-result", "condition", "{1, 2}", SandboxResultError, "not JSON-serializable"),
    Abuse("function-result", "condition", "lambda: 1", SandboxResultError, "not JSON-serializable"),
    Abuse("generator-result", "condition", "(x for x in [1])", SandboxResultError, "not JSON-serializable"),
    Abuse("nan-result", "condition", "float('nan')", SandboxResultError, "not JSON-serializable"),
    Abuse(
        "circular-result",
        "transform",
        "x = []\nx.append(x)\nreturn x",
        SandboxResultError,
        "not JSON-serializable: Circular reference",
    ),
    Abuse(
        "deep-result",
        "transform",
        "x = []\nfor _ in range(5000):\n    x = [x]\nreturn x",
        SandboxResultError,
        "nested too deeply",
    ),
    Abuse(
        "large-result",
        "transform",
        "return 'a' * 100_000",
        SandboxResultError,
        "too large (100002 bytes of JSON; the limit is 65536)",
    ),
)


@FAILS_AT_RUN_TIME
def test_fails_safely_at_run_time(
    case: Abuse, inputs: dict[str, Any], abuse_limits: SandboxLimits, assert_still_works: Any
) -> None:
    assert _check(case) == [], "this case compiles; it must fail only when run"
    limits = case.limits or abuse_limits
    started = time.monotonic()
    with pytest.raises(case.error) as raised:
        _run(case, inputs, limits)
    elapsed = time.monotonic() - started
    assert case.message in raised.value.message
    if case.line is not None:
        assert raised.value.line == case.line
    assert elapsed < limits.timeout_s + SLACK_S
    assert_still_works(inputs)


def test_a_pure_python_timeout_names_its_line() -> None:
    code = "total = 0\nwhile True:\n    total += 1"
    with pytest.raises(SandboxTimeoutError) as raised:
        transform(code, {}, 200, {}, TIME_BOUND)
    assert raised.value.line in (2, 3)
    assert str(raised.value).startswith(f"line {raised.value.line}, column ")


def test_mutating_methods_touch_only_a_copy(inputs: dict[str, Any], assert_still_works: Any) -> None:
    assert evaluate("inputs.clear()", inputs) is None
    assert (
        evaluate('inputs["temporary"]["Get orders"]["items"].pop() and inputs["user"].update({"plan": "x"})', inputs)
        is None
    )
    assert_still_works(inputs)


def test_a_transform_mutating_its_response_leaves_the_callers_intact(
    order: dict[str, Any], inputs: dict[str, Any], assert_still_works: Any
) -> None:
    original = {"order": order, "headers": {"etag": "1"}}
    code = "response['items'].clear()\nheaders.clear()\nresponse['status'] = 'hacked'\nreturn response"
    result = transform(code, order, 200, original["headers"])
    assert result["status"] == "hacked" and result["items"] == []
    assert order["status"] == "processing" and len(order["items"]) == 4
    assert original["headers"] == {"etag": "1"}
    assert_still_works(inputs)


def test_user_code_may_recover_from_its_own_memory_error(
    abuse_limits: SandboxLimits, inputs: dict[str, Any], assert_still_works: Any
) -> None:
    code = "try:\n    blob = 'a' * 10**10\nexcept Exception:\n    return 'recovered'"
    assert transform(code, {}, 200, {}, abuse_limits) == "recovered"
    assert_still_works(inputs)


def test_no_state_survives_from_one_evaluation_to_the_next() -> None:
    assert transform("(seen := 1)\nreturn seen", {}, 200, {}) == 1
    with pytest.raises(SandboxCompileError, match="name 'seen' is not defined"):
        evaluate("seen", {})
    assert evaluate("(seen := 2) + 1", {}) == 3
    assert evaluate("[x for x in [5]][0]", {}) == 5

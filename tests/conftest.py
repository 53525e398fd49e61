"""Shared fixtures: the sample workspaces and throw-away copies of them, a fixed environment, Hypothesis' settings."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import textual._wait as _textual_wait
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from workbench.watchdog import Stall

pytest_plugins = ("pytester",)  # pytest run again in this process: the tests of the pytest plugin

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
SUPPORT_DESK = SAMPLE_DATA / "support-desk"
LINT_EXAMPLES = SAMPLE_DATA / "lint-examples"

# Loaded always, not only where Hypothesis' own ``ci`` profile would be (a ``CI`` variable): generating nested
# JSON is legitimately slow on a busy machine, and a per-example deadline measures the machine, not the code.
# Derandomized, so a run of the suite is the same run everywhere: a new counterexample must not turn a landing
# red at random. ``HYPOTHESIS_PROFILE=explore`` searches freely (what it finds becomes a fixed example).
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("workbench", derandomize=True, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("explore", max_examples=2000, deadline=None, suppress_health_check=_SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "workbench"))

PILOT_IDLE_STEP_S = 0.005
"""Textual's pilot waits for the app to be idle after every key and ``pause()``: it sleeps in steps of 1/50 s until
a step finds the process used under a twentieth of it in CPU, so every wait costs at least 20 ms of nothing (a
hundred and more per full-app test). Steps of 5 ms, idle under the same twentieth, find the same idle sooner."""
assert {"SLEEP_GRANULARITY", "SLEEP_IDLE"} <= vars(_textual_wait).keys(), "Textual's idle wait changed: look again"
_textual_wait.SLEEP_GRANULARITY = PILOT_IDLE_STEP_S
_textual_wait.SLEEP_IDLE = PILOT_IDLE_STEP_S / 20

SAMPLE_SECRETS = frozenset(
    name
    for path in SAMPLE_DATA.rglob("*.json")
    for name in re.findall(r"\{\{\s*secret\.(\w+)", path.read_text(encoding="utf-8"))
)
"""The ``{{secret.NAME}}`` names the sample workspaces use: a developer may well have them exported."""

# Variables that change what the code under test does or prints (CI detection, colour, terminal size, editors).
UNSET = ("CI", "NO_COLOR", "FORCE_COLOR", "COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")
UNSET_EDITORS = ("VISUAL", "EDITOR")


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test sees the same environment, whoever runs it: no secrets, no CI, no colour, a UTF-8 locale and
    an empty home, config and state folder. A test that needs a variable sets it itself (``monkeypatch.setenv``)."""
    for name in (*UNSET, *UNSET_EDITORS, *SAMPLE_SECRETS):
        monkeypatch.delenv(name, raising=False)
    for name in [name for name in os.environ if name.startswith("TEXTUAL_")]:
        if not name.startswith("TEXTUAL_SNAPSHOT"):  # pytest-textual-snapshot's own
            monkeypatch.delenv(name)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))  # never the user's settings
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))  # never the user's journals, log
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))  # never the user's judge verdicts


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start the full app are marked ``app`` (``-m app`` / ``-m "not app"`` select the tiers), and run
    first, the monkey's walks before them: under ``-n`` the tests handed out last decide how long the other
    workers wait idle at the end, so those are the short ones (in their order otherwise)."""
    from tests.app_tier import MARK, mark_app_tests

    mark_app_tests(items)
    items.sort(key=lambda item: (item.get_closest_marker("monkey") is None, item.get_closest_marker(MARK) is None))


@pytest.fixture(autouse=True)
def app_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test not marked ``app`` that starts the app fails: the tiers stay what their marks say."""
    from tests.app_tier import MARK, refuse_the_app

    if request.node.get_closest_marker(MARK) is None and "workbench.tui.app" in sys.modules:
        refuse_the_app(monkeypatch)


@pytest.fixture(autouse=True)
def stalls() -> Iterator[list[Stall]]:
    """Every stall of an event loop that a watchdog (the app's) reports fails the test, with the loop's stack.

    A test that stalls on purpose asks for this list and empties it once it has checked the stall."""
    from workbench.watchdog import observing

    seen: list[Stall] = []
    with observing(seen.append):
        yield seen
    if seen:
        pytest.fail("\n\n".join(stall.evidence() for stall in seen), pytrace=False)


QUICK_STALL_S = 0.5
"""The app's freeze limit in tests of a stall on purpose (its own is 2 s): no turn of the app's loop comes near
half a second of work."""


@pytest.fixture
def quick_app_watchdog(monkeypatch: pytest.MonkeyPatch) -> float:
    """The app's freeze watchdog with short limits (theirs are tests/test_watchdog.py's business; the app's wiring
    is the asking test's): a hold of the UI loop is reported after :data:`QUICK_STALL_S`, not after 2.5 s.
    Answers that limit."""
    from functools import partial

    from workbench.tui import recovery_glue
    from workbench.watchdog import StallWatchdog

    quick = partial(StallWatchdog, stall=QUICK_STALL_S, heartbeat=0.1, check=0.05)
    monkeypatch.setattr(recovery_glue, "StallWatchdog", quick)
    return QUICK_STALL_S


@pytest.fixture
def desk_copy(tmp_path: Path) -> Path:
    """A private copy of the support desk that a test may change."""
    return Path(shutil.copytree(SUPPORT_DESK, tmp_path / "support-desk"))


def run_workbench(
    *args: str | Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``workbench ARGS`` in this process through :func:`workbench.cli.main` (quick), as a child would see it:
    output captured, ``stdin`` not a terminal, ``env`` added to the environment for the call only."""
    from workbench.cli import main

    argv = [str(arg) for arg in args]
    # Text streams over bytes, like a process's: commands write JSON lines to ``sys.stdout.buffer``.
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in range(2))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        patch.setattr(sys, "argv", ["workbench", *argv])
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exit_:  # argparse's own usage errors and --help
                status = exit_.code if isinstance(exit_.code, int) else 1
    output = [stream.buffer.getvalue().decode("utf-8") for stream in (out, err)]
    return subprocess.CompletedProcess(["workbench", *argv], status, *output)


def run_workbench_process(
    *args: str | Path, env: dict[str, str] | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m workbench ARGS`` in a child process (the smoke test of each command), ``env`` added to the
    environment; ``options`` go to :func:`subprocess.run` (default: output captured, no input)."""
    options = {"capture_output": True, "stdin": subprocess.DEVNULL, **options}
    if "stdout" in options or "stderr" in options:
        options.pop("capture_output")
        options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
        **options,
    )


def interruptible() -> None:
    """``preexec_fn`` of a child a test interrupts with SIGINT: Ctrl-C handled as usual, even when the suite runs
    as a background job (whose ignored SIGINT children would inherit)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)

"""Running scenarios away from an interactive process: in one warm child process, so that an editor's event
loop (and its share of the interpreter) stays free while hundreds of scenarios run.

The child is a fresh interpreter (not a fork of the app, whose threads and redirected standard streams it must
not inherit) speaking length-prefixed frames on its standard input and output, as the sandbox's workers do. It
runs batches with the :class:`~workbench.scenarios.runner.ScenarioRunner` of ``workbench test`` and sends back
:class:`~workbench.scenarios.board.Verdict` objects; the workspace goes over as it is in the editor, unsaved
edits included.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from workbench.model import Scenario
from workbench.sandbox.protocol import read_frame, write_frame
from workbench.scenarios.board import Verdict, verdict_of
from workbench.scenarios.runner import ScenarioCase, ScenarioRunner, collect_cases
from workbench.store import Document, Workspace

BATCH = 10
"""Scenarios per batch sent to the child: verdicts come back a batch at a time."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv[1]); from workbench.scenarios.background import serve; serve()"


def run_batch(workspace: Workspace, paths: Sequence[Path]) -> list[Verdict]:
    """Run the scenario files ``paths`` of ``workspace``; a verdict for each, in no particular order."""
    wanted = set(paths)
    cases = [case for case in collect_cases(workspace) if case.path in wanted]
    found = {case.path for case in cases}
    missing = _failed([path for path in paths if path not in found], "the scenario is no longer in the workspace")
    reports = asyncio.run(ScenarioRunner(workspace).run_all(cases))
    return [verdict_of(report) for report in reports] + missing


def serve() -> None:
    """The child's loop: a pickled ``(workspace, scenarios, paths)`` frame in (``workspace``: the one sent
    before when ``None``, without its scenarios; ``scenarios``: the documents of this batch's files), a pickled
    list of verdicts out, until the parent closes the pipe. It runs at a lower priority: the editor that
    started it comes first."""
    with contextlib.suppress(OSError):
        os.nice(10)
    requests, replies = sys.stdin.buffer.fileno(), sys.stdout.buffer.fileno()
    workspace: Workspace | None = None
    while (frame := read_frame(requests)) is not None:
        sent, scenarios, paths = pickle.loads(frame)
        workspace = sent if sent is not None else workspace
        if workspace is None:
            write_frame(replies, pickle.dumps(_failed(paths, "no workspace was sent")))
            continue
        try:
            verdicts = run_batch(dataclasses.replace(workspace, scenarios=scenarios), paths)
        except Exception as error:  # a batch that cannot run must not end the child
            verdicts = _failed(paths, f"could not run: {type(error).__name__}: {error}")
        write_frame(replies, pickle.dumps(verdicts))


class BackgroundRunner:
    """Runs scenarios in a child process started on first use and kept warm; :meth:`close` ends it.

    One :meth:`run` at a time uses the child; another waits for it.
    """

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = max(1, batch)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closed = False

    def run(
        self,
        workspace: Workspace,
        cases: Sequence[ScenarioCase],
        on_verdicts: Callable[[list[Verdict]], None],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        """Run ``cases`` and hand their verdicts to ``on_verdicts`` a batch at a time (blocks: call it from a
        worker thread). A child that dies gives each scenario of its batch an ``error`` verdict."""
        paths = [case.path for case in cases]
        # The workspace without its scenarios goes once per run (later batches reuse the child's copy); each
        # batch brings its own scenarios, so no single pickling holds the interpreter for long.
        base = dataclasses.replace(workspace, scenarios={})
        by_path = {document.path: (name, document) for name, document in workspace.scenarios.items()}
        with self._lock:
            sent: Workspace | None = base
            for start in range(0, len(paths), self.batch):
                if cancelled() or self._closed:
                    return
                batch = paths[start : start + self.batch]
                scenarios = dict(by_path[path] for path in batch if path in by_path)
                fresh = self._process is None or self._process.poll() is not None
                on_verdicts(self._call(base if fresh else sent, scenarios, batch))
                sent = None

    def close(self) -> None:
        """End the child process for good: a run under way stops after the batch it is in."""
        self._closed = True
        self._end_child()

    def _end_child(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def _call(
        self, workspace: Workspace | None, scenarios: dict[str, Document[Scenario]], batch: list[Path]
    ) -> list[Verdict]:
        process = self._process
        if process is None or process.poll() is not None:
            process = self._process = subprocess.Popen(
                [sys.executable, "-P", "-c", _BOOTSTRAP, _PACKAGE_ROOT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in the terminal is the app's, not the child's
            )
        assert process.stdin is not None and process.stdout is not None
        try:
            write_frame(process.stdin.fileno(), pickle.dumps((workspace, scenarios, batch)))
            reply = read_frame(process.stdout.fileno())
        except OSError:
            reply = None
        if reply is None:
            self._end_child()
            return _failed(batch, "the process running scenarios stopped before it answered")
        verdicts: list[Verdict] = pickle.loads(reply)
        return verdicts


def _failed(paths: Sequence[Path], why: str) -> list[Verdict]:
    return [Verdict(path, "error", 0.0, f"{path}: {why}") for path in paths]

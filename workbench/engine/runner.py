"""The runner: executes a procedure's steps in order, asks the agent, emits events, obeys the debugger."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from workbench.code_reads import code_reads
from workbench.connectors import Masker
from workbench.connectors.dotenv import EnvFileError, run_secrets
from workbench.connectors.masking import run_masker, short_secrets
from workbench.connectors.secrets import MIN_SECRET_CHARS
from workbench.engine.agent import (
    Agent,
    AgentFailure,
    AgentSession,
    DecisionRequest,
    InputRequest,
    MessageRequest,
    NoAnswer,
    Speaker,
    Turn,
)
from workbench.engine.calls import ConnectorCaller
from workbench.engine.context import ProcedureContext
from workbench.engine.debugger import Breakpoint, Debugger
from workbench.engine.failure import StepFailure
from workbench.engine.options import RunOptions, RunResult
from workbench.engine.recorder import Recorder
from workbench.engine.values import coerce, compare, display, json_safe, unresolved
from workbench.events import (
    AttributesAvailable,
    CodeRan,
    ConditionEvaluated,
    ConditionTest,
    ConnectorCalled,
    Event,
    InputReceived,
    InputRequested,
    MessageSent,
    Paused,
    RunError,
    RunFinished,
    RunOutcome,
    RunStarted,
    RunWarning,
    StepStarted,
    SubprocedureEntered,
    SubprocedureExited,
    TestKind,
    WarningCode,
)
from workbench.mentions import Mention, normalize_path, render, suggest
from workbench.mentions import parse as parse_mentions
from workbench.model import (
    BUILTIN_NAMESPACES,
    AnyStep,
    AttributeWhen,
    CodeStep,
    CodeWhen,
    CollectStep,
    ConditionStep,
    DescribeWhen,
    EndStep,
    InstructionStep,
    Procedure,
    SubprocedureStep,
    WorkspaceSettings,
)
from workbench.model.kinds import WHEN_KINDS, AnyWhen, require_every_kind, when_kind
from workbench.sandbox import SandboxError, evaluate_async, run_code_async
from workbench.store import Workspace

MAX_ATTEMPTS = 3
"""How many times an input is asked before the run fails with reason ``input``."""
RunState = Literal["ready", "running", "paused", "finished"]


class _Finish(Exception):
    """An ``end`` step (or a stop) ends the whole run, however deeply nested."""

    def __init__(self, outcome: RunOutcome, message: str | None = None) -> None:
        super().__init__(outcome)
        self.outcome: RunOutcome = outcome
        self.message = message


class Run:
    """One run of a procedure. Create it, then ``await run.run()``; drive it from other tasks with
    :meth:`pause`, :meth:`resume`, :meth:`step`, :meth:`stop`, :meth:`toggle_breakpoint` and, while paused,
    :meth:`set_attribute`. Every event goes to ``on_event`` as it happens and stays in :attr:`events`."""

    def __init__(
        self,
        workspace: Workspace,
        procedure: str,
        agent: Agent,
        options: RunOptions | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.procedure = procedure
        self.agent = agent
        self.options = options or RunOptions()
        settings = workspace.settings.model
        defaults: dict[str, dict[str, Any]] = {namespace: values for namespace, values in settings.attributes.items()}
        self.context = ProcedureContext(
            {
                namespace: {**defaults.get(namespace, {}), **self.options.attributes.get(namespace, {})}
                for namespace in BUILTIN_NAMESPACES
            }
        )
        self.state: RunState = "ready"
        self.current_step: tuple[str, str] | None = None
        self._secrets, self._env_problem = self._resolve_secrets()
        self._recorder = Recorder(run_masker(workspace.connector_models(), settings, self._secrets), on_event)
        self._debugger = Debugger(self.options.breakpoints, pause_at_start=self.options.pause_at_start)
        self._stack: list[str] = []
        self._answers: dict[str, Any] = {}
        self._decisions: dict[str, int | str] = {}
        self.conversation: list[Turn] = []
        self._speaker = _speaker(agent)
        self._task: asyncio.Task[Any] | None = None
        self._cancellable = False
        self._stop_requested = False
        self._caller: ConnectorCaller | None = None

    @property
    def events(self) -> list[Event]:
        """Every event so far, in order."""
        return self._recorder.events

    @property
    def masker(self) -> Masker:
        """The run's one masker (every secret of the workspace, and the token values met so far): views of its
        context mask with it."""
        return self._recorder.masker

    @property
    def breakpoints(self) -> set[Breakpoint]:
        """Where the run pauses: step ids (in any procedure) and ``(procedure, step id)`` pairs."""
        return self._debugger.breakpoints

    # -- debugger control -------------------------------------------------------------------------------------

    def toggle_breakpoint(self, step_id: str, procedure: str | None = None) -> bool:
        """Set or clear a breakpoint before ``step_id`` (of ``procedure`` only, when given); returns whether it is
        now set."""
        return self._debugger.toggle(step_id if procedure is None else (procedure, step_id))

    def pause(self) -> None:
        """Pause before the next step."""
        self._debugger.pause()

    def resume(self) -> None:
        """Continue from a pause until the next breakpoint."""
        self._debugger.resume()

    def step(self) -> None:
        """Run the next step, then pause again (nested steps count: stepping enters branches and sub-procedures)."""
        self._debugger.step()

    def stop(self) -> None:
        """End the run with outcome ``stopped``, at once, even in the middle of an HTTP call or an evaluation."""
        if self._stop_requested or self.state == "finished":
            return
        self._stop_requested = True
        task = self._task
        if self._cancellable and task is not None and task is not asyncio.current_task():
            task.cancel()

    def set_attribute(self, path: str, value: Any) -> None:
        """Change an attribute while paused (or before the run starts): ``"User > email"``, ``"Get orders > status"``.

        Raises ``RuntimeError`` while running or finished, ``ValueError`` for a path that cannot be set.
        """
        if self.state in ("running", "finished"):
            raise RuntimeError(f"attributes can be edited while the run is paused, not while it is {self.state}")
        path = normalize_path(path)
        value = json_safe(value)
        root = self.context.set(path, value)
        if self.state == "paused":
            procedure, step = self.current_step or (self.procedure, None)
            self._recorder.emit(
                AttributesAvailable(
                    procedure=procedure, step=step, connector=root, attributes={path: value}, edited=True
                )
            )

    # -- running ----------------------------------------------------------------------------------------------

    async def run(self) -> RunResult:
        """Run to the end; never raises for problems of the procedure, its connectors or user code."""
        if self.state != "ready":
            raise RuntimeError("this run has already started: create a new Run")
        self.state = "running"
        self._task = asyncio.current_task()
        settings = self.workspace.settings.model
        environment_name = settings.environment_name(self.options.environment)
        self._recorder.emit(RunStarted(procedure=self.procedure, mode=self.options.mode, environment=environment_name))
        self._warn_about_secrets()
        outcome: RunOutcome = "completed"
        message: str | None = None
        error: RunError | None = None
        self._caller = ConnectorCaller(
            self.workspace.connector_models(),
            options=self.options,
            environment=settings.environments.get(environment_name or "", {}),
            environment_name=environment_name,
            limits=settings.limits,
            context=self.context,
            recorder=self._recorder,
            ask=self._ask,
            secrets=self._secrets,
            tokens=settings.tokens,
            mcp_servers=settings.mcp_servers,
        )
        self._cancellable = True
        try:
            if self._speaker is not None:
                self._speaker.begin(
                    AgentSession(self.conversation, self.context, self._recorder.emit, self._recorder.masker)
                )
            self._check_environment(settings)
            await self._run_procedure(self.procedure)
        except _Finish as finish:
            outcome, message = finish.outcome, finish.message
        except StepFailure as failure:
            error = self._error(failure)
            outcome, message = "failed", error.message
        except asyncio.CancelledError:
            self._cancellable = False
            if not self._stop_requested:
                await self._close("stopped", None)
                raise
            self._task.uncancel()  # type: ignore[union-attr]
            outcome = "stopped"
        except BaseException:  # a bug, or the on_event listener failing: release the client, then let it through
            self._cancellable = False
            self.state = "finished"
            await self._release()
            raise
        self._cancellable = False
        path = await self._close(outcome, message)
        events = self.events
        return RunResult(
            outcome=outcome,
            message=message,
            path=path,
            calls=[event.payload.connector for event in events if isinstance(event.payload, ConnectorCalled)],
            messages=[event.payload.text for event in events if isinstance(event.payload, MessageSent)],
            events=events,
            error=error,
            context=self.context,
            answers=dict(self._answers),
            decisions=dict(self._decisions),
            conversation=list(self.conversation),
        )

    async def _close(self, outcome: RunOutcome, message: str | None) -> list[str]:
        """Release the HTTP client, then announce the end; returns the path."""
        path = [event.payload.step for event in self.events if isinstance(event.payload, StepStarted)]
        try:
            await self._release()
        finally:
            self.state = "finished"
            self._recorder.emit(RunFinished(outcome=outcome, message=message, path=path))
        return path

    async def _release(self) -> None:
        if self._caller is not None:
            await self._caller.aclose()

    def _resolve_secrets(self) -> tuple[Mapping[str, str], EnvFileError | None]:
        """The given secrets, else the process environment over the workspace's ``.env`` (a bad ``.env``: the
        environment alone, and the error, to be told when the run starts)."""
        if self.options.secrets is not None:
            return self.options.secrets, None
        try:
            return run_secrets(self.workspace.root), None
        except EnvFileError as error:
            return os.environ, error

    def _warn_about_secrets(self) -> None:
        """Warn about a bad ``.env`` and about secrets too short to be masked in text."""
        warnings: list[tuple[WarningCode, str]] = []
        if self._env_problem is not None:
            warnings.append(("env_file", f"{self._env_problem} (secrets come from the process environment only)"))
        short = short_secrets(self.workspace.connector_models(), self.workspace.settings.model, self._secrets)
        if short:
            warnings.append(
                (
                    "short_secret",
                    f"secret {', '.join(short)} is shorter than {MIN_SECRET_CHARS} characters: it is sent, but not "
                    "masked in what the run shows (it would mask those letters everywhere); use a longer value",
                )
            )
        for code, message in warnings:
            self._recorder.emit(RunWarning(procedure=self.procedure, step=None, code=code, message=message))

    def _check_environment(self, settings: WorkspaceSettings) -> None:
        problem = settings.unknown_environment(self.options.environment)
        if problem is not None:
            raise StepFailure("request_configuration", problem)

    def _error(self, failure: StepFailure) -> RunError:
        procedure, step = self.current_step or (self.procedure, None)
        error = self._recorder.masked(
            RunError(
                procedure=procedure,
                step=step,
                reason=failure.reason,
                message=failure.message,
                connector=failure.connector,
                status=failure.status,
                line=failure.line,
                column=failure.column,
            )
        )
        self._recorder.emit(error, premasked=True)
        return error

    def _procedure_model(self, name: str) -> Procedure:
        procedure = self.workspace.procedure(name)
        if procedure is None:
            hint = suggest(name, self.workspace.procedures)
            raise StepFailure(
                "procedure", f"unknown procedure {name!r}" + (f" (did you mean {hint!r}?)" if hint else "")
            )
        return procedure

    async def _run_procedure(self, name: str) -> None:
        procedure = self._procedure_model(name)
        self._stack.append(name)
        try:
            await self._steps(name, procedure.steps)
        finally:
            self._stack.pop()

    async def _steps(self, procedure: str, steps: list[AnyStep]) -> None:
        for step in steps:
            await self._step(procedure, step)

    async def _step(self, procedure: str, step: AnyStep) -> None:
        if self._stop_requested:
            raise _Finish("stopped")
        self.current_step = (procedure, step.id)
        reason = self._debugger.reason_at(procedure, step.id)
        if reason is not None:
            self.state = "paused"
            self._recorder.emit(Paused(procedure=procedure, step=step.id, reason=reason))
            try:
                await self._debugger.wait()
            finally:
                self.state = "running"
            if self._stop_requested:
                raise _Finish("stopped")
        self._recorder.emit(StepStarted(procedure=procedure, step=step.id, step_type=step.type))
        await PERFORMERS[step.type](self, procedure, step)

    async def _end(self, procedure: str, step: EndStep) -> None:
        message = self._say(procedure, step.id, step.message) if step.message else None
        raise _Finish(step.outcome, message)

    async def _instruction(self, procedure: str, step: InstructionStep) -> None:
        assert self._caller is not None
        try:
            for mention in parse_mentions(step.text).calls():
                await self._caller.call(procedure, step.id, mention.name)
        except StepFailure as failure:
            if step.on_error is None or not failure.handleable:
                raise
            self._error(failure)
            await self._steps(procedure, step.on_error)
            return
        if not step.text.strip():
            return
        if self._speaker is None:
            self._say(procedure, step.id, step.text)
            return
        parsed = parse_mentions(step.text)
        rendered, reads = self._render(procedure, step.id, step.text)
        request = MessageRequest(
            procedure,
            step.id,
            step.text,
            rendered,
            reads,
            tuple(mention.name for mention in parsed.calls()),
        )
        try:
            said = await self._speaker.say(request)
        except AgentFailure as failure:
            raise StepFailure("agent", f"the agent could not write the message of {step.id!r}: {failure}") from None
        self._message(procedure, step.id, said, reads, composed=said != request.rendered)

    def _say(self, procedure: str, step_id: str, text: str) -> str:
        """Emit a ``message`` with the mentions filled in (and the values read into it); returns the text said."""
        said, reads = self._render(procedure, step_id, text)
        return self._message(procedure, step_id, said, reads)

    def _message(
        self, procedure: str, step_id: str, text: str, reads: dict[str, Any], *, composed: bool = False
    ) -> str:
        """Emit a ``message`` (``composed``: the agent wrote it) and add it to the conversation; returns it as said."""
        message = self._recorder.masked(
            MessageSent(procedure=procedure, step=step_id, text=text, reads=reads, composed=composed)
        )
        self._recorder.emit(message, premasked=True)
        said = message.text
        self.conversation.append(Turn("agent", said))
        return said

    def _render(self, procedure: str, step_id: str, text: str) -> tuple[str, dict[str, Any]]:
        """``text`` with its mentions filled in (a warning for each attribute that has no value), and the values
        read into it by path."""
        reads: dict[str, Any] = {}

        def value_of(mention: Mention) -> str:
            if mention.kind == "call":
                return mention.name
            found = self.context.resolve(mention.name)
            if found.found:
                reads[mention.name] = self.context.shown(mention.name, found.value)
                return display(reads[mention.name])
            why = unresolved(found, "it has no value at this point of the run")
            self._recorder.emit(
                RunWarning(
                    procedure=procedure, step=step_id, code="missing_attribute", message=f"@read({mention.name}): {why}"
                )
            )
            return f"[missing: {mention.name}]"

        return render(text, value_of), reads

    async def _condition(self, procedure: str, step: ConditionStep) -> None:
        tests: list[ConditionTest] = []
        taken: int | None = None
        decided = False
        for index, branch in enumerate(step.branches):
            kind, expression = describe_when(branch.when)
            decided = decided or when_kind(branch.when).agent_decides
            result = await TESTS[kind].holds(self, procedure, step, index, branch.when)
            tests.append(ConditionTest(branch=index, kind=kind, expression=expression, result=result))
            if result:
                taken = index
                break
        self._recorder.emit(ConditionEvaluated(procedure=procedure, step=step.id, branch=taken, tests=tests))
        if decided:
            self._decisions[step.id] = "else" if taken is None else taken
        await self._steps(procedure, step.else_ if taken is None else step.branches[taken].steps)

    async def _code(self, procedure: str, step: CodeStep) -> None:
        """Run the code in the sandbox; its dict becomes the attributes under the step's name (an error takes the
        step's ``on_error`` path when it has one)."""
        assert self._caller is not None
        try:
            try:
                outputs = await run_code_async(step.code, self.context.inputs(), self._caller.sandbox_limits)
            except SandboxError as error:
                raise StepFailure(
                    "code", f"code of {step.id!r} ({step.name}): {error}", line=error.line, column=error.column
                ) from None
        except StepFailure as failure:
            if step.on_error is None:
                raise
            self._error(failure)
            await self._steps(procedure, step.on_error)
            return
        reads: dict[str, Any] = {}
        for read in code_reads(step.code):
            found = self.context.resolve(read.path)
            if found.found:
                reads[read.path] = self.context.shown(read.path, found.value)
        self.context.temporary[step.name] = outputs
        self._recorder.emit(CodeRan(procedure=procedure, step=step.id, name=step.name, inputs=reads, outputs=outputs))

    async def _compare(self, procedure: str, step: ConditionStep, index: int, when: AttributeWhen) -> bool:
        result, warning = compare(self.context.resolve(when.attribute), when.op, when.value)
        if warning:
            self._recorder.emit(
                RunWarning(
                    procedure=procedure,
                    step=step.id,
                    code="condition_attribute",
                    message=f"branch {index}: {when.attribute}: {warning}",
                )
            )
        return result

    async def _evaluate(self, _procedure: str, step: ConditionStep, index: int, when: CodeWhen) -> bool:
        assert self._caller is not None
        try:
            value = await evaluate_async(when.code, self.context.inputs(), self._caller.sandbox_limits)
        except SandboxError as error:
            raise StepFailure("condition", f"code of branch {index} of {step.id!r}: {error}") from None
        return bool(value)

    async def _decide(self, procedure: str, step: ConditionStep, index: int, when: DescribeWhen) -> bool:
        self._recorder.emit(
            InputRequested(
                procedure=procedure,
                step=step.id,
                name=when.describe,
                branch=index,
                prompt=when.describe,
                kind="decision",
                value_type="boolean",
            )
        )
        described = [describe_when(branch.when) for branch in step.branches]
        request = DecisionRequest(
            procedure,
            step.id,
            index,
            when.describe,
            tuple(expression for _, expression in described),
            tuple(kind for kind, _ in described),
        )
        try:
            result = coerce(await self.agent.decide(request), "boolean")
        except NoAnswer as error:
            raise StepFailure("input", str(error) or f"no decision for {step.id!r}") from None
        except AgentFailure as error:
            raise StepFailure("agent", f"the agent could not decide {step.id!r}: {error}") from None
        except ValueError as error:
            raise StepFailure("input", f"the decision for {step.id!r} is not yes or no: {error}") from None
        except Exception as error:  # an agent's own failure must not crash the run
            raise StepFailure(
                "input", f"the agent failed to decide {step.id!r}: {type(error).__name__}: {error}"
            ) from None
        self._recorder.emit(
            InputReceived(procedure=procedure, step=step.id, name=when.describe, branch=index, value=result)
        )
        return bool(result)

    async def _collect(self, procedure: str, step: CollectStep) -> None:
        path = normalize_path(step.attribute)
        value = await self._ask(
            InputRequest(procedure, step.id, "collect", path, step.prompt or f"{path}?", step.value_type)
        )
        self.context.set(path, value)

    async def _ask(self, request: InputRequest) -> Any:
        """Ask the agent until the answer fits the input's type (at most :data:`MAX_ATTEMPTS` times)."""
        procedure, step, name = request.procedure, request.step_id, request.name
        error: str | None = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            asked = replace(request, attempt=attempt, error=error)
            self._recorder.emit(
                InputRequested(
                    procedure=procedure,
                    step=step,
                    name=name,
                    prompt=request.prompt,
                    kind=request.kind,
                    value_type=request.value_type,
                    attempt=attempt,
                    error=error,
                )
            )
            try:
                answer = await self.agent.answer(asked)
            except NoAnswer as no_answer:
                raise StepFailure("input", str(no_answer) or f"no answer for {request.name!r}") from None
            except AgentFailure as failure:
                raise StepFailure("agent", f"the agent could not answer {request.name!r}: {failure}") from None
            except Exception as failure:  # an agent's own failure must not crash the run
                raise StepFailure(
                    "input", f"the agent failed to answer {request.name!r}: {type(failure).__name__}: {failure}"
                ) from None
            try:
                value = coerce(answer, request.value_type)
            except ValueError as invalid:
                error = str(invalid)
                self._recorder.emit(
                    InputReceived(
                        procedure=procedure, step=step, name=name, value=json_safe(answer), attempt=attempt, error=error
                    )
                )
                continue
            self._recorder.emit(
                InputReceived(
                    procedure=procedure, step=step, name=name, value=value, answer=json_safe(answer), attempt=attempt
                )
            )
            self._answers[request.step_id if request.kind == "collect" else request.name] = value
            if request.kind == "collect":
                shown = self._recorder.masker.text
                self.conversation += [Turn("agent", shown(request.prompt)), Turn("customer", shown(display(value)))]
            return value
        raise StepFailure("input", f"no valid answer for {request.name!r} after {MAX_ATTEMPTS} attempts: {error}")

    async def _subprocedure(self, _procedure: str, step: SubprocedureStep) -> None:
        callee = step.procedure
        self._procedure_model(callee)
        if callee in self._stack:
            chain = " → ".join([*self._stack, callee])
            raise StepFailure("procedure", f"sub-procedure recursion: {chain}")
        depth = len(self._stack)
        self._recorder.emit(SubprocedureEntered(procedure=callee, step=step.id, depth=depth))
        await self._run_procedure(callee)
        self._recorder.emit(SubprocedureExited(procedure=callee, step=step.id, depth=depth))


def _speaker(agent: Agent) -> Speaker | None:
    """The agent as a :class:`Speaker` when it is one (checked by its methods: cheaper than a runtime protocol)."""
    has = callable(getattr(agent, "begin", None)) and callable(getattr(agent, "say", None))
    return agent if has else None  # type: ignore[return-value]


PERFORMERS: dict[str, Callable[[Run, str, Any], Awaitable[None]]] = {
    "instruction": Run._instruction,
    "condition": Run._condition,
    "collect": Run._collect,
    "subprocedure": Run._subprocedure,
    "end": Run._end,
    "code": Run._code,
}
"""How a run performs each kind of step of :data:`~workbench.model.kinds.STEP_KINDS` (``run, procedure, step``)."""
require_every_kind("engine.runner.PERFORMERS", PERFORMERS)


@dataclass(frozen=True)
class Test:
    """How a run judges one kind of branch test: whether it holds, and how it reads in events."""

    holds: Callable[[Run, str, ConditionStep, int, Any], Awaitable[bool]]
    expression: Callable[[Any], str]


def _comparison(when: AttributeWhen) -> str:
    shown = f"{normalize_path(when.attribute)} {when.op}"
    return shown if when.op in ("is_set", "is_not_set") else f"{shown} {display(when.value)}"


TESTS: dict[str, Test] = {
    "describe": Test(Run._decide, lambda when: str(when.describe)),
    "code": Test(Run._evaluate, lambda when: str(when.code)),
    "attribute": Test(Run._compare, _comparison),
}
"""How a run judges each kind of branch test of :data:`~workbench.model.kinds.WHEN_KINDS`."""
require_every_kind("engine.runner.TESTS", TESTS, WHEN_KINDS, "condition")


def describe_when(when: AnyWhen) -> tuple[TestKind, str]:
    """A branch test's kind and readable expression."""
    kind = when_kind(when).name
    return kind, TESTS[kind].expression(when)


async def run_procedure(
    workspace: Workspace,
    procedure: str,
    agent: Agent,
    options: RunOptions | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> RunResult:
    """Run ``procedure`` to the end and return its result (no debugger control)."""
    return await Run(workspace, procedure, agent, options, on_event).run()

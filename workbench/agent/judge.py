"""Judging a run against a scenario's success criteria (``expect.criteria``), one model call each."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.agent.client import ChatClient
from workbench.agent.errors import ModelError
from workbench.agent.prompts import VERDICT_TOOL, judge_prompt
from workbench.engine import RunResult
from workbench.engine.values import coerce


@dataclass(frozen=True)
class Verdict:
    """The judge's verdict on one criterion, with its reasoning (``error``: it could not judge; not passed)."""

    criterion: str
    passed: bool
    reasoning: str
    error: str | None = None


async def judge(
    client: ChatClient, criteria: Sequence[str], result: RunResult, *, model: str | None = None
) -> list[Verdict]:
    """A verdict per criterion, in order; a criterion the model could not judge fails with the reason."""
    return list(await asyncio.gather(*(_one(client, criterion, result, model) for criterion in criteria)))


async def _one(client: ChatClient, criterion: str, result: RunResult, model: str | None) -> Verdict:
    prompt = judge_prompt(criterion, result.conversation, result.outcome, result.path)
    try:
        arguments = await client.call_tool(prompt, VERDICT_TOOL, purpose="judge", where={}, model=model)
        passed = coerce(arguments["passed"], "boolean")
    except ModelError as error:
        return Verdict(criterion, False, "", f"the judge could not decide: {error}")
    except ValueError as error:
        return Verdict(criterion, False, "", f"the judge's verdict is not yes or no: {error}")
    return Verdict(criterion, passed, str(arguments.get("reasoning") or "").strip())

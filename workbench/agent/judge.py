"""Judging a run against a scenario's success criteria (``expect.criteria``), one model call each."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.agent.client import ChatClient, Message
from workbench.agent.errors import ModelError
from workbench.agent.judge_cache import JudgeCache, verdict_key
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
    cached: bool = False


async def judge(
    client: ChatClient,
    criteria: Sequence[str],
    result: RunResult,
    *,
    model: str | None = None,
    cache: JudgeCache | None = None,
) -> list[Verdict]:
    """A verdict per criterion, in order; a criterion the model could not judge fails with the reason. With
    ``cache``, a criterion already judged on the same transcript is not asked again."""
    return list(await asyncio.gather(*(_cached(client, criterion, result, model, cache) for criterion in criteria)))


async def _cached(
    client: ChatClient, criterion: str, result: RunResult, model: str | None, cache: JudgeCache | None
) -> Verdict:
    prompt = judge_prompt(criterion, result.conversation, result.outcome, result.path)
    if cache is None:
        return await _one(client, criterion, prompt, model)
    key = verdict_key(client.settings.base_url, model or client.settings.model, client.scrub({"p": prompt})["p"])
    found = cache.get(key)
    if found is not None:
        return Verdict(criterion, found[0], found[1], cached=True)
    verdict = await _one(client, criterion, prompt, model)
    if verdict.error is None:
        cache.put(key, verdict.passed, verdict.reasoning)
    return verdict


async def _one(client: ChatClient, criterion: str, prompt: list[Message], model: str | None) -> Verdict:
    try:
        arguments = await client.call_tool(prompt, VERDICT_TOOL, purpose="judge", where={}, model=model)
        passed = coerce(arguments["passed"], "boolean")
    except ModelError as error:
        return Verdict(criterion, False, "", f"the judge could not decide: {error}")
    except ValueError as error:
        return Verdict(criterion, False, "", f"the judge's verdict is not yes or no: {error}")
    return Verdict(criterion, passed, str(arguments.get("reasoning") or "").strip())

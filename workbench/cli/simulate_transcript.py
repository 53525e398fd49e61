"""``workbench simulate WORKSPACE [PROCEDURE] --from-transcript FILE --save-scenario F``: a real conversation
turned into a scenario with a ``simulation`` (see :mod:`workbench.agent.transcripts`), every secret masked."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from workbench.agent.client import ChatClient, resolve_api_key
from workbench.agent.errors import ModelError
from workbench.agent.simulation import agent_settings
from workbench.agent.transcripts import draft_from_text, draft_with_model, read_transcript
from workbench.cli import UsageError, open_workspace, output
from workbench.cli.run import check_workspace
from workbench.engine.agent import Turn
from workbench.model import Scenario, Simulation
from workbench.scenarios.recording import mask_secrets, scenario_identity, scenario_path, workspace_masker
from workbench.store import Document, Workspace, save_document


def from_transcript(args: argparse.Namespace) -> int:
    """Draft the scenario and save it; returns the exit status."""
    if not args.save_scenario:
        raise UsageError("--from-transcript needs --save-scenario FILE (where the drafted scenario goes)")
    workspace = open_workspace(args.workspace)
    procedure = args.procedure or _only_procedure(workspace)
    check_workspace(workspace, procedure)
    try:
        text = Path(args.from_transcript).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise UsageError(f"--from-transcript {args.from_transcript}: cannot read it: {reason or error}") from None
    try:
        turns = read_transcript(text)
    except ValueError as error:
        raise UsageError(f"--from-transcript {args.from_transcript}: {error}") from None
    path = scenario_path(args.save_scenario, workspace)
    if path.exists():
        raise UsageError(f"--save-scenario {path}: already exists; name a new file (a draft never replaces one)")
    simulation, how = _draft(workspace, turns, args)
    name, _ = scenario_identity(path, workspace, procedure)
    scenario = Scenario(
        name=name,
        description=f"Drafted {how} from {args.from_transcript}: edit the persona, goal and facts, add criteria.",
        procedure=procedure,
        simulation=simulation,
    )
    try:
        save_document(Document("scenario", path, mask_secrets(scenario, workspace, None)))
    except OSError as error:
        raise UsageError(f"--save-scenario {path}: cannot write it: {error.strerror or error}") from None
    output.say(f"workbench: saved scenario {name!r} to {path} (customer drafted {how}; edit it)", err=True)
    return 0


def _only_procedure(workspace: Workspace) -> str:
    if len(workspace.procedures) == 1:
        return next(iter(workspace.procedures))
    raise UsageError("name the PROCEDURE the drafted scenario runs")


def _draft(workspace: Workspace, turns: list[Turn], args: argparse.Namespace) -> tuple[Simulation, str]:
    """The simulation and how it was drafted: by the configured model, else from the text."""
    try:
        settings = agent_settings(workspace, model=args.model, base_url=args.base_url, timeout_s=args.timeout)
    except ValueError:
        return draft_from_text(turns), "from the text"
    try:
        key = resolve_api_key(settings.api_key, os.environ)
    except ModelError as error:
        raise UsageError(str(error)) from None
    masker = workspace_masker(workspace)

    async def ask() -> Simulation:
        client = ChatClient(settings, key, scrub=masker.mask)
        try:
            return await draft_with_model(client, turns)
        finally:
            await client.aclose()

    try:
        return asyncio.run(ask()), f"by {settings.model}"
    except (ModelError, ValueError) as error:
        output.say(
            f"workbench: note: the model could not draft the customer ({error}); drafted from the text", err=True
        )
        return draft_from_text(turns), "from the text"

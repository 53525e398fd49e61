"""``workbench intercom pull|status|push|executions``: the round trip to Intercom's data connectors."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from typing import Any

from workbench.cli import UsageError, add_env_file_argument, check_environment, open_workspace, secrets_for_cli
from workbench.cli.output import say
from workbench.store import Workspace

_SINCE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``intercom`` command and its actions."""
    parser = subparsers.add_parser(
        "intercom",
        help="pull, compare and push data connectors with Intercom; read their execution results",
        description="The round trip to Intercom's data connector API (version 2.16). The access token comes "
        "from INTERCOM_TOKEN (--env-file, the environment or the workspace's .env) and is never written or "
        "printed.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    pull = _action(actions, "pull", "write Intercom's data connectors as connector files (preview, then one set)")
    pull.add_argument("--connector", action="append", default=[], metavar="NAME", help="only this one (repeatable)")
    pull.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    pull.set_defaults(func=_run_pull)
    status = _action(actions, "status", "per connector: same, changed here, in Intercom, on both sides, only one side")
    status.add_argument("--check", action="store_true", help="exit 1 on any difference (for CI)")
    status.set_defaults(func=_run_status)
    push = _action(actions, "push", "send what changed here: a field-level diff first, only changed fields sent")
    push.add_argument("--connector", action="append", default=[], metavar="NAME", help="only this one (repeatable)")
    push.add_argument("--dry-run", action="store_true", help="show the diff, send nothing")
    push.add_argument("--live", action="store_true", help="create new connectors live (default: draft)")
    push.add_argument("--force", action="store_true", help="overwrite connectors changed in Intercom since the pull")
    push.set_defaults(func=_run_push)
    executions = _action(actions, "executions", "summarise a connector's execution results; make mocks of them")
    executions.add_argument("connector", metavar="CONNECTOR", help="the connector's name")
    executions.add_argument("--since", default="1h", metavar="AGE", help="how far back: 30m, 24h, 7d (default 1h)")
    executions.add_argument("--errors", action="store_true", help="only failed executions")
    executions.add_argument("--to-mocks", action="store_true", help="the observed responses become dynamic rules")
    executions.add_argument("--to-scenario", metavar="NAME", help="record the observed responses as a scenario")
    executions.add_argument(
        "--procedure", metavar="NAME", help="the scenario's procedure (default: the one calling it)"
    )
    executions.set_defaults(func=_run_executions)


def _action(actions: Any, name: str, help_: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(
        name, help=help_, description=help_[0].upper() + help_[1:] + "."
    )
    parser.add_argument("workspace", metavar="WORKSPACE", help="the workspace folder")
    parser.add_argument("--region", choices=("us", "eu", "au"), default="us", help="Intercom's region (default us)")
    parser.add_argument("--base-url", metavar="URL", help="the API root instead of the region's (proxies, tests)")
    parser.add_argument("--env", metavar="NAME", help="the environment whose {{env.*}} values Intercom calls")
    add_env_file_argument(parser)
    return parser


def _session(args: argparse.Namespace, work: Callable[[Workspace, Any], int]) -> int:
    """Open the workspace and a client, run ``work``; every Intercom or mapping failure is one line, exit 2."""
    from workbench.importing.errors import ConversionError
    from workbench.intercom.client import TOKEN_VARIABLE, IntercomClient, IntercomError, base_url_for

    workspace = open_workspace(args.workspace)
    check_environment(workspace, args.env)
    token = secrets_for_cli(workspace, args.env_file).get(TOKEN_VARIABLE, "")
    try:
        with IntercomClient(token, base_url_for(args.region, args.base_url)) as client:
            return work(workspace, client)
    except (IntercomError, ConversionError) as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(str(error)) from None


def _run_status(args: argparse.Namespace) -> int:
    from workbench.intercom.sync import compare

    def work(workspace: Workspace, client: Any) -> int:
        entries = compare(workspace, client, args.env)
        for entry in entries:
            say(entry.line())
        differ = [entry for entry in entries if entry.state != "same"]
        say(f"{len(entries) - len(differ)} same, {len(differ)} differ")
        return 1 if args.check and differ else 0

    return _session(args, work)


def _run_pull(args: argparse.Namespace) -> int:
    from workbench.editing.writes import write_set
    from workbench.intercom.sync import compare, plan_pull

    def work(workspace: Workspace, client: Any) -> int:
        entries = compare(workspace, client, args.env, args.connector or None)
        _unknown(args.connector, entries)
        plan = plan_pull(workspace, entries, client, args.env)
        say("Pull from Intercom:" if plan.writes else "Nothing to pull: the workspace has Intercom's connectors.")
        for line in plan.lines + [f"note: {note}" for note in plan.notes]:
            say(line)
        if args.dry_run or not plan.writes:
            return 0
        write_set(plan.writes, workspace.root, "intercom pull")
        say(f"Wrote {len(plan.writes)} file{'s' if len(plan.writes) != 1 else ''}.")
        return 0

    return _session(args, work)


def _run_push(args: argparse.Namespace) -> int:
    from workbench.intercom.sync import compare, run_push

    def work(workspace: Workspace, client: Any) -> int:
        entries = compare(workspace, client, args.env, args.connector or None)
        _unknown(args.connector, entries)
        preview = run_push(entries, client, workspace.root, live=args.live, force=args.force, dry_run=True)
        say("Push to Intercom:" if preview.lines else "Nothing to push: Intercom has every change made here.")
        for line in preview.lines:
            say(line)
        if not args.dry_run:
            run_push(entries, client, workspace.root, live=args.live, force=args.force)
        say(f"{client.writes} write call{'s' if client.writes != 1 else ''}{' (dry run)' if args.dry_run else ''}.")
        return 1 if preview.failed else 0

    return _session(args, work)


def _unknown(names: list[str], entries: list[Any]) -> None:
    known = {entry.name for entry in entries}
    missing = [name for name in names if name not in known]
    if missing:
        raise UsageError(f"no connector {', '.join(map(repr, missing))} here or in Intercom")


def _run_executions(args: argparse.Namespace) -> int:
    from workbench.connectors.masking import run_masker
    from workbench.editing.writes import FileWrite, write_set
    from workbench.importing.intercom import link_of
    from workbench.intercom.client import TOKEN_VARIABLE
    from workbench.intercom.executions import as_rules, as_scenario, summary
    from workbench.store import new_document, serialize

    match = _SINCE.match(args.since)
    if match is None:
        raise UsageError(f"--since {args.since!r}: expected a number and s, m, h or d (24h)")
    start_ts = int(time.time()) - int(match.group(1)) * _UNITS[match.group(2)]

    def work(workspace: Workspace, client: Any) -> int:
        document = workspace.connectors.get(args.connector)
        if document is None:
            raise UsageError(f"no connector {args.connector!r} in {workspace.root}")
        remote_id = link_of(document.model).id
        if remote_id is None:
            raise UsageError(f"{args.connector!r} was never pulled from or pushed to Intercom (no intercom.id)")
        results = client.executions(remote_id, start_ts=start_ts, errors_only=args.errors)
        for line in summary(results):
            say(line)
        if not (args.to_mocks or args.to_scenario) or not results:
            return 0
        secrets = secrets_for_cli(workspace, args.env_file)
        also = [secrets.get(TOKEN_VARIABLE, "")]
        masker = run_masker(workspace.connector_models(), workspace.settings.model, secrets, also=also)
        writes = []
        if args.to_mocks:
            connector = as_rules(document.model, results, masker)
            writes.append(FileWrite(document.path, serialize(connector)))
            say(f"{connector.name}: {len(connector.response.rules)} dynamic rules from what Intercom observed")
        if args.to_scenario:
            if args.to_scenario in workspace.scenarios:
                raise UsageError(f"a scenario {args.to_scenario!r} exists already in {workspace.root}")
            procedure = _procedure(workspace, args.connector, args.procedure)
            scenario = as_scenario(args.to_scenario, procedure, document.model, results, masker)
            target = new_document(workspace, "scenario", scenario)
            writes.append(FileWrite(target.path, serialize(scenario)))
            say(f"scenario {scenario.name!r}: {target.path.relative_to(workspace.root)}")
        write_set(writes, workspace.root, "intercom executions")
        return 0

    return _session(args, work)


def _procedure(workspace: Workspace, connector: str, given: str | None) -> str:
    from workbench.attributes import step_calls

    if given:
        if given not in workspace.procedures:
            raise UsageError(f"no procedure {given!r} in {workspace.root}")
        return given
    calling = [
        name
        for name, document in sorted(workspace.procedures.items())
        if any(connector in step_calls(step) for step in document.model.all_steps())
    ]
    if len(calling) != 1:
        found = ", ".join(calling) or "none"
        raise UsageError(f"name the scenario's procedure with --procedure (procedures calling {connector!r}: {found})")
    return calling[0]

"""The ``workbench`` command line: each sub-command lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store import Workspace

# Sub-commands, each in a module named as the command (or as MODULE_NAMES says, for Python keywords); each
# module has ``register(subparsers)`` adding a parser with ``func``.
COMMAND_MODULES = (
    "lint",
    "schema",
    "new",
    "run",
    "test",
    "fields",
    "mock",
    "simulate",
    "rename",
    "open",
    "import",
    "export",
    "intercom",
)
MODULE_NAMES = {"import": "import_"}
DEFAULT_COMMAND = "open"
PRINT_CONFIG = "--print-config"


class UsageError(Exception):
    """Bad arguments or an unusable workspace: reported in one line, exit status 2."""


def open_workspace(path: str | Path) -> Workspace:
    """Load the workspace folder a command was given, or raise :class:`UsageError` saying why it cannot."""
    from workbench.store import SETTINGS_FILE, is_workspace, load_workspace

    root = Path(path)
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    if not is_workspace(root):
        raise UsageError(f"{root}: not a workspace (no {SETTINGS_FILE}, connectors/, procedures/ or scenarios/)")
    from workbench.cli import output

    workspace = load_workspace(root)
    for message in workspace.recovered:
        output.say(f"workbench: {root}: {message}", err=True)
    return workspace


def check_environment(workspace: Workspace, name: str | None) -> None:
    """Raise :class:`UsageError` when ``--env NAME`` names no environment of workbench.json (with a hint)."""
    problem = workspace.settings.model.unknown_environment(name)
    if problem is not None:
        raise UsageError(problem)


def add_env_file_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--env-file FILE`` option of the commands that may call connectors live."""
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help="read {{secret.NAME}} values from this .env file (before the environment and the workspace's .env)",
    )


def secrets_for_cli(workspace: Workspace, env_file: str | None) -> Mapping[str, str]:
    """The secrets of a command's runs (see :func:`workbench.connectors.dotenv.run_secrets`); a bad or missing
    ``.env`` file is a :class:`UsageError` naming its line."""
    from workbench.connectors.dotenv import EnvFileError, run_secrets

    try:
        return run_secrets(workspace.root, env_file)
    except EnvFileError as error:
        raise UsageError(str(error)) from None


def build_parser(commands: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The argument parser with the given sub-commands registered (default: every one)."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Build, mock, step-debug and test support-agent procedures.",
        epilog="Run 'workbench WORKSPACE' to open the app, or 'workbench COMMAND --help'.",
    )
    parser.add_argument(
        PRINT_CONFIG, action="store_true", help="print the settings in effect (your config.json, defaults filled in)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        import_module(f"workbench.cli.{MODULE_NAMES.get(name, name)}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workbench`` console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMAND_MODULES and args_list[0] not in ("-h", "--help", PRINT_CONFIG)):
        args_list.insert(0, DEFAULT_COMMAND)
    # Only the chosen command's module is imported (each pulls in its own dependencies): quick starts.
    chosen = (args_list[0],) if args_list[0] in COMMAND_MODULES else () if args_list[0] == PRINT_CONFIG else None
    parser = build_parser(COMMAND_MODULES if chosen is None else chosen)
    args = parser.parse_args(args_list)
    if args.command is None:
        from workbench.cli.config import print_config

        return print_config()
    try:
        return int(args.func(args) or 0)
    except UsageError as error:
        from workbench.cli import output

        output.say(f"workbench: {error}", err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``workbench run --json | head``): stop quietly, as other command-line tools do.
        from workbench.cli import output

        output.silence_stdout()
        return 1

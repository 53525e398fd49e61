"""``workbench [WORKSPACE]`` (or ``workbench open``): open the app on a workspace folder (default ``.``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli import UsageError, output
from workbench.folders import SETTINGS_FILE, is_workspace

SAMPLE = "sample_data/support-desk"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``open`` command (the default one)."""
    parser = subparsers.add_parser(
        "open",
        help="open the app on a workspace (the default command)",
        description="Open the terminal app on a workspace folder to author connectors, procedures and scenarios.",
    )
    parser.add_argument(
        "workspace", metavar="WORKSPACE", nargs="?", default=".", help="the workspace folder (default: .)"
    )
    parser.set_defaults(func=run)


def check_folder(root: Path) -> None:
    """Raise :class:`UsageError` with what to do instead when ``root`` is no workspace."""
    hint = f"open the sample with 'workbench {SAMPLE}' or start one with 'workbench new {root}'"
    if not root.exists():
        raise UsageError(f"{root}: no such folder; {hint}")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; {hint}")
    if not is_workspace(root):
        raise UsageError(
            f"{root} is not a workspace (no {SETTINGS_FILE}, connectors/, procedures/ or scenarios/); {hint}"
        )


def run(args: argparse.Namespace) -> int:
    """Run the app until it quits."""
    root = Path(args.workspace)
    check_folder(root)
    from workbench.tui.app import (
        WorkbenchApp,  # the app's imports are only paid for when it opens
    )

    app = WorkbenchApp(root)
    app.run()
    for problem in app.config_problems:  # shown in the app too; repeated where they stay readable
        output.say(f"workbench: {problem} (the default applied)", err=True)
    if app.recovery.crash_report is not None:
        output.say(app.recovery.crash_report, err=True)
        return 1
    return 0

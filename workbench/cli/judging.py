"""The judge's verdict cache on the command line: the same for every command that judges criteria
(``simulate`` and ``test --live-agent``)."""

from __future__ import annotations

import argparse

from workbench.agent.judge_cache import JudgeCache, default_folder


def add_judge_cache_argument(parser: argparse.ArgumentParser) -> None:
    """``--no-judge-cache``."""
    parser.add_argument(
        "--no-judge-cache",
        action="store_true",
        help="judge every run anew (default: verdicts are cached by criterion and transcript under "
        "$XDG_CACHE_HOME/workbench/judge)",
    )


def judge_cache(args: argparse.Namespace) -> JudgeCache | None:
    """The verdict cache the command line asks for (``None``: ``--no-judge-cache``)."""
    return None if args.no_judge_cache else JudgeCache(default_folder())

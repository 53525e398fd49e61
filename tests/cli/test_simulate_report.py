"""What ``workbench simulate`` prints (through the CLI's printer) never carries a control character from a model or
a file."""

from __future__ import annotations

import io

from workbench.agent.judge import Verdict
from workbench.agent.simulation import SimulationRun, Summary
from workbench.agent.verdicts import PassRule
from workbench.cli import output
from workbench.cli.simulate_report import print_run, print_summary

HOSTILE = "\x1b[2J\x1b]0;owned\x07 and\rmore"


def test_model_text_is_shown_with_its_control_characters_escaped() -> None:
    out = io.StringIO()
    console = output.console(file=out)
    run = SimulationRun(1, None, [Verdict(HOSTILE, False, HOSTILE)], problem=HOSTILE)
    print_run(run, console, verbose=True)
    print_summary(Summary.of([run], name=HOSTILE), console, PassRule(), 1)
    shown = out.getvalue()
    assert "\x1b[2J" not in shown and "\x07" not in shown and "\r" not in shown
    assert "\\x1b[2J\\x1b]0;owned" in shown  # ESC shown; BEL and CR are dropped by rich's Text

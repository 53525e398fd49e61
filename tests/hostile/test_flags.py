"""Class 11: ``--answer`` / ``--decide`` naming nothing the run reaches, and an empty ``--save-scenario``, exit 2."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SUPPORT_DESK
from tests.hostile.kit import cli, unchanged
from workbench.scenarios.validate import reach
from workbench.store import load_workspace

KNOWN = reach(load_workspace(SUPPORT_DESK), "Cancel subscription")
NAMES = st.text(min_size=1, max_size=20).filter(
    lambda name: "=" not in name and name.strip() and name.strip() not in KNOWN.steps and ">" not in name
)
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(name=NAMES, flag=st.sampled_from(["--answer", "--decide"]), value=st.sampled_from(["yes", "1", "x"]))
def test_a_flag_naming_an_unknown_step_exits_2(
    capsys: pytest.CaptureFixture[str], name: str, flag: str, value: str
) -> None:
    outcome = cli(capsys, "run", SUPPORT_DESK, "Cancel subscription", f"{flag}={name}={value}")
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err.startswith(f"workbench: {flag} ") and outcome.err.count("\n") == 1


def test_flags_naming_real_steps_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = cli(
        capsys,
        "run",
        SUPPORT_DESK,
        "Cancel subscription",
        "--attr=User > email=grace@example.com",
        "--decide=state=no",
        "--answer=reason=Too expensive",
        "--json",
    )
    assert outcome.code == 0, outcome.text


@SLOW
@given(blank=st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=4))
def test_an_empty_save_scenario_exits_2_and_writes_nothing(capsys: pytest.CaptureFixture[str], blank: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(shutil.copytree(SUPPORT_DESK, Path(folder) / "desk"))
        with unchanged(root):
            outcome = cli(capsys, "run", root, "Order status", f"--save-scenario={blank}")
    assert outcome.code == 2 and "--save-scenario" in outcome.err and outcome.out == ""

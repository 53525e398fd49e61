"""The monkey in CI: a fixed set of short walks of the real app (seeded: each picks the same actions every run),
on the sample desk and on the awkward workspace, two of them undoing everything and comparing the files.

Long walks: ``python bench/monkey.py --seed S --steps N``. A walk that fails here prints its seed, the last
actions and the failure; ``bench/monkey.py --seed S --steps N`` shrinks it to a regression test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.monkey import Open, OpenSettings, SettingsEdit, replay, walk
from tests.monkey.walk import report

pytestmark = pytest.mark.monkey

WALKS = [
    # (workspace, seed, steps, round trip): a minute of CPU in all with the form walks and the found seeds. A seed
    # walked fewer steps does the same first actions; a round trip must still make an edit to undo.
    ("sample", 1002, 20, False),
    ("awkward", 3003, 20, False),
    ("sample", 2208, 15, True),  # edits "Refund request" (an error path added, typed into) from its 7th action
    ("awkward", 2204, 12, True),  # types into the settings from its 4th action
]


@pytest.mark.parametrize(("workspace", "seed", "steps", "roundtrip"), WALKS)
async def test_a_short_walk_keeps_every_invariant(
    tmp_path: Path, workspace: str, seed: int, steps: int, roundtrip: bool
) -> None:
    outcome = await walk(tmp_path, workspace, seed=seed, steps=steps, roundtrip=roundtrip)
    assert outcome.failure is None, report(outcome)
    assert len(outcome.actions) == steps
    assert outcome.notes or not roundtrip, "the round trip had no edit to undo"


FORM_WALKS = [
    # (workspace, scenario, seed, steps, round trip): walks that start in the scenario form
    ("sample", "Stale billing token is refreshed", 5312, 20, False),
    ("awkward", "Angry [customer] 😠", 5325, 12, True),  # renames the scenario, then walks its form
]


@pytest.mark.parametrize(("workspace", "scenario", "seed", "steps", "roundtrip"), FORM_WALKS)
async def test_a_short_walk_in_the_scenario_form_keeps_every_invariant(
    tmp_path: Path, workspace: str, scenario: str, seed: int, steps: int, roundtrip: bool
) -> None:
    opening = [Open("scenario", scenario)]
    outcome = await walk(tmp_path, workspace, seed=seed, steps=steps, roundtrip=roundtrip, opening=opening)
    assert outcome.failure is None, report(outcome)
    assert len(outcome.actions) == steps + 1
    assert any(type(action).__name__ == "FormField" for action in outcome.actions), "the form was not walked"


async def test_the_settings_forms_walked_and_undone_give_back_the_file(tmp_path: Path) -> None:
    # the workspace settings' vocabulary (SettingsEdit): limits in and out of range, a token added, retyped,
    # given a secret variable and a name taken, the agent's model and a key that is no variable name; undoing
    # everything and saving gives back workbench.json byte for byte
    actions = [
        OpenSettings(),
        SettingsEdit("limits-sandbox_memory_mb", "16"),
        SettingsEdit("limits-sandbox_memory_mb", "512"),
        SettingsEdit("token-add"),
        SettingsEdit("token-type", downs=2),
        SettingsEdit("token-client_secret", "CRM_SECRET"),
        SettingsEdit("token-name", "shop"),
        SettingsEdit("agent-model", "llama3.1"),
        SettingsEdit("agent-api_key", "not a name"),
    ]
    await replay(tmp_path, "sample", actions, size=(120, 40), roundtrip=True)

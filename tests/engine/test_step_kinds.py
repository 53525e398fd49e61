"""The engine and the linter treat step kinds through the registry: every registered kind is performed, and the
words the linter reads for mentions are the registry's."""

from __future__ import annotations

from workbench.engine.runner import PERFORMERS
from workbench.lint.context import text_fields
from workbench.model.kinds import STEP_KINDS


def test_the_runner_performs_every_registered_kind() -> None:
    assert set(PERFORMERS) == set(STEP_KINDS)


def test_the_linter_reads_each_kind_s_words_for_mentions() -> None:
    for kind in STEP_KINDS.values():
        step = kind.create("s")
        assert text_fields(step) == [], "a fresh step has no words yet"
        if kind.words is not None:
            setattr(step, kind.words, "see @read(User > email)")
            assert text_fields(step) == [(kind.words, "see @read(User > email)")]

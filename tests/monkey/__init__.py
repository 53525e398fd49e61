"""A seeded monkey that walks the real app: actions (:mod:`.actions`), workspaces (:mod:`.workspaces`), walks,
invariants and shrinking (:mod:`.walk`), driven by the suite's pilot, which waits only on the widgets with work
(:mod:`tests.quick_pilot`). A shrunk failure prints as a test built from these names."""

from tests.monkey.actions import (
    CompareResults,
    DiskEdit,
    Focus,
    FormField,
    NewItem,
    Open,
    OpenFirst,
    OpenSettings,
    Paste,
    Press,
    Rename,
    Resize,
    SettingsEdit,
    StepEdit,
    Type,
    UndoRedo,
)
from tests.monkey.walk import Failure, Outcome, replay, shrink, walk

__all__ = [
    "CompareResults",
    "DiskEdit",
    "Failure",
    "Focus",
    "FormField",
    "NewItem",
    "Open",
    "OpenFirst",
    "OpenSettings",
    "Outcome",
    "Paste",
    "Press",
    "Rename",
    "Resize",
    "SettingsEdit",
    "StepEdit",
    "Type",
    "UndoRedo",
    "replay",
    "shrink",
    "walk",
]

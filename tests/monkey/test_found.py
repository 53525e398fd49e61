"""What the monkey found, each as the shrunk walk it printed (a plain regression test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.monkey import DiskEdit, Focus, FormField, Open, OpenSettings, Paste, Press, StepEdit, Type, replay

pytestmark = pytest.mark.monkey


async def test_monkey_seed_10014_a_new_item_named_by_a_6_kb_paste(tmp_path: Path) -> None:
    # seed 10014: exception: OSError: [Errno #] File name too long: # (it pasted PASTES[4], whose "[/]" also
    # broke the name's drawing then: markup, fixed on its own; this text is as long, without brackets)
    actions = [
        Press(keys=("ctrl+n",)),
        Paste("pasted text " * 500),
        Press(keys=("enter",)),
        Press(keys=("ctrl+s",)),
    ]
    await replay(tmp_path, "sample", actions, size=(160, 48))


# Found before issue 22's fixes were merged (the monkey's first walks); kept so that none comes back.


async def test_monkey_seed_2204_a_condition_added_after_a_debugger_step(tmp_path: Path) -> None:
    # seed 2204: dead focus (bug 1: the focus left on a field of a form a recompose removed)
    actions = [Press(("f10", "f10")), StepEdit(line=1, key="a", kind="condition", answer="y")]
    await replay(tmp_path, "sample", actions, size=(80, 24), roundtrip=True)


async def test_monkey_json_typed_short_is_a_draft(tmp_path: Path) -> None:
    # bug 5: JSON typed that does not parse yet was kept only in the widget (the item not marked unsaved)
    actions = [Open(kind="scenario", name="Customer never gives the postcode"), Type(text='"X-Trace": ')]
    await replay(tmp_path, "sample", actions, size=(200, 60))


async def test_monkey_seed_41001_a_space_between_two_tokens_of_a_json_field(tmp_path: Path) -> None:
    # seed 41001 (926 actions, shrunk to 463 in its budget): unsaved text lost: JsonArea of a scenario (a space
    # typed before the document's closing brace: the same value, so the item stays saved, and the file keeps its
    # own layout; the walk's check now tells layout from a value, as it tells a one-line field's end spaces)
    actions = [
        Open(kind="scenario", name="Already cancelled subscription"),
        FormField(tab="tab-json", field="#document JsonArea"),
        Type(text=" "),
    ]
    await replay(tmp_path, "sample", actions, size=(80, 24))


async def test_monkey_seed_3009_a_step_id_refuses_what_it_cannot_hold(tmp_path: Path) -> None:
    # seed 3009: unsaved text lost: Input of a procedure (the typed id was invalid, so never the step's, and
    # the item stayed saved: switching away lost it). Now the field refuses those characters, visibly.
    actions = [Press(("shift+f8",)), Type(text="}hello[bold]x[/]")]
    await replay(tmp_path, "awkward", actions, size=(160, 48))


async def test_monkey_seed_1012_a_space_typed_after_a_name(tmp_path: Path) -> None:
    # seed 1012: unsaved text lost: Input of a connector ('Cancel subscription ' is stored trimmed: the space
    # is the next word's start, kept in the field; the walk's check allows spaces at a one-line field's ends)
    actions = [Open(kind="connector", name="Cancel subscription"), Type(text=" ")]
    await replay(tmp_path, "sample", actions, size=(120, 36))


async def test_monkey_seed_10001_settings_of_a_workspace_with_markup_in_names(tmp_path: Path) -> None:
    # seed 10001: exception: MarkupError (a name with "[/]" drawn as markup in the settings editor)
    await replay(tmp_path, "awkward", [OpenSettings()], size=(120, 36))


async def test_monkey_seed_2203_a_branch_added_then_undone(tmp_path: Path) -> None:
    # seed 2203: exception: IndexError: list index out of range (undoing an added branch left its node in the
    # outline, which relabelled it from a condition that no longer had it: the outline was judged by its step
    # ids alone, which a branch does not change)
    actions = [
        Press(keys=("shift+f8",)),
        StepEdit(line=4, key="b", kind="collect", answer="escape"),
    ]
    await replay(tmp_path, "awkward", actions, size=(200, 60), roundtrip=True)


async def test_monkey_seed_40001_settings_opened_after_their_file_was_deleted(tmp_path: Path) -> None:
    # seed 40001: harness: NoMatches: No child found with id='editor-#' (the settings' editor was closed, its
    # file gone, while it mounted; it was then brought to the front, removed, and the front named no editor)
    actions = [
        DiskEdit(path="workbench.json", how="delete"),
        Press(keys=("f10", "f6", "f9")),
        Focus(selector="OptionList@0"),
        Type(text="@call({[bold]x[/]"),
        OpenSettings(),
        StepEdit(line=10, key="x", kind="condition", answer="escape"),
    ]
    await replay(tmp_path, "awkward", actions, size=(100, 30))


async def test_monkey_seed_50005_a_settings_table_holding_brackets(tmp_path: Path) -> None:
    # seed 50005: exception: MarkupError: closing tag '[/]' at position # has nothing to close (a str cell of
    # the settings' tables, a value holding "[/]", read as markup by Textual's DataTable)
    actions = [
        Focus(selector="ContentTabs@0"),
        OpenSettings(),
        Press(keys=("down", "home")),
        Focus(selector="FittingTable@0"),
        Press(keys=("home", "pagedown")),
        Press(keys=("pagedown", "tab")),
        Press(keys=("escape", "tab", "tab")),
        Press(keys=("shift+end",)),
        StepEdit(line=4, key="t", kind="subprocedure", answer="escape"),
        Press(keys=("ctrl+s",)),
        Press(keys=("ctrl+e",)),
        Press(keys=("backspace",)),
    ]
    await replay(tmp_path, "awkward", actions, size=(200, 60))


async def test_monkey_an_input_renamed_as_no_input_can_be(tmp_path: Path) -> None:
    # seeds 7 and 11 (as the lead walked them): unsaved text lost: Input of a connector (an input's name typed as
    # no input can be was refused by the Inputs table and kept only on screen; the item was not marked unsaved)
    actions = [
        Open(kind="connector", name="Verify identity"),
        Press(keys=("ctrl+pagedown",)),
        Focus(selector="#input-name"),
        Press(keys=("home",)),
        Type(text="2"),
    ]
    await replay(tmp_path, "sample", actions, size=(120, 36))

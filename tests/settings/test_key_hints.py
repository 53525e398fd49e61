"""The keys in effect without an app: the keymap's over the bindings' own, texts that name them, and clashes."""

from __future__ import annotations

import pytest

from workbench.settings.key_hints import ActiveKeys

OWN = {"debug.run": "f5", "debug.step": "f10", "app.save": "ctrl+s", "editor.redo": "ctrl+shift+z,ctrl+y"}
IDS = frozenset(OWN)


def show(key: str) -> str:
    return {"question_mark": "?"}.get(key, key.upper())


def test_the_keymap_wins_over_a_binding_own_keys() -> None:
    keys = ActiveKeys({"debug.run": "ctrl+r"}, OWN.__getitem__)
    assert keys.keys("debug.run") == ["ctrl+r"] and keys.keys("debug.step") == ["f10"]
    assert keys.keys("editor.redo") == ["ctrl+shift+z", "ctrl+y"]
    with pytest.raises(KeyError):
        keys.keys("debug.nothing")


def test_a_text_names_the_keys_bound_now() -> None:
    keys = ActiveKeys({"debug.run": "ctrl+r, f6"}, OWN.__getitem__)
    text = "{debug.run} runs, {debug.step} steps, {editor.redo} redoes; {not a binding} stays"
    assert (
        keys.fill(text, show)
        == "CTRL+R (or F6) runs, F10 steps, CTRL+SHIFT+Z (or CTRL+Y) redoes; {not a binding} stays"
    )


def test_a_key_the_keymap_gives_away_twice_is_a_clash() -> None:
    keys = ActiveKeys({"debug.run": "ctrl+s", "debug.step": "f10"}, OWN.__getitem__)
    assert keys.clashes(IDS, show) == ["CTRL+S: debug.run, app.save"]
    assert ActiveKeys({}, OWN.__getitem__).clashes(IDS, show) == []


def test_keys_are_compared_as_shown() -> None:
    own = {**OWN, "app.help": "question_mark"}
    keys = ActiveKeys({"debug.run": "?"}, own.__getitem__)
    assert keys.clashes(frozenset(own), show) == ["?: debug.run, app.help"]
